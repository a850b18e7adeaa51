/**
 * Lambda's SQS event source mapping, emulated: polls a queue and feeds a consumer batches of
 * records the way Lambda does (batch size, maximum batching window, maximum concurrency),
 * with partial batch responses: messages named in `batchItemFailures`, or every message of a
 * batch that threw, stay in the queue and come back after the visibility timeout; the queue's
 * redrive policy moves them to the dead-letter queue after `maxReceiveCount` receives.
 */
import type { SQSBatchResponse, SQSEvent, SQSMessageAttributes, SQSRecord } from 'aws-lambda';
import type { Queue, QueueStore, StoredMessage } from './queues';

/** The worker as Lambda would run it for this queue. */
export type SqsConsumer = (event: SQSEvent) => Promise<SQSBatchResponse | void>;

/** The mapping's settings, named as Lambda names them. */
export interface EventSourceMappingSettings {
  /** Records per batch at most. @default 10 */
  readonly batchSize: number;
  /** How long to gather records before invoking with fewer than `batchSize`. @default 0 */
  readonly maximumBatchingWindowMs: number;
  /** Batches in flight at once. @default 2 (Lambda's minimum) */
  readonly maximumConcurrency: number;
}

/** Lambda's defaults for an SQS event source mapping. */
export const DEFAULT_MAPPING: EventSourceMappingSettings = { batchSize: 10, maximumBatchingWindowMs: 0, maximumConcurrency: 2 };

/** One invocation of the consumer, for tests and the walk-through. */
export interface Invocation {
  readonly messageIds: readonly string[];
  /** Message ids that stay in the queue (reported failures, or all when the batch threw). */
  readonly failedIds: readonly string[];
  readonly error?: string;
}

/** `idle()`/`drain()` did not see the state it waited for in time. */
export class QueueWaitTimeoutError extends Error {
  constructor(what: string, timeoutMs: number, state: string) {
    super(`queue did not become ${what} within ${timeoutMs} ms (${state})`);
    this.name = 'QueueWaitTimeoutError';
  }
}

/** `idle()`/`drain()` was asked while no consumer is attached: nothing would ever change. */
export class NoConsumerError extends Error {
  constructor(queueName: string) {
    super(`no consumer is attached to queue ${queueName}: attach one with setConsumer() before waiting`);
    this.name = 'NoConsumerError';
  }
}

interface Waiter {
  readonly ready: () => boolean;
  readonly resolve: () => void;
}

/** Feeds one queue to one consumer. */
export class SqsEventSourceMapping {
  readonly settings: EventSourceMappingSettings;
  private consumer: SqsConsumer | undefined;
  private inFlight = 0;
  private stopped = false;
  private windowTimer: NodeJS.Timeout | undefined;
  private windowExpired = false;
  private visibilityTimer: NodeJS.Timeout | undefined;
  private pumpScheduled = false;
  private readonly waiters: Waiter[] = [];
  private readonly history: Invocation[] = [];

  constructor(
    private readonly store: QueueStore,
    readonly queue: Queue,
    settings: Partial<EventSourceMappingSettings> = {},
  ) {
    this.settings = { ...DEFAULT_MAPPING, ...settings };
    store.onChange((changed) => {
      if (changed === queue) this.schedulePump();
    });
  }

  /** Attaches (or, with undefined, detaches) the consumer; attaching starts polling. */
  setConsumer(consumer: SqsConsumer | undefined): void {
    this.consumer = consumer;
    this.pump();
  }

  hasConsumer(): boolean {
    return this.consumer !== undefined;
  }

  /** Every invocation so far, oldest first. */
  invocations(): readonly Invocation[] {
    return this.history;
  }

  /** Resolves when no batch runs and no message is visible (hidden messages may remain). */
  idle(options: { readonly timeoutMs?: number } = {}): Promise<void> {
    return this.waitFor('idle', () => this.inFlight === 0 && this.store.counts(this.queue).visible === 0, options.timeoutMs);
  }

  /** Resolves when no batch runs and the queue holds no message at all (retries included). */
  drain(options: { readonly timeoutMs?: number } = {}): Promise<void> {
    return this.waitFor('drained', () => this.inFlight === 0 && this.queue.messages.length === 0, options.timeoutMs);
  }

  /** Stops polling; batches in flight finish. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.windowTimer);
    clearTimeout(this.visibilityTimer);
  }

  /** Pumps on the next turn, so the messages of one SendMessageBatch can share a batch. */
  private schedulePump(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    if (this.stopped) return;
    if (this.consumer) {
      while (this.inFlight < this.settings.maximumConcurrency) {
        const visible = this.store.counts(this.queue).visible;
        if (visible === 0) break;
        if (visible < this.settings.batchSize && this.settings.maximumBatchingWindowMs > 0 && !this.windowExpired) {
          this.windowTimer ??= setTimeout(() => {
            this.windowTimer = undefined;
            this.windowExpired = true;
            this.pump();
          }, this.settings.maximumBatchingWindowMs).unref();
          break;
        }
        const batch = this.store.receive(this.queue, this.settings.batchSize);
        if (batch.length === 0) break;
        this.windowExpired = false;
        clearTimeout(this.windowTimer);
        this.windowTimer = undefined;
        void this.invoke(this.consumer, batch);
      }
      this.scheduleVisibilityWake();
    }
    this.settleWaiters();
  }

  private async invoke(consumer: SqsConsumer, batch: readonly StoredMessage[]): Promise<void> {
    this.inFlight += 1;
    // Handles are captured now: a message that comes back while this batch runs gets a new one.
    const handles = new Map(batch.map((message) => [message.messageId, message.receiptHandle ?? '']));
    let failed: ReadonlySet<string>;
    let error: string | undefined;
    try {
      const response = await consumer({ Records: batch.map((message) => this.toRecord(message)) });
      failed = failedIds(response, handles);
    } catch (thrown) {
      failed = new Set(handles.keys());
      error = thrown instanceof Error ? thrown.message : String(thrown);
    }
    for (const [messageId, handle] of handles) {
      if (!failed.has(messageId)) this.store.delete(this.queue, handle);
    }
    this.history.push({ messageIds: [...handles.keys()], failedIds: [...failed], ...(error === undefined ? {} : { error }) });
    this.inFlight -= 1;
    this.pump();
  }

  private toRecord(message: StoredMessage): SQSRecord {
    const messageAttributes: SQSMessageAttributes = {};
    for (const [name, attribute] of Object.entries(message.messageAttributes)) {
      messageAttributes[name] = {
        dataType: attribute.DataType,
        stringListValues: [],
        binaryListValues: [],
        ...(attribute.StringValue === undefined ? {} : { stringValue: attribute.StringValue }),
        ...(attribute.BinaryValue === undefined ? {} : { binaryValue: attribute.BinaryValue }),
      };
    }
    return {
      messageId: message.messageId,
      receiptHandle: message.receiptHandle ?? '',
      body: message.body,
      attributes: {
        ApproximateReceiveCount: String(message.receiveCount),
        SentTimestamp: String(message.sentTimestamp),
        SenderId: message.senderId,
        ApproximateFirstReceiveTimestamp: String(message.firstReceiveTimestamp ?? message.sentTimestamp),
      },
      messageAttributes,
      md5OfBody: message.md5OfBody,
      eventSource: 'aws:sqs',
      eventSourceARN: this.queue.arn,
      awsRegion: this.store.region,
    };
  }

  private scheduleVisibilityWake(): void {
    clearTimeout(this.visibilityTimer);
    this.visibilityTimer = undefined;
    const at = this.store.nextVisibleAt(this.queue);
    if (at === undefined) return;
    this.visibilityTimer = setTimeout(() => this.pump(), Math.max(0, at - Date.now()) + 1).unref();
  }

  private waitFor(what: string, ready: () => boolean, timeoutMs = 10_000): Promise<void> {
    if (!this.consumer) return Promise.reject(new NoConsumerError(this.queue.name));
    if (ready()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        const counts = this.store.counts(this.queue);
        reject(
          new QueueWaitTimeoutError(
            what,
            timeoutMs,
            `${this.inFlight} batches running, ${counts.visible} visible, ${counts.notVisible} in flight, ${counts.delayed} delayed`,
          ),
        );
      }, timeoutMs);
      const waiter: Waiter = {
        ready,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      this.waiters.push(waiter);
    });
  }

  private settleWaiters(): void {
    for (const waiter of [...this.waiters]) {
      if (!waiter.ready()) continue;
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  }
}

/** The message ids to keep; a response naming an id outside the batch fails the whole batch, as Lambda does. */
function failedIds(response: SQSBatchResponse | void, handles: ReadonlyMap<string, string>): ReadonlySet<string> {
  const failures = response?.batchItemFailures ?? [];
  const ids = failures.map((failure) => failure?.itemIdentifier);
  if (ids.some((id) => typeof id !== 'string' || !handles.has(id))) return new Set(handles.keys());
  return new Set(ids as string[]);
}
