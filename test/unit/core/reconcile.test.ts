/**
 * The reconcile end to end on the in-memory fakes: each decision path from the spoke and the
 * parent as they stand to the parent, the ledger and the outcome events as they are left.
 */
import { ChangeConflictError, ParentReadError } from '../../../functions/core/errors';
import type { LedgerEntry, RecordSet, SpokeZone } from '../../../functions/core/types';
import {
  ACCOUNT_A,
  ACCOUNT_B,
  NOW,
  PARENT_ID,
  STRANGER,
  makeConfig,
  makeEntry,
  makeZone,
  minutesFrom,
  nsRecordFor,
  ownerOf,
  recordSet,
} from '../../helpers/core-fixtures';
import { accountJob, fakeWorld, zonesJob, type FakeWorld, verdicts } from '../../fakes/fake-world';

interface PathCase {
  readonly zone: Partial<SpokeZone>;
  /** The zone is deleted from the spoke. */
  readonly gone?: boolean;
  readonly entry?: Partial<LedgerEntry>;
  readonly parent?: (zone: SpokeZone) => RecordSet[];
  readonly config?: Record<string, unknown>;
  readonly expected: string;
  /** The NS record left at the zone's name: its TTL, or undefined when none. */
  readonly ttlAfter: number | undefined;
}

describe('reconcileAccounts: decision paths', () => {
  it.each<[string, PathCase]>([
    ['creates a new delegation', { zone: {}, expected: 'create:new-delegation:applied', ttlAfter: 3600 }],
    [
      'adopts a record that already matches',
      { zone: {}, parent: (zone) => [nsRecordFor(zone, 900)], expected: 'adopt:matching-record:applied', ttlAfter: 900 },
    ],
    [
      'keeps a delegation in place',
      { zone: {}, entry: {}, parent: (zone) => [nsRecordFor(zone)], expected: 'keep:in-place:applied', ttlAfter: 3600 },
    ],
    [
      'updates the TTL when the config changes it',
      {
        zone: {},
        entry: {},
        parent: (zone) => [nsRecordFor(zone)],
        config: { nsTtl: 7200 },
        expected: 'update:ttl-changed:applied',
        ttlAfter: 7200,
      },
    ],
    ['re-creates a record a person deleted', { zone: {}, entry: {}, expected: 'create:record-missing:applied', ttlAfter: 3600 }],
    [
      'removes the delegation of a deleted zone',
      {
        zone: {},
        gone: true,
        entry: {},
        parent: (zone) => [nsRecordFor(zone)],
        expected: 'remove:zone-deleted:applied',
        ttlAfter: undefined,
      },
    ],
    [
      'waits out the grace period of an opt-out',
      { zone: { optedIn: false }, entry: {}, parent: (zone) => [nsRecordFor(zone)], expected: 'wait:opted-out:applied', ttlAfter: 3600 },
    ],
    [
      'removes an opt-out after the grace period',
      {
        zone: { optedIn: false },
        entry: { removableSince: minutesFrom(NOW, -120).toISOString() },
        parent: (zone) => [nsRecordFor(zone)],
        expected: 'remove:opted-out:applied',
        ttlAfter: undefined,
      },
    ],
    [
      'disowns an adopted record after the grace period, leaving it in place',
      {
        zone: { optedIn: false },
        entry: { origin: 'adopted', removableSince: minutesFrom(NOW, -120).toISOString() },
        parent: (zone) => [nsRecordFor(zone)],
        expected: 'disown:opted-out:applied',
        ttlAfter: 3600,
      },
    ],
    [
      'rejects a name in use by other records',
      {
        zone: {},
        parent: (zone) => [recordSet(zone.name, 'A', ['192.0.2.1'])],
        expected: 'reject:name-in-use:applied',
        ttlAfter: undefined,
      },
    ],
    [
      'forgets a rejected zone that opted out',
      {
        zone: { optedIn: false },
        entry: { state: 'rejected', records: [], reason: 'name-in-use' },
        expected: 'forget:no-longer-claimed:applied',
        ttlAfter: undefined,
      },
    ],
    ['ignores a zone that did not opt in', { zone: { optedIn: false }, expected: 'ignore:not-opted-in:applied', ttlAfter: undefined }],
    [
      'freezes a removal at a held name',
      { zone: {}, gone: true, entry: {}, parent: (zone) => [nsRecordFor(zone)], config: {}, expected: 'frozen::applied', ttlAfter: 3600 },
    ],
  ])('%s', async (title, path) => {
    // Prepare
    const world = fakeWorld({ config: makeConfig(path.config ?? {}) });
    const zone = makeZone('foo.example.com', path.zone);
    world.reader.set(ACCOUNT_A, path.gone ? [] : [zone]);
    if (path.entry !== undefined) world.ledger.seed(makeEntry(zone, path.entry));
    for (const record of path.parent?.(zone) ?? []) world.parents.put(PARENT_ID, record);
    if (title.startsWith('freezes')) world.controls.controls = { writesPaused: false, holds: [zone.name] };

    // Act
    const [result] = await world.run(accountJob(ACCOUNT_A));

    // Assess
    expect(result!.status).toBe('done');
    expect(verdicts(result)).toEqual([path.expected]);
    expect(world.parents.find(PARENT_ID, zone.name)?.ttl).toBe(path.ttlAfter);
  });
});

describe('reconcileAccounts: modes and failures', () => {
  function withZone(world: FakeWorld, account = ACCOUNT_A, name = 'foo.example.com'): SpokeZone {
    const zone = makeZone(name);
    world.reader.set(account, [...(world.reader.accounts.get(account) ?? []), zone]);
    return zone;
  }

  it('remembers the Route 53 change that wrote a delegation on its ledger entry', async () => {
    // Prepare
    const world = fakeWorld();
    const zone = makeZone('foo.example.com');
    world.reader.set(ACCOUNT_A, [zone]);

    // Act
    await world.run(zonesJob(ACCOUNT_A, zone.zoneId));

    // Assess
    expect(world.parents.applied).toHaveLength(1);
    expect(world.ledger.entry(ACCOUNT_A, zone.zoneId)?.lastChangeId).toBe('/change/C1');
  });

  it('writes nothing in observe mode and reports what it would have done once', async () => {
    // Prepare
    const world = fakeWorld({ config: makeConfig({ mode: 'observe' }) });
    withZone(world);

    // Act
    const [first] = await world.run(accountJob(ACCOUNT_A));
    const [second] = await world.run(accountJob(ACCOUNT_A));

    // Assess
    expect(verdicts(first)).toEqual(['create:new-delegation:observed']);
    expect(world.parents.applied).toEqual([]);
    expect(world.publisher.published.map((event) => [event.detailType, event.detail.applied])).toEqual([['Delegation Created', false]]);
    expect('decisions' in second! && second.decisions.map((item) => item.reported)).toEqual([false]);
  });

  it('ignores an account no rule lists and the ledger does not know', async () => {
    // Prepare
    const world = fakeWorld();

    // Act
    const results = await world.run(accountJob(STRANGER));

    // Assess
    expect(results).toEqual([{ account: STRANGER, status: 'ignored', reason: 'unknown-account' }]);
    expect(world.reader.reads).toEqual([]);
  });

  it('fails an account whose lease another worker keeps past the wait', async () => {
    // Prepare
    const world = fakeWorld();
    withZone(world);
    world.ledger.leases.set(`ACCOUNT#${ACCOUNT_A}`, {
      account: ACCOUNT_A,
      holder: 'another',
      expiresAt: minutesFrom(NOW, 10).toISOString(),
    });

    // Act
    const [result] = await world.run(accountJob(ACCOUNT_A));

    // Assess
    expect(result!.status).toBe('failed');
    expect(world.clock.slept.reduce((sum, ms) => sum + ms, 0)).toBeGreaterThanOrEqual(world.deps.leaseWaitMs);
    expect(world.parents.applied).toEqual([]);
  });

  it('fails the claimants of a parent zone whose lease another invocation keeps', async () => {
    // Prepare
    const world = fakeWorld();
    withZone(world);
    world.ledger.leases.set(`PARENT#${PARENT_ID}`, {
      account: PARENT_ID,
      holder: 'another',
      expiresAt: minutesFrom(NOW, 10).toISOString(),
    });

    // Act
    const [result] = await world.run(accountJob(ACCOUNT_A));

    // Assess
    expect(result!.status).toBe('failed');
    expect(world.parents.applied).toEqual([]);
  });

  it('fails the accounts touching a parent zone that cannot be read, and decides the others', async () => {
    // Prepare
    const world = fakeWorld();
    withZone(world, ACCOUNT_A, 'foo.example.com');
    withZone(world, ACCOUNT_A, 'shop.example.org');
    world.parents.unreadable.add(PARENT_ID);
    world.reader.set(ACCOUNT_B, []);

    // Act
    const results = await world.run(accountJob(ACCOUNT_A), accountJob(ACCOUNT_B));

    // Assess
    expect(results.map((result) => [result.account, result.status])).toEqual([
      [ACCOUNT_A, 'failed'],
      [ACCOUNT_B, 'done'],
    ]);
    expect(results[0]!.status === 'failed' && results[0]!.error).toBeInstanceOf(ParentReadError);
  });

  it("splits a refused batch so the other accounts' changes still land", async () => {
    // Prepare
    const world = fakeWorld();
    const mine = withZone(world, ACCOUNT_A, 'foo.example.com');
    const theirs = withZone(world, ACCOUNT_B, 'bar.example.com');
    world.parents.beforeApply = (batch) => {
      // A person creates foo.example.com between read and write: the CREATE conflicts.
      if (batch.changes.some((change) => change.record.name === mine.name) && world.parents.find(PARENT_ID, mine.name) === undefined) {
        world.parents.put(PARENT_ID, recordSet(mine.name, 'NS', ['ns.elsewhere.example.net.']));
      }
    };

    // Act
    const results = await world.run(accountJob(ACCOUNT_A), accountJob(ACCOUNT_B));

    // Assess
    expect(results.map((result) => [result.account, result.status])).toEqual([
      [ACCOUNT_A, 'failed'],
      [ACCOUNT_B, 'done'],
    ]);
    expect(results[0]!.status === 'failed' && results[0]!.error).toBeInstanceOf(ChangeConflictError);
    expect(world.parents.find(PARENT_ID, theirs.name)).toBeDefined();
    expect(world.ledger.entry(ACCOUNT_A, mine.zoneId)?.intent).toBeDefined();
  });

  it('fails every change of a batch that fails for load, leaving their intents', async () => {
    // Prepare
    const world = fakeWorld();
    const zone = withZone(world);
    world.parents.beforeApply = () => {
      throw new Error('Throttling: rate exceeded');
    };

    // Act
    const [result] = await world.run(accountJob(ACCOUNT_A));

    // Assess
    expect(verdicts(result)).toEqual(['create:new-delegation:failed']);
    expect(world.ledger.entry(ACCOUNT_A, zone.zoneId)?.state).toBe('creating');
  });

  it('resolves the intent of a write that landed before a crash and reports it', async () => {
    // Prepare
    const world = fakeWorld();
    const zone = withZone(world);
    const record = nsRecordFor(zone);
    world.parents.put(PARENT_ID, record);
    world.ledger.seed(
      makeEntry(zone, { state: 'creating', records: [], intent: { changes: [{ action: 'CREATE', record }], at: NOW.toISOString() } }),
    );

    // Act
    const [result] = await world.run(accountJob(ACCOUNT_A));

    // Assess
    expect(verdicts(result)).toEqual(['keep:in-place:applied']);
    expect(world.publisher.published.map((event) => [event.detailType, event.detail.reason])).toEqual([
      ['Delegation Created', 'intent-settled'],
    ]);
    expect(world.ledger.entry(ACCOUNT_A, zone.zoneId)).toMatchObject({ state: 'delegated', records: [{ ttl: 3600 }] });
  });

  it('keeps an event that could not be published on its entry and publishes it next time', async () => {
    // Prepare
    const world = fakeWorld();
    const zone = withZone(world);
    world.publisher.failing = true;

    // Act
    await world.run(accountJob(ACCOUNT_A));
    const flagged = world.ledger.entry(ACCOUNT_A, zone.zoneId)?.pendingOutcome;
    world.publisher.failing = false;
    await world.run(accountJob(ACCOUNT_A));

    // Assess
    expect(flagged?.detailType).toBe('Delegation Created');
    expect(world.publisher.ofType('Delegation Created')).toHaveLength(1);
    expect(world.ledger.entry(ACCOUNT_A, zone.zoneId)?.pendingOutcome).toBeUndefined();
  });

  it('rejects a claim that another live zone owns', async () => {
    // Prepare
    const world = fakeWorld();
    const owner = makeZone('bar.example.com');
    world.ledger.seed(makeEntry(owner, { parentZoneId: PARENT_ID }, ACCOUNT_A));
    world.ledger.owners.set(`${PARENT_ID}|${owner.name}`, ownerOf(owner));
    const zone = withZone(world, ACCOUNT_B, 'bar.example.com');

    // Act
    const [, result] = await world.run(zonesJob(ACCOUNT_A), zonesJob(ACCOUNT_B, zone.zoneId));

    // Assess
    expect(verdicts(result)).toEqual(['reject:contested:applied']);
  });

  it('delegates the first of two same-name zones of one account whose events come apart, and rejects the second as contested', async () => {
    // Prepare: two opted-in zones of one name; the event of the first is handled before the second's
    const world = fakeWorld();
    const first = withZone(world, ACCOUNT_A, 'bar.example.com');
    const second = withZone(world, ACCOUNT_A, 'bar.example.com');

    // Act
    const [firstResult] = await world.run(zonesJob(ACCOUNT_A, first.zoneId));
    const [secondResult] = await world.run(zonesJob(ACCOUNT_A, second.zoneId));

    // Assess: the second event reads the first zone too (the ledger knows it), which keeps its name
    expect(verdicts(firstResult)).toEqual(['create:new-delegation:applied']);
    expect(verdicts(secondResult).sort()).toEqual(['keep:in-place:applied', 'reject:contested:applied']);
    expect(world.parents.find(PARENT_ID, 'bar.example.com')?.values).toEqual(nsRecordFor(first).values);
    expect(world.reader.reads.at(-1)).toEqual({ account: ACCOUNT_A, scope: { kind: 'zones', zoneIds: [second.zoneId] } });
  });

  it('reports both of two same-name zones whose events come apart as duplicates in observe mode, where no owner is claimed', async () => {
    // Prepare
    const world = fakeWorld({ config: makeConfig({ mode: 'observe' }) });
    const first = withZone(world, ACCOUNT_A, 'bar.example.com');
    const second = withZone(world, ACCOUNT_A, 'bar.example.com');

    // Act
    const [firstResult] = await world.run(zonesJob(ACCOUNT_A, first.zoneId));
    const [secondResult] = await world.run(zonesJob(ACCOUNT_A, second.zoneId));

    // Assess
    expect(verdicts(firstResult)).toEqual(['create:new-delegation:observed']);
    expect(verdicts(secondResult)).toEqual(['reject:duplicate-zone-name:observed', 'reject:duplicate-zone-name:observed']);
    expect(world.ledger.owners.size).toBe(0);
  });

  it('rejects a claim when another zone wins the owner item between read and claim', async () => {
    // Prepare
    const world = fakeWorld();
    const zone = withZone(world, ACCOUNT_B, 'bar.example.com');
    const rival = makeZone('bar.example.com');
    world.ledger.seed(makeEntry(rival, { state: 'creating', records: [] }, ACCOUNT_A));
    const claim = world.ledger.claimName.bind(world.ledger);
    world.ledger.claimName = async (owner) => {
      world.ledger.owners.set(`${PARENT_ID}|${owner.name}`, ownerOf(rival));
      return claim(owner);
    };

    // Act
    const [result] = await world.run(zonesJob(ACCOUNT_B, zone.zoneId));

    // Assess
    expect(verdicts(result)).toEqual(['reject:contested:applied']);
    expect(world.parents.find(PARENT_ID, zone.name)).toBeUndefined();
  });
});

describe('reconcileAccounts: sweeps', () => {
  function standing(world: FakeWorld, count: number, account = ACCOUNT_A): SpokeZone[] {
    const zones = Array.from({ length: count }, (_, index) => makeZone(`z${index}.dev.example.com`));
    for (const zone of zones) {
      world.ledger.seed(makeEntry(zone, { records: [{ type: 'NS', ttl: 300, values: nsRecordFor(zone).values }] }, account));
      world.parents.put(PARENT_ID, nsRecordFor(zone, 300));
    }
    return zones;
  }

  it('holds back removals over the removal budget and reports them once', async () => {
    // Prepare: six of B's delegations gone at once, with a budget of five.
    const world = fakeWorld();
    standing(world, 6, ACCOUNT_B);
    world.reader.set(ACCOUNT_B, []);
    await world.ledger.startSweep('s1', [ACCOUNT_B], NOW);

    // Act
    const [result] = await world.run(accountJob(ACCOUNT_B, 's1'));

    // Assess
    expect(new Set(verdicts(result))).toEqual(new Set(['remove:zone-deleted:budget']));
    expect(world.parents.applied).toEqual([]);
    expect(result!.sweepsCompleted?.map((sweep) => sweep.sweepId)).toEqual(['s1']);
  });

  it('removes over the budget once an operator approves the sweep', async () => {
    // Prepare
    const world = fakeWorld();
    standing(world, 6, ACCOUNT_B);
    world.reader.set(ACCOUNT_B, []);
    await world.ledger.startSweep('s1', [ACCOUNT_B], NOW);
    world.controls.controls = { writesPaused: false, holds: [], approvedRemovals: ['s1'] };

    // Act
    const [result] = await world.run(accountJob(ACCOUNT_B, 's1'));

    // Assess
    expect(new Set(verdicts(result))).toEqual(new Set(['remove:zone-deleted:applied']));
    expect(world.parents.records(PARENT_ID)).toEqual([]);
  });

  it('foresees the removals due in other accounts from the ledger counts, reading no other account', async () => {
    // Prepare: A's opt-outs are past their grace period (a later invocation of the sweep removes
    // them); B has two gone zones of its own: five removals in the sweep against a budget of five
    const world = fakeWorld();
    const aZones = standing(world, 4, ACCOUNT_A);
    for (const zone of aZones) {
      world.ledger.seed({ ...world.ledger.entry(ACCOUNT_A, zone.zoneId)!, removableSince: minutesFrom(NOW, -120).toISOString() });
    }
    standing(world, 2, ACCOUNT_B);
    world.reader.set(ACCOUNT_B, []);
    await world.ledger.startSweep('s1', [ACCOUNT_A, ACCOUNT_B], NOW);

    // Act
    const [result] = await world.run(accountJob(ACCOUNT_B, 's1'));

    // Assess
    expect(new Set(verdicts(result))).toEqual(new Set(['remove:zone-deleted:budget']));
    expect(world.ledger.callCount('listAccounts')).toBe(0);
    expect(world.ledger.callCount('listEntries')).toBe(1);
  });

  it('holds back removals once the sweep has spent its budget in earlier invocations', async () => {
    // Prepare
    const world = fakeWorld();
    standing(world, 2, ACCOUNT_B);
    world.reader.set(ACCOUNT_B, []);
    await world.ledger.startSweep('s1', [ACCOUNT_B], NOW);
    await world.ledger.reserveRemovals('s1', 5, 5);

    // Act
    const [result] = await world.run(accountJob(ACCOUNT_B, 's1'));

    // Assess
    expect(new Set(verdicts(result))).toEqual(new Set(['remove:zone-deleted:budget']));
  });

  it('removes the delegation of a denied account once DNS twice confirms it dangling', async () => {
    // Prepare
    const world = fakeWorld();
    const [zone] = standing(world, 1, ACCOUNT_B);
    world.ledger.seed({
      ...world.ledger.entry(ACCOUNT_B, zone!.zoneId)!,
      suspectSince: minutesFrom(NOW, -180).toISOString(),
      notServingSince: minutesFrom(NOW, -90).toISOString(),
    });
    world.reader.failures.set(ACCOUNT_B, 'access-denied');
    world.probe.verdicts.set(zone!.name, 'not-serving');
    await world.ledger.startSweep('s1', [ACCOUNT_B], NOW);

    // Act
    const [result] = await world.run(accountJob(ACCOUNT_B, 's1'));

    // Assess
    expect(verdicts(result)).toEqual(['remove:dangling:applied']);
    expect(world.parents.find(PARENT_ID, zone!.name)).toBeUndefined();
    expect(result!.status).toBe('done');
  });

  it('notes the first DNS check that finds a suspect no longer served, and removes nothing yet', async () => {
    // Prepare
    const world = fakeWorld();
    const [zone] = standing(world, 1, ACCOUNT_B);
    world.ledger.seed({ ...world.ledger.entry(ACCOUNT_B, zone!.zoneId)!, suspectSince: minutesFrom(NOW, -180).toISOString() });
    world.reader.failures.set(ACCOUNT_B, 'access-denied');
    world.probe.verdicts.set(zone!.name, 'not-serving');

    // Act
    const [result] = await world.run(accountJob(ACCOUNT_B, 's1'));

    // Assess
    expect(verdicts(result)).toEqual([]);
    expect(world.ledger.entry(ACCOUNT_B, zone!.zoneId)?.notServingSince).toBe(NOW.toISOString());
    expect(world.parents.find(PARENT_ID, zone!.name)).toBeDefined();
  });

  it('retries a sweep that cannot read the account, before it has failed three sweeps', async () => {
    // Prepare
    const world = fakeWorld();
    standing(world, 1, ACCOUNT_B);
    world.reader.failures.set(ACCOUNT_B, 'throttled');
    await world.ledger.startSweep('s1', [ACCOUNT_B], NOW);

    // Act
    const [first] = await world.run(accountJob(ACCOUNT_B, 's1'));
    const [retry] = await world.run(accountJob(ACCOUNT_B, 's1'));

    // Assess
    expect([first!.status, retry!.status]).toEqual(['failed', 'failed']);
    expect(world.ledger.failedSweeps.get(ACCOUNT_B)).toEqual(new Set(['s1']));
  });

  it('starts the count of failed sweeps again when a sweep reads the account', async () => {
    // Prepare
    const world = fakeWorld();
    world.reader.set(ACCOUNT_B, []);
    world.ledger.failedSweeps.set(ACCOUNT_B, new Set(['s0', 's1']));

    // Act
    await world.run(accountJob(ACCOUNT_B, 's2'));

    // Assess
    expect(world.ledger.failedSweeps.has(ACCOUNT_B)).toBe(false);
  });
});

describe('reconcileAccounts: account leases', () => {
  it("gives back the lease of an account with nothing to write before the others' writes", async () => {
    // Prepare: A creates a delegation, B's only zone has not opted in
    const world = fakeWorld();
    world.reader.set(ACCOUNT_A, [makeZone('foo.example.com')]);
    world.reader.set(ACCOUNT_B, [makeZone('bar.example.com', { optedIn: false })]);
    const heldDuringWrite: string[][] = [];
    world.parents.beforeApply = () => heldDuringWrite.push([...world.ledger.leases.keys()].filter((key) => key.startsWith('ACCOUNT#')));

    // Act
    const results = await world.run(accountJob(ACCOUNT_A), accountJob(ACCOUNT_B));

    // Assess
    expect(results.map((result) => verdicts(result))).toEqual([['create:new-delegation:applied'], ['ignore:not-opted-in:applied']]);
    expect(heldDuringWrite).toEqual([[`ACCOUNT#${ACCOUNT_A}`]]);
    expect(world.ledger.leases.size).toBe(0);
  });
});

describe('reconcileAccounts: the parent lease', () => {
  it("holds the parent zone's lease around its write and gives it back before recording the outcomes", async () => {
    // Prepare
    const world = fakeWorld();
    world.reader.set(ACCOUNT_A, [makeZone('foo.example.com')]);
    const heldDuringWrite: boolean[] = [];
    world.parents.beforeApply = () => heldDuringWrite.push(world.ledger.leases.has(`PARENT#${PARENT_ID}`));
    const heldWhilePublishing: boolean[] = [];
    const publish = world.publisher.publish.bind(world.publisher);
    world.publisher.publish = (events) => {
      heldWhilePublishing.push(world.ledger.leases.has(`PARENT#${PARENT_ID}`));
      return publish(events);
    };

    // Act
    await world.run(accountJob(ACCOUNT_A));

    // Assess
    expect(heldDuringWrite).toEqual([true]);
    expect(heldWhilePublishing).toEqual([false]);
    expect(world.ledger.leases.size).toBe(0);
  });

  it('takes no parent lease for an account whose zones no longer claim (it can only remove)', async () => {
    // Prepare
    const world = fakeWorld();
    const zone = makeZone('foo.example.com', { optedIn: false });
    world.reader.set(ACCOUNT_A, [zone]);
    world.ledger.seed(makeEntry(zone));
    world.parents.put(PARENT_ID, nsRecordFor(zone));

    // Act
    await world.run(accountJob(ACCOUNT_A));

    // Assess
    expect(world.ledger.callCount('acquireParentLease')).toBe(0);
  });
});
