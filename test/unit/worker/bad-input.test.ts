/**
 * Bad input, generated: events, SQS bodies and subzone's own messages through the worker's
 * batch loop, controls parameters and configs through their parsers. Whatever the input, the
 * worker neither crashes nor writes nor retries, and reports one structured error naming the
 * field; the valid messages of a mixed batch still go through. About 1,400 cases a run.
 */
import fc from 'fast-check';
import { ControlsParameterError, parseControls } from '../../../functions/adapters/ssm-control-source';
import { parseConfig } from '../../../functions/core/config-schema';
import { ConfigError } from '../../../functions/core/errors';
import { accountMessage } from '../../../functions/core/sweep-messages';
import { processBatch } from '../../../functions/worker/process-batch';
import { rawConfig } from '../../helpers/core-fixtures';
import { sampleBody, sqsRecord } from '../../helpers/sqs';
import { recordingWorker } from './recording-worker-deps';

const NOW = new Date('2026-11-01T00:00:00Z');

/** Stands for an array nested 20,000 deep, spliced into the body as text (JSON.stringify cannot write it). */
const DEEP = '\u0000deep\u0000';
const DEEP_TEXT = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;

type Json = Record<string, unknown>;

/** `value` set at `path` in a copy of `message` (undefined removes the key), as a message body. */
function bodyWith(message: Json, path: readonly (string | number)[], value: unknown): string {
  const copy = structuredClone(message);
  let parent: Record<string | number, unknown> = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  if (value === undefined) delete parent[last];
  else parent[last] = value;
  return JSON.stringify(copy).replace(JSON.stringify(DEEP), DEEP_TEXT);
}

/** A path as the worker's issues name it: `detail.requestParameters.id`, `holds[0]`. */
function pathName(path: readonly (string | number)[]): string {
  return path.map((key, index) => (typeof key === 'number' ? `[${key}]` : index === 0 ? key : `.${key}`)).join('');
}

const absent = fc.constant(undefined);
const notAString = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.jsonValue(), { maxLength: 3 }),
  fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 3 }),
  fc.constant(DEEP),
);
const notAnObject = fc.oneof(
  fc.integer(),
  fc.string(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.jsonValue(), { maxLength: 3 }),
  fc.constant(DEEP),
);
const notANumber = fc.oneof(
  fc.string(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.jsonValue(), { maxLength: 3 }),
  fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 3 }),
);
const notAList = notAnObject.filter((value) => !Array.isArray(value) && value !== DEEP);
const notTwelveDigits = fc.string().filter((value) => !/^\d{12}$/.test(value));
const notAZoneId = fc.string().filter((value) => !/^(?:\/hostedzone\/)?[A-Z0-9]{1,32}$/.test(value));
const notAnIsoTime = fc.string().filter((value) => Number.isNaN(Date.parse(value)) || !value.includes('T'));
/** Later than five minutes after the worker's clock. */
const inTheFuture = fc
  .date({ min: new Date(NOW.getTime() + 5 * 60_000 + 1000), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true })
  .map((date) => date.toISOString());

/** A field of a valid event and a value it must not have. */
const badEventField = fc.oneof(
  fc.tuple(fc.constant(['account']), fc.oneof(notTwelveDigits, notAString, absent)),
  fc.tuple(fc.constant(['source']), fc.oneof(fc.constant(''), notAString)),
  fc.tuple(fc.constant(['detail-type']), notAString),
  fc.tuple(fc.constant(['detail']), notAnObject),
  fc.tuple(fc.constant(['detail', 'eventSource']), fc.oneof(notAString, absent)),
  fc.tuple(fc.constant(['detail', 'eventName']), fc.oneof(fc.constant(''), notAString, absent)),
  fc.tuple(fc.constant(['detail', 'eventID']), fc.oneof(fc.constant(''), notAString, absent)),
  fc.tuple(fc.constant(['detail', 'eventTime']), fc.oneof(notAnIsoTime, inTheFuture, notAString, absent)),
  fc.tuple(fc.constant(['detail', 'responseElements', 'hostedZone', 'id']), fc.oneof(notAZoneId, notAString, absent)),
);

const sweepIdChars = fc.constantFrom(...'ABCxyz019._:+-'.split(''));
const validSweepId = fc
  .tuple(fc.constantFrom(...'Aa0'.split('')), fc.array(sweepIdChars, { maxLength: 127 }))
  .map(([first, rest]) => first + rest.join(''));
const validRequestedAt = fc
  .tuple(
    fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true }),
    fc.stringMatching(/^(\.\d{1,9})?$/),
    fc.constantFrom('Z', '+05:30', '-08:00'),
  )
  .map(([date, fraction, zone]) => `${date.toISOString().slice(0, 19)}${fraction}${zone}`);

/** A valid time of 123 characters or more: `sweep-<time>` would be longer than the 128 a sweep id may have. */
const tooLongForASweepId = fc.integer({ min: 102, max: 400 }).map((digits) => `2026-10-05T09:15:00.${'0'.repeat(digits)}Z`);

/** A field of a valid subzone message and a value it must not have. */
const badSubzoneField = fc.oneof(
  fc.tuple(
    fc.constant('sweep-request.json'),
    fc.constant(['subzone']),
    fc.oneof(
      fc.string().filter((kind) => !['sweep', 'reconcile-account'].includes(kind)),
      notAString,
    ),
  ),
  fc.tuple(
    fc.constant('sweep-request.json'),
    fc.constant(['version']),
    fc.oneof(
      fc.integer().filter((version) => version !== 1),
      notANumber,
      absent,
    ),
  ),
  fc.tuple(
    fc.constant('sweep-request.json'),
    fc.constant(['sweepId']),
    fc.oneof(
      fc.string().filter((id) => !/^[A-Za-z0-9][A-Za-z0-9._:+-]{0,127}$/.test(id)),
      notAString,
    ),
  ),
  fc.tuple(fc.constant('sweep-request.json'), fc.constant(['requestedAt']), fc.oneof(notAnIsoTime, tooLongForASweepId, notAString)),
  fc.tuple(fc.constant('sweep-request.json'), fc.constant(['sweepID']), fc.jsonValue()),
  fc.tuple(fc.constant('reconcile-account.json'), fc.constant(['account']), fc.oneof(notTwelveDigits, notAString, absent)),
  fc.tuple(
    fc.constant('reconcile-account.json'),
    fc.constant(['reason']),
    fc.oneof(
      fc.string().filter((reason) => !['sweep', 'cli'].includes(reason)),
      notAString,
      absent,
    ),
  ),
  fc.tuple(
    fc.constant('reconcile-account.json'),
    fc.constant(['sweepId']),
    fc.oneof(
      fc.string().filter((id) => !/^[A-Za-z0-9][A-Za-z0-9._:+-]{0,127}$/.test(id)),
      notAString,
      absent,
    ),
  ),
);

/** SentTimestamp as SQS sends it, or broken. */
const sentTimestamp = fc.oneof(fc.constant(String(NOW.getTime())), fc.string(), fc.constant('1e20'), fc.constant('-1e20'));

/** Runs `bad` in a batch between a sweep request and an ignored event; returns what the worker did. */
async function mixedBatch(bad: string, sentAt: string = String(NOW.getTime())) {
  const worker = recordingWorker(NOW);
  const badRecord = sqsRecord(bad, { messageId: 'bad' });
  badRecord.attributes.SentTimestamp = sentAt;
  const records = [
    sqsRecord({ subzone: 'sweep', version: 1, sweepId: 'nightly-1' }, { messageId: 'sweep' }),
    badRecord,
    sqsRecord(sampleBody('other-source.json'), { messageId: 'ignored' }),
  ];
  const response = await processBatch({ Records: records }, worker.deps);
  const invalid = worker.metrics.filter((metric) => metric.name === 'InvalidEvent').length;
  const issues = worker.errors.map((error) => (error.fields.issues ?? []) as { path: string; message: string }[]);
  return { response, worker, invalid, issues };
}

describe('bad input', () => {
  it('drops an event with one bad field as malformed, naming the field, and keeps the rest of the batch', async () => {
    // Prepare
    const event = JSON.parse(sampleBody('create-hosted-zone.json')) as Json;

    // Act
    const property = fc.asyncProperty(badEventField, async ([path, value]) => {
      const { response, worker, invalid, issues } = await mixedBatch(bodyWith(event, path, value));

      // Assess
      expect(response.batchItemFailures).toEqual([]);
      expect(worker.errors.map((error) => [error.message, error.fields.messageId])).toEqual([['malformed message dropped', 'bad']]);
      expect(issues[0]?.map((issue) => issue.path)).toEqual([pathName(path)]);
      expect(invalid).toBe(1);
      expect(worker.writes.map((write) => write.call)).toEqual([
        'ledger.startSweep',
        'queue.send',
        'ledger.finishReadingStep',
        'ledger.dropReading',
      ]);
    });

    // Assess
    await fc.assert(property, { numRuns: 400 });
  });

  it('drops a subzone message with one bad field as malformed, naming the field, and keeps the rest of the batch', async () => {
    // Act
    const property = fc.asyncProperty(badSubzoneField, async ([file, path, value]) => {
      const message = JSON.parse(sampleBody(file)) as Json;
      const { response, worker, invalid, issues } = await mixedBatch(bodyWith(message, path, value));

      // Assess
      expect(response.batchItemFailures).toEqual([]);
      expect(worker.errors.map((error) => error.fields.messageId)).toEqual(['bad']);
      expect(issues[0]?.map((issue) => issue.path)).toEqual([pathName(path)]);
      expect(invalid).toBe(1);
      expect(worker.writes.map((write) => write.call)).toEqual([
        'ledger.startSweep',
        'queue.send',
        'ledger.finishReadingStep',
        'ledger.dropReading',
      ]);
    });

    // Assess
    await fc.assert(property, { numRuns: 300 });
  });

  it('never fails the batch or writes for any body, and names a path whenever it drops one', async () => {
    // Prepare
    const envelopeLike = fc.record(
      { source: fc.jsonValue(), 'detail-type': fc.jsonValue(), account: fc.jsonValue(), detail: fc.jsonValue(), subzone: fc.jsonValue() },
      { requiredKeys: [] },
    );
    const body = fc.oneof(
      fc.string(),
      fc.jsonValue().map((value) => JSON.stringify(value)),
      envelopeLike.map((value) => JSON.stringify(value)),
    );

    // Act
    const property = fc.asyncProperty(body, sentTimestamp, async (text, sentAt) => {
      const { response, worker, invalid, issues } = await mixedBatch(text, sentAt);

      // Assess
      expect(response.batchItemFailures).toEqual([]);
      expect(worker.errors.length).toBeLessThanOrEqual(1);
      expect(invalid).toBe(worker.errors.length);
      for (const issue of issues.flat())
        expect(issue).toEqual({ path: expect.any(String), message: expect.stringMatching(/^(expected|unknown key)/) });
      expect(worker.writes.map((write) => write.call)).toEqual([
        'ledger.startSweep',
        'queue.send',
        'ledger.finishReadingStep',
        'ledger.dropReading',
      ]);
    });

    // Assess
    await fc.assert(property, { numRuns: 300 });
  });

  it('fans out every sweep request it accepts into valid account messages', async () => {
    // Act
    const property = fc.asyncProperty(
      fc.record({ sweepId: validSweepId, requestedAt: validRequestedAt }, { requiredKeys: [] }),
      sentTimestamp,
      async (fields, sentAt) => {
        const worker = recordingWorker(NOW);
        const record = sqsRecord({ subzone: 'sweep', version: 1, ...fields }, { messageId: 'sweep' });
        record.attributes.SentTimestamp = sentAt;
        const response = await processBatch({ Records: [record] }, worker.deps);

        // Assess
        expect(response.batchItemFailures).toEqual([]);
        expect(worker.errors).toEqual([]);
        const sent = worker.writes.find((write) => write.call === 'queue.send')?.args[0] as { account: string; sweepId: string }[];
        for (const message of sent) expect(accountMessage(message.account, 'sweep', message.sweepId)).toEqual(message);
      },
    );

    // Assess
    await fc.assert(property, { numRuns: 150 });
  });

  it('rejects a controls parameter it cannot use with one ControlsParameterError naming each bad field', () => {
    // Prepare
    const valid = { writesPaused: false, holds: ['foo.example.com'], setBy: 'ops' };
    const badField = fc.oneof(
      fc.tuple(fc.constant(['writesPaused']), fc.oneof(fc.string(), fc.integer(), fc.constant(null), absent)),
      fc.tuple(fc.constant(['holds']), notAList),
      fc.tuple(fc.constant(['holds', 0]), fc.oneof(notAString, fc.constantFrom('a..b', '-'.repeat(64), 'x'.repeat(64), ''))),
      fc.tuple(
        fc.constant(['setBy']),
        notAString.filter((value) => value !== DEEP),
      ),
      fc.tuple(fc.constant(['pause']), fc.jsonValue()),
    );

    // Act
    const property = fc.property(badField, ([path, value]) => {
      const act = () => parseControls('/subzone/controls', bodyWith(valid, path, value));

      // Assess
      expect(act).toThrow(ControlsParameterError);
      try {
        act();
      } catch (error) {
        expect((error as ControlsParameterError).issues.map((issue) => issue.path)).toEqual([pathName(path)]);
      }
    });

    // Assess
    fc.assert(property, { numRuns: 150 });
  });

  it('reads any controls value as controls or one ControlsParameterError, nothing else', () => {
    // Act
    const property = fc.property(
      fc.oneof(
        fc.string(),
        fc.jsonValue().map((value) => JSON.stringify(value)),
      ),
      (value) => {
        let thrown: unknown;
        try {
          parseControls('/subzone/controls', value);
        } catch (error) {
          thrown = error;
        }

        // Assess
        if (thrown !== undefined) expect(thrown).toBeInstanceOf(ControlsParameterError);
      },
    );

    // Assess
    fc.assert(property, { numRuns: 100 });
  });

  it('rejects a config with one bad field with one ConfigError naming the field', () => {
    // Prepare
    const valid = rawConfig({ removalBudget: { records: 5, percent: 10 } });
    const badField = fc.oneof(
      fc.tuple(
        fc.constant(['version']),
        fc.oneof(
          fc.integer().filter((version) => version !== 1),
          notANumber,
          absent,
        ),
      ),
      fc.tuple(
        fc.constant(['mode']),
        fc.oneof(
          fc.string().filter((mode) => !['enforce', 'observe'].includes(mode)),
          notAString,
          absent,
        ),
      ),
      fc.tuple(fc.constant(['parentZones']), fc.oneof(notAList, fc.constant([]), absent)),
      fc.tuple(fc.constant(['parentZones', 1, 'hostedZoneId']), fc.oneof(notAZoneId, notAString, absent)),
      fc.tuple(fc.constant(['rules']), fc.oneof(notAList, absent)),
      fc.tuple(
        fc.constant(['rules', 2, 'name']),
        fc.oneof(notAString, fc.constantFrom('', 'a..b', 'example.net', '*.', '**.example.com', 'x'.repeat(64) + '.example.com')),
      ),
      fc.tuple(fc.constant(['rules', 2, 'accounts']), fc.oneof(fc.constant([]), notAList, absent)),
      fc.tuple(fc.constant(['rules', 2, 'accounts', 0]), fc.oneof(notTwelveDigits, notAString)),
      fc.tuple(
        fc.constant(['rules', 4, 'nsTtl']),
        fc.oneof(
          fc.integer({ max: 59 }),
          fc.integer({ min: 172_801 }),
          fc.double({ min: 60.1, max: 61, noNaN: true }).filter((ttl) => !Number.isInteger(ttl)),
          notANumber,
        ),
      ),
      fc.tuple(fc.constant(['graceMinutes']), fc.oneof(fc.integer({ max: -1 }), fc.constant(1.5), notANumber)),
      fc.tuple(fc.constant(['readerRoleName']), fc.oneof(fc.constantFrom('', 'a b', 'r'.repeat(65)), notAString)),
      fc.tuple(
        fc.constant(['optInTag']),
        notAnObject.filter((value) => value !== DEEP),
      ),
      fc.tuple(
        fc.constant(['removalBudget', 'percent']),
        fc.oneof(fc.double({ min: 100.5, max: 1e9, noNaN: true }), fc.double({ max: -0.5, min: -1e9, noNaN: true })),
      ),
      fc.tuple(fc.constant(['alowlist']), fc.jsonValue()),
    );

    // Act
    const property = fc.property(badField, ([path, value]) => {
      const raw = JSON.parse(bodyWith(valid, path, value === DEEP ? [[[]]] : value)) as unknown;
      let thrown: unknown;
      try {
        parseConfig(raw);
      } catch (error) {
        thrown = error;
      }

      // Assess
      expect(thrown).toBeInstanceOf(ConfigError);
      expect((thrown as ConfigError).issues.map((issue) => issue.path)).toContain(pathName(path));
    });

    // Assess
    fc.assert(property, { numRuns: 200 });
  });
});
