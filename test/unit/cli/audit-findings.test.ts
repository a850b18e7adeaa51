import { auditParent, type LiveZone } from '../../../cli/audit-findings';
import { parseConfig } from '../../../functions/core/config-schema';
import type { RecordSet } from '../../../functions/core/types';

const { config } = parseConfig({
  version: 1,
  mode: 'enforce',
  parentZones: [{ name: 'example.com', hostedZoneId: 'Z0EXAMPLE' }],
  rules: [{ name: 'foo.example.com', accounts: ['222222222222'] }],
});
const R53 = ['ns-1.awsdns-00.com', 'ns-600.awsdns-11.net'];
const OTHER = ['ns-2.awsdns-00.com', 'ns-601.awsdns-11.net'];
const ns = (name: string, values: readonly string[]): RecordSet => ({ name, type: 'NS', ttl: 3600, values });
const zone = (account: string, name: string, nameServers: readonly string[], optedIn = true): LiveZone => ({
  account,
  zoneId: `Z${account}`,
  name,
  optedIn,
  nameServers,
});

const ACTIVE_DS = '14661 13 2 433C1282';
const ds = (name: string, values: readonly string[]): RecordSet => ({ name, type: 'DS', ttl: 300, values });
const signing = (activeDs: readonly string[], isSigning = true): LiveZone['signing'] => ({ signing: isSigning, activeDs });

describe('auditParent: DS records', () => {
  it.each<[string, LiveZone['signing'], RecordSet[], string[]]>([
    [
      'reports a DS that matches no active key as critical',
      signing(['99999 13 2 FFFF']),
      [ds('foo.example.com', [ACTIVE_DS])],
      ['ds-mismatch:critical'],
    ],
    ['reports a DS over a zone that does not sign as critical', undefined, [ds('foo.example.com', [ACTIVE_DS])], ['ds-mismatch:critical']],
    [
      'accepts a DS one of whose values is an active key, in any case',
      signing([ACTIVE_DS]),
      [ds('foo.example.com', [ACTIVE_DS.toLowerCase(), '1 13 2 AA'])],
      [],
    ],
    ['reports a signing zone without a DS as low', signing([ACTIVE_DS]), [], ['unsigned-chain:low']],
    ['says nothing of a zone that neither signs nor has a DS', signing([], false), [], []],
  ])('%s', (_behaviour, zoneSigning, dsRecords, expected) => {
    // Prepare
    const live: LiveZone = { ...zone('222222222222', 'foo.example.com', R53), ...(zoneSigning && { signing: zoneSigning }) };

    // Act
    const findings = auditParent({
      config,
      parentZoneId: 'Z0EXAMPLE',
      apex: 'example.com',
      nsRecords: [ns('foo.example.com', R53)],
      dsRecords,
      liveZones: [live],
      unreadableAccounts: [],
    });

    // Assess
    expect(findings.filter((finding) => finding.class !== 'delegated').map((finding) => `${finding.class}:${finding.severity}`)).toEqual(
      expected,
    );
  });
});

describe('auditParent', () => {
  it.each<[string, LiveZone[], string[], string, string]>([
    ['a live, opted-in, allowed zone serves the name', [zone('222222222222', 'foo.example.com', R53)], [], 'delegated', 'ok'],
    ['a live, allowed zone not opted in serves it', [zone('222222222222', 'foo.example.com', R53, false)], [], 'delegated', 'low'],
    ['a zone the rule does not list serves it', [zone('333333333333', 'foo.example.com', R53)], [], 'outside-allowlist', 'medium'],
    ['the live zone has other name servers', [zone('222222222222', 'foo.example.com', OTHER)], [], 'mismatched', 'high'],
    ['no readable account serves it', [], [], 'dangling', 'critical'],
    ['no readable account serves it and one account cannot be read', [], ['222222222222'], 'dangling', 'critical'],
  ])('classifies a Route 53 delegation when %s', (_when, liveZones, unreadable, kind, severity) => {
    // Act
    const [finding] = auditParent({
      config,
      parentZoneId: 'Z0EXAMPLE',
      apex: 'example.com',
      nsRecords: [ns('example.com', R53), ns('foo.example.com', R53)],
      liveZones,
      unreadableAccounts: unreadable,
    });

    // Assess
    expect(finding).toMatchObject({ name: 'foo.example.com', parentZone: 'example.com', class: kind, severity });
    expect(finding?.unreadableAccounts).toEqual(unreadable.length > 0 ? unreadable : undefined);
  });

  it('classifies foreign name servers and a delegation below another, and skips the apex', () => {
    // Act
    const findings = auditParent({
      config,
      parentZoneId: 'Z0EXAMPLE',
      apex: 'example.com',
      nsRecords: [ns('example.com', R53), ns('ext.example.com', ['ns1.example.net']), ns('a.ext.example.com', R53)],
      liveZones: [],
      unreadableAccounts: [],
    });

    // Assess
    expect(findings.map((finding) => [finding.name, finding.class, finding.severity])).toEqual([
      ['a.ext.example.com', 'below-delegation', 'low'],
      ['ext.example.com', 'foreign', 'low'],
    ]);
  });
});
