/**
 * SQS records and events as Lambda receives them from the worker's queue, built from
 * message bodies, for handler tests and `subzone invoke`. Bodies of the sample events in
 * events/ are read with `sampleBody`.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SQSEvent, SQSRecord } from 'aws-lambda';

/** The queue the sample records claim to come from. */
export const SAMPLE_QUEUE_ARN = 'arn:aws:sqs:us-east-1:111111111111:subzone-work';

const EVENTS_DIR = join(__dirname, '..', '..', 'events');

/** Options for one record; every field has a plausible default. */
export interface SqsRecordOptions {
  /** @default `record-<n>`, n counting the records built so far */
  readonly messageId?: string;
  /** When the message was sent (SentTimestamp). @default 2026-10-05T09:15:00Z */
  readonly sentAt?: Date;
  /** ApproximateReceiveCount. @default 1 */
  readonly receiveCount?: number;
}

let counter = 0;

/** A message body: strings are sent as they are, anything else as JSON. */
export type Body = string | object;

function text(body: Body): string {
  return typeof body === 'string' ? body : JSON.stringify(body);
}

/** One SQS record carrying `body`. */
export function sqsRecord(body: Body, options: SqsRecordOptions = {}): SQSRecord {
  counter += 1;
  const messageId = options.messageId ?? `record-${counter}`;
  const sentAt = String((options.sentAt ?? new Date('2026-10-05T09:15:00Z')).getTime());
  const content = text(body);
  return {
    messageId,
    receiptHandle: `receipt-${messageId}`,
    body: content,
    attributes: {
      ApproximateReceiveCount: String(options.receiveCount ?? 1),
      SentTimestamp: sentAt,
      SenderId: 'AIDA1111EXAMPLE000001',
      ApproximateFirstReceiveTimestamp: sentAt,
    },
    messageAttributes: {},
    md5OfBody: createHash('md5').update(content).digest('hex'),
    eventSource: 'aws:sqs',
    eventSourceARN: SAMPLE_QUEUE_ARN,
    awsRegion: 'us-east-1',
  };
}

/**
 * An SQS event with one record per body, message ids `msg-1`, `msg-2`, ... in order
 * unless `messageIds` names them.
 */
export function sqsEvent(bodies: readonly Body[], messageIds?: readonly string[]): SQSEvent {
  return {
    Records: bodies.map((body, index) => sqsRecord(body, { messageId: messageIds?.[index] ?? `msg-${index + 1}` })),
  };
}

/** The raw body of a sample in events/, e.g. `sampleBody('create-hosted-zone.json')`. */
export function sampleBody(file: string): string {
  return readFileSync(join(EVENTS_DIR, file), 'utf8');
}
