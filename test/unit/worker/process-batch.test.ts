import { accountMessage, sweepRequest } from '../../../functions/core/sweep-messages';
import { processBatch } from '../../../functions/worker/process-batch';
import { ACCOUNT_A, PARENT_ID, PROD_PARENT_ID, makeConfig, makeEntry, makeZone, nsRecordFor, ownerOf } from '../../helpers/core-fixtures';
import { sampleBody, sqsEvent } from '../../helpers/sqs';
import { fakeWorld } from '../../fakes/fake-world';
import { workerOn } from '../../fakes/fake-worker';

describe('processBatch: sweeps', () => {
  it('completes a sweep of no accounts without naming an account', async () => {
    // Prepare
    const world = fakeWorld({ config: makeConfig({ rules: [] }) });
    const deps = workerOn(world);

    // Act
    const response = await processBatch(sqsEvent([sweepRequest('sweep-empty')], ['m-1']), deps);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    const completed = world.publisher.ofType('Sweep Completed');
    expect(completed.map((event) => event.detail)).toEqual([{ reason: 'all-accounts-reconciled', applied: true, sweepId: 'sweep-empty' }]);
  });

  it('completes a sweep when its last account is done, about the sweep rather than that account', async () => {
    // Prepare
    const world = fakeWorld();
    const deps = workerOn(world);
    await processBatch(sqsEvent([sweepRequest('sweep-1')], ['m-1']), deps);
    const fanned = deps.queue.sent;

    // Act
    const response = await processBatch(
      sqsEvent(
        fanned,
        fanned.map((_, index) => `a-${index}`),
      ),
      deps,
    );

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(world.publisher.ofType('Sweep Completed').map((event) => [event.detail.sweepId, event.detail.account])).toEqual([
      ['sweep-1', undefined],
    ]);
  });

  it('frees name owners whose delegation entry is gone when a sweep starts', async () => {
    // Prepare
    const world = fakeWorld();
    const zone = makeZone('foo.example.com');
    world.ledger.owners.set(`${PARENT_ID}|${zone.name}`, ownerOf(zone));
    const deps = workerOn(world);

    // Act
    await processBatch(sqsEvent([sweepRequest('sweep-2')], ['m-1']), deps);

    // Assess
    expect(world.ledger.owner(PARENT_ID, zone.name)).toBeUndefined();
  });

  it('acknowledges the event of an account whose reader role is denied', async () => {
    // Prepare
    const world = fakeWorld();
    world.reader.failures.set(ACCOUNT_A, 'access-denied');
    const deps = workerOn(world);

    // Act
    const response = await processBatch(sqsEvent([accountMessage(ACCOUNT_A, 'cli')], ['m-1']), deps);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
  });
});

describe('processBatch: events', () => {
  it('judges only the zones its events name, however many, in an account holding 100 delegations', async () => {
    // Prepare: 100 standing delegations, then 8 opt-in events of new zones in one batch
    const world = fakeWorld();
    const standing = Array.from({ length: 100 }, (_, index) => makeZone(`team-${index}.prod.example.com`));
    for (const zone of standing) {
      world.ledger.seed(makeEntry(zone, { parentZoneId: PROD_PARENT_ID }));
      world.parents.put(PROD_PARENT_ID, nsRecordFor(zone));
    }
    const fresh = Array.from({ length: 8 }, (_, index) => makeZone(`new-${index}.prod.example.com`));
    world.reader.set(ACCOUNT_A, [...standing, ...fresh]);
    const sample = JSON.parse(sampleBody('change-tags-opt-in.json'));
    const bodies = fresh.map((zone) => ({
      ...sample,
      account: ACCOUNT_A,
      detail: { ...sample.detail, requestParameters: { ...sample.detail.requestParameters, resourceId: zone.zoneId } },
    }));

    // Act
    const response = await processBatch(
      sqsEvent(
        bodies,
        fresh.map((zone) => zone.zoneId),
      ),
      workerOn(world),
    );

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(world.reader.reads.map((read) => read.scope.kind)).toEqual(['zones']);
    expect(world.parents.reads.flatMap((read) => read.names).sort()).toEqual(fresh.map((zone) => zone.name).sort());
    expect(fresh.every((zone) => world.parents.find(PROD_PARENT_ID, zone.name) !== undefined)).toBe(true);
  });
});
