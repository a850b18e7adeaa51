import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { accountMessage, sweepRequest } from '../../../functions/core/sweep-messages';
import type { WorkQueue } from '../../../functions/core/ports';
import { processBatch, type WorkerDeps } from '../../../functions/worker/process-batch';
import { ACCOUNT_A, PARENT_ID, makeConfig, makeZone, ownerOf } from '../../helpers/core-fixtures';
import { sqsEvent } from '../../helpers/sqs';
import { fakeWorld, type FakeWorld } from '../../fakes/fake-world';

/** The queue in memory: what the worker sends itself. */
class FakeWorkQueue implements WorkQueue {
  readonly sent: object[] = [];
  async send(messages: readonly object[]): Promise<void> {
    this.sent.push(...messages);
  }
}

function workerOn(world: FakeWorld): WorkerDeps & { queue: FakeWorkQueue } {
  return {
    ...world.deps,
    parentPages: world.parents,
    queue: new FakeWorkQueue(),
    telemetry: {
      logger: new Logger({ serviceName: 'subzone-test', logLevel: 'SILENT' }),
      metrics: new Metrics({ namespace: 'SubzoneTest' }),
    },
  };
}

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
