import {
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { clientConfig, useEmulator } from '../helpers/emulator';

const HUB = '111111111111';
const SPOKE = '222222222222';

/** Sends bodies to the work queue through the real SDK, one SendMessage each. */
async function sendAll(sqs: SQSClient, queueUrl: string, bodies: readonly string[]): Promise<void> {
  for (const body of bodies) await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
}

describe('the SQS API', () => {
  const emulator = useEmulator();
  let sqs: SQSClient;

  beforeAll(() => {
    sqs = new SQSClient(clientConfig(emulator(), HUB));
  });
  afterAll(() => sqs.destroy());
  afterEach(() => emulator().queues.purge(emulator().queue.queue));

  it('sends, receives and deletes a message, with the MD5 the SDK checks', async () => {
    // Prepare
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: 'subzone-work' }));

    // Act
    const sent = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: '{"subzone":"sweep","version":1}' }));
    const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['All'] }));
    const message = received.Messages?.[0];
    await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: message?.ReceiptHandle }));
    const after = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }));

    // Assess
    expect(QueueUrl).toBe(emulator().env.WORK_QUEUE_URL);
    expect(message).toMatchObject({ MessageId: sent.MessageId, Body: '{"subzone":"sweep","version":1}' });
    expect(message?.Attributes).toMatchObject({ ApproximateReceiveCount: '1', SenderId: HUB });
    expect(after.Attributes).toMatchObject({ ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0' });
  });

  it('sends and deletes in batches', async () => {
    // Prepare
    const QueueUrl = emulator().env.WORK_QUEUE_URL;

    // Act
    const sent = await sqs.send(
      new SendMessageBatchCommand({ QueueUrl, Entries: ['a', 'b', 'c'].map((body) => ({ Id: body, MessageBody: body })) }),
    );
    const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
    const deleted = await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl,
        Entries: (received.Messages ?? []).map((message, index) => ({ Id: `m${index}`, ReceiptHandle: message.ReceiptHandle })),
      }),
    );

    // Assess
    expect(sent.Successful?.map((entry) => entry.Id)).toEqual(['a', 'b', 'c']);
    expect(received.Messages?.map((message) => message.Body)).toEqual(['a', 'b', 'c']);
    expect(deleted.Successful).toHaveLength(3);
    expect(emulator().queue.queue.messages).toHaveLength(0);
  });

  it('hides a received message for the visibility timeout', async () => {
    // Prepare
    const QueueUrl = emulator().env.WORK_QUEUE_URL;
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'once' }));

    // Act
    const first = await sqs.send(new ReceiveMessageCommand({ QueueUrl, VisibilityTimeout: 30 }));
    const second = await sqs.send(new ReceiveMessageCommand({ QueueUrl }));

    // Assess
    expect(first.Messages).toHaveLength(1);
    expect(second.Messages ?? []).toHaveLength(0);
  });

  it.each([
    ['a queue that does not exist', () => new GetQueueUrlCommand({ QueueName: 'nope' }), 'QueueDoesNotExist'],
    [
      'more than ten batch entries',
      (url: string) =>
        new SendMessageBatchCommand({ QueueUrl: url, Entries: Array.from({ length: 11 }, (_, i) => ({ Id: `e${i}`, MessageBody: 'x' })) }),
      'TooManyEntriesInBatchRequest',
    ],
    [
      'batch entries with one id twice',
      (url: string) =>
        new SendMessageBatchCommand({
          QueueUrl: url,
          Entries: [
            { Id: 'a', MessageBody: 'x' },
            { Id: 'a', MessageBody: 'y' },
          ],
        }),
      'BatchEntryIdsNotDistinct',
    ],
  ])('rejects %s with its SQS error', async (_name, command, code) => {
    // Prepare
    const url = emulator().env.WORK_QUEUE_URL ?? '';

    // Act
    const act = sqs.send(command(url) as never);

    // Assess
    await expect(act).rejects.toMatchObject({ name: code, $metadata: { httpStatusCode: 400 } });
  });

  it("rejects another account's use of the work queue", async () => {
    // Prepare
    const spoke = new SQSClient(clientConfig(emulator(), SPOKE));

    // Act
    const act = spoke.send(new SendMessageCommand({ QueueUrl: emulator().env.WORK_QUEUE_URL, MessageBody: 'x' }));

    // Assess
    await expect(act).rejects.toMatchObject({ $metadata: { httpStatusCode: 403 } });
    expect(emulator().queue.queue.messages).toHaveLength(0);
    spoke.destroy();
  });
});

describe('the event source mapping', () => {
  const emulator = useEmulator({
    // Fractions of a second keep retries fast in tests; the SQS API itself takes whole seconds.
    queue: { batchSize: 4, maximumConcurrency: 2, visibilityTimeoutSeconds: 0.2, maxReceiveCount: 3 },
  });
  let sqs: SQSClient;
  let queueUrl: string;

  beforeAll(() => {
    sqs = new SQSClient(clientConfig(emulator(), HUB));
    queueUrl = emulator().env.WORK_QUEUE_URL ?? '';
  });
  afterAll(() => sqs.destroy());
  afterEach(() => {
    emulator().setConsumer(undefined);
    emulator().queues.purge(emulator().queue.queue);
    emulator().queues.purge(emulator().deadLetterQueue);
  });

  it('feeds every message in batches no larger than the batch size', async () => {
    // Prepare
    const batches: string[][] = [];
    emulator().setConsumer(async (event) => {
      batches.push(event.Records.map((record) => record.body));
      return { batchItemFailures: [] };
    });

    // Act
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: Array.from({ length: 10 }, (_, i) => ({ Id: `m${i}`, MessageBody: `body-${i}` })),
      }),
    );
    await emulator().drain();

    // Assess
    expect(batches.flat().sort()).toEqual(Array.from({ length: 10 }, (_, i) => `body-${i}`).sort());
    expect(Math.max(...batches.map((batch) => batch.length))).toBeLessThanOrEqual(4);
  });

  it('gives each record the shape Lambda gives it', async () => {
    // Prepare
    const records: SQSRecord[] = [];
    emulator().setConsumer(async (event) => {
      records.push(...event.Records);
    });

    // Act
    const sent = await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'shape' }));
    await emulator().drain();

    // Assess
    expect(records).toEqual([
      {
        messageId: sent.MessageId,
        receiptHandle: expect.any(String),
        body: 'shape',
        attributes: {
          ApproximateReceiveCount: '1',
          SentTimestamp: expect.stringMatching(/^\d{13}$/),
          SenderId: HUB,
          ApproximateFirstReceiveTimestamp: expect.stringMatching(/^\d{13}$/),
        },
        messageAttributes: {},
        md5OfBody: sent.MD5OfMessageBody,
        eventSource: 'aws:sqs',
        eventSourceARN: `arn:aws:sqs:us-east-1:${HUB}:subzone-work`,
        awsRegion: 'us-east-1',
      },
    ]);
  });

  it('runs no more batches at once than the maximum concurrency', async () => {
    // Prepare: each batch is held until two run at once, so overlap does not depend on timing;
    // the mapping starts every batch it may in one pass, so a third would be counted too.
    let running = 0;
    let peak = 0;
    let releaseAll: () => void = () => undefined;
    const twoRunning = new Promise<void>((resolve) => {
      releaseAll = resolve;
    });
    emulator().setConsumer(async () => {
      running += 1;
      peak = Math.max(peak, running);
      if (running === 2) releaseAll();
      await twoRunning;
      running -= 1;
    });

    // Act
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: Array.from({ length: 10 }, (_, i) => ({ Id: `c${i}`, MessageBody: `c${i}` })),
      }),
    );
    await emulator().drain();

    // Assess
    expect(peak).toBe(2);
  });

  it('redelivers only the messages named in batchItemFailures, after the visibility timeout', async () => {
    // Prepare
    const deliveries: Array<{ body: string; count: string }> = [];
    emulator().setConsumer(async (event: SQSEvent): Promise<SQSBatchResponse> => {
      deliveries.push(...event.Records.map((record) => ({ body: record.body, count: record.attributes.ApproximateReceiveCount })));
      const failing = event.Records.filter((record) => record.body === 'flaky' && record.attributes.ApproximateReceiveCount === '1');
      return { batchItemFailures: failing.map((record) => ({ itemIdentifier: record.messageId })) };
    });

    // Act
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: [
          { Id: 'a', MessageBody: 'steady' },
          { Id: 'b', MessageBody: 'flaky' },
        ],
      }),
    );
    await emulator().drain();

    // Assess
    expect(deliveries).toEqual([
      { body: 'steady', count: '1' },
      { body: 'flaky', count: '1' },
      { body: 'flaky', count: '2' },
    ]);
  });

  it('redelivers the whole batch when the consumer throws', async () => {
    // Prepare
    let calls = 0;
    emulator().setConsumer(async (event) => {
      calls += 1;
      if (calls === 1) throw new Error(`boom on ${event.Records.length}`);
      return { batchItemFailures: [] };
    });

    // Act
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: [
          { Id: 'x', MessageBody: 'x' },
          { Id: 'y', MessageBody: 'y' },
        ],
      }),
    );
    await emulator().drain();

    // Assess
    const history = emulator().queue.invocations().slice(-2);
    expect(history[0]).toMatchObject({ error: 'boom on 2', failedIds: history[0]?.messageIds });
    expect(history[1]).toMatchObject({ messageIds: history[0]?.messageIds, failedIds: [] });
  });

  it('fails the whole batch when batchItemFailures names a message outside it', async () => {
    // Prepare
    let calls = 0;
    emulator().setConsumer(async () => {
      calls += 1;
      return { batchItemFailures: calls === 1 ? [{ itemIdentifier: 'not-in-this-batch' }] : [] };
    });

    // Act
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: [
          { Id: 'a', MessageBody: 'one' },
          { Id: 'b', MessageBody: 'two' },
        ],
      }),
    );
    await emulator().drain();

    // Assess
    expect(calls).toBe(2);
    expect(emulator().queue.invocations().at(-2)?.failedIds).toHaveLength(2);
  });

  it('moves a message that keeps failing to the dead-letter queue after maxReceiveCount receives', async () => {
    // Prepare
    const counts: string[] = [];
    emulator().setConsumer(async (event) => {
      counts.push(...event.Records.map((record) => record.attributes.ApproximateReceiveCount));
      return { batchItemFailures: event.Records.map((record) => ({ itemIdentifier: record.messageId })) };
    });

    // Act
    const sent = await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'poison' }));
    await emulator().drain();

    // Assess
    expect(counts).toEqual(['1', '2', '3']);
    const dlq = await sqs.send(new GetQueueUrlCommand({ QueueName: 'subzone-work-dlq' }));
    const dead = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: dlq.QueueUrl, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }),
    );
    expect(dead.Messages?.map((message) => [message.MessageId, message.Body])).toEqual([[sent.MessageId, 'poison']]);
  });

  it('rejects waiting for quiescence with no consumer attached', async () => {
    // Prepare: the consumer was detached after the previous test

    // Act
    const act = emulator().drain();

    // Assess
    await expect(act).rejects.toThrow(/no consumer is attached/);
  });
});

describe('the event source mapping with a batching window', () => {
  const emulator = useEmulator({ queue: { batchSize: 10, maximumBatchingWindowMs: 300 } });

  it('waits for the batching window to gather messages into one batch', async () => {
    // Prepare
    const sqs = new SQSClient(clientConfig(emulator(), HUB));
    const sizes: number[] = [];
    emulator().setConsumer(async (event) => {
      sizes.push(event.Records.length);
    });

    // Act
    await sendAll(sqs, emulator().env.WORK_QUEUE_URL ?? '', ['w1', 'w2', 'w3']);
    await emulator().drain();

    // Assess
    expect(sizes).toEqual([3]);
    sqs.destroy();
  });
});
