import { unsafeUniformIntDistribution, mersenne } from 'pure-rand';
import { ProjectedParents } from '../../../functions/core/parent-view';
import { changesOf, decideAccount, desiredRecord, standsInParent, ownerKey, subjectOf } from '../../../functions/core/policy';
import type { Decision } from '../../../functions/core/policy';
import { isStrictlyBelow, namesBetween, sameValueSet } from '../../../functions/core/names';
import { parentFor, winningRule } from '../../../functions/core/rules';

/** The allowlist as the invariants state it: the most specific rule lists the account. */
function isAllowed(config: SubzoneConfig, account: AccountId, name: string): boolean {
  return winningRule(config, name)?.accounts.includes(account) ?? false;
}
import type { AccountId, LedgerEntry, RecordSet, SpokeSnapshot, SpokeZone, SubzoneConfig, ZoneId } from '../../../functions/core/types';
import {
  ACCOUNT_A,
  ACCOUNT_B,
  ACCOUNT_C,
  NO_CONTROLS,
  NOW,
  ORG_PARENT_ID,
  PARENT_ID,
  PROD_PARENT_ID,
  STRANGER,
  type FactsInput,
  accountSnapshot,
  asRoute53Values,
  decide,
  decisionFor,
  makeConfig,
  makeEntry,
  makeFacts,
  makeZone,
  minutesFrom,
  nameServersFor,
  nsRecordFor,
  ownerOf,
  projected,
  recordSet,
  verdictOf,
  zonesSnapshot,
} from '../../helpers/core-fixtures';

/** One account's facts, the records of example.com, and the zone the row is about. */
interface Scenario {
  readonly input: FactsInput;
  readonly records?: readonly RecordSet[];
  readonly subject: ZoneId;
}

/** Runs a scenario and returns the decision about its subject and the changes it sends. */
function judge(scenario: Scenario): { decision: Decision; decisions: Decision[] } {
  const { decisions } = decide(scenario.input, { [PARENT_ID]: scenario.records ?? [] });
  return { decision: decisionFor(decisions, scenario.subject), decisions };
}

function single(zone: SpokeZone, rest: Omit<FactsInput, 'zones'> = {}, records: readonly RecordSet[] = []): Scenario {
  return { input: { zones: [zone], ...rest }, records, subject: zone.zoneId };
}

describe('decideAccount: which zones are claims', () => {
  it.each<[string, () => Scenario, string]>([
    ['delegates a new, opted-in, allowlisted zone', () => single(makeZone('foo.example.com')), 'create:new-delegation'],
    ['ignores a zone that is not opted in', () => single(makeZone('foo.example.com', { optedIn: false })), 'ignore:not-opted-in'],
    ['delegates a public zone', () => single(makeZone('baz.example.com')), 'create:new-delegation'],
    [
      'ignores a private zone, even opted in',
      () => single(makeZone('baz.example.com', { privateZone: true, nameServers: [] })),
      'ignore:private',
    ],
    ['delegates a zone under a managed parent', () => single(makeZone('shop.example.org')), 'create:new-delegation'],
    ['rejects a zone outside every managed parent', () => single(makeZone('foo.example.net')), 'reject:outside-managed-parents'],
    ['rejects a parent apex itself', () => single(makeZone('example.com')), 'reject:outside-managed-parents'],
    ['delegates a name an exact rule allows', () => single(makeZone('bar.example.com'), { account: ACCOUNT_B }), 'create:new-delegation'],
    ['rejects a name no rule matches', () => single(makeZone('nope.example.com')), 'reject:not-allowlisted'],
    [
      'rejects a name whose rule does not list the account',
      () => single(makeZone('foo.example.com'), { account: ACCOUNT_B }),
      'reject:not-allowlisted',
    ],
    ['rejects an account no rule lists', () => single(makeZone('foo.example.com'), { account: STRANGER }), 'reject:not-allowlisted'],
    [
      'delegates one label below a wildcard rule',
      () => single(makeZone('x.dev.example.com'), { account: ACCOUNT_B }),
      'create:new-delegation',
    ],
    [
      'rejects two labels below a wildcard rule',
      () => single(makeZone('y.x.dev.example.com'), { account: ACCOUNT_B }),
      'reject:not-allowlisted',
    ],
    ['rejects the wildcard rule base itself', () => single(makeZone('dev.example.com'), { account: ACCOUNT_B }), 'reject:not-allowlisted'],
    [
      'delegates an exact rule that beats a wildcard, for its account',
      () => single(makeZone('api.dev.example.com'), { account: ACCOUNT_C }),
      'create:new-delegation',
    ],
    [
      'rejects an account the wildcard lists but the more specific exact rule does not',
      () => single(makeZone('api.dev.example.com'), { account: ACCOUNT_B }),
      'reject:not-allowlisted',
    ],
    [
      'delegates a zone whose name servers lie outside its name',
      () => single(makeZone('foo.example.com', { nameServers: ['ns1.foo.example.com.cdn.net', 'ns2.foo-example.com'] })),
      'create:new-delegation',
    ],
    [
      'rejects a zone whose name servers lie inside its name (needs glue)',
      () => single(makeZone('foo.example.com', { nameServers: ['ns1.foo.example.com', 'ns2.other.net'] })),
      'reject:needs-glue',
    ],
    [
      'rejects a zone whose name server is its own name (needs glue)',
      () => single(makeZone('foo.example.com', { nameServers: ['foo.example.com'] })),
      'reject:needs-glue',
    ],
  ])('%s', (_title, build, expected) => {
    // Prepare
    const scenario = build();
    // Act
    const { decision } = judge(scenario);
    // Assess
    expect(verdictOf(decision)).toBe(expected);
    if (!expected.startsWith('create')) expect(changesOf(decision)).toEqual([]);
  });

  it('writes the NS record of a new claim with the name servers and the configured TTL', () => {
    // Prepare
    const zone = makeZone('foo.example.com');
    // Act
    const { decision } = judge(single(zone));
    // Assess
    expect(changesOf(decision)).toEqual([
      { action: 'CREATE', record: { name: 'foo.example.com', type: 'NS', ttl: 3600, values: asRoute53Values(zone.nameServers) } },
    ]);
  });

  it.each([
    ['the rule TTL for a wildcard rule that sets one', 'x.dev.example.com', ACCOUNT_B, 300],
    ['the config TTL for an exact rule that sets none', 'api.dev.example.com', ACCOUNT_C, 3600],
  ])('writes %s', (_title, name, account, ttl) => {
    // Prepare
    const zone = makeZone(name);
    // Act
    const { decision } = judge(single(zone, { account }));
    // Assess
    expect(changesOf(decision)).toEqual([
      { action: 'CREATE', record: { name, type: 'NS', ttl, values: asRoute53Values(zone.nameServers) } },
    ]);
  });

  it.each([
    ['example.org', 'shop.example.org', ORG_PARENT_ID],
    ['the nested parent prod.example.com, not example.com', 'api.prod.example.com', PROD_PARENT_ID],
  ])('delegates in the longest managed parent: %s', (_title, name, parentZoneId) => {
    // Prepare
    const zone = makeZone(name);
    const view = projected();
    // Act
    const decisions = decideAccount(makeFacts({ zones: [zone] }), view);
    // Assess
    expect(decisions).toEqual([expect.objectContaining({ kind: 'create', parentZoneId })]);
    expect(view.nsAt(parentZoneId, name)?.values).toEqual(asRoute53Values(zone.nameServers));
  });

  it('keeps a delegation in place when the same events come again, and sends nothing', () => {
    // Prepare
    const zone = makeZone('foo.example.com');
    const scenario = single(zone, { entries: [makeEntry(zone)], owners: [ownerOf(zone)] }, [nsRecordFor(zone)]);
    // Act
    const first = judge(scenario);
    const second = judge(scenario);
    // Assess
    expect(verdictOf(first.decision)).toBe('keep:in-place');
    expect(first.decision).toEqual(second.decision);
    expect(first.decisions.flatMap(changesOf)).toEqual([]);
  });
});

describe('decideAccount: one name, one owner (invariant 7)', () => {
  it('rejects both zones of one name in one account when neither owns it', () => {
    // Prepare
    const first = makeZone('foo.example.com');
    const second = makeZone('foo.example.com');
    // Act
    const { decisions } = decide({ zones: [first, second] });
    // Assess
    expect(decisions.map(verdictOf)).toEqual(['reject:duplicate-zone-name', 'reject:duplicate-zone-name']);
    expect(decisions.flatMap(changesOf)).toEqual([]);
  });

  it.each([
    ['the first', 0],
    ['the second', 1],
  ])('lets %s of two same-name zones keep the name it owns and rejects the other as contested', (_title, ownerIndex) => {
    // Prepare
    const zones = [makeZone('foo.example.com'), makeZone('foo.example.com')];
    const owning = zones[ownerIndex]!;
    const other = zones[1 - ownerIndex]!;
    // Act
    const { decisions } = decide({ zones, owners: [ownerOf(owning)] });
    // Assess
    expect(verdictOf(decisionFor(decisions, owning.zoneId))).toBe('create:new-delegation');
    expect(verdictOf(decisionFor(decisions, other.zoneId))).toBe('reject:contested');
  });

  it.each<[string, (zone: SpokeZone) => ReturnType<typeof ownerOf>, string]>([
    ['delegates a name its own zone owns', (zone) => ownerOf(zone), 'create:new-delegation'],
    [
      'rejects a name owned by a zone in another account as contested',
      (zone) => ({ ...ownerOf(zone), account: ACCOUNT_B }),
      'reject:contested',
    ],
    [
      'rejects a name owned by another zone of the same account as contested',
      (zone) => ({ ...ownerOf(zone), zoneId: 'ZOTHER' }),
      'reject:contested',
    ],
  ])('%s', (_title, ownerFor, expected) => {
    // Prepare
    const zone = makeZone('foo.example.com');
    // Act
    const { decision } = judge(single(zone, { owners: [ownerFor(zone)] }));
    // Assess
    expect(verdictOf(decision)).toBe(expected);
  });

  it('lets an owner keep its delegation while another account claims the same name', () => {
    // Prepare
    const zone = makeZone('bar.example.com');
    const rival = makeZone('bar.example.com');
    const owners = [ownerOf(zone)];
    // Act
    const mine = judge(single(zone, { entries: [makeEntry(zone)], owners }, [nsRecordFor(zone)]));
    const theirs = judge(single(rival, { account: ACCOUNT_B, owners }, [nsRecordFor(zone)]));
    // Assess
    expect(verdictOf(mine.decision)).toBe('keep:in-place');
    expect(verdictOf(theirs.decision)).toBe('reject:contested');
  });
});

describe('decideAccount: the parent as it will be', () => {
  it.each<[string, readonly RecordSet[], string, string]>([
    [
      'delegates below a name that holds no NS record',
      [recordSet('foo.example.com', 'TXT', ['"hello"'])],
      'a.foo.example.com',
      'create:new-delegation',
    ],
    [
      'rejects a name below an existing delegation',
      [nsRecordFor(makeZone('foo.example.com'))],
      'a.foo.example.com',
      'reject:below-delegation',
    ],
    [
      'rejects a name two levels below an existing delegation',
      [nsRecordFor(makeZone('dev.example.com'))],
      'x.dev.example.com',
      'reject:below-delegation',
    ],
    ['delegates next to an unrelated delegation', [nsRecordFor(makeZone('other.example.com'))], 'foo.example.com', 'create:new-delegation'],
    [
      'rejects a name where the parent holds another record type',
      [recordSet('foo.example.com', 'A', ['192.0.2.1'], 300)],
      'foo.example.com',
      'reject:name-in-use',
    ],
    [
      'rejects a name where the parent holds a CNAME',
      [recordSet('foo.example.com', 'CNAME', ['x.example.net'])],
      'foo.example.com',
      'reject:name-in-use',
    ],
    [
      'delegates a name when another type sits at another name',
      [recordSet('www.example.com', 'A', ['192.0.2.1'])],
      'foo.example.com',
      'create:new-delegation',
    ],
    [
      'rejects a name with records below it',
      [recordSet('www.foo.example.com', 'A', ['192.0.2.1'])],
      'foo.example.com',
      'reject:records-below-name',
    ],
    [
      'delegates a name whose look-alike sibling has records',
      [recordSet('www.xfoo.example.com', 'A', ['192.0.2.1'])],
      'foo.example.com',
      'create:new-delegation',
    ],
  ])('%s', (_title, records, name, expected) => {
    // Prepare
    const zone = makeZone(name, { optedIn: true });
    const account = name.endsWith('dev.example.com') ? ACCOUNT_B : ACCOUNT_A;
    // Act
    const { decision } = judge(single(zone, { account }, records));
    // Assess
    expect(verdictOf(decision)).toBe(expected);
    if (expected.startsWith('reject')) expect(changesOf(decision)).toEqual([]);
  });

  it('delegates a name below an existing non-NS name', () => {
    // Prepare
    const zone = makeZone('a.foo.example.com');
    // Act
    const { decision } = judge(single(zone, {}, [recordSet('bar.example.com', 'A', ['192.0.2.1'])]));
    // Assess
    expect(verdictOf(decision)).toBe('create:new-delegation');
  });

  it.each([
    ['shorter first', ['foo.example.com', 'a.foo.example.com']],
    ['longer first', ['a.foo.example.com', 'foo.example.com']],
  ])('lets the shorter of foo and a.foo claimed in one batch win, listed %s', (_title, names) => {
    // Prepare
    const zones = names.map((name) => makeZone(name));
    const byName = new Map(zones.map((zone) => [zone.name, zone]));
    // Act
    const { decisions } = decide({ zones });
    // Assess
    expect(verdictOf(decisionFor(decisions, byName.get('foo.example.com')!.zoneId))).toBe('create:new-delegation');
    expect(verdictOf(decisionFor(decisions, byName.get('a.foo.example.com')!.zoneId))).toBe('reject:below-delegation');
    expect(decisions.flatMap(changesOf).map((change) => change.record.name)).toEqual(['foo.example.com']);
  });

  it('rejects a shorter claim when a longer name is already delegated below it', () => {
    // Prepare
    const below = makeZone('a.foo.example.com');
    const zone = makeZone('foo.example.com');
    // Act
    const { decision } = judge(single(zone, {}, [nsRecordFor(below)]));
    // Assess
    expect(verdictOf(decision)).toBe('reject:records-below-name');
  });

  it('rejects adopting a matching NS record that already hides a delegation below it (invariant 3)', () => {
    // Prepare
    const below = makeZone('a.foo.example.com');
    const zone = makeZone('foo.example.com');
    const handMade = recordSet('foo.example.com', 'NS', asRoute53Values(zone.nameServers), 172800);
    // Act
    const { decision } = judge(single(zone, {}, [handMade, nsRecordFor(below)]));
    // Assess
    expect(verdictOf(decision)).toBe('reject:records-below-name');
  });

  it.each<[string, (zone: SpokeZone) => string[], string]>([
    [
      'adopts an NS record with the desired values written fully qualified',
      (zone) => asRoute53Values(zone.nameServers),
      'adopt:matching-record',
    ],
    [
      'adopts an NS record with the desired values in upper case and another order',
      (zone) =>
        asRoute53Values(zone.nameServers)
          .map((value) => value.toUpperCase())
          .reverse(),
      'adopt:matching-record',
    ],
    [
      'rejects an NS record with other values as delegated elsewhere',
      () => asRoute53Values(nameServersFor(900)),
      'reject:delegated-elsewhere',
    ],
    [
      'rejects an NS record with only some of the desired values as delegated elsewhere',
      (zone) => asRoute53Values(zone.nameServers.slice(0, 3)),
      'reject:delegated-elsewhere',
    ],
  ])('%s, not in the ledger', (_title, valuesFor, expected) => {
    // Prepare
    const zone = makeZone('foo.example.com');
    const existing = recordSet('foo.example.com', 'NS', valuesFor(zone), 172800);
    // Act
    const { decision } = judge(single(zone, {}, [existing]));
    // Assess
    expect(verdictOf(decision)).toBe(expected);
    expect(changesOf(decision)).toEqual([]);
    if (decision.kind === 'adopt') expect(decision.found).toBe(existing);
  });
});

describe('decideAccount: removal when the zone is gone (invariant 5)', () => {
  it.each<[string, (zone: SpokeZone) => FactsInput, string, number]>([
    [
      'removes the delegation of a zone gone from a complete account read',
      (zone) => ({ zones: [], goneIds: [zone.zoneId] }),
      'remove:zone-deleted',
      1,
    ],
    [
      'removes the delegation of a zone gone from a read narrowed to it',
      (zone) => ({ snapshot: zonesSnapshot([], [zone.zoneId]) }),
      'remove:zone-deleted',
      1,
    ],
    [
      'removes the delegation of a same-name sibling the narrowed read covered',
      (zone) => ({ snapshot: zonesSnapshot([], ['ZREQUESTED'], ACCOUNT_A, ['ZREQUESTED', zone.zoneId]) }),
      'remove:zone-deleted',
      1,
    ],
    ['decides nothing for a zone outside the covered scope', () => ({ snapshot: zonesSnapshot([], ['ZSOMEOTHER']) }), 'none', 0],
    [
      'removes the delegation of a zone a complete account read did not find',
      () => ({ snapshot: { ...accountSnapshot([]), coveredZoneIds: [] } }),
      'remove:zone-deleted',
      1,
    ],
  ])('%s', (_title, factsFor, expected, changeCount) => {
    // Prepare
    const zone = makeZone('foo.example.com');
    const found = nsRecordFor(zone);
    const input = { ...factsFor(zone), entries: [makeEntry(zone)], owners: [ownerOf(zone)] };
    // Act
    const { decisions } = decide(input, { [PARENT_ID]: [found] });
    // Assess
    expect(decisions.map(verdictOf)).toEqual(expected === 'none' ? [] : [expected]);
    expect(decisions.flatMap(changesOf)).toHaveLength(changeCount);
  });

  it('deletes exactly the record as Route 53 returned it, values and TTL', () => {
    // Prepare
    const zone = makeZone('foo.example.com');
    const asRead = recordSet(
      'foo.example.com',
      'NS',
      asRoute53Values(zone.nameServers).map((v) => v.toUpperCase()),
      7200,
    );
    // Act
    const { decisions, view } = decide({ goneIds: [zone.zoneId], entries: [makeEntry(zone)] }, { [PARENT_ID]: [asRead] });
    // Assess
    expect(decisions.flatMap(changesOf)).toEqual([{ action: 'DELETE', record: asRead }]);
    expect(decisions.flatMap(changesOf)[0]?.record).toBe(asRead);
    expect(view.nsAt(PARENT_ID, 'foo.example.com')).toBeUndefined();
  });

  it.each<[string, (zone: SpokeZone) => readonly RecordSet[], string]>([
    ['forgets a delegation whose record is already gone', () => [], 'disown:record-gone'],
    [
      'never deletes a record a person changed since, only forgets it',
      () => [recordSet('foo.example.com', 'NS', asRoute53Values(nameServersFor(900)))],
      'disown:zone-deleted',
    ],
  ])('%s', (_title, recordsFor, expected) => {
    // Prepare
    const zone = makeZone('foo.example.com');
    // Act
    const { decisions } = decide({ goneIds: [zone.zoneId], entries: [makeEntry(zone)] }, { [PARENT_ID]: recordsFor(zone) });
    // Assess
    expect(decisions.map(verdictOf)).toEqual([expected]);
    expect(decisions.flatMap(changesOf)).toEqual([]);
  });

  it.each([['rejected' as const], ['observed' as const], ['retired' as const]])(
    'forgets a %s entry whose zone is gone, sending nothing',
    (state) => {
      // Prepare
      const zone = makeZone('foo.example.com');
      const entry = makeEntry(zone, { state, records: [] });
      // Act
      const { decisions } = decide({ goneIds: [zone.zoneId], entries: [entry] });
      // Assess
      expect(decisions.map(verdictOf)).toEqual(['forget:zone-deleted']);
    },
  );

  it('never deletes an NS record for an entry that recorded no NS values', () => {
    // Prepare
    const zone = makeZone('foo.example.com');
    const entry = makeEntry(zone, { records: [{ type: 'DS', ttl: 3600, values: ['12345 13 2 ABCDEF'] }] });
    // Act
    const { decisions } = decide({ goneIds: [zone.zoneId], entries: [entry] }, { [PARENT_ID]: [nsRecordFor(zone)] });
    // Assess
    expect(decisions.map(verdictOf)).toEqual(['disown:zone-deleted']);
    expect(decisions.flatMap(changesOf)).toEqual([]);
  });

  it('removes an adopted delegation at once when its zone is gone', () => {
    // Prepare
    const zone = makeZone('foo.example.com');
    // Act
    const { decisions } = decide(
      { goneIds: [zone.zoneId], entries: [makeEntry(zone, { origin: 'adopted' })] },
      { [PARENT_ID]: [nsRecordFor(zone)] },
    );
    // Assess
    expect(decisions.map(verdictOf)).toEqual(['remove:zone-deleted']);
  });
});

describe('decideAccount: withdrawal after the grace period', () => {
  const graceStart = minutesFrom(NOW, -60).toISOString();
  const tooRecent = minutesFrom(NOW, -59).toISOString();
  const noRule = makeConfig({ rules: [{ name: 'bar.example.com', accounts: [ACCOUNT_A] }] });
  const otherAccount = makeConfig({ rules: [{ name: 'foo.example.com', accounts: [ACCOUNT_B] }] });

  it.each<[string, Partial<SpokeZone>, FactsInput, Partial<LedgerEntry>, string]>([
    ['waits on first seeing an opt-out', { optedIn: false }, {}, {}, 'wait:opted-out'],
    ['waits while an opt-out is younger than graceMinutes', { optedIn: false }, {}, { removableSince: tooRecent }, 'wait:opted-out'],
    ['removes an opt-out once graceMinutes have passed', { optedIn: false }, {}, { removableSince: graceStart }, 'remove:opted-out'],
    [
      'releases, never deletes, an adopted opt-out after the grace',
      { optedIn: false },
      {},
      { removableSince: graceStart, origin: 'adopted' },
      'disown:opted-out',
    ],
    ['waits on first seeing its rule dropped', {}, { config: noRule }, {}, 'wait:not-allowed'],
    ['waits while a dropped rule is younger than graceMinutes', {}, { config: noRule }, { removableSince: tooRecent }, 'wait:not-allowed'],
    ['removes a dropped rule once graceMinutes have passed', {}, { config: noRule }, { removableSince: graceStart }, 'remove:not-allowed'],
    [
      'removes once the rule no longer lists the account',
      {},
      { config: otherAccount },
      { removableSince: graceStart },
      'remove:not-allowed',
    ],
    [
      'releases an adopted delegation whose rule is dropped',
      {},
      { config: noRule },
      { removableSince: graceStart, origin: 'adopted' },
      'disown:not-allowed',
    ],
    ['keeps a delegation still opted in and allowed, whatever its removableSince', {}, {}, { removableSince: graceStart }, 'keep:in-place'],
  ])('%s', (_title, zoneOverrides, facts, entryOverrides, expected) => {
    // Prepare
    const zone = makeZone('foo.example.com', zoneOverrides);
    const entry = makeEntry(zone, entryOverrides);
    // Act
    const { decisions } = decide(
      { ...facts, zones: [zone], entries: [entry], owners: [ownerOf(zone)] },
      { [PARENT_ID]: [nsRecordFor(zone)] },
    );
    // Assess
    expect(decisions.map(verdictOf)).toEqual([expected]);
    const changes = decisions.flatMap(changesOf);
    expect(changes).toEqual(expected.startsWith('remove') ? [{ action: 'DELETE', record: nsRecordFor(zone) }] : []);
  });

  it('starts the grace period now and ends it graceMinutes later', () => {
    // Prepare
    const zone = makeZone('foo.example.com', { optedIn: false });
    // Act
    const { decisions } = decide({ zones: [zone], entries: [makeEntry(zone)] }, { [PARENT_ID]: [nsRecordFor(zone)] });
    // Assess
    expect(decisions).toEqual([
      expect.objectContaining({
        kind: 'wait',
        removableSince: NOW.toISOString(),
        removableAt: minutesFrom(NOW, 60).toISOString(),
      }),
    ]);
  });

  it('waits on a first opt-out even when graceMinutes is 0, so two reconciles see it', () => {
    // Prepare
    const zone = makeZone('foo.example.com', { optedIn: false });
    // Act
    const { decisions } = decide(
      { config: makeConfig({ graceMinutes: 0 }), zones: [zone], entries: [makeEntry(zone)] },
      { [PARENT_ID]: [nsRecordFor(zone)] },
    );
    // Assess
    expect(decisions.map(verdictOf)).toEqual(['wait:opted-out']);
  });

  it.each<[string, readonly RecordSet[] | ((zone: SpokeZone) => readonly RecordSet[]), string]>([
    ['forgets an opted-out delegation whose record is gone', [], 'disown:record-gone'],
    [
      'never deletes an opted-out record a person changed',
      [recordSet('foo.example.com', 'NS', asRoute53Values(nameServersFor(900)))],
      'disown:opted-out',
    ],
    ['deletes an opted-out record that still holds the recorded values', (zone) => [nsRecordFor(zone)], 'remove:opted-out'],
  ])('%s', (_title, records, expected) => {
    // Prepare
    const zone = makeZone('foo.example.com', { optedIn: false });
    const entry = makeEntry(zone, { removableSince: graceStart });
    // Act
    const { decisions } = decide(
      { zones: [zone], entries: [entry] },
      { [PARENT_ID]: typeof records === 'function' ? records(zone) : records },
    );
    // Assess
    expect(decisions.map(verdictOf)).toEqual([expected]);
    expect(decisions.flatMap(changesOf)).toHaveLength(expected.startsWith('remove') ? 1 : 0);
  });

  it('waits when a new, more specific parent now holds the name instead', () => {
    // Prepare
    const zone = makeZone('x.prod.example.com');
    const entry = makeEntry(zone, { parentZoneId: PARENT_ID });
    // Act
    const { decisions } = decide({ zones: [zone], entries: [entry] }, { [PARENT_ID]: [nsRecordFor(zone)] });
    // Assess
    expect(decisions.map(verdictOf)).toEqual(['wait:not-allowed']);
  });

  it('marks a delegation whose zone opted back in for clearing its removableSince', () => {
    // Prepare
    const zone = makeZone('foo.example.com');
    const entry = makeEntry(zone, { removableSince: tooRecent });
    // Act
    const { decisions } = decide({ zones: [zone], entries: [entry], owners: [ownerOf(zone)] }, { [PARENT_ID]: [nsRecordFor(zone)] });
    // Assess
    expect(decisions).toEqual([{ kind: 'keep', entry, clearRemovable: true, reason: 'in-place' }]);
  });
});

describe('decideAccount: a delegation subzone holds (invariant 4)', () => {
  it.each<[string, (zone: SpokeZone) => readonly RecordSet[], string, number]>([
    ['keeps a record that still holds the recorded values', (zone) => [nsRecordFor(zone)], 'keep:in-place', 0],
    [
      'rejects a record a person changed as changed-outside-subzone, sending nothing',
      () => [recordSet('foo.example.com', 'NS', asRoute53Values(nameServersFor(900)))],
      'reject:changed-outside-subzone',
      0,
    ],
    [
      'rejects a record a person replaced with another type, sending nothing',
      () => [recordSet('foo.example.com', 'CNAME', ['elsewhere.example.net'])],
      'reject:changed-outside-subzone',
      0,
    ],
    [
      'rejects a record a person removed while adding records below the name, sending nothing',
      () => [recordSet('www.foo.example.com', 'A', ['192.0.2.1'])],
      'reject:changed-outside-subzone',
      0,
    ],
    ['re-creates a record a person deleted outright', () => [], 'create:record-missing', 1],
  ])('%s', (_title, recordsFor, expected, changeCount) => {
    // Prepare
    const zone = makeZone('foo.example.com');
    // Act
    const { decision } = judge(single(zone, { entries: [makeEntry(zone)], owners: [ownerOf(zone)] }, recordsFor(zone)));
    // Assess
    expect(verdictOf(decision)).toBe(expected);
    expect(changesOf(decision)).toHaveLength(changeCount);
  });

  it.each<[string, 'written' | 'adopted', number, string]>([
    ['updates a written record when the configured TTL changed', 'written', 600, 'update:ttl-changed'],
    ['keeps a written record whose TTL is as configured', 'written', 3600, 'keep:in-place'],
    ['keeps an adopted record whatever its TTL', 'adopted', 600, 'keep:in-place'],
  ])('%s', (_title, origin, ttl, expected) => {
    // Prepare
    const zone = makeZone('foo.example.com');
    const found = nsRecordFor(zone, ttl);
    const entry = makeEntry(zone, { origin, records: [{ type: 'NS', ttl, values: found.values }] });
    // Act
    const { decision } = judge(single(zone, { entries: [entry], owners: [ownerOf(zone)] }, [found]));
    // Assess
    expect(verdictOf(decision)).toBe(expected);
  });

  it('updates a TTL as DELETE of the exact record read plus CREATE of the new one, never UPSERT', () => {
    // Prepare
    const zone = makeZone('foo.example.com');
    const found = nsRecordFor(zone, 600);
    const entry = makeEntry(zone, { records: [{ type: 'NS', ttl: 600, values: found.values }] });
    // Act
    const { decision, decisions } = judge(single(zone, { entries: [entry], owners: [ownerOf(zone)] }, [found]));
    // Assess
    const changes = changesOf(decision);
    expect(changes).toEqual([
      { action: 'DELETE', record: found },
      { action: 'CREATE', record: { name: 'foo.example.com', type: 'NS', ttl: 3600, values: asRoute53Values(zone.nameServers) } },
    ]);
    expect(changes[0]?.record).toBe(found);
    expect(decisions).toHaveLength(1);
  });

  it('updates a written record whose recorded values differ from the zone name servers', () => {
    // Prepare
    const zone = makeZone('foo.example.com');
    const stale = asRoute53Values(nameServersFor(900));
    const found = recordSet('foo.example.com', 'NS', stale);
    const entry = makeEntry(zone, { records: [{ type: 'NS', ttl: 3600, values: stale }] });
    // Act
    const { decision } = judge(single(zone, { entries: [entry], owners: [ownerOf(zone)] }, [found]));
    // Assess
    expect(verdictOf(decision)).toBe('update:values-changed');
    expect(changesOf(decision).map((c) => c.action)).toEqual(['DELETE', 'CREATE']);
  });
});

describe('decideAccount: a held record stays held (invariants 2 and 5)', () => {
  it.each<[string, (zone: SpokeZone) => FactsInput, (zone: SpokeZone) => readonly RecordSet[], string]>([
    [
      'keeps a held record when the name-owner item names another zone',
      (zone) => ({ owners: [{ ...ownerOf(zone), zoneId: 'ZOTHER' }] }),
      (zone) => [nsRecordFor(zone)],
      'keep:in-place',
    ],
    [
      'keeps a held record when a same-name sibling appears and no owner item exists',
      (zone) => ({ zones: [zone, makeZone(zone.name)] }),
      (zone) => [nsRecordFor(zone)],
      'keep:in-place',
    ],
    [
      'reports a standing record that a delegation made by a person above it now occludes',
      () => ({}),
      (zone) => [nsRecordFor(makeZone('foo.example.com')), nsRecordFor(zone)],
      'occluded:occluded',
    ],
    [
      'rejects re-creating a held record a person deleted below a delegation made since',
      () => ({}),
      () => [nsRecordFor(makeZone('foo.example.com'))],
      'reject:below-delegation',
    ],
    [
      'rejects re-creating a held record a person deleted when another zone owns the name',
      (zone) => ({ owners: [{ ...ownerOf(zone), zoneId: 'ZOTHER' }] }),
      () => [],
      'reject:contested',
    ],
  ])('%s', (_title, factsFor, recordsFor, expected) => {
    // Prepare
    const zone = makeZone('a.foo.example.com');
    const input: FactsInput = { zones: [zone], entries: [makeEntry(zone)], ...factsFor(zone) };
    // Act
    const { decisions } = decide(input, { [PARENT_ID]: recordsFor(zone) });
    // Assess
    expect(verdictOf(decisionFor(decisions, zone.zoneId))).toBe(expected);
    expect(decisions.flatMap(changesOf)).toEqual([]);
  });
});

describe('decideAccount: holds', () => {
  const holdFoo = { ...NO_CONTROLS, holds: ['foo.example.com'] };
  const holdOther = { ...NO_CONTROLS, holds: ['other.example.com'] };

  it.each<[string, FactsInput['controls'], string]>([
    ['creates at a name no hold covers', holdOther, 'create:new-delegation'],
    ['freezes a create at a held name', holdFoo, 'frozen(create:new-delegation)'],
  ])('%s', (_title, controls, expected) => {
    // Prepare
    const zone = makeZone('foo.example.com');
    // Act
    const { decision } = judge(single(zone, { controls }));
    // Assess
    expect(verdictOf(decision)).toBe(expected);
    expect(changesOf(decision)).toHaveLength(expected === 'create:new-delegation' ? 1 : 0);
  });

  it.each<[string, FactsInput['controls'], string]>([
    ['removes at a name no hold covers', holdOther, 'remove:zone-deleted'],
    ['freezes a removal at a held name', holdFoo, 'frozen(remove:zone-deleted)'],
  ])('%s', (_title, controls, expected) => {
    // Prepare
    const zone = makeZone('foo.example.com');
    // Act
    const { decisions } = decide({ goneIds: [zone.zoneId], entries: [makeEntry(zone)], controls }, { [PARENT_ID]: [nsRecordFor(zone)] });
    // Assess
    expect(decisions.map(verdictOf)).toEqual([expected]);
    expect(decisions.flatMap(changesOf)).toHaveLength(expected.startsWith('frozen') ? 0 : 1);
  });

  it.each<[string, string]>([
    ['update', 'frozen(update:ttl-changed)'],
    ['disown', 'frozen(disown:opted-out)'],
  ])('freezes an %s at a held name', (kind, expected) => {
    // Prepare
    const zone = makeZone('foo.example.com', { optedIn: kind !== 'disown' });
    const found = nsRecordFor(zone, 600);
    const entry = makeEntry(zone, {
      records: [{ type: 'NS', ttl: 600, values: found.values }],
      ...(kind === 'disown' ? { origin: 'adopted' as const, removableSince: minutesFrom(NOW, -120).toISOString() } : {}),
    });
    // Act
    const { decisions } = decide({ zones: [zone], entries: [entry], owners: [ownerOf(zone)], controls: holdFoo }, { [PARENT_ID]: [found] });
    // Assess
    expect(decisions.map(verdictOf)).toEqual([expected]);
    expect(decisions.flatMap(changesOf)).toEqual([]);
  });

  it('does not freeze a wait or a reject, which write nothing to the parent', () => {
    // Prepare
    const waiting = makeZone('foo.example.com', { optedIn: false });
    const rejected = makeZone('nope.example.com');
    // Act
    const { decisions } = decide(
      {
        zones: [waiting, rejected],
        entries: [makeEntry(waiting)],
        controls: { ...NO_CONTROLS, holds: ['foo.example.com', 'nope.example.com'] },
      },
      { [PARENT_ID]: [nsRecordFor(waiting)] },
    );
    // Assess
    expect(decisions.map(verdictOf)).toEqual(['wait:opted-out', 'reject:not-allowlisted']);
  });

  it('leaves the parent as it is for later claims when a removal is held', () => {
    // Prepare
    const gone = makeZone('foo.example.com');
    const below = makeZone('a.foo.example.com');
    // Act
    const { decisions, view } = decide(
      { zones: [below], goneIds: [gone.zoneId], entries: [makeEntry(gone)], controls: holdFoo },
      { [PARENT_ID]: [nsRecordFor(gone)] },
    );
    // Assess
    expect(decisions.map(verdictOf)).toEqual(['frozen(remove:zone-deleted)', 'reject:below-delegation']);
    expect(view.nsAt(PARENT_ID, 'foo.example.com')).toBeDefined();
  });

  it('leaves the parent as it is for later claims when a create is held', () => {
    // Prepare
    const held = makeZone('foo.example.com');
    const below = makeZone('a.foo.example.com');
    // Act
    const { decisions, view } = decide({ zones: [held, below], controls: holdFoo });
    // Assess
    expect(decisions.map(verdictOf)).toEqual(['frozen(create:new-delegation)', 'create:new-delegation']);
    expect(view.nsAt(PARENT_ID, 'foo.example.com')).toBeUndefined();
  });
});

describe('decideAccount: forgetting stale entries', () => {
  it.each<[string, Partial<SpokeZone>, Partial<LedgerEntry>, string]>([
    [
      'forgets a rejected entry whose zone no longer opts in',
      { optedIn: false },
      { state: 'rejected', records: [] },
      'forget:no-longer-claimed',
    ],
    [
      'forgets an observed entry whose zone no longer opts in',
      { optedIn: false },
      { state: 'observed', records: [] },
      'forget:no-longer-claimed',
    ],
    ['judges a rejected entry whose zone still opts in afresh', {}, { state: 'rejected', records: [] }, 'create:new-delegation'],
  ])('%s', (_title, zoneOverrides, entryOverrides, expected) => {
    // Prepare
    const zone = makeZone('foo.example.com', zoneOverrides);
    // Act
    const { decisions } = decide({ zones: [zone], entries: [makeEntry(zone, entryOverrides)] });
    // Assess
    expect(decisions.map(verdictOf)).toEqual([expected]);
  });

  it('ignores a zone that stopped opting in and has no entry', () => {
    // Prepare
    const zone = makeZone('foo.example.com', { optedIn: false });
    // Act
    const { decisions } = decide({ zones: [zone] });
    // Assess
    expect(decisions.map(verdictOf)).toEqual(['ignore:not-opted-in']);
  });
});

describe('decideAccount: parents that were not read', () => {
  it('decides nothing about a delegation in a parent that was not read', () => {
    // Prepare
    const zone = makeZone('foo.example.com');
    const entry = makeEntry(zone, { parentZoneId: 'ZDROPPED' });
    // Act
    const { decisions } = decide({ goneIds: [zone.zoneId], entries: [entry] });
    // Assess
    expect(decisions).toEqual([]);
  });

  it('decides nothing about a live zone whose delegation is in a parent that was not read', () => {
    // Prepare
    const zone = makeZone('foo.example.com', { optedIn: false });
    const entry = makeEntry(zone, { parentZoneId: 'ZDROPPED', removableSince: minutesFrom(NOW, -600).toISOString() });
    // Act
    const { decisions } = decide({ zones: [zone], entries: [entry] });
    // Assess
    expect(decisions).toEqual([]);
  });

  it('decides nothing about a claim in a parent that was not read', () => {
    // Prepare
    const zone = makeZone('foo.example.com');
    const facts = makeFacts({ zones: [zone] });
    // Act
    const decisions = decideAccount(facts, new ProjectedParents([]));
    // Assess
    expect(decisions).toEqual([]);
  });
});

describe('desiredRecord', () => {
  it.each([
    ['the rule TTL', 'x.dev.example.com', 300],
    ['the config TTL when the rule sets none', 'foo.example.com', 3600],
    ['the config TTL when no rule matches', 'nope.example.com', 3600],
  ])('uses %s', (_title, name, ttl) => {
    // Prepare
    const zone = makeZone(name);
    // Act
    const record = desiredRecord(makeConfig(), zone);
    // Assess
    expect(record).toEqual({ type: 'NS', ttl, values: asRoute53Values(zone.nameServers) });
  });
});

describe('standsInParent', () => {
  it.each<[LedgerEntry['state'], boolean, boolean]>([
    ['delegated', true, true],
    ['removing', true, true],
    ['delegated', false, false],
    ['creating', true, false],
    ['rejected', true, false],
    ['observed', true, false],
    ['retired', true, false],
  ])('says a %s entry with records=%s holds records: %s', (state, withRecords, expected) => {
    // Prepare
    const zone = makeZone('foo.example.com');
    const entry = makeEntry(zone, { state, ...(withRecords ? {} : { records: [] }) });
    // Act
    const holds = standsInParent(entry);
    // Assess
    expect(holds).toBe(expected);
  });
});

describe('subjectOf and changesOf', () => {
  const zone = makeZone('foo.example.com');
  const entry = makeEntry(zone);
  const found = nsRecordFor(zone);
  const cases: Array<[Decision, number]> = [
    [{ kind: 'ignore', zone, reason: 'private' }, 0],
    [{ kind: 'reject', zone, parentZoneId: PARENT_ID, base: undefined, reason: 'not-allowlisted', detail: 'x' }, 0],
    [{ kind: 'adopt', zone, parentZoneId: PARENT_ID, found, base: undefined, reason: 'matching-record' }, 0],
    [{ kind: 'keep', entry, clearRemovable: false, reason: 'in-place' }, 0],
    [{ kind: 'wait', entry, reason: 'opted-out', removableSince: NOW.toISOString(), removableAt: NOW.toISOString() }, 0],
    [{ kind: 'disown', entry, reason: 'opted-out' }, 0],
    [{ kind: 'forget', entry, reason: 'zone-deleted' }, 0],
    [{ kind: 'remove', entry, found, reason: 'zone-deleted' }, 1],
    [
      {
        kind: 'create',
        zone,
        parentZoneId: PARENT_ID,
        record: desiredRecord(makeConfig(), zone),
        base: undefined,
        reason: 'new-delegation',
      },
      1,
    ],
    [{ kind: 'update', zone, entry, found, record: desiredRecord(makeConfig(), zone), reason: 'ttl-changed' }, 2],
    [{ kind: 'frozen', name: zone.name, instead: { kind: 'remove', entry, found, reason: 'zone-deleted' } }, 0],
  ];

  it.each(cases.map(([decision, count]) => [decision.kind, decision, count] as const))(
    'names the zone of a %s decision and sends its changes',
    (_kind, decision, changeCount) => {
      // Prepare
      // Act
      const { name } = subjectOf(decision);
      const changes = changesOf(decision);
      // Assess
      expect(name).toBe('foo.example.com');
      expect(changes).toHaveLength(changeCount);
      expect(changes.every((c) => c.action === 'CREATE' || c.action === 'DELETE')).toBe(true);
    },
  );
});

describe('ownerKey', () => {
  it.each([
    ['ZA', 'foo.example.com', 'ZB', 'foo.example.com', false],
    ['ZA', 'foo.example.com', 'ZA', 'bar.example.com', false],
    ['ZA', 'foo.example.com', 'ZA', 'foo.example.com', true],
  ])('keys %s/%s and %s/%s equal: %s', (zoneA, nameA, zoneB, nameB, same) => {
    // Prepare
    // Act
    const equal = ownerKey(zoneA, nameA) === ownerKey(zoneB, nameB);
    // Assess
    expect(equal).toBe(same);
  });
});

describe('decideAccount: order of decisions', () => {
  it('decides removals of gone zones before claims', () => {
    // Prepare
    const gone = makeZone('foo.example.com');
    const fresh = makeZone('bar.example.com');
    // Act
    const { decisions } = decide(
      { zones: [fresh], goneIds: [gone.zoneId], entries: [makeEntry(gone)] },
      { [PARENT_ID]: [nsRecordFor(gone)] },
    );
    // Assess
    expect(decisions.map(verdictOf)).toEqual(['remove:zone-deleted', 'create:new-delegation']);
  });

  it('judges a claim of another account against that account', () => {
    // Prepare
    const zone = makeZone('x.dev.example.com');
    // Act
    const { decisions } = decide({ account: ACCOUNT_C, zones: [zone] });
    // Assess
    expect(decisions.map(verdictOf)).toEqual(['create:new-delegation']);
  });
});

describe('decideAccount: invariants over generated cases', () => {
  /** Seeded uniform draws in [0, 1) (pure-rand), so every generated case can be replayed by its seed. */
  function random(seed: number): () => number {
    const generator = mersenne(seed);
    return () => unsafeUniformIntDistribution(0, 0x7fffffff, generator) / 0x80000000;
  }

  const NAMES = [
    'example.com',
    'example.org',
    'prod.example.com',
    'foo.example.com',
    'a.foo.example.com',
    'www.foo.example.com',
    'bar.example.com',
    'baz.example.com',
    'dev.example.com',
    'x.dev.example.com',
    'y.x.dev.example.com',
    'api.dev.example.com',
    'shop.example.org',
    'api.prod.example.com',
    'nope.example.com',
    'foo.example.net',
  ];
  const PARENTS: ReadonlyArray<readonly [ZoneId, string]> = [
    [PARENT_ID, 'example.com'],
    [ORG_PARENT_ID, 'example.org'],
    [PROD_PARENT_ID, 'prod.example.com'],
  ];
  const SEEDS = [100, 200, 300];

  interface Generated {
    readonly facts: ReturnType<typeof makeFacts>;
    readonly records: Record<ZoneId, RecordSet[]>;
  }

  function generate(seed: number): Generated {
    const next = random(seed);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
    const chance = (p: number): boolean => next() < p;
    const account = pick([ACCOUNT_A, ACCOUNT_A, ACCOUNT_A, ACCOUNT_B, ACCOUNT_C, STRANGER]);
    const config = chance(0.2) ? makeConfig({ rules: [{ name: 'bar.example.com', accounts: [ACCOUNT_A] }] }) : makeConfig();
    const parentIdFor = (name: string): ZoneId => PARENTS.filter(([, apex]) => name.endsWith(`.${apex}`)).pop()?.[0] ?? PARENT_ID;

    const zones = Array.from({ length: Math.floor(next() * 6) }, () => {
      const name = pick(NAMES);
      const glue = chance(0.05);
      return makeZone(name, {
        optedIn: chance(0.8),
        privateZone: chance(0.1),
        nameServers: glue ? [`ns1.${name}`, 'ns2.other.net'] : nameServersFor(pick(SEEDS)),
      });
    });
    // The ledger only ever holds names strictly below their parent (screening sees to it).
    const ledgerNames = NAMES.filter((name) => PARENTS.some(([, apex]) => name.endsWith(`.${apex}`)));
    const goneZones = Array.from({ length: Math.floor(next() * 3) }, () =>
      makeZone(pick(ledgerNames), { nameServers: nameServersFor(pick(SEEDS)) }),
    );
    const entryFor = (zone: SpokeZone): LedgerEntry =>
      makeEntry(
        zone,
        {
          state: pick(['delegated', 'delegated', 'removing', 'rejected', 'observed', 'retired'] as const),
          origin: chance(0.3) ? 'adopted' : 'written',
          parentZoneId: parentIdFor(zone.name),
          records: [
            { type: 'NS', ttl: pick([300, 3600]), values: asRoute53Values(chance(0.8) ? zone.nameServers : nameServersFor(pick(SEEDS))) },
          ],
          ...(chance(0.5) ? { removableSince: minutesFrom(NOW, -pick([5, 61, 600])).toISOString() } : {}),
        },
        account,
      );
    const entries = [...zones.filter((zone) => ledgerNames.includes(zone.name) && chance(0.6)), ...goneZones].map(entryFor);
    const covered = [...zones.map((zone) => zone.zoneId), ...goneZones.filter(() => chance(0.7)).map((zone) => zone.zoneId)];

    const records: Record<ZoneId, RecordSet[]> = {};
    for (const [id, apex] of PARENTS) {
      records[id] = [
        recordSet(apex, 'NS', asRoute53Values(nameServersFor(1)), 172800),
        recordSet(apex, 'SOA', ['ns-1.awsdns-01.org. admin. 1 7200 900 1209600 86400'], 900),
      ];
    }
    // Most records subzone holds are still in the parent, as recorded.
    for (const entry of entries.filter((item) => standsInParent(item) && chance(0.75))) {
      const list = records[entry.parentZoneId]!;
      if (list.some((record) => record.name === entry.name && record.type === 'NS')) continue;
      list.push(recordSet(entry.name, 'NS', entry.records[0]!.values, entry.records[0]!.ttl));
    }
    for (let i = Math.floor(next() * 6); i > 0; i -= 1) {
      const name = pick(NAMES.filter((candidate) => !PARENTS.some(([, apex]) => apex === candidate)));
      const id = parentIdFor(name);
      const type = pick(['NS', 'NS', 'A', 'TXT', 'CNAME']);
      if ((records[id] ?? []).some((record) => record.name === name && record.type === type)) continue;
      const values = type === 'NS' ? asRoute53Values(nameServersFor(pick(SEEDS))) : [type === 'A' ? '192.0.2.1' : '"x"'];
      records[id]!.push(recordSet(name, type, values, pick([300, 3600])));
    }
    const owners = [...zones, ...goneZones]
      .filter(() => chance(0.6))
      .map((zone) => ({
        ...ownerOf(zone, chance(0.85) ? account : ACCOUNT_B, parentIdFor(zone.name)),
        ...(chance(0.15) ? { zoneId: 'ZOTHER' } : {}),
      }));
    const controls = chance(0.15) ? { ...NO_CONTROLS, holds: [pick(NAMES)] } : NO_CONTROLS;
    const snapshot: SpokeSnapshot = chance(0.5)
      ? { account, scope: { kind: 'account' }, zones, coveredZoneIds: zones.map((zone) => zone.zoneId) }
      : { account, scope: { kind: 'zones', zoneIds: covered }, zones, coveredZoneIds: covered };
    return { facts: makeFacts({ config, account, snapshot, entries, owners, controls }), records };
  }

  const CASES = Array.from({ length: 300 }, (_, index) => [index + 1]);

  it('generates cases that reach every kind of decision', () => {
    // Prepare
    const kinds = new Set<string>();
    // Act
    for (const [seed] of CASES) {
      const { facts, records } = generate(seed!);
      for (const decision of decideAccount(facts, projected(records))) kinds.add(decision.kind);
    }
    // Assess
    expect([...kinds].sort()).toEqual([
      'adopt',
      'create',
      'disown',
      'forget',
      'frozen',
      'ignore',
      'keep',
      'reject',
      'remove',
      'update',
      'wait',
    ]);
  });

  it.each(CASES)('keeps every invariant for generated case %i', (seed) => {
    // Prepare
    const { facts, records } = generate(seed);
    const original = new Map(Object.entries(records).map(([id, list]) => [id, [...list]]));
    const apexes = new Set(PARENTS.map(([, apex]) => apex));
    const live = new Map(facts.snapshot.zones.map((zone) => [zone.zoneId, zone]));
    const covered = new Set(facts.snapshot.coveredZoneIds);
    // Act
    const decisions = decideAccount(facts, projected(records));
    // Assess
    const state = new Map([...original].map(([id, list]) => [id, [...list]]));
    const claimed = new Set<string>();
    for (const decision of decisions) {
      const changes = changesOf(decision);
      if (decision.kind === 'create' || decision.kind === 'adopt') {
        // Invariant 7: one name, one claim; invariant 1: creations only at allowlisted names.
        const key = ownerKey(decision.parentZoneId, decision.zone.name);
        expect(claimed.has(key)).toBe(false);
        claimed.add(key);
        expect(isAllowed(facts.config, facts.account, decision.zone.name)).toBe(true);
        expect(parentFor(facts.config, decision.zone.name)?.hostedZoneId).toBe(decision.parentZoneId);
      }
      if (decision.kind === 'remove') {
        // Invariant 3: only inside a completely read scope, or on a live zone's own withdrawal.
        expect(facts.snapshot.scope.kind === 'account' || covered.has(decision.entry.zoneId)).toBe(true);
        // Invariant 4: only a record subzone holds, still as recorded, deleted exactly as read.
        expect(standsInParent(decision.entry)).toBe(true);
        expect(original.get(decision.entry.parentZoneId)).toContain(decision.found);
        expect(sameValueSet(decision.found.values, decision.entry.records[0]!.values)).toBe(true);
        // Invariant 2: a live, opted-in, allowed zone keeps its delegation.
        const zone = live.get(decision.entry.zoneId);
        if (zone !== undefined) {
          const stillAllowed =
            zone.optedIn &&
            isAllowed(facts.config, facts.account, zone.name) &&
            parentFor(facts.config, zone.name)?.hostedZoneId === decision.entry.parentZoneId;
          expect(stillAllowed).toBe(false);
        }
      }
      if (changes.length === 0) continue;
      const parentZoneId =
        decision.kind === 'create'
          ? decision.parentZoneId
          : decision.kind === 'update' || decision.kind === 'remove'
            ? decision.entry.parentZoneId
            : '';
      const parent = PARENTS.find(([id]) => id === parentZoneId);
      // Invariant 1: NS only, CREATE/DELETE only, in a configured parent, never at an apex.
      expect(parent).toBeDefined();
      for (const { action, record } of changes) {
        expect(['CREATE', 'DELETE']).toContain(action);
        expect(record.type).toBe('NS');
        // Strictly below the apex of the zone written; a CREATE never at any managed apex (a
        // DELETE may retire a delegation made before its name became a managed parent).
        expect(isStrictlyBelow(record.name, parent![1])).toBe(true);
        if (action === 'CREATE') expect(apexes.has(record.name)).toBe(false);
        // The changes apply cleanly in order, as Route 53 would: no CREATE over an existing
        // record set, every DELETE matches a record set exactly.
        const list = state.get(parentZoneId)!;
        const index = list.findIndex((existing) => existing.name === record.name && existing.type === record.type);
        if (action === 'CREATE') {
          expect(index).toBe(-1);
          list.push(record);
        } else {
          expect(list[index]).toEqual(record);
          list.splice(index, 1);
        }
      }
    }
    // After the writes, no delegation created in this reconcile lies below another or over other records.
    for (const decision of decisions) {
      if (decision.kind !== 'create') continue;
      const list = state.get(decision.parentZoneId)!;
      const apex = PARENTS.find(([id]) => id === decision.parentZoneId)![1];
      const between = namesBetween(decision.zone.name, apex);
      expect(list.filter((record) => record.type === 'NS' && between.includes(record.name))).toEqual([]);
      expect(list.filter((record) => record.name === decision.zone.name && record.type !== 'NS' && record.type !== 'DS')).toEqual([]);
      if (decision.reason === 'new-delegation') {
        expect(list.filter((record) => isStrictlyBelow(record.name, decision.zone.name))).toEqual([]);
      }
    }
  });
});
