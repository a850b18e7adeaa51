/**
 * The sweep (docs/concepts.md): the request EventBridge Scheduler sends reads every managed
 * parent zone once, by pages (sweep-reading.ts), carried on by continuations when a parent is
 * too big for one invocation; then one scan of the ledger names the sweep's accounts, and each
 * gets one message with its slice of the reading (parent-slices.ts).
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { WORKER_TIMEOUT_SECONDS_DEFAULT } from '../core/contract';
import { assertIsError } from '../core/errors';
import type { Hint } from '../core/intake';
import { freeOrphanedOwners } from '../core/name-owners';
import { ParentReading, sliceFor } from '../core/parent-slices';
import type { Clock, ReadingPart } from '../core/ports';
import { accountsInAllowlist } from '../core/rules';
import { sweepAccountMessage, sweepContinuation } from '../core/sweep-messages';
import { readParentsOnward, recordsByParent } from '../core/sweep-reading';
import type { AccountId, LedgerEntry } from '../core/types';
import { METRIC } from '../adapters/observability';
import type { WorkerDeps } from './process-batch';

/**
 * The share of an invocation's remaining time a sweep may spend reading parent zones: the rest
 * is for keeping the pages read, sending the continuation, and the other messages of the batch.
 */
export const READING_SHARE = 0.5;

/** When a sweep's reading stops in this invocation; without Lambda's context, the default timeout is assumed. */
export function readingDeadline(clock: Clock, remainingMs: number | undefined): Date {
  const remaining = remainingMs ?? WORKER_TIMEOUT_SECONDS_DEFAULT * 1000;
  return new Date(clock.now().getTime() + READING_SHARE * remaining);
}

/**
 * One step of a sweep: reads the parent zones on from the request's cursor until `deadline`,
 * then either keeps what it read and sends a continuation, or, every parent read, fans out.
 * SQS delivers at least once: a second delivery of a step that runs or ran is dropped, so a
 * reading never forks into two chains of continuations; a step that fails is given back for its
 * message's retry.
 */
export async function runSweepStep(request: Extract<Hint, { kind: 'sweep-request' }>, deps: WorkerDeps, deadline: Date): Promise<void> {
  const { sweepId, cursor } = request;
  const step = cursor?.step ?? cursor?.parts ?? 0;
  const holder = `${deps.holder}/${deps.ids.next()}`;
  if (!(await deps.ledger.takeReadingStep(sweepId, step, holder, deps.clock.now(), deps.leaseTtlMs))) {
    deps.telemetry.logger.info('sweep step already taken by another delivery', { sweepId, step });
    return;
  }
  try {
    await runTakenStep(request, step, deps, deadline);
  } catch (error) {
    await deps.ledger.releaseReadingStep(sweepId, step, holder);
    throw error;
  }
}

async function runTakenStep(
  request: Extract<Hint, { kind: 'sweep-request' }>,
  step: number,
  deps: WorkerDeps,
  deadline: Date,
): Promise<void> {
  const { sweepId, requestedAt, cursor } = request;
  const startedAt = cursor?.startedAt ?? deps.clock.now().toISOString();
  const pagesLeft = cursor === undefined || cursor.at !== undefined;
  const read = pagesLeft
    ? await readParentsOnward(deps.config.parentZones, deps.parentPages, deps.clock, deadline, cursor?.at)
    : { parts: [], at: undefined };
  const kept = cursor?.parts ?? 0;
  // The fan-out (a scan of the ledger, a message per account) runs in the invocation that read
  // every parent at once, or in one of its own, with the whole timeout, after a longer reading.
  const fanOutNow = !pagesLeft || (cursor === undefined && read.at === undefined && deps.clock.now() < deadline);
  if (!fanOutNow) {
    for (const [index, part] of read.parts.entries()) await deps.ledger.saveReadingPart(sweepId, kept + index, part, deps.clock.now());
    const parts = kept + read.parts.length;
    const next = { startedAt, parts, step: step + 1, ...(read.at && { at: read.at }) };
    await deps.queue.send([sweepContinuation(sweepId, requestedAt, next)]);
    await deps.ledger.finishReadingStep(sweepId, step);
    deps.telemetry.logger.info('sweep reading continues', { sweepId, parts, at: read.at?.parentZoneId });
    return;
  }
  const earlier = kept > 0 ? await deps.ledger.loadReading(sweepId, kept) : [];
  if (earlier === undefined) deps.telemetry.logger.warn('sweep reading expired: every account reads its names narrowly', { sweepId });
  const readings = earlier === undefined ? [] : parentReadings([...earlier, ...read.parts], deps);
  await fanOutSweep(sweepId, readings, startedAt, deps);
  await deps.ledger.finishReadingStep(sweepId, step);
  await dropReading(sweepId, deps);
}

/** Bookkeeping only: what is left behind expires on its own (TTL), and the fan-out must not be repeated for it. */
async function dropReading(sweepId: string, deps: WorkerDeps): Promise<void> {
  try {
    await deps.ledger.dropReading(sweepId);
  } catch (error) {
    assertIsError(error);
    deps.telemetry.logger.warn('sweep reading not deleted: it expires on its own', { sweepId, error });
  }
}

function parentReadings(parts: readonly ReadingPart[], deps: WorkerDeps): ParentReading[] {
  const byParent = recordsByParent(parts);
  return deps.config.parentZones.flatMap((parent) => {
    const records = byParent.get(parent.hostedZoneId);
    return records === undefined ? [] : [new ParentReading(parent, records)];
  });
}

/**
 * One message per account: every allowlisted account and every account the ledger still names,
 * each with its slice of the reading. The same scan frees name owners whose delegation entry is
 * gone (a crash between the two writes).
 */
async function fanOutSweep(sweepId: string, readings: readonly ParentReading[], readAt: string, deps: WorkerDeps): Promise<void> {
  const scan = await deps.ledger.scanLedger();
  const freed = await freeOrphanedOwners(deps.ledger, scan, deps.clock.now(), deps.leaseTtlMs);
  if (freed.length > 0) deps.telemetry.logger.warn('name owners without a delegation entry freed', { sweepId, freed });
  const entries = new Map<AccountId, LedgerEntry[]>();
  for (const entry of scan.entries) {
    const held = entries.get(entry.account) ?? [];
    held.push(entry);
    entries.set(entry.account, held);
  }
  const accounts = [...new Set([...accountsInAllowlist(deps.config), ...entries.keys()])].sort();
  // The sweep's duration counts from the start of its reading.
  await deps.ledger.startSweep(sweepId, accounts, new Date(readAt));
  deps.telemetry.logger.info('sweep started', { sweepId, accounts: accounts.length });
  // An empty sweep is complete at once: no account will ever finish it.
  if (accounts.length === 0) return completeSweep(sweepId, deps.clock.now().toISOString(), deps);
  await deps.queue.send(
    accounts.map((account) => sweepAccountMessage(account, sweepId, sliceFor(entries.get(account) ?? [], readings, readAt))),
  );
}

/** `Sweep Completed` is about every account of the sweep, so it names none. */
export async function completeSweep(sweepId: string, startedAt: string, deps: WorkerDeps): Promise<void> {
  const failed = await deps.publisher.publish([
    { detailType: 'Sweep Completed', detail: { reason: 'all-accounts-reconciled', applied: true, sweepId } },
  ]);
  // The heartbeat counts the sweep, which did complete; a lost event is an error of its own.
  deps.telemetry.metrics.addMetric(METRIC.sweepCompleted, MetricUnit.Count, 1);
  const durationMs = deps.clock.now().getTime() - Date.parse(startedAt);
  if (Number.isFinite(durationMs)) deps.telemetry.metrics.addMetric(METRIC.sweepDuration, MetricUnit.Milliseconds, durationMs);
  if (failed.length > 0) deps.telemetry.logger.error('Sweep Completed event could not be published', { sweepId });
  else deps.telemetry.logger.info('sweep completed', { sweepId });
}
