/**
 * One test per engine defect found under concurrency and faults, each run on the in-memory
 * fakes of every port: the reconcile must keep its invariants when invocations race, a write
 * is lost halfway, a read fails or an operator acts while it runs.
 */
import { LedgerConflictError } from '../../../functions/core/errors';

import {
  ACCOUNT_A,
  ACCOUNT_B,
  ACCOUNT_C,
  NOW,
  PARENT_ID,
  change,
  makeConfig,
  makeEntry,
  makeZone,
  minutesFrom,
  nsRecordFor,
  ownerOf,
  recordSet,
} from '../../helpers/core-fixtures';
import { accountJob, fakeWorld, verdicts, zonesJob } from '../../fakes/fake-world';

/** foo.example.com allowed to C, a.foo.example.com (below it) to A. */
function nestedConfig() {
  return makeConfig({
    rules: [
      { name: 'foo.example.com', accounts: [ACCOUNT_C] },
      { name: 'a.foo.example.com', accounts: [ACCOUNT_A] },
      { name: 'bar.example.com', accounts: [ACCOUNT_A, ACCOUNT_B] },
    ],
  });
}

describe('reconcile under races', () => {
  it('never writes two nested delegations from two concurrent invocations', async () => {
    // Prepare
    const world = fakeWorld({ config: nestedConfig() });
    const upper = makeZone('foo.example.com');
    const lower = makeZone('a.foo.example.com');
    world.reader.set(ACCOUNT_C, [upper]);
    world.reader.set(ACCOUNT_A, [lower]);

    // Act
    const [forC, forA] = await Promise.all([world.run(zonesJob(ACCOUNT_C, upper.zoneId)), world.run(zonesJob(ACCOUNT_A, lower.zoneId))]);

    // Assess
    const written = [world.parents.find(PARENT_ID, upper.name), world.parents.find(PARENT_ID, lower.name)].filter(Boolean);
    expect(written).toHaveLength(1);
    const kinds = [...forC!, ...forA!].flatMap((result) =>
      'decisions' in result ? result.decisions.map((item) => item.decision.kind) : [],
    );
    expect(kinds.sort()).toEqual(['create', 'reject']);
  });

  it('never writes two nested delegations when one of them is a standing delegation whose record went missing', async () => {
    // Prepare: A's delegation stands in the ledger, but its record was deleted by hand; C claims the name above it.
    const world = fakeWorld({ config: nestedConfig() });
    const upper = makeZone('foo.example.com');
    const lower = makeZone('a.foo.example.com');
    world.reader.set(ACCOUNT_C, [upper]);
    world.reader.set(ACCOUNT_A, [lower]);
    world.ledger.seed(makeEntry(lower, {}, ACCOUNT_A));

    // Act
    await Promise.all([world.run(zonesJob(ACCOUNT_C, upper.zoneId)), world.run(zonesJob(ACCOUNT_A, lower.zoneId))]);

    // Assess
    const written = [world.parents.find(PARENT_ID, upper.name), world.parents.find(PARENT_ID, lower.name)].filter(Boolean);
    expect(written).toHaveLength(1);
  });

  it('reports a held delegation that has become occluded once, with its own reason and event', async () => {
    // Prepare: both delegations stand (written before the engine serialised creates).
    const world = fakeWorld({ config: nestedConfig() });
    const upper = makeZone('foo.example.com');
    const lower = makeZone('a.foo.example.com');
    world.reader.set(ACCOUNT_C, [upper]);
    world.reader.set(ACCOUNT_A, [lower]);
    world.parents.put(PARENT_ID, nsRecordFor(upper));
    world.parents.put(PARENT_ID, nsRecordFor(lower));
    world.ledger.seed(makeEntry(upper, {}, ACCOUNT_C), makeEntry(lower, {}, ACCOUNT_A));

    // Act
    const [first] = await world.run(accountJob(ACCOUNT_A));
    const [again] = await world.run(accountJob(ACCOUNT_A));

    // Assess
    expect(first!.status).toBe('done');
    const decisions = 'decisions' in first! ? first.decisions : [];
    expect(decisions.map((item) => [item.decision.kind, 'reason' in item.decision ? item.decision.reason : '', item.reported])).toEqual([
      ['occluded', 'occluded', true],
    ]);
    expect(world.publisher.ofType('Delegation Occluded').map((event) => [event.detail.name, event.detail.reason])).toEqual([
      [lower.name, 'occluded'],
    ]);
    expect('decisions' in again! && again.decisions.map((item) => item.reported)).toEqual([false]);
    expect(world.parents.find(PARENT_ID, lower.name)).toBeDefined();
    expect(world.ledger.entry(ACCOUNT_A, lower.zoneId)?.records).toHaveLength(1);
  });

  it('reports a held delegation with records below it as occluded', async () => {
    // Prepare
    const world = fakeWorld({ config: nestedConfig() });
    const upper = makeZone('foo.example.com');
    world.reader.set(ACCOUNT_C, [upper]);
    world.parents.put(PARENT_ID, nsRecordFor(upper));
    world.parents.put(PARENT_ID, recordSet('www.foo.example.com', 'A', ['192.0.2.1']));
    world.ledger.seed(makeEntry(upper, {}, ACCOUNT_C));

    // Act
    await world.run(zonesJob(ACCOUNT_C, upper.zoneId));

    // Assess
    expect(world.publisher.ofType('Delegation Occluded').map((event) => event.detail.name)).toEqual([upper.name]);
  });
});

describe('reconcile frees names whose entry goes', () => {
  it('frees the name owner when a removal is settled from its intent', async () => {
    // Prepare: a worker deleted the record, then died before recording it; the zone is gone.
    const world = fakeWorld({ config: nestedConfig() });
    const zone = makeZone('bar.example.com');
    const record = nsRecordFor(zone);
    world.ledger.seed(
      makeEntry(zone, { state: 'removing', intent: { changes: [change('DELETE', record)], at: minutesFrom(NOW, -10).toISOString() } }),
    );
    world.ledger.owners.set(`${PARENT_ID}|${zone.name}`, ownerOf(zone));
    const successor = makeZone('bar.example.com');
    world.reader.set(ACCOUNT_B, [successor]);

    // Act
    await world.run(accountJob(ACCOUNT_A));
    await world.run(zonesJob(ACCOUNT_B, successor.zoneId));

    // Assess
    expect(world.ledger.entry(ACCOUNT_A, zone.zoneId)).toBeUndefined();
    expect(world.ledger.owner(PARENT_ID, zone.name)).toMatchObject(ownerOf(successor, ACCOUNT_B));
    expect(world.parents.find(PARENT_ID, zone.name)?.values).toEqual(nsRecordFor(successor).values);
  });

  it('frees an owner item whose entry is gone when a claim meets it', async () => {
    // Prepare
    const world = fakeWorld({ config: nestedConfig() });
    const vanished = makeZone('bar.example.com');
    world.ledger.owners.set(`${PARENT_ID}|${vanished.name}`, ownerOf(vanished));
    const zone = makeZone('bar.example.com');
    world.reader.set(ACCOUNT_B, [zone]);

    // Act
    const [result] = await world.run(zonesJob(ACCOUNT_B, zone.zoneId));

    // Assess
    expect('decisions' in result! && result.decisions.map((item) => item.decision.kind)).toEqual(['create']);
    expect(world.ledger.owner(PARENT_ID, zone.name)).toMatchObject(ownerOf(zone, ACCOUNT_B));
  });
});

describe('reconcile frees the names of zones that can no longer claim them', () => {
  it.each([
    ['its rule is dropped', { rules: [{ name: 'foo.example.com', accounts: [ACCOUNT_C] }] }, 'not-allowlisted'],
    ['its rule no longer lists the account', { rules: [{ name: 'bar.example.com', accounts: [ACCOUNT_B] }] }, 'not-allowlisted'],
  ])('frees the owner of a rejected zone when %s, and still reports why', async (_title, config, reason) => {
    // Prepare: bar was released when a person pointed its NS elsewhere; the zone kept its name owner.
    const world = fakeWorld({ config: makeConfig(config) });
    const zone = makeZone('bar.example.com');
    world.reader.set(ACCOUNT_A, [zone]);
    world.ledger.seed(makeEntry(zone, { state: 'rejected', records: [], reason: 'delegated-elsewhere' }));
    world.ledger.owners.set(`${PARENT_ID}|${zone.name}`, ownerOf(zone));

    // Act
    const [result] = await world.run(accountJob(ACCOUNT_A));

    // Assess
    expect(verdicts(result)).toEqual([`reject:${reason}:applied`]);
    expect(world.ledger.owner(PARENT_ID, zone.name)).toBeUndefined();
    expect(world.ledger.entry(ACCOUNT_A, zone.zoneId)).toMatchObject({ state: 'rejected', reason });
  });

  it('keeps the owner of a zone rejected for what the parent holds: it still claims the name', async () => {
    // Prepare
    const world = fakeWorld({ config: nestedConfig() });
    const zone = makeZone('bar.example.com');
    world.reader.set(ACCOUNT_A, [zone]);
    world.ledger.seed(makeEntry(zone, { state: 'rejected', records: [], reason: 'delegated-elsewhere' }));
    world.ledger.owners.set(`${PARENT_ID}|${zone.name}`, ownerOf(zone));
    world.parents.put(PARENT_ID, recordSet(zone.name, 'NS', ['ns1.elsewhere.net.']));

    // Act
    const [result] = await world.run(accountJob(ACCOUNT_A));

    // Assess
    expect('decisions' in result! && result.decisions.map((item) => item.decision.kind)).toEqual(['reject']);
    expect(world.ledger.owner(PARENT_ID, zone.name)).toMatchObject(ownerOf(zone));
  });
});

describe('reconcile spends no hub call on what cannot be claimed', () => {
  it('reads no parent for opted-in zones no rule allows', async () => {
    // Prepare
    const world = fakeWorld();
    world.reader.set(
      ACCOUNT_A,
      Array.from({ length: 25 }, (_, index) => makeZone(`team${index}.example.com`)),
    );

    // Act
    const [result] = await world.run(accountJob(ACCOUNT_A));

    // Assess
    expect('decisions' in result! && new Set(result.decisions.map((item) => item.decision.kind))).toEqual(new Set(['reject']));
    expect(world.parents.reads).toEqual([]);
  });

  it('reads the parent only around the zones of an event, not around every ledger entry', async () => {
    // Prepare
    const world = fakeWorld();
    const standing = makeZone('foo.example.com');
    const fresh = makeZone('baz.example.com');
    world.reader.set(ACCOUNT_A, [standing, fresh]);
    world.parents.put(PARENT_ID, nsRecordFor(standing));
    world.ledger.seed(makeEntry(standing));

    // Act
    await world.run(zonesJob(ACCOUNT_A, fresh.zoneId));

    // Assess
    expect(world.parents.reads.map((read) => read.names)).toEqual([[fresh.name]]);
  });
});

describe('reconcile honours the kill switch while it runs', () => {
  it('writes nothing when writes are paused after the invocation started', async () => {
    // Prepare
    const world = fakeWorld();
    const zone = makeZone('foo.example.com');
    world.reader.set(ACCOUNT_A, [zone]);
    world.controls.onRead = (read) => {
      if (read > 1) world.controls.controls = { writesPaused: true, holds: [], setBy: 'oncall' };
    };

    // Act
    const [result] = await world.run(zonesJob(ACCOUNT_A, zone.zoneId));

    // Assess
    expect(world.parents.applied).toEqual([]);
    expect('decisions' in result! && result.decisions.map((item) => [item.decision.kind, item.result])).toEqual([['create', 'observed']]);
    expect(world.ledger.entry(ACCOUNT_A, zone.zoneId)?.intent).toBeUndefined();
  });
});

describe('reconcile under read failures', () => {
  it('skips a zone that cannot be read as unknown instead of removing its delegation', async () => {
    // Prepare
    const world = fakeWorld();
    const odd = makeZone('foo.example.com');
    const fine = makeZone('baz.example.com');
    world.reader.set(ACCOUNT_A, [odd, fine]);
    world.reader.unreadableZones.add(odd.zoneId);
    world.parents.put(PARENT_ID, nsRecordFor(odd));
    world.ledger.seed(makeEntry(odd));

    // Act
    const [result] = await world.run(accountJob(ACCOUNT_A));

    // Assess
    expect(result!.status).toBe('done');
    expect(world.parents.find(PARENT_ID, odd.name)).toBeDefined();
    expect(world.ledger.entry(ACCOUNT_A, odd.zoneId)?.state).toBe('delegated');
    expect(world.parents.find(PARENT_ID, fine.name)).toBeDefined();
  });

  it('makes suspects of an account whose reads fail three sweeps in a row', async () => {
    // Prepare
    const world = fakeWorld();
    const zone = makeZone('foo.example.com');
    world.parents.put(PARENT_ID, nsRecordFor(zone));
    world.ledger.seed(makeEntry(zone));
    world.reader.failures.set(ACCOUNT_A, 'unavailable');

    // Act
    const results = [];
    for (const sweepId of ['s1', 's2', 's3']) results.push(...(await world.run(accountJob(ACCOUNT_A, sweepId))));

    // Assess
    expect(results.map((result) => 'suspects' in result && result.suspects.length)).toEqual([0, 0, 1]);
    expect(world.publisher.ofType('Delegation Suspect').map((event) => event.detail.name)).toEqual([zone.name]);
  });

  it('acknowledges an event for an account whose reader role is denied', async () => {
    // Prepare
    const world = fakeWorld();
    const zone = makeZone('foo.example.com');
    world.parents.put(PARENT_ID, nsRecordFor(zone));
    world.ledger.seed(makeEntry(zone));
    world.reader.failures.set(ACCOUNT_A, 'access-denied');

    // Act
    const [result] = await world.run(zonesJob(ACCOUNT_A, zone.zoneId));

    // Assess
    expect(result!.status).toBe('done');
    expect('suspects' in result! && result.suspects.map((entry) => entry.name)).toEqual([zone.name]);
  });
});

describe('reconcile leases and hand edits', () => {
  it('takes a lease that expires while it waits for it', async () => {
    // Prepare
    const world = fakeWorld();
    const zone = makeZone('foo.example.com');
    world.reader.set(ACCOUNT_A, [zone]);
    world.ledger.leases.set(`ACCOUNT#${ACCOUNT_A}`, {
      account: ACCOUNT_A,
      holder: 'another',
      expiresAt: minutesFrom(NOW, 0.01).toISOString(),
    });

    // Act
    const [result] = await world.run(zonesJob(ACCOUNT_A, zone.zoneId));

    // Assess
    expect(result!.status).toBe('done');
    expect(world.parents.find(PARENT_ID, zone.name)).toBeDefined();
  });

  it('finishes the invocation when giving a lease back fails', async () => {
    // Prepare
    const world = fakeWorld();
    const zone = makeZone('foo.example.com');
    world.reader.set(ACCOUNT_A, [zone]);
    world.ledger.failNext('releaseLease', new Error('throttled'));

    // Act
    const [result] = await world.run(zonesJob(ACCOUNT_A, zone.zoneId));

    // Assess
    expect(result!.status).toBe('done');
    expect(world.parents.find(PARENT_ID, zone.name)).toBeDefined();
  });

  it('reports a TTL edited by hand on its record and writes nothing', async () => {
    // Prepare
    const world = fakeWorld();
    const zone = makeZone('foo.example.com');
    world.reader.set(ACCOUNT_A, [zone]);
    world.ledger.seed(makeEntry(zone));
    world.parents.put(PARENT_ID, nsRecordFor(zone, 60));

    // Act
    const [result] = await world.run(zonesJob(ACCOUNT_A, zone.zoneId));

    // Assess
    expect(world.parents.applied).toEqual([]);
    expect(world.parents.find(PARENT_ID, zone.name)?.ttl).toBe(60);
    expect(
      'decisions' in result! && result.decisions.map((item) => [item.decision.kind, 'reason' in item.decision && item.decision.reason]),
    ).toEqual([['reject', 'changed-outside-subzone']]);
  });

  it('forgets, never deletes, a TTL-edited record once its opt-out has waited out the grace period', async () => {
    // Prepare
    const world = fakeWorld();
    const zone = makeZone('foo.example.com', { optedIn: false });
    world.reader.set(ACCOUNT_A, [zone]);
    world.ledger.seed(makeEntry(zone, { removableSince: minutesFrom(NOW, -600).toISOString() }));
    world.parents.put(PARENT_ID, nsRecordFor(zone, 60));

    // Act
    const [result] = await world.run(zonesJob(ACCOUNT_A, zone.zoneId));

    // Assess
    expect(world.parents.applied).toEqual([]);
    expect(world.parents.find(PARENT_ID, zone.name)?.ttl).toBe(60);
    expect('decisions' in result! && result.decisions.map((item) => item.decision.kind)).toEqual(['disown']);
  });

  it('removes a TTL-edited record whose zone is deleted: it still sends the name to that zone (the takeover risk)', async () => {
    // Prepare
    const world = fakeWorld();
    const zone = makeZone('foo.example.com');
    world.reader.set(ACCOUNT_A, []);
    world.ledger.seed(makeEntry(zone));
    world.parents.put(PARENT_ID, nsRecordFor(zone, 60));

    // Act
    const [result] = await world.run(accountJob(ACCOUNT_A));

    // Assess
    expect(world.parents.find(PARENT_ID, zone.name)).toBeUndefined();
    expect(
      'decisions' in result! && result.decisions.map((item) => [item.decision.kind, 'reason' in item.decision && item.decision.reason]),
    ).toEqual([['remove', 'zone-deleted']]);
  });

  it('fails only the account whose ledger write conflicts', async () => {
    // Prepare
    const world = fakeWorld();
    const mine = makeZone('foo.example.com');
    const theirs = makeZone('bar.example.com');
    world.reader.set(ACCOUNT_A, [mine]);
    world.reader.set(ACCOUNT_B, [theirs]);
    world.ledger.failNext('putEntry', new LedgerConflictError('delegation'));

    // Act
    const results = await world.run(zonesJob(ACCOUNT_A, mine.zoneId), zonesJob(ACCOUNT_B, theirs.zoneId));

    // Assess
    expect(results.map((result) => [result.account, result.status])).toEqual([
      [ACCOUNT_A, 'failed'],
      [ACCOUNT_B, 'done'],
    ]);
    expect(world.parents.find(PARENT_ID, theirs.name)).toBeDefined();
    expect(world.parents.find(PARENT_ID, mine.name)).toBeUndefined();
  });
});
