/**
 * The worker Lambda: an SQS event source with partial batch responses (docs/concepts.md).
 * A thin shell: `makeHandler(deps)` for tests and the emulator, `handler` for AWS.
 */
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { logger, metrics } from '../adapters/observability';
import { readBundledConfig } from './bundled-config';
import { productionDeps } from './dependencies';
import { readEnvironment } from './environment';
import { processBatch, type WorkerDeps } from './process-batch';
import { checkParentZones, loadConfig } from './startup';

/** The worker's entry point: Lambda passes its context; tests and the emulator may leave it out. */
export type WorkerHandler = (event: SQSEvent, context?: Context) => Promise<SQSBatchResponse>;

/**
 * A handler over given dependencies; the parent zones are checked once, before the first batch.
 * Every log line of an invocation carries Lambda's request id, function and cold start.
 */
export function makeHandler(deps: WorkerDeps): WorkerHandler {
  let ready: Promise<void> | undefined;
  return async (event, context) => {
    if (context !== undefined) deps.telemetry.logger.addContext(context);
    ready ??= checkParentZones(deps.config, deps.parents).catch((error: unknown) => {
      ready = undefined;
      throw error;
    });
    await ready;
    try {
      return await processBatch(event, deps, context?.getRemainingTimeInMillis());
    } finally {
      // A batch that changed nothing counts nothing; Powertools would warn about an empty flush.
      if (deps.telemetry.metrics.hasStoredMetrics()) deps.telemetry.metrics.publishStoredMetrics();
    }
  };
}

let production: WorkerHandler | undefined;

/** The Lambda entry point: config and clients are built once per execution environment. */
export async function handler(event: SQSEvent, context: Context): Promise<SQSBatchResponse> {
  production ??= makeHandler(productionDeps(loadConfig(readBundledConfig(), { logger, metrics }), readEnvironment()));
  return production(event, context);
}
