/**
 * WorkerDeps over in-memory ports that record every call, for tests of the batch loop on
 * input that must never reach AWS: each write lands in `writes`, each error log line in
 * `errors`, each metric in `metrics`. The ledger knows no account and the spoke reader
 * refuses every read, so a message that gets as far as a reconcile shows up as a failure.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { DelegationLedger } from '../../../functions/core/ports';
import type { SubzoneConfig } from '../../../functions/core/types';
import type { WorkerDeps } from '../../../functions/worker/process-batch';
import { makeConfig } from '../../helpers/core-fixtures';

export interface RecordingWorker {
  readonly deps: WorkerDeps;
  /** Every call that writes, as `port.method`, with its arguments. */
  readonly writes: { readonly call: string; readonly args: unknown[] }[];
  /** Every error log line: its message and fields. */
  readonly errors: { readonly message: string; readonly fields: Record<string, unknown> }[];
  /** Every metric added: its name and value. */
  readonly metrics: { readonly name: string; readonly value: number }[];
}

const LEDGER_READS = [
  'listEntries',
  'getEntry',
  'getNameOwner',
  'getNameOwners',
  'lastEventAt',
  'listAccounts',
  'scanLedger',
  'loadReading',
  'takeReadingStep',
] as const;

/** What each ledger read returns: nothing is known (and a sweep's step is free to take). */
function emptyRead(method: string): unknown {
  if (method === 'takeReadingStep') return true;
  if (method === 'scanLedger') return { entries: [], owners: [] };
  if (method === 'getNameOwners') return [];
  return method === 'lastEventAt' || method === 'getEntry' || method === 'getNameOwner' || method === 'loadReading' ? undefined : [];
}

/** A worker whose clock stands at `now`. */
export function recordingWorker(now: Date, config: SubzoneConfig = makeConfig()): RecordingWorker {
  const writes: RecordingWorker['writes'] = [];
  const errors: RecordingWorker['errors'] = [];
  const counted: RecordingWorker['metrics'] = [];
  const write =
    (call: string, result: unknown = undefined) =>
    async (...args: unknown[]) => {
      writes.push({ call, args });
      return result;
    };
  const ledger = new Proxy({} as DelegationLedger, {
    get: (_target, method: string) =>
      (LEDGER_READS as readonly string[]).includes(method) ? async () => emptyRead(method) : write(`ledger.${method}`),
  });
  const logger = new Logger({ serviceName: 'subzone-test', logLevel: 'SILENT' });
  jest.spyOn(logger, 'error').mockImplementation((message: unknown, ...fields: unknown[]) => {
    errors.push({ message: String(message), fields: Object.assign({}, ...fields.filter((field) => typeof field === 'object')) });
  });
  const metrics = new Metrics({ namespace: 'SubzoneTest', serviceName: 'subzone-test' });
  jest.spyOn(metrics, 'addMetric').mockImplementation((name, _unit, value) => {
    counted.push({ name, value });
    return metrics;
  });
  const deps: WorkerDeps = {
    config,
    reader: {
      readZones: async () => {
        throw new Error('no spoke account may be read by this batch');
      },
      signingChangeStatus: async () => {
        throw new Error('no spoke account may be read by this batch');
      },
    },
    parents: {
      describeZone: async (id) => ({
        name: config.parentZones.find((parent) => parent.hostedZoneId === id)?.name ?? 'unknown',
        privateZone: false,
      }),
      readAround: async () => {
        throw new Error('no parent zone may be read by this batch');
      },
      applyBatch: write('parents.applyBatch') as WorkerDeps['parents']['applyBatch'],
    },
    // A sweep reads the parent zones whole: empty, as every other read here.
    parentPages: { readPage: async () => ({ records: [] }) },
    ledger,
    publisher: { publish: write('publisher.publish', []) as WorkerDeps['publisher']['publish'] },
    controls: { read: async () => ({ writesPaused: false, holds: [] }) },
    probe: { check: async () => 'unknown' },
    queue: { send: write('queue.send') as WorkerDeps['queue']['send'] },
    clock: { now: () => now, sleep: async () => undefined },
    ids: { next: () => 'recording-id' },
    holder: 'worker-test',
    leaseTtlMs: 60_000,
    leaseWaitMs: 0,
    telemetry: { logger, metrics },
  };
  return { deps, writes, errors, metrics: counted };
}
