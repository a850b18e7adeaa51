import { SQSClient, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { SqsWorkQueue, WorkQueueSendError } from '../../../functions/adapters/sqs-work-queue';

const sqs = mockClient(SQSClient);
const queueUrl = 'https://sqs.us-east-1.amazonaws.com/111111111111/subzone-work';

function queue() {
  return new SqsWorkQueue(new SQSClient({}), { queueUrl });
}

function sentInputs() {
  return sqs.commandCalls(SendMessageBatchCommand).map((call) => call.args[0].input);
}

beforeEach(() => {
  sqs.reset();
});

describe('SqsWorkQueue', () => {
  it('sends 23 messages in three batches of 10, 10 and 3, bodies as JSON', async () => {
    // Prepare
    const messages = Array.from({ length: 23 }, (_, i) => ({ kind: 'sweep-account', account: String(200000000000 + i) }));
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });

    // Act
    await queue().send(messages);

    // Assess
    const entries = messages.map((m, i) => ({ Id: String(i), MessageBody: JSON.stringify(m) }));
    expect(sentInputs()).toEqual([
      { QueueUrl: queueUrl, Entries: entries.slice(0, 10) },
      { QueueUrl: queueUrl, Entries: entries.slice(10, 20) },
      { QueueUrl: queueUrl, Entries: entries.slice(20) },
    ]);
  });

  it('sends fewer than 10 messages a call when their bodies together would pass 256 KiB', async () => {
    // Prepare: 60 KB messages, four of which fit one call.
    const messages = Array.from({ length: 6 }, (_, i) => ({ account: String(200000000000 + i), padding: 'x'.repeat(60_000) }));
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });

    // Act
    await queue().send(messages);

    // Assess
    const sizes = sentInputs().map((input) => input.Entries?.reduce((sum, entry) => sum + (entry.MessageBody?.length ?? 0), 0) ?? 0);
    expect(sentInputs().map((input) => input.Entries?.map((entry) => entry.Id))).toEqual([
      ['0', '1', '2', '3'],
      ['4', '5'],
    ]);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(256 * 1024);
  });

  it('makes no call for no messages', async () => {
    // Act
    await queue().send([]);

    // Assess
    expect(sqs).toHaveReceivedCommandTimes(SendMessageBatchCommand, 0);
  });

  it('retries only the failed entries once and succeeds', async () => {
    // Prepare
    const messages = Array.from({ length: 4 }, (_, i) => ({ n: i }));
    sqs
      .on(SendMessageBatchCommand)
      .resolvesOnce({
        Failed: [
          { Id: '1', Code: 'InternalError', SenderFault: false },
          { Id: '3', Code: 'InternalError', SenderFault: false },
        ],
      })
      .resolves({ Failed: [] });

    // Act
    await queue().send(messages);

    // Assess
    expect(sentInputs()[1]).toEqual({
      QueueUrl: queueUrl,
      Entries: [
        { Id: '1', MessageBody: '{"n":1}' },
        { Id: '3', MessageBody: '{"n":3}' },
      ],
    });
    expect(sqs).toHaveReceivedCommandTimes(SendMessageBatchCommand, 2);
  });

  it('fails naming the messages that failed twice, after sending every batch', async () => {
    // Prepare
    const messages = Array.from({ length: 12 }, (_, i) => ({ n: i }));
    sqs
      .on(SendMessageBatchCommand)
      .resolvesOnce({ Failed: [{ Id: '2', Code: 'InternalError', SenderFault: false }] })
      .resolvesOnce({ Failed: [{ Id: '2', Code: 'InternalError', Message: 'still broken', SenderFault: false }] })
      .resolves({ Failed: [] });

    // Act
    const sending = queue().send(messages);

    // Assess
    await expect(sending).rejects.toBeInstanceOf(WorkQueueSendError);
    await expect(sending).rejects.toThrow(`could not send 1 message(s) to ${queueUrl}: message 2: InternalError (still broken)`);
    expect(sqs).toHaveReceivedCommandTimes(SendMessageBatchCommand, 3);
  });

  it('fails without a retry on a sender fault', async () => {
    // Prepare
    sqs.on(SendMessageBatchCommand).resolves({
      Failed: [{ Id: '0', Code: 'InvalidParameterValue', Message: 'too large', SenderFault: true }],
    });

    // Act
    const sending = queue().send([{ n: 0 }]);

    // Assess
    await expect(sending).rejects.toMatchObject({ failures: [{ index: 0, code: 'InvalidParameterValue', message: 'too large' }] });
    expect(sqs).toHaveReceivedCommandTimes(SendMessageBatchCommand, 1);
  });

  it('fails when a batch call itself throws', async () => {
    // Prepare
    sqs.on(SendMessageBatchCommand).rejects(new Error('AccessDenied'));

    // Act
    const sending = queue().send([{ n: 0 }]);

    // Assess
    await expect(sending).rejects.toThrow('AccessDenied');
  });

  it('rejects an empty queue URL', () => {
    // Act
    const build = () => new SqsWorkQueue(new SQSClient({}), { queueUrl: '' });

    // Assess
    expect(build).toThrow('queueUrl is required');
  });
});
