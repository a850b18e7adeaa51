/**
 * SQS over AWS JSON 1.0 (`x-amz-target: AmazonSQS.<Operation>`), as the installed
 * @aws-sdk/client-sqs speaks it (it is "awsQueryCompatible": errors carry the query-protocol
 * code in `x-amzn-query-error`). Enough for the worker's sweep fan-out, the CLI and tests.
 */
import type { AccountId } from '../../functions/core/types';
import {
  jsonError,
  jsonInput,
  jsonOperation,
  jsonResponse,
  optionalArray,
  optionalInteger,
  optionalString,
  requiredString,
} from '../json-protocol';
import { EmulatedServiceError, type EmulatedService, type ServiceRequest, type ServiceResponse } from '../types';
import { queueDoesNotExist, type MessageAttribute, type Queue, type QueueSettings, type QueueStore, type StoredMessage } from './queues';

type Input = Record<string, unknown>;

const MAX_BATCH = 10;
/** 256 KiB: SQS's long-standing message size limit, the stricter of the documented ones. */
const MAX_MESSAGE_BYTES = 262_144;
const LONG_POLL_STEP_MS = 20;

/** Query-protocol codes of the errors this service raises (awsQueryCompatible). */
const QUERY_CODES: Readonly<Record<string, string>> = {
  QueueDoesNotExist: 'AWS.SimpleQueueService.NonExistentQueue',
  TooManyEntriesInBatchRequest: 'AWS.SimpleQueueService.TooManyEntriesInBatchRequest',
  EmptyBatchRequest: 'AWS.SimpleQueueService.EmptyBatchRequest',
  BatchEntryIdsNotDistinct: 'AWS.SimpleQueueService.BatchEntryIdsNotDistinct',
  UnsupportedOperation: 'AWS.SimpleQueueService.UnsupportedOperation',
};

/** The SQS service of the emulator. */
export class SqsService implements EmulatedService {
  readonly name = 'sqs' as const;

  constructor(private readonly store: QueueStore) {}

  operationOf(request: ServiceRequest): string {
    return jsonOperation(request, 'AmazonSQS');
  }

  async handle(request: ServiceRequest): Promise<ServiceResponse> {
    const input = jsonInput(request);
    const { account } = request;
    switch (this.operationOf(request)) {
      case 'CreateQueue':
        return ok({ QueueUrl: this.createQueue(account, input).url });
      case 'GetQueueUrl':
        return ok({ QueueUrl: this.getQueueUrl(account, input) });
      case 'ListQueues': {
        const prefix = optionalString(input, 'QueueNamePrefix', 'InvalidParameterValue') ?? '';
        return ok({
          QueueUrls: this.store
            .list(account)
            .filter((queue) => queue.name.startsWith(prefix))
            .map((queue) => queue.url),
        });
      }
      case 'SendMessage':
        return ok(this.sendMessage(account, input));
      case 'SendMessageBatch':
        return ok(this.sendMessageBatch(account, input));
      case 'ReceiveMessage':
        return ok(await this.receiveMessage(account, input));
      case 'DeleteMessage':
        this.store.delete(this.queue(account, input), requiredString(input, 'ReceiptHandle', 'MissingParameter'));
        return ok({});
      case 'DeleteMessageBatch':
        return ok(this.deleteMessageBatch(account, input));
      case 'ChangeMessageVisibility': {
        const seconds = optionalInteger(input, 'VisibilityTimeout', 0, 43_200, 'InvalidParameterValue') ?? 0;
        this.store.changeVisibility(this.queue(account, input), requiredString(input, 'ReceiptHandle', 'MissingParameter'), seconds);
        return ok({});
      }
      case 'GetQueueAttributes':
        return ok({ Attributes: this.attributes(this.queue(account, input)) });
      case 'PurgeQueue':
        this.store.purge(this.queue(account, input));
        return ok({});
      default:
        throw new EmulatedServiceError('UnsupportedOperation', `Operation ${this.operationOf(request)} is not supported by the emulator.`);
    }
  }

  renderError(error: EmulatedServiceError): ServiceResponse {
    const queryCode = QUERY_CODES[error.code] ?? error.code;
    return jsonError('1.0', error, {
      typeNamespace: 'com.amazonaws.sqs',
      queryError: `${queryCode};${error.status >= 500 ? 'Receiver' : 'Sender'}`,
    });
  }

  private createQueue(account: AccountId, input: Input): Queue {
    const name = requiredString(input, 'QueueName', 'MissingParameter');
    const attributes = (input.Attributes ?? {}) as Record<string, unknown>;
    const settings: { visibilityTimeoutSeconds?: number; redrive?: QueueSettings['redrive'] } = {};
    if (attributes.VisibilityTimeout !== undefined) {
      const seconds = Number(attributes.VisibilityTimeout);
      if (!Number.isInteger(seconds) || seconds < 0 || seconds > 43_200) {
        throw new EmulatedServiceError(
          'InvalidAttributeValue',
          `Invalid value for the parameter VisibilityTimeout: ${JSON.stringify(attributes.VisibilityTimeout)}, expected 0 to 43200.`,
        );
      }
      settings.visibilityTimeoutSeconds = seconds;
    }
    if (typeof attributes.RedrivePolicy === 'string') settings.redrive = this.redrivePolicy(account, attributes.RedrivePolicy);
    return this.store.createQueue(account, name, settings);
  }

  private redrivePolicy(account: AccountId, text: string): QueueSettings['redrive'] {
    let policy: { deadLetterTargetArn?: unknown; maxReceiveCount?: unknown };
    try {
      policy = JSON.parse(text) as typeof policy;
    } catch {
      throw new EmulatedServiceError('InvalidAttributeValue', 'Invalid value for the parameter RedrivePolicy: not valid JSON.');
    }
    const deadLetter = typeof policy.deadLetterTargetArn === 'string' ? this.store.byArn(policy.deadLetterTargetArn) : undefined;
    const maxReceiveCount = Number(policy.maxReceiveCount);
    if (!deadLetter || deadLetter.account !== account) {
      throw new EmulatedServiceError(
        'InvalidAttributeValue',
        `Value ${JSON.stringify(policy.deadLetterTargetArn)} for parameter RedrivePolicy is invalid. Reason: Dead letter target does not exist.`,
      );
    }
    if (!Number.isInteger(maxReceiveCount) || maxReceiveCount < 1 || maxReceiveCount > 1000) {
      throw new EmulatedServiceError(
        'InvalidAttributeValue',
        `Value ${JSON.stringify(policy.maxReceiveCount)} for parameter RedrivePolicy is invalid. Reason: maxReceiveCount must be an integer from 1 to 1000.`,
      );
    }
    return { deadLetterQueueName: deadLetter.name, maxReceiveCount };
  }

  private getQueueUrl(account: AccountId, input: Input): string {
    const name = requiredString(input, 'QueueName', 'MissingParameter');
    const owner = optionalString(input, 'QueueOwnerAWSAccountId', 'InvalidParameterValue') ?? account;
    const queue = this.store.find(owner, name);
    if (!queue || owner !== account) throw queueDoesNotExist();
    return queue.url;
  }

  private sendMessage(account: AccountId, input: Input): unknown {
    const queue = this.queue(account, input);
    const message = this.send(queue, account, input);
    return { MessageId: message.messageId, MD5OfMessageBody: message.md5OfBody };
  }

  private sendMessageBatch(account: AccountId, input: Input): unknown {
    const queue = this.queue(account, input);
    const entries = this.batchEntries(input);
    const successful = entries.map((entry) => {
      const message = this.send(queue, account, entry);
      return { Id: entry.Id, MessageId: message.messageId, MD5OfMessageBody: message.md5OfBody };
    });
    return { Successful: successful, Failed: [] };
  }

  private send(queue: Queue, account: AccountId, input: Input): StoredMessage {
    const body = requiredString(input, 'MessageBody', 'MissingParameter');
    if (Buffer.byteLength(body, 'utf8') > MAX_MESSAGE_BYTES) {
      throw new EmulatedServiceError(
        'InvalidParameterValue',
        `One or more parameters are invalid. Reason: Message must be shorter than ${MAX_MESSAGE_BYTES} bytes.`,
      );
    }
    const delaySeconds = optionalInteger(input, 'DelaySeconds', 0, 900, 'InvalidParameterValue');
    const messageAttributes = (input.MessageAttributes ?? undefined) as Record<string, MessageAttribute> | undefined;
    return this.store.send(queue, body, {
      senderId: account,
      ...(delaySeconds === undefined ? {} : { delaySeconds }),
      ...(messageAttributes === undefined ? {} : { messageAttributes }),
    });
  }

  private async receiveMessage(account: AccountId, input: Input): Promise<unknown> {
    const queue = this.queue(account, input);
    const max = optionalInteger(input, 'MaxNumberOfMessages', 1, 10, 'InvalidParameterValue') ?? 1;
    const visibility = optionalInteger(input, 'VisibilityTimeout', 0, 43_200, 'InvalidParameterValue');
    const waitSeconds = optionalInteger(input, 'WaitTimeSeconds', 0, 20, 'InvalidParameterValue') ?? 0;
    const systemNames = [
      ...((optionalArray(input, 'AttributeNames', 'InvalidParameterValue') ?? []) as string[]),
      ...((optionalArray(input, 'MessageSystemAttributeNames', 'InvalidParameterValue') ?? []) as string[]),
    ];
    const attributeNames = (optionalArray(input, 'MessageAttributeNames', 'InvalidParameterValue') ?? []) as string[];
    const deadline = Date.now() + waitSeconds * 1000;
    let messages = this.store.receive(queue, max, visibility);
    while (messages.length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, LONG_POLL_STEP_MS));
      messages = this.store.receive(queue, max, visibility);
    }
    return {
      Messages: messages.map((message) => ({
        MessageId: message.messageId,
        ReceiptHandle: message.receiptHandle,
        MD5OfBody: message.md5OfBody,
        Body: message.body,
        ...(systemNames.length > 0 ? { Attributes: systemAttributes(message, systemNames) } : {}),
        ...(attributeNames.length > 0 && Object.keys(message.messageAttributes).length > 0
          ? { MessageAttributes: selectAttributes(message.messageAttributes, attributeNames) }
          : {}),
      })),
    };
  }

  private deleteMessageBatch(account: AccountId, input: Input): unknown {
    const queue = this.queue(account, input);
    const entries = this.batchEntries(input);
    const successful: { Id: unknown }[] = [];
    const failed: { Id: unknown; Code: string; Message: string; SenderFault: boolean }[] = [];
    for (const entry of entries) {
      try {
        this.store.delete(queue, requiredString(entry, 'ReceiptHandle', 'MissingParameter'));
        successful.push({ Id: entry.Id });
      } catch (error) {
        if (!(error instanceof EmulatedServiceError)) throw error;
        failed.push({ Id: entry.Id, Code: error.code, Message: error.message, SenderFault: true });
      }
    }
    return { Successful: successful, Failed: failed };
  }

  private batchEntries(input: Input): Input[] {
    const entries = (optionalArray(input, 'Entries', 'InvalidParameterValue') ?? []) as Input[];
    if (entries.length === 0)
      throw new EmulatedServiceError('EmptyBatchRequest', 'There should be at least one SendMessageBatchRequestEntry in the request.');
    if (entries.length > MAX_BATCH) {
      throw new EmulatedServiceError(
        'TooManyEntriesInBatchRequest',
        `Maximum number of entries per request are ${MAX_BATCH}. You have sent ${entries.length}.`,
      );
    }
    const ids = entries.map((entry) => entry.Id);
    if (ids.some((id) => typeof id !== 'string' || !/^[A-Za-z0-9_-]{1,80}$/.test(id))) {
      throw new EmulatedServiceError(
        'InvalidBatchEntryId',
        'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.',
      );
    }
    if (new Set(ids).size !== ids.length)
      throw new EmulatedServiceError('BatchEntryIdsNotDistinct', 'Two or more batch entries in the request have the same Id.');
    return entries;
  }

  private attributes(queue: Queue): Record<string, string> {
    const counts = this.store.counts(queue);
    const attributes: Record<string, string> = {
      QueueArn: queue.arn,
      ApproximateNumberOfMessages: String(counts.visible),
      ApproximateNumberOfMessagesNotVisible: String(counts.notVisible),
      ApproximateNumberOfMessagesDelayed: String(counts.delayed),
      VisibilityTimeout: String(queue.settings.visibilityTimeoutSeconds),
      CreatedTimestamp: String(Math.floor(queue.createdTimestamp / 1000)),
      DelaySeconds: '0',
      MaximumMessageSize: String(MAX_MESSAGE_BYTES),
      MessageRetentionPeriod: '345600',
      ReceiveMessageWaitTimeSeconds: '0',
      SqsManagedSseEnabled: 'true',
    };
    const redrive = queue.settings.redrive;
    if (redrive) {
      attributes.RedrivePolicy = JSON.stringify({
        deadLetterTargetArn: `arn:aws:sqs:${this.store.region}:${queue.account}:${redrive.deadLetterQueueName}`,
        maxReceiveCount: redrive.maxReceiveCount,
      });
    }
    return attributes;
  }

  /** The queue named by `QueueUrl`; only its own account may use it here. */
  private queue(account: AccountId, input: Input): Queue {
    const queue = this.store.byUrl(requiredString(input, 'QueueUrl', 'MissingParameter'));
    if (queue.account !== account) throw new EmulatedServiceError('AccessDenied', `Access to the resource ${queue.url} is denied.`, 403);
    return queue;
  }
}

function ok(body: unknown): ServiceResponse {
  return jsonResponse('1.0', body);
}

function systemAttributes(message: StoredMessage, names: readonly string[]): Record<string, string> {
  const all: Record<string, string> = {
    ApproximateReceiveCount: String(message.receiveCount),
    SentTimestamp: String(message.sentTimestamp),
    SenderId: message.senderId,
    ApproximateFirstReceiveTimestamp: String(message.firstReceiveTimestamp ?? message.sentTimestamp),
  };
  if (names.includes('All')) return all;
  return Object.fromEntries(Object.entries(all).filter(([name]) => names.includes(name)));
}

function selectAttributes(
  attributes: Readonly<Record<string, MessageAttribute>>,
  names: readonly string[],
): Record<string, MessageAttribute> {
  if (names.includes('All') || names.includes('.*')) return { ...attributes };
  return Object.fromEntries(Object.entries(attributes).filter(([name]) => names.includes(name)));
}
