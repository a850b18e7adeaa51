import { processBatch } from '../../../functions/worker/process-batch';
import { sampleBody, sqsEvent, sqsRecord } from '../../helpers/sqs';
import { recordingWorker } from './recording-worker-deps';

const NOW = new Date('2026-11-01T00:00:00Z');
const DEEP = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;

describe('processBatch with malformed messages', () => {
  it.each([
    ['a body nested 100,000 deep', sqsRecord(DEEP, { messageId: 'bad' })],
    [
      'an event whose field is nested 100,000 deep',
      sqsRecord(`{"source":${DEEP},"detail-type":"x","account":"1","detail":{}}`, { messageId: 'bad' }),
    ],
    [
      'an event dated an hour ahead of the clock',
      sqsRecord(sampleBody('create-hosted-zone.json').replaceAll('2026-10-05T09:12:31Z', '2026-11-01T01:00:00Z'), { messageId: 'bad' }),
    ],
    [
      'a sweep request whose requestedAt is too long for a sweep id',
      sqsRecord(`{"subzone":"sweep","version":1,"requestedAt":"2026-10-05T09:15:00.${'0'.repeat(180)}Z"}`, { messageId: 'bad' }),
    ],
  ])('drops %s as malformed and keeps the valid messages of the batch', async (_case, bad) => {
    // Prepare
    const worker = recordingWorker(NOW);
    const valid = sqsEvent([{ subzone: 'sweep', version: 1, sweepId: 'nightly-1' }, sampleBody('other-source.json')], ['sweep', 'ignored']);
    const event = { Records: [valid.Records[0]!, bad, valid.Records[1]!] };

    // Act
    const response = await processBatch(event, worker.deps);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(worker.errors).toEqual([
      { message: 'malformed message dropped', fields: expect.objectContaining({ messageId: 'bad', body: bad.body }) },
    ]);
    expect(worker.metrics.filter((metric) => metric.name === 'InvalidEvent')).toEqual([{ name: 'InvalidEvent', value: 1 }]);
    expect(worker.writes.map((write) => write.call)).toEqual([
      'ledger.startSweep',
      'queue.send',
      'ledger.finishReadingStep',
      'ledger.dropReading',
    ]);
  });

  it('dates a bare sweep request whose SentTimestamp is no time by the clock, instead of failing the batch', async () => {
    // Prepare
    const worker = recordingWorker(NOW);
    const record = sqsRecord({ subzone: 'sweep', version: 1 }, { messageId: 'sweep' });
    record.attributes.SentTimestamp = '1e20';

    // Act
    const response = await processBatch({ Records: [record] }, worker.deps);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(worker.errors).toEqual([]);
    expect(worker.writes[0]).toEqual({ call: 'ledger.startSweep', args: ['sweep-2026-11-01T00:00:00.000Z', expect.any(Array), NOW] });
  });
});
