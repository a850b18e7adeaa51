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
