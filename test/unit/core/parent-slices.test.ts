/**
 * Accounts of a sweep judged against their slice of the sweep's one reading of the parent zone
 * (parent-slices.ts): a slice only ever spares a read. Every test takes the slice when the sweep
 * read the parent, changes the parent (or the ledger) afterwards, as a person or an event would,
 * and checks that no stale slice leads to a wrong write.
 */
import { LeaseBusyError } from '../../../functions/core/errors';
import { ParentReading, sliceFor } from '../../../functions/core/parent-slices';
import type { AccountJob } from '../../../functions/core/reconcile';
import type { AccountId, LedgerEntry, SweepSlice } from '../../../functions/core/types';
import {
  ACCOUNT_A,
  ACCOUNT_B,
  ACCOUNT_C,
  NOW,
  PARENT_ID,
  PARENT_NAME,
  makeConfig,
  makeEntry,
  makeZone,
  nsRecordFor,
  ownerOf,
  recordSet,
} from '../../helpers/core-fixtures';
import { fakeWorld, verdicts, type FakeWorld } from '../../fakes/fake-world';

const SWEEP = 'sweep-slices';

/** foo.example.com allowed to C, a.foo.example.com (below it) to A. */
function nestedConfig() {
  return makeConfig({
    rules: [
      { name: 'foo.example.com', accounts: [ACCOUNT_C] },
      { name: 'a.foo.example.com', accounts: [ACCOUNT_A] },
      { name: 'bar.example.com', accounts: [ACCOUNT_A] },
      { name: 'baz.example.com', accounts: [ACCOUNT_C] },
    ],
  });
}

/**
 * The slice a sweep reading the parent now would give the account holding `entries`; `alsoNames`
 * makes it answer for more names, as a stale or forged message might.
 */
function readSlice(world: FakeWorld, entries: readonly LedgerEntry[], alsoNames: readonly string[] = []): SweepSlice {
  const reading = new ParentReading({ name: PARENT_NAME, hostedZoneId: PARENT_ID }, world.parents.records(PARENT_ID));
  const slice = sliceFor(entries, [reading], NOW.toISOString());
  if (slice === undefined) throw new Error('the test expects a slice');
  if (alsoNames.length === 0) return slice;
  const names = slice.parents.flatMap((part) => part.names);
  return { ...slice, parents: [reading.slice([...names, ...alsoNames])] };
}

function sweepJob(account: AccountId, slice: SweepSlice | undefined): AccountJob {
  return { account, scope: { kind: 'account' }, sweepIds: [SWEEP], ...(slice && { slice }) };
}

/** A standing delegation of `name` in `account`, in the parent and the ledger. */
function standingBar(world: FakeWorld, account: AccountId, name = 'bar.example.com') {
  const zone = makeZone(name);
  const entry = makeEntry(zone, {}, account);
  world.parents.put(PARENT_ID, nsRecordFor(zone));
  world.ledger.seed(entry);
  world.ledger.owners.set(`${PARENT_ID}|${zone.name}`, ownerOf(zone, account));
  return { zone, entry };
}

/** A standing delegation of foo.example.com in account A. */
function standingFoo(world: FakeWorld) {
  return standingBar(world, ACCOUNT_A, 'foo.example.com');
}

describe('a sweep account judged against its slice of the reading', () => {
  it('keeps the delegations its slice shows as recorded without reading the parent', async () => {
    // Prepare
    const world = fakeWorld();
    const { zone, entry } = standingFoo(world);
    world.reader.set(ACCOUNT_A, [zone]);
    const slice = readSlice(world, [entry]);

    // Act
    const [result] = await world.run(sweepJob(ACCOUNT_A, slice));

    // Assess
    expect(verdicts(result)).toEqual(['keep:in-place:applied']);
    expect(world.parents.reads).toEqual([]);
  });

  it('reads a name the slice does not answer for (a new claim), and only that name', async () => {
    // Prepare
    const world = fakeWorld();
    const { zone, entry } = standingFoo(world);
    const slice = readSlice(world, [entry]);
    const claim = makeZone('bar.example.com');
    world.reader.set(ACCOUNT_A, [zone, claim]);

    // Act
    const [result] = await world.run(sweepJob(ACCOUNT_A, slice));

    // Assess
    expect(verdicts(result).sort()).toEqual(['create:new-delegation:applied', 'keep:in-place:applied']);
    expect(world.parents.reads).toEqual([{ parentZoneId: PARENT_ID, names: ['bar.example.com'] }]);
  });

  it('never creates on a slice that shows a name free: a record that appeared below it since the reading rejects the claim', async () => {
    // Prepare: a slice (as a stale or forged message might carry) that answers for bar.example.com, then a record below it.
    const world = fakeWorld();
    const { zone, entry } = standingFoo(world);
    const claim = makeZone('bar.example.com');
    const stale = readSlice(world, [entry], [claim.name]);
    world.parents.put(PARENT_ID, recordSet('www.bar.example.com', 'A', ['192.0.2.1']));
    world.reader.set(ACCOUNT_A, [zone, claim]);

    // Act
    const [result] = await world.run(sweepJob(ACCOUNT_A, stale));

    // Assess
    expect(verdicts(result)).toContain('reject:records-below-name:applied');
    expect(world.parents.applied).toEqual([]);
  });

  it('creates a claim the reading found in use once the record is gone, from a fresh read', async () => {
    // Prepare: the slice saw an A record at bar.example.com, which a person deleted since.
    const world = fakeWorld();
    const { zone, entry } = standingFoo(world);
    const claim = makeZone('bar.example.com');
    world.parents.put(PARENT_ID, recordSet(claim.name, 'A', ['192.0.2.1']));
    const slice = readSlice(world, [entry], [claim.name]);
    world.parents.drop(PARENT_ID, claim.name, 'A');
    world.reader.set(ACCOUNT_A, [zone, claim]);

    // Act
    const [result] = await world.run(sweepJob(ACCOUNT_A, slice));

    // Assess
    expect(verdicts(result)).toContain('create:new-delegation:applied');
    expect(world.parents.find(PARENT_ID, claim.name)).toEqual(nsRecordFor(claim));
  });

  it('reads a delegation missing from the slice again before re-creating it: records added below it since stop the CREATE', async () => {
    // Prepare: the reading found foo's NS deleted by hand; a person then added a record below foo.
    const world = fakeWorld();
    const { zone, entry } = standingFoo(world);
    world.parents.drop(PARENT_ID, zone.name, 'NS');
    const slice = readSlice(world, [entry]);
    world.parents.put(PARENT_ID, recordSet('www.foo.example.com', 'A', ['192.0.2.1']));
    world.reader.set(ACCOUNT_A, [zone]);

    // Act
    const [result] = await world.run(sweepJob(ACCOUNT_A, slice));

    // Assess
    expect(verdicts(result)).toEqual(['reject:changed-outside-subzone:applied']);
    expect(world.parents.applied).toEqual([]);
    expect(world.parents.reads).toEqual([{ parentZoneId: PARENT_ID, names: [zone.name] }]);
  });

  it('does not judge an entry an event rewrote after the reading on the slice (its TTL changed): the name is read again', async () => {
    // Prepare: the reading saw TTL 3600; an event has since updated the record and the entry to 300.
    const world = fakeWorld({ config: makeConfig({ nsTtl: 300 }) });
    const { zone, entry } = standingFoo(world);
    const slice = readSlice(world, [entry]);
    const updated = makeEntry(zone, { records: [{ ...(entry.records[0] as LedgerEntry['records'][number]), ttl: 300 }], version: 4 });
    world.ledger.seed(updated);
    world.parents.put(PARENT_ID, nsRecordFor(zone, 300));
    world.reader.set(ACCOUNT_A, [zone]);

    // Act
    const [result] = await world.run(sweepJob(ACCOUNT_A, slice));

    // Assess
    expect(verdicts(result)).toEqual(['keep:in-place:applied']);
    expect(world.ledger.entry(ACCOUNT_A, zone.zoneId)?.state).toBe('delegated');
  });

  it('updates a delegation judged on its slice with a DELETE exactly as read, refused if a person changed it since', async () => {
    // Prepare: the config's TTL changed; after the reading, a person rewrote the record's values.
    const world = fakeWorld({ config: makeConfig({ nsTtl: 300 }) });
    const { zone, entry } = standingFoo(world);
    const slice = readSlice(world, [entry]);
    world.parents.put(PARENT_ID, recordSet(zone.name, 'NS', ['ns-1.elsewhere.net.'], 3600));
    world.reader.set(ACCOUNT_A, [zone]);

    // Act
    const [result] = await world.run(sweepJob(ACCOUNT_A, slice));

    // Assess
    expect(verdicts(result)).toEqual(['update:ttl-changed:failed']);
    expect(world.parents.find(PARENT_ID, zone.name)?.values).toEqual(['ns-1.elsewhere.net.']);
  });

  it('never creates below a delegation made after the reading: the claim reads the NS above it afresh', async () => {
    // Prepare: A's slice is read while foo.example.com is free; then an event delegates foo.example.com to C.
    const world = fakeWorld({ config: nestedConfig() });
    const { zone: bar, entry: barEntry } = standingBar(world, ACCOUNT_A);
    const lower = makeZone('a.foo.example.com');
    const slice = readSlice(world, [barEntry], [lower.name]);
    const upper = makeZone('foo.example.com');
    world.parents.put(PARENT_ID, nsRecordFor(upper));
    world.ledger.seed(makeEntry(upper, {}, ACCOUNT_C));
    world.ledger.owners.set(`${PARENT_ID}|${upper.name}`, ownerOf(upper, ACCOUNT_C));
    world.reader.set(ACCOUNT_A, [bar, lower]);

    // Act
    const [result] = await world.run(sweepJob(ACCOUNT_A, slice));

    // Assess
    expect(verdicts(result).sort()).toEqual(['keep:in-place:applied', 'reject:below-delegation:applied']);
    expect(world.parents.applied).toEqual([]);
  });

  it('never creates above a delegation made after the reading: the claim reads its subtree afresh', async () => {
    // Prepare: C's slice is read while nothing lies below foo.example.com; then an event delegates a.foo.example.com to A.
    const world = fakeWorld({ config: nestedConfig() });
    const { zone: baz, entry: bazEntry } = standingBar(world, ACCOUNT_C, 'baz.example.com');
    const upper = makeZone('foo.example.com');
    const slice = readSlice(world, [bazEntry], [upper.name]);
    const lower = makeZone('a.foo.example.com');
    world.parents.put(PARENT_ID, nsRecordFor(lower));
    world.ledger.seed(makeEntry(lower));
    world.ledger.owners.set(`${PARENT_ID}|${lower.name}`, ownerOf(lower));
    world.reader.set(ACCOUNT_C, [baz, upper]);

    // Act
    const [result] = await world.run(sweepJob(ACCOUNT_C, slice));

    // Assess
    expect(verdicts(result).sort()).toEqual(['keep:in-place:applied', 'reject:records-below-name:applied']);
    expect(world.parents.applied).toEqual([]);
  });

  it('takes no parent lease for an account whose slice answers for all its names, and still takes it for a claim', async () => {
    // Prepare: another invocation holds the parent's lease for longer than this one may wait.
    const world = fakeWorld();
    const { zone, entry } = standingFoo(world);
    const slice = readSlice(world, [entry]);
    world.reader.set(ACCOUNT_A, [zone]);
    const claim = makeZone('bar.example.com');
    world.reader.set(ACCOUNT_B, [claim]);
    await world.ledger.acquireParentLease(PARENT_ID, 'another-invocation', NOW, 600_000);

    // Act
    const results = await world.run(sweepJob(ACCOUNT_A, slice), sweepJob(ACCOUNT_B, undefined));

    // Assess
    const byAccount = new Map(results.map((result) => [result.account, result]));
    expect(verdicts(byAccount.get(ACCOUNT_A))).toEqual(['keep:in-place:applied']);
    expect(byAccount.get(ACCOUNT_A)?.status).toBe('done');
    expect(byAccount.get(ACCOUNT_B)).toMatchObject({ status: 'failed', error: expect.any(LeaseBusyError) });
    expect(world.parents.applied).toEqual([]);
  });
});
