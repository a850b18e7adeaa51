/**
 * A whole sweep on the in-memory fakes, every message the worker sends itself fed back to it
 * as the queue would: the parent zones are read once, by pages, however many accounts and
 * invocations the sweep spans, and a reading too long for one invocation goes on in
 * continuations whose parts the ledger keeps until the fan-out.
 */
import { SLICE_MESSAGE_MAX_BYTES, sweepAccountMessage, sweepContinuation, sweepRequest } from '../../../functions/core/sweep-messages';
import type { AccountId, SweepSlice } from '../../../functions/core/types';
import { processBatch } from '../../../functions/worker/process-batch';
import { ACCOUNT_A, PARENT_ID, makeConfig, makeEntry, makeZone, nsRecordFor, ownerOf, recordSet } from '../../helpers/core-fixtures';
import { sqsEvent } from '../../helpers/sqs';
import { fakeWorld, type FakeWorld } from '../../fakes/fake-world';
import { type FakeWorkerDeps, workerOn } from '../../fakes/fake-worker';

const BATCH_SIZE = 10;
const ACCOUNTS = Array.from({ length: 24 }, (_, index) => String(500_000_000_000 + index));
const ZONES_PER_ACCOUNT = 3;

/** 24 accounts, 3 delegations each, in place and in the ledger, and 50 records of other teams. */
function orgWorld(): FakeWorld {
  const world = fakeWorld({ config: makeConfig({ rules: [{ name: '*.dev.example.com', accounts: ACCOUNTS }] }) });
  for (const account of ACCOUNTS) {
    const zones = Array.from({ length: ZONES_PER_ACCOUNT }, (_, index) => makeZone(`z${index}-${account}.dev.example.com`));
    world.reader.set(account, zones);
    for (const zone of zones) {
      world.parents.put(PARENT_ID, nsRecordFor(zone));
      world.ledger.seed(makeEntry(zone, {}, account));
      world.ledger.owners.set(`${PARENT_ID}|${zone.name}`, ownerOf(zone, account));
    }
  }
  for (let index = 0; index < 50; index += 1) world.parents.put(PARENT_ID, recordSet(`host${index}.example.com`, 'A', ['192.0.2.1']));
  world.parents.pageSize = 10;
  return world;
}

/** Each parent page read takes a second of the world's clock. */
function slowPages(world: FakeWorld): void {
  const readPage = world.parents.readPage.bind(world.parents);
  world.parents.readPage = async (parentZoneId, from) => {
    world.clock.advance(1_000);
    return readPage(parentZoneId, from);
  };
}

/** Feeds the queue back to the worker, batches of 10, until nothing is left; returns the messages handled. */
async function drain(deps: FakeWorkerDeps, remainingMs?: number): Promise<object[]> {
  const handled: object[] = [];
  while (deps.queue.sent.length > 0) {
    const batch = deps.queue.sent.splice(0, BATCH_SIZE);
    handled.push(...batch);
    const response = await processBatch(
      sqsEvent(
        batch,
        batch.map((_, index) => `m-${handled.length}-${index}`),
      ),
      deps,
      remainingMs,
    );
    expect(response.batchItemFailures).toEqual([]);
  }
  return handled;
}

/** Pages of each parent zone the sweep read, by zone. */
function pagesByParent(world: FakeWorld): Record<string, number> {
  const pages: Record<string, number> = {};
  for (const read of world.parents.pageReads) pages[read.parentZoneId] = (pages[read.parentZoneId] ?? 0) + 1;
  return pages;
}

const isContinuation = (message: object) => 'cursor' in message;

describe('a sweep reads each parent zone once', () => {
  it('reads every page of each parent once for 24 accounts over three invocations, and reads no parent around any name', async () => {
    // Prepare
    const world = orgWorld();
    const deps = workerOn(world);
    const pages = Math.ceil(world.parents.records(PARENT_ID).length / world.parents.pageSize);
    deps.queue.sent.push(sweepRequest('sweep-once'));

    // Act
    const handled = await drain(deps);

    // Assess
    expect(handled.filter((message) => 'account' in message)).toHaveLength(ACCOUNTS.length);
    expect(pages).toBeGreaterThan(8);
    expect(pagesByParent(world)).toEqual({ [PARENT_ID]: pages, ZORG: 1, ZPROD: 1 });
    expect(new Set(world.parents.pageReads.map((read) => `${read.parentZoneId}|${read.from}`)).size).toBe(world.parents.pageReads.length);
    expect(world.parents.reads).toEqual([]);
    expect(world.parents.applied).toEqual([]);
    expect(world.publisher.ofType('Sweep Completed')).toHaveLength(1);
    expect(world.ledger.callCount('scanLedger')).toBe(1);
  });

  it('carries a reading longer than one invocation on in continuations, keeps its parts until the fan-out, then drops them', async () => {
    // Prepare: each page takes a second; an invocation with 8 s left reads for 4.
    const world = orgWorld();
    slowPages(world);
    const deps = workerOn(world);
    const pages = Math.ceil(world.parents.records(PARENT_ID).length / world.parents.pageSize);
    deps.queue.sent.push(sweepRequest('sweep-long'));

    // Act
    const handled = await drain(deps, 8_000);

    // Assess
    const continuations = handled.filter(isContinuation) as Array<{ cursor: { at?: unknown } }>;
    expect(continuations.length).toBeGreaterThanOrEqual(Math.ceil((pages + 2) / 4) - 1);
    // The invocation that finishes a long reading leaves the fan-out to one of its own.
    expect(continuations.at(-1)?.cursor.at).toBeUndefined();
    expect(pagesByParent(world)).toEqual({ [PARENT_ID]: pages, ZORG: 1, ZPROD: 1 });
    expect(world.ledger.callCount('saveReadingPart')).toBeGreaterThan(1);
    expect(world.ledger.readings.size).toBe(0);
    expect(world.parents.reads).toEqual([]);
    expect(handled.filter((message) => 'account' in message)).toHaveLength(ACCOUNTS.length);
    expect(world.publisher.ofType('Sweep Completed')).toHaveLength(1);
  });

  it('fans out without slices when the kept reading has expired, and every account reads its names narrowly', async () => {
    // Prepare: the first invocation keeps a part; it is gone (TTL) before the sweep goes on.
    const world = orgWorld();
    slowPages(world);
    const deps = workerOn(world);
    await processBatch(sqsEvent([sweepRequest('sweep-expired')], ['m-0']), deps, 8_000);
    world.ledger.readings.clear();

    // Act
    const handled = await drain(deps, 8_000);

    // Assess
    const accountMessages = handled.filter((message) => 'account' in message);
    expect(accountMessages).toHaveLength(ACCOUNTS.length);
    expect(accountMessages.some((message) => 'slice' in message)).toBe(false);
    expect(world.parents.reads.length).toBeGreaterThan(0);
    expect(world.parents.applied).toEqual([]);
  });

  it('drops a second delivery of a step another delivery runs, and runs again a step whose first delivery failed', async () => {
    // Prepare: one delivery of the first sweep's request is running; the second sweep's parent read fails once.
    const world = orgWorld();
    const deps = workerOn(world);
    await world.ledger.takeReadingStep('sweep-twice', 0, 'another-delivery', world.clock.now(), 600_000);
    world.parents.unreadable.add(PARENT_ID);

    // Act
    const duplicate = await processBatch(sqsEvent([sweepRequest('sweep-twice')], ['m-dup']), deps);
    const duplicateSent = deps.queue.sent.length;
    const failed = await processBatch(sqsEvent([sweepRequest('sweep-retried')], ['m-fail']), deps);
    world.parents.unreadable.clear();
    const retried = await processBatch(sqsEvent([sweepRequest('sweep-retried')], ['m-fail']), deps);

    // Assess
    expect(duplicate.batchItemFailures).toEqual([]);
    expect(duplicateSent).toBe(0);
    expect(failed.batchItemFailures).toEqual([{ itemIdentifier: 'm-fail' }]);
    expect(retried.batchItemFailures).toEqual([]);
    expect(deps.queue.sent.filter((message) => 'account' in message)).toHaveLength(ACCOUNTS.length);
  });

  it('sends an account its slice only while the message stays within 64 KB', () => {
    // Prepare
    const slice = (records: number): SweepSlice => ({
      readAt: '2026-01-01T00:00:00.000Z',
      parents: [
        {
          parentZoneId: PARENT_ID,
          names: ['foo.example.com'],
          records: Array.from({ length: records }, (_, index) => recordSet(`r${index}.foo.example.com`, 'TXT', ['"x"'.repeat(20)])),
        },
      ],
    });
    const account: AccountId = ACCOUNT_A;

    // Act
    const small = sweepAccountMessage(account, 'sweep-size', slice(10));
    const big = sweepAccountMessage(account, 'sweep-size', slice(2_000));

    // Assess
    expect(small.slice).toEqual(slice(10));
    expect(JSON.stringify(small).length).toBeLessThanOrEqual(SLICE_MESSAGE_MAX_BYTES);
    expect(big).toEqual({ subzone: 'reconcile-account', version: 1, account, reason: 'sweep', sweepId: 'sweep-size' });
  });
});

describe('a sweep step runs once, however the messages come', () => {
  it('drops a late second delivery of a sweep request whose sweep has already fanned out', async () => {
    // Prepare
    const world = orgWorld();
    const deps = workerOn(world);
    deps.queue.sent.push(sweepRequest('sweep-late-duplicate'));
    await drain(deps);
    const pagesRead = world.parents.pageReads.length;

    // Act
    deps.queue.sent.push(sweepRequest('sweep-late-duplicate'));
    const handled = await drain(deps);

    // Assess
    expect(handled.filter((message) => 'account' in message)).toEqual([]);
    expect(world.parents.pageReads).toHaveLength(pagesRead);
    expect(world.publisher.ofType('Sweep Completed')).toHaveLength(1);
  });

  it('fans out a sweep whose continuation names a parent zone no longer in the config', async () => {
    // Prepare: the reading stopped at a parent that a deploy has since dropped.
    const world = orgWorld();
    const deps = workerOn(world);
    const startedAt = world.clock.now().toISOString();
    deps.queue.sent.push(sweepContinuation('sweep-dropped-parent', startedAt, { startedAt, parts: 0, at: { parentZoneId: 'ZDROPPED' } }));

    // Act
    const handled = await drain(deps);

    // Assess
    expect(handled.filter((message) => 'account' in message)).toHaveLength(ACCOUNTS.length);
    expect(world.publisher.ofType('Sweep Completed')).toHaveLength(1);
  });
});
