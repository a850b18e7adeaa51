import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { reportAccount } from '../../../functions/adapters/observability';
import type { AccountResult } from '../../../functions/core/reconcile';
import { makeHandler } from '../../../functions/worker/handler';
import { makeEntry, makeZone } from '../../helpers/core-fixtures';
import { sampleBody, sqsEvent } from '../../helpers/sqs';
import { recordingWorker } from './recording-worker-deps';

const NOW = new Date('2026-11-01T00:00:00Z');

const CONTEXT: Context = {
  callbackWaitsForEmptyEventLoop: true,
  functionName: 'subzone-worker',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:111111111111:function:subzone-worker',
  memoryLimitInMB: '512',
  awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
  logGroupName: '/aws/lambda/subzone-worker',
  logStreamName: '2026/11/01/[$LATEST]abcdef',
  getRemainingTimeInMillis: () => 60_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
};

/** A logger whose lines are kept as parsed JSON objects. */
function capturingLogger(): { readonly logger: Logger; readonly lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const logger = new Logger({ serviceName: 'subzone-test', logLevel: 'INFO' });
  const keep = (line?: unknown, ..._rest: unknown[]) => {
    lines.push(JSON.parse(String(line)) as Record<string, unknown>);
  };
  for (const method of ['info', 'warn', 'error'] as const) jest.spyOn(console, method).mockImplementation(keep);
  return { logger, lines };
}

afterEach(() => {
  jest.restoreAllMocks();
});

describe('makeHandler', () => {
  it("puts Lambda's request id and cold start on every log line of each invocation", async () => {
    // Prepare
    process.env.AWS_LAMBDA_INITIALIZATION_TYPE = 'on-demand';
    const { logger, lines } = capturingLogger();
    delete process.env.AWS_LAMBDA_INITIALIZATION_TYPE;
    const worker = recordingWorker(NOW);
    const handler = makeHandler({ ...worker.deps, telemetry: { ...worker.deps.telemetry, logger } });

    // Act
    await handler(sqsEvent([sampleBody('other-source.json')]), CONTEXT);
    await handler(sqsEvent([sampleBody('other-source.json')]), { ...CONTEXT, awsRequestId: 'second-request' });

    // Assess
    expect(lines).toEqual([
      expect.objectContaining({
        message: 'event ignored',
        function_request_id: CONTEXT.awsRequestId,
        function_name: 'subzone-worker',
        cold_start: true,
      }),
      expect.objectContaining({ message: 'event ignored', function_request_id: 'second-request', cold_start: false }),
    ]);
  });
});

describe('reportAccount', () => {
  const failed: AccountResult = {
    account: '222222222222',
    status: 'failed',
    decisions: [],
    suspects: [],
    error: new Error('spoke unreadable'),
  };

  it('names the account on every line it logs for the account, and on no line after', () => {
    // Prepare
    const { logger, lines } = capturingLogger();
    const worker = recordingWorker(NOW);
    const telemetry = { ...worker.deps.telemetry, logger };

    // Act
    reportAccount(failed, telemetry);
    logger.info('next account');

    // Assess
    expect(lines.map((line) => [line.message, line.accountId])).toEqual([
      ['reconcile failed', '222222222222'],
      ['next account', undefined],
    ]);
  });

  it.each([
    ['enforced', 'applied'],
    ['observed (observe mode, or writes paused)', 'observed'],
  ] as const)('counts an occlusion reported when it begins, %s', (_name, result) => {
    // Prepare
    const worker = recordingWorker(NOW);
    const entry = makeEntry(makeZone('foo.example.com'));
    const occluded: AccountResult = {
      account: entry.account,
      status: 'done',
      decisions: [{ decision: { kind: 'occluded', entry, reason: 'occluded', detail: 'below bar' }, result, reported: true }],
      suspects: [],
    };

    // Act
    reportAccount(occluded, worker.deps.telemetry);

    // Assess
    expect(worker.metrics).toContainEqual({ name: 'DelegationOccluded', value: 1 });
  });
});
