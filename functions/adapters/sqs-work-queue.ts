/**
 * Sends work to the worker's own queue (sweep fan-out, CLI requests) with SendMessageBatch,
 * ten messages a call, or fewer when their bodies together would pass the call's 256 KiB. A batch call can succeed while some of its entries fail, so `Failed`
 * is checked and those entries are retried once before giving up.
 */
import {
  type BatchResultErrorEntry,
  type SQSClient,
  type SendMessageBatchRequestEntry,
  SendMessageBatchCommand,
} from '@aws-sdk/client-sqs';
import type { WorkQueue } from '../core/ports';

/** SendMessageBatch accepts at most 10 entries per call. */
export const SEND_MESSAGE_BATCH_MAX_ENTRIES = 10;

/** ... and at most 256 KiB of message bodies per call, all entries together. */
const SEND_MESSAGE_BATCH_MAX_BYTES = 256 * 1024;

/** Some messages could not be sent, even after one retry. */
export class WorkQueueSendError extends Error {
  /** The failures, with the index of each message in the `send` call that failed. */
  public readonly failures: readonly { readonly index: number; readonly code: string; readonly message: string }[];
  constructor(queueUrl: string, failures: WorkQueueSendError['failures'], options?: { cause?: unknown }) {
    super(
      `could not send ${failures.length} message(s) to ${queueUrl}: ${failures
        .map((f) => `message ${f.index}: ${f.code}${f.message ? ` (${f.message})` : ''}`)
        .join('; ')}`,
      options,
    );
    this.name = 'WorkQueueSendError';
    this.failures = failures;
  }
}

/** Options of SqsWorkQueue. */
export interface SqsWorkQueueOptions {
  /** URL of the worker's queue. */
  readonly queueUrl: string;
}

/** WorkQueue over SQS SendMessageBatch; each message body is the message as JSON. */
export class SqsWorkQueue implements WorkQueue {
  private readonly client: SQSClient;
  private readonly queueUrl: string;

  constructor(client: SQSClient, options: SqsWorkQueueOptions) {
    if (!options.queueUrl) throw new Error('SqsWorkQueue: queueUrl is required, got an empty string');
    this.client = client;
    this.queueUrl = options.queueUrl;
  }

  /** Sends every message or throws WorkQueueSendError naming the ones that failed twice. */
  async send(messages: readonly object[]): Promise<void> {
    // Ids are the messages' indexes in this call, so a failure names its message.
    const entries = messages.map((message, index) => ({ Id: String(index), MessageBody: JSON.stringify(message) }));
    const failures: BatchResultErrorEntry[] = [];
    for (const chunk of batchesOf(entries)) {
      const failed = await this.sendChunk(chunk);
      // A sender fault (message too large, invalid body) fails the same way again: no retry.
      const retryable = failed.filter((f) => !f.SenderFault);
      const retried = retryable.length > 0 ? await this.sendChunk(chunk.filter((e) => isIn(e, retryable))) : [];
      failures.push(...failed.filter((f) => f.SenderFault), ...retried);
    }
    if (failures.length > 0) {
      throw new WorkQueueSendError(
        this.queueUrl,
        failures
          .map((f) => ({ index: Number(f.Id), code: f.Code ?? 'Unknown', message: f.Message ?? '' }))
          .sort((a, b) => a.index - b.index),
      );
    }
  }

  private async sendChunk(chunk: readonly SendMessageBatchRequestEntry[]): Promise<BatchResultErrorEntry[]> {
    const result = await this.client.send(new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: [...chunk] }));
    return result.Failed ?? [];
  }
}

/** The entries in calls of at most SEND_MESSAGE_BATCH_MAX_ENTRIES entries and SEND_MESSAGE_BATCH_MAX_BYTES of bodies. */
function batchesOf(entries: readonly SendMessageBatchRequestEntry[]): SendMessageBatchRequestEntry[][] {
  const batches: SendMessageBatchRequestEntry[][] = [];
  let current: SendMessageBatchRequestEntry[] = [];
  let bytes = 0;
  for (const entry of entries) {
    const size = Buffer.byteLength(entry.MessageBody ?? '');
    if (current.length === SEND_MESSAGE_BATCH_MAX_ENTRIES || (current.length > 0 && bytes + size > SEND_MESSAGE_BATCH_MAX_BYTES)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(entry);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

function isIn(entry: SendMessageBatchRequestEntry, failures: readonly BatchResultErrorEntry[]): boolean {
  return failures.some((f) => f.Id === entry.Id);
}
