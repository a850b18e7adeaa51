import { checkFinalState, type FinalRecord, type FinalState } from '../../chaos/oracle';
import type { ChildZone, TruthPolicy } from '../../chaos/truth';

const A = '300000000001';
const B = '300000000002';
const policy: TruthPolicy = {
  apex: 'run.example',
  rules: [
    { name: 'foo.run.example', accounts: [A, B] },
    { name: 'a.foo.run.example', accounts: [B] },
    { name: '*.dev.run.example', accounts: [A], nsTtl: 300 },
  ],
  defaultTtl: 3600,
  optInValue: 'true',
  dnssec: true,
  dsTtl: 3600,
};

function zone(account: string, zoneId: string, name: string, overrides: Partial<ChildZone> = {}): ChildZone {
  return {
    account,
    zoneId,
    name,
    privateZone: false,
    tagValue: 'true',
    nameServers: [`ns-${zoneId}.awsdns-01.com`],
    signing: { signing: false, activeKeys: [], dsOff: false, retiredKey: undefined },
    ...overrides,
  };
}

function ns(name: string, values: readonly string[], author: FinalRecord['author'] = 'subzone', ttl = 3600): FinalRecord {
  return { name: `${name}.`, type: 'NS', ttl, values: values.map((value) => `${value}.`), author };
}

const FOO_A = zone(A, 'Z1', 'foo.run.example');
const FOO_B = zone(B, 'Z2', 'foo.run.example');
const NESTED_B = zone(B, 'Z3', 'a.foo.run.example');
const KEY_1 = { name: 'key_1', ds: '11111 13 2 aaaa' };
const KEY_2 = { name: 'key_2', ds: '22222 13 2 bbbb' };
const SIGNING_A = zone(A, 'Z1', 'foo.run.example', {
  signing: { signing: true, activeKeys: [KEY_1, KEY_2], dsOff: false, retiredKey: 'key_2' },
});
const OWNER_A = { owners: [{ name: 'foo.run.example', account: A, zoneId: 'Z1' }], leases: [], unsettled: [] };

function ds(name: string, values: readonly string[], author: FinalRecord['author'] = 'subzone', ttl = 3600): FinalRecord {
  return { name: `${name}.`, type: 'DS', ttl, values, author };
}

function state(overrides: Partial<FinalState>): FinalState {
  return { policy, zones: [], records: [], ledger: { owners: [], leases: [], unsettled: [] }, ...overrides };
}

describe('chaos oracle', () => {
  it.each<[string, Partial<FinalState>]>([
    [
      'a delegated owner',
      {
        zones: [FOO_A],
        records: [ns('foo.run.example', FOO_A.nameServers)],
        ledger: { owners: [{ name: 'foo.run.example', account: A, zoneId: 'Z1' }], leases: [], unsettled: [] },
      },
    ],
    [
      'a contested name held by its owner',
      {
        zones: [FOO_A, FOO_B],
        records: [ns('foo.run.example', FOO_B.nameServers)],
        ledger: { owners: [{ name: 'foo.run.example', account: B, zoneId: 'Z2' }], leases: [], unsettled: [] },
      },
    ],
    [
      'an owned name below a delegation',
      {
        zones: [FOO_A, NESTED_B],
        records: [ns('foo.run.example', FOO_A.nameServers)],
        ledger: {
          owners: [
            { name: 'foo.run.example', account: A, zoneId: 'Z1' },
            { name: 'a.foo.run.example', account: B, zoneId: 'Z3' },
          ],
          leases: [],
          unsettled: [],
        },
      },
    ],
    [
      "a claim kept out by a person's record",
      { zones: [FOO_A], records: [{ name: 'foo.run.example.', type: 'A', ttl: 60, values: ['192.0.2.1'], author: 'hand' }] },
    ],
    ['a near-miss tag that is not an opt-in', { zones: [zone(A, 'Z1', 'foo.run.example', { tagValue: 'True' })] }],
    [
      'a wildcard claim at its own TTL',
      {
        zones: [zone(A, 'Z4', 'x.dev.run.example')],
        records: [ns('x.dev.run.example', ['ns-Z4.awsdns-01.com'], 'subzone', 300)],
        ledger: { owners: [{ name: 'x.dev.run.example', account: A, zoneId: 'Z4' }], leases: [], unsettled: [] },
      },
    ],
  ])('accepts %s', (_, overrides) => {
    // Prepare
    const final = state(overrides);

    // Act
    const violations = checkFinalState(final);

    // Assess
    expect(violations).toEqual([]);
  });

  it("accepts the DS of a signing owner's active keys but the retired one, in any spelling", () => {
    // Prepare
    const final = state({
      zones: [SIGNING_A],
      records: [ns('foo.run.example', SIGNING_A.nameServers), ds('foo.run.example', ['11111  13 2 AAAA'])],
      ledger: OWNER_A,
    });

    // Act
    const violations = checkFinalState(final);

    // Assess
    expect(violations).toEqual([]);
  });

  it.each<[string, Partial<FinalState>, string]>([
    [
      'an owner whose zone is gone',
      { ledger: { owners: [{ name: 'foo.run.example', account: A, zoneId: 'Z1' }], leases: [], unsettled: [] } },
      '7: no orphaned name owner',
    ],
    [
      'a delegation left after its zone opted out',
      { zones: [zone(A, 'Z1', 'foo.run.example', { tagValue: undefined })], records: [ns('foo.run.example', FOO_A.nameServers)] },
      '5: no delegation without a standing claim',
    ],
    [
      'a delegation with the wrong TTL',
      {
        zones: [FOO_A],
        records: [ns('foo.run.example', FOO_A.nameServers, 'subzone', 300)],
        ledger: { owners: [{ name: 'foo.run.example', account: A, zoneId: 'Z1' }], leases: [], unsettled: [] },
      },
      "5: a delegation holds its owner's name servers and TTL",
    ],
    ['an unobstructed claim never delegated', { zones: [FOO_A] }, 'convergence: every unobstructed claim is delegated'],
    [
      'two nested delegations',
      {
        zones: [FOO_A, NESTED_B],
        records: [ns('foo.run.example', FOO_A.nameServers), ns('a.foo.run.example', NESTED_B.nameServers)],
        ledger: {
          owners: [
            { name: 'foo.run.example', account: A, zoneId: 'Z1' },
            { name: 'a.foo.run.example', account: B, zoneId: 'Z3' },
          ],
          leases: [],
          unsettled: [],
        },
      },
      '3: no delegation under another delegation',
    ],
    ['a lease left behind', { ledger: { owners: [], leases: [`${A} held by x`], unsettled: [] } }, 'no lease left behind'],
    [
      'a signing delegation without its DS',
      { zones: [SIGNING_A], records: [ns('foo.run.example', SIGNING_A.nameServers)], ledger: OWNER_A },
      'convergence: a signing delegation carries its DS',
    ],
    [
      'a DS of a retired key',
      {
        zones: [SIGNING_A],
        records: [ns('foo.run.example', SIGNING_A.nameServers), ds('foo.run.example', [KEY_1.ds, KEY_2.ds])],
        ledger: OWNER_A,
      },
      "8: a DS holds its owner's active keys",
    ],
    [
      'a claim with a DS but no NS',
      { zones: [SIGNING_A], records: [ds('foo.run.example', [KEY_1.ds], 'hand')], ledger: OWNER_A },
      'convergence: every unobstructed claim is delegated',
    ],
    [
      'a DS left after the zone stopped signing',
      { zones: [FOO_A], records: [ns('foo.run.example', FOO_A.nameServers), ds('foo.run.example', [KEY_1.ds])], ledger: OWNER_A },
      '8: no DS without a signing, delegated owner',
    ],
  ])('rejects %s', (_, overrides, invariant) => {
    // Prepare
    const final = state(overrides);

    // Act
    const violations = checkFinalState(final);

    // Assess
    expect(violations.map((violation) => violation.invariant)).toContain(invariant);
  });
});
