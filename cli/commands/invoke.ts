/**
 * `subzone invoke EVENT.json`: runs the worker's handler on one event file, as Lambda would,
 * with the worker's own environment (LEDGER_TABLE_NAME, WORK_QUEUE_URL, ...: `subzone
 * emulator` prints them). The file is an SQS event (`{"Records": [...]}`) or one message body
 * (an EventBridge event from events/, or a subzone message), which is wrapped in an SQS event.
 * It writes, as the worker does. Exit 0 every message processed, 1 any message failed.
 */
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Logger, LogLevel } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { SQSEvent } from 'aws-lambda';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../../functions/adapters/observability';
import { ConfigError } from '../../functions/core/errors';
import { readEnvironment } from '../../functions/worker/environment';
import { displayPath, type LoadedConfig } from '../../infra/lib/config-file';
import type { Output } from '../output';
import { UsageError } from '../usage-error';
import { LOG_LEVELS } from './emulator';

/** The event file as the handler receives it. */
export function sqsEventFrom(path: string, now = new Date()): SQSEvent {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new UsageError(`${displayPath(path)}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (typeof parsed === 'object' && parsed !== null && Array.isArray((parsed as { Records?: unknown }).Records)) return parsed as SQSEvent;
  const body = JSON.stringify(parsed);
  const messageId = randomUUID();
  const sent = String(now.getTime());
  return {
    Records: [
      {
        messageId,
        receiptHandle: `subzone-invoke-${messageId}`,
        body,
        attributes: {
          ApproximateReceiveCount: '1',
          SentTimestamp: sent,
          SenderId: 'subzone-invoke',
          ApproximateFirstReceiveTimestamp: sent,
        },
        messageAttributes: {},
        md5OfBody: createHash('md5').update(body).digest('hex'),
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:subzone-invoke',
        awsRegion: process.env.AWS_REGION ?? 'us-east-1',
      },
    ],
  };
}

/** Runs the handler once; prints its batch response. */
export async function runInvoke(loaded: LoadedConfig, eventPath: string, logLevel: string, out: Output, json: boolean): Promise<number> {
  const level = LOG_LEVELS.find((known) => known === logLevel.toUpperCase());
  if (level === undefined) throw new UsageError(`--log-level must be one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(logLevel)}`);
  const event = sqsEventFrom(eventPath);
  let environment;
  try {
    environment = readEnvironment();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new UsageError(`the worker's environment: ${error.issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`);
  }
  // Loaded only now: the handler module reads the bundled config when it is loaded.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { makeHandler } = require('../../functions/worker/handler') as typeof import('../../functions/worker/handler');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { productionDeps } = require('../../functions/worker/dependencies') as typeof import('../../functions/worker/dependencies');
  const logger = new Logger({ serviceName: SERVICE_NAME, logLevel: level });
  const metrics = new Metrics({
    serviceName: SERVICE_NAME,
    namespace: METRICS_NAMESPACE,
    logger: new Logger({ logLevel: LogLevel.SILENT }),
  });
  const handler = makeHandler({ ...productionDeps(loaded.config, environment), telemetry: { logger, metrics } });
  const response = await handler(event);
  if (json) out.json(response);
  else {
    const failed = response.batchItemFailures.map((failure) => failure.itemIdentifier);
    out.line(`${event.Records.length} message(s) processed, ${failed.length} failed${failed.length > 0 ? `: ${failed.join(', ')}` : ''}.`);
  }
  return response.batchItemFailures.length === 0 ? 0 : 1;
}
