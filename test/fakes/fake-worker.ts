/**
 * The worker's dependencies over a fake world, with the queue in memory (what the worker sends
 * itself) and silent telemetry: for processBatch tests.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { WorkQueue } from '../../functions/core/ports';
import type { WorkerDeps } from '../../functions/worker/process-batch';
import type { FakeWorld } from './fake-world';

/** The queue in memory: what the worker sends itself. */
export class FakeWorkQueue implements WorkQueue {
  readonly sent: object[] = [];
  async send(messages: readonly object[]): Promise<void> {
    this.sent.push(...messages);
  }
}

export type FakeWorkerDeps = WorkerDeps & { queue: FakeWorkQueue };

export function workerOn(world: FakeWorld): FakeWorkerDeps {
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
