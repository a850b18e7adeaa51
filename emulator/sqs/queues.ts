/**
 * SQS standard queues held in memory: send, receive with a visibility timeout, delete by the
 * latest receipt handle, receive counts and the redrive to a dead-letter queue once a message
 * has been received `maxReceiveCount` times.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { AccountId } from '../../functions/core/types';
import { EmulatedServiceError } from '../types';

/** A queue's settings. */
export interface QueueSettings {
  /** Seconds a received message stays hidden. @default 30 */
  readonly visibilityTimeoutSeconds: number;
  /** The dead-letter queue (by name, same account) and the receives before a message moves there. */
  readonly redrive?: { readonly deadLetterQueueName: string; readonly maxReceiveCount: number };
}

/** A message attribute as the SQS API carries it. */
export interface MessageAttribute {
  readonly DataType: string;
  readonly StringValue?: string;
  readonly BinaryValue?: string;
}

/** A message held in a queue. */
export interface StoredMessage {
  readonly messageId: string;
  readonly body: string;
  readonly md5OfBody: string;
  readonly sentTimestamp: number;
  readonly senderId: string;
  readonly messageAttributes: Readonly<Record<string, MessageAttribute>>;
  receiveCount: number;
  firstReceiveTimestamp?: number;
  /** Epoch ms from which the message can be received again. */
  visibleAt: number;
  /** The handle of the latest receive; only it deletes the message. */
  receiptHandle?: string;
}

/** A queue: its identity, settings and messages. */
export interface Queue {
  readonly account: AccountId;
  readonly name: string;
  readonly arn: string;
  readonly url: string;
  readonly settings: QueueSettings;
  readonly createdTimestamp: number;
  readonly messages: StoredMessage[];
}

/** Called when a queue gains a message or one may have become visible. */
export type QueueListener = (queue: Queue) => void;

/** All queues of all accounts. */
export class QueueStore {
  private readonly queues = new Map<string, Queue>();
  private readonly listeners: QueueListener[] = [];

  constructor(
    private readonly endpoint: () => string,
    readonly region = 'us-east-1',
    private readonly now: () => number = Date.now,
  ) {}

  /** Creates a queue, or returns the existing one of that name. */
  createQueue(account: AccountId, name: string, settings: Partial<QueueSettings> = {}): Queue {
    if (!/^[A-Za-z0-9_-]{1,80}$/.test(name)) {
      throw new EmulatedServiceError(
        'InvalidParameterValue',
        `Queue name ${JSON.stringify(name)} is not valid: expected 1-80 of [A-Za-z0-9_-]`,
      );
    }
    const existing = this.queues.get(key(account, name));
    if (existing) return existing;
    const queue: Queue = {
      account,
      name,
      arn: `arn:aws:sqs:${this.region}:${account}:${name}`,
      url: `${this.endpoint()}/${account}/${name}`,
      settings: { visibilityTimeoutSeconds: 30, ...settings },
      createdTimestamp: this.now(),
      messages: [],
    };
    this.queues.set(key(account, name), queue);
    return queue;
  }

  /** A queue by account and name, or undefined. */
  find(account: AccountId, name: string): Queue | undefined {
    return this.queues.get(key(account, name));
  }

  /** A queue by its URL (`<endpoint>/<account>/<name>`); QueueDoesNotExist otherwise. */
  byUrl(url: string): Queue {
    const match = /\/(\d{12})\/([A-Za-z0-9_-]+)\/?$/.exec(url);
    const queue = match?.[1] && match[2] ? this.find(match[1], match[2]) : undefined;
    if (!queue) throw queueDoesNotExist();
    return queue;
  }

  /** A queue by ARN, or undefined. */
  byArn(arn: string): Queue | undefined {
    const match = /^arn:aws:sqs:[a-z0-9-]+:(\d{12}):([A-Za-z0-9_-]+)$/.exec(arn);
    return match?.[1] && match[2] ? this.find(match[1], match[2]) : undefined;
  }

  /** Every queue of an account. */
  list(account: AccountId): Queue[] {
    return [...this.queues.values()].filter((queue) => queue.account === account);
  }

  /** Registers a listener for new or newly visible messages. */
  onChange(listener: QueueListener): void {
    this.listeners.push(listener);
  }

  /** Adds a message; `delaySeconds` hides it that long first. */
  send(
    queue: Queue,
    body: string,
    options: { readonly senderId: string; readonly delaySeconds?: number; readonly messageAttributes?: Record<string, MessageAttribute> },
  ): StoredMessage {
    const now = this.now();
    const message: StoredMessage = {
      messageId: randomUUID(),
      body,
      md5OfBody: md5(body),
      sentTimestamp: now,
      senderId: options.senderId,
      messageAttributes: options.messageAttributes ?? {},
      receiveCount: 0,
      visibleAt: now + (options.delaySeconds ?? 0) * 1000,
    };
    queue.messages.push(message);
    this.notify(queue);
    return message;
  }

  /**
   * Receives up to `max` visible messages, oldest first, hiding each for the visibility
   * timeout. A message already received `maxReceiveCount` times moves to the dead-letter queue.
   */
  receive(queue: Queue, max: number, visibilityTimeoutSeconds = queue.settings.visibilityTimeoutSeconds): StoredMessage[] {
    const now = this.now();
    const received: StoredMessage[] = [];
    for (const message of [...queue.messages]) {
      if (received.length >= max) break;
      if (message.visibleAt > now) continue;
      if (this.redrive(queue, message)) continue;
      message.receiveCount += 1;
      message.firstReceiveTimestamp ??= now;
      message.visibleAt = now + visibilityTimeoutSeconds * 1000;
      message.receiptHandle = `${message.messageId}:${randomUUID()}`;
      received.push(message);
    }
    return received;
  }

  /**
   * Deletes the message of a receipt handle. A handle of an earlier receive leaves the
   * message in place and succeeds, as SQS documents it "might not be deleted".
   */
  delete(queue: Queue, receiptHandle: string): void {
    const messageId = receiptHandle.split(':')[0];
    if (!messageId || !receiptHandle.includes(':')) {
      throw new EmulatedServiceError(
        'ReceiptHandleIsInvalid',
        `The input receipt handle "${receiptHandle}" is not a valid receipt handle.`,
      );
    }
    const index = queue.messages.findIndex((message) => message.receiptHandle === receiptHandle);
    if (index >= 0) queue.messages.splice(index, 1);
  }

  /** Changes the visibility of a received message (0 makes it visible at once). */
  changeVisibility(queue: Queue, receiptHandle: string, seconds: number): void {
    const message = queue.messages.find((candidate) => candidate.receiptHandle === receiptHandle);
    if (!message) {
      throw new EmulatedServiceError(
        'InvalidParameterValue',
        `Value ${receiptHandle} for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change.`,
      );
    }
    message.visibleAt = this.now() + seconds * 1000;
    if (seconds === 0) this.notify(queue);
  }

  /** Drops every message of a queue. */
  purge(queue: Queue): void {
    queue.messages.length = 0;
  }

  /** Visible, hidden (in flight) and delayed counts, as GetQueueAttributes reports them. */
  counts(queue: Queue): { visible: number; notVisible: number; delayed: number } {
    const now = this.now();
    let visible = 0;
    let notVisible = 0;
    let delayed = 0;
    for (const message of queue.messages) {
      if (message.visibleAt <= now) visible += 1;
      else if (message.receiveCount === 0) delayed += 1;
      else notVisible += 1;
    }
    return { visible, notVisible, delayed };
  }

  /** When the next hidden message becomes visible (epoch ms), or undefined if none is hidden. */
  nextVisibleAt(queue: Queue): number | undefined {
    const now = this.now();
    const times = queue.messages.map((message) => message.visibleAt).filter((at) => at > now);
    return times.length > 0 ? Math.min(...times) : undefined;
  }

  private redrive(queue: Queue, message: StoredMessage): boolean {
    const redrive = queue.settings.redrive;
    if (!redrive || message.receiveCount < redrive.maxReceiveCount) return false;
    const deadLetter = this.find(queue.account, redrive.deadLetterQueueName);
    if (!deadLetter) return false;
    queue.messages.splice(queue.messages.indexOf(message), 1);
    // The message keeps its id, body, sent time and receive count in the dead-letter queue.
    message.visibleAt = this.now();
    delete message.receiptHandle;
    deadLetter.messages.push(message);
    this.notify(deadLetter);
    return true;
  }

  private notify(queue: Queue): void {
    for (const listener of this.listeners) listener(queue);
  }
}

/** SQS's answer for a queue that does not exist. */
export function queueDoesNotExist(): EmulatedServiceError {
  return new EmulatedServiceError('QueueDoesNotExist', 'The specified queue does not exist.');
}

/** Hex MD5 of a body, which the SDK checks on send and receive. */
export function md5(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

function key(account: AccountId, name: string): string {
  return `${account}/${name}`;
}
