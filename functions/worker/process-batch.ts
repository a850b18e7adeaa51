/**
 * The worker's core loop over one SQS batch, with every dependency injected:
 * parse each message, move sweeps on (sweep.ts), coalesce the rest per account, reconcile them together,
 * and name exactly the messages whose reconcile failed.
 */
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { MalformedMessageError, assertIsError } from '../core/errors';
import { parseMessage, type Hint } from '../core/intake';
import type { ParentZonePages, WorkQueue } from '../core/ports';
import { reconcileAccounts, type AccountJob, type ReconcileDeps } from '../core/reconcile';
import type { AccountId, Controls, SweepSlice, ZoneId, ZoneScope } from '../core/types';
import { METRIC, reportAccount, type Telemetry } from '../adapters/observability';
import { completeSweep, readingDeadline, runSweepStep } from './sweep';

export interface WorkerDeps extends ReconcileDeps {
  readonly queue: WorkQueue;
  readonly telemetry: Telemetry;
  /** Reads parent zones whole, for a sweep's reading. */
  readonly parentPages: ParentZonePages;
}

/** Messages coalesced for one account. */
interface AccountGroup {
  readonly account: AccountId;
  readonly messageIds: string[];
  zoneIds: Set<ZoneId> | 'account';
  readonly sweepIds: Set<string>;
  /** Signing changes named by EnableHostedZoneDNSSEC events, by zone (the batch's last one wins). */
  readonly signingChanges: Map<ZoneId, string>;
  /** The slice of the newest reading among the account's sweep messages. */
  slice?: SweepSlice;
  /** The newest CloudTrail event time among the messages (ISO 8601, normalised). */
  newestEvent?: string;
}

/**
 * Processes one batch; returns the message ids to retry. `remainingMs` is the invocation's time
 * left (Lambda's context), which bounds a sweep's reading of the parent zones.
 */
export async function processBatch(event: SQSEvent, deps: WorkerDeps, remainingMs?: number): Promise<SQSBatchResponse> {
  const { logger } = deps.telemetry;
  const deadline = readingDeadline(deps.clock, remainingMs);
  const failures = new Set<string>();
  const groups = new Map<AccountId, AccountGroup>();

  for (const record of event.Records) {
    const hint = parse(record, deps);
    if (hint === undefined) continue;
    if (hint.kind === 'ignored') {
      logger.info('event ignored', { messageId: record.messageId, accountId: hint.account, reason: hint.reason, detail: hint.detail });
      deps.telemetry.metrics.addMetric(METRIC.ignoredEvent, MetricUnit.Count, 1);
    } else if (hint.kind === 'sweep-request') {
      try {
        await runSweepStep(hint, deps, deadline);
      } catch (error) {
        assertIsError(error);
        logger.error('sweep reading or fan-out failed', { messageId: record.messageId, sweepId: hint.sweepId, error });
        failures.add(record.messageId);
      }
    } else {
      addToGroup(groups, hint, record.messageId);
    }
  }

  if (groups.size > 0) {
    const jobs: AccountJob[] = [...groups.values()].map((group) => ({
      account: group.account,
      scope: scopeOf(group.zoneIds),
      sweepIds: [...group.sweepIds],
      ...(group.signingChanges.size > 0 && { signingChanges: group.signingChanges }),
      ...(group.slice && { slice: group.slice }),
    }));
    try {
      reportControls(await deps.controls.read(), deps.telemetry);
      for (const result of await reconcileAccounts(jobs, deps)) {
        reportAccount(result, deps.telemetry);
        if (result.status === 'failed') groups.get(result.account)?.messageIds.forEach((id) => failures.add(id));
        for (const sweep of result.sweepsCompleted ?? []) await completeSweep(sweep.sweepId, sweep.startedAt, deps);
      }
    } catch (error) {
      assertIsError(error);
      logger.error('reconcile failed for the whole batch', { error });
      deps.telemetry.metrics.addMetric(METRIC.reconcileError, MetricUnit.Count, 1);
      for (const group of groups.values()) group.messageIds.forEach((id) => failures.add(id));
    }
    await trackEventArrivals([...groups.values()], deps);
  }
  return { batchItemFailures: [...failures].map((itemIdentifier) => ({ itemIdentifier })) };
}

/**
 * Every pause and hold is logged with who set it (docs/concepts.md). The reconcile reads the same
 * controls again, from the control source's cache.
 */
function reportControls(controls: Controls, telemetry: Telemetry): void {
  const setBy = controls.setBy ?? 'not stated in the parameter';
  if (controls.writesPaused) telemetry.logger.warn('writes paused by the controls parameter', { setBy });
  if (controls.holds.length > 0) telemetry.logger.warn('names held by the controls parameter', { holds: controls.holds, setBy });
}

/**
 * Events judge the zones they name, however many (the reader picks the cheaper way to read
 * them); only sweeps and operators' requests judge the whole account.
 */
function scopeOf(zoneIds: Set<ZoneId> | 'account'): ZoneScope {
  return zoneIds === 'account' ? { kind: 'account' } : { kind: 'zones', zoneIds: [...zoneIds] };
}

/** A malformed message is logged with its raw body, counted, and not retried. */
function parse(record: SQSRecord, deps: WorkerDeps): Hint | undefined {
  const { logger, metrics } = deps.telemetry;
  try {
    return parseMessage(record.body, { now: deps.clock.now(), sentAt: sentAtOf(record, deps.clock) });
  } catch (error) {
    if (!(error instanceof MalformedMessageError)) throw error;
    logger.error('malformed message dropped', { messageId: record.messageId, issues: error.issues, body: record.body });
    metrics.addMetric(METRIC.invalidEvent, MetricUnit.Count, 1);
    return undefined;
  }
}

/**
 * When SQS received the message. A sweep request without its own time is dated by it, so a
 * redelivery keeps its sweep id; an attribute that is no time at all dates it by the clock.
 */
function sentAtOf(record: SQSRecord, clock: WorkerDeps['clock']): Date {
  const sentAt = new Date(Number(record.attributes?.SentTimestamp));
  return Number.isNaN(sentAt.getTime()) ? clock.now() : sentAt;
}

function addToGroup(groups: Map<AccountId, AccountGroup>, hint: Extract<Hint, { kind: 'zones' | 'account' }>, messageId: string): void {
  const group = groups.get(hint.account) ?? {
    account: hint.account,
    messageIds: [],
    zoneIds: new Set<ZoneId>(),
    sweepIds: new Set<string>(),
    signingChanges: new Map<ZoneId, string>(),
  };
  group.messageIds.push(messageId);
  if (hint.kind === 'account') {
    group.zoneIds = 'account';
    if (hint.sweepId !== undefined) group.sweepIds.add(hint.sweepId);
    if (hint.slice !== undefined && (group.slice === undefined || hint.slice.readAt > group.slice.readAt)) group.slice = hint.slice;
  } else {
    if (group.zoneIds !== 'account') hint.zoneIds.forEach((zoneId) => (group.zoneIds as Set<ZoneId>).add(zoneId));
    const { signingChangeId } = hint;
    if (signingChangeId !== undefined) for (const zoneId of hint.zoneIds) group.signingChanges.set(zoneId, signingChangeId);
    const eventTime = new Date(hint.eventTime).toISOString();
    if (group.newestEvent === undefined || eventTime > group.newestEvent) group.newestEvent = eventTime;
  }
  groups.set(hint.account, group);
}

/**
 * docs/operations.md, minutes since the last event per account: events record when they arrived, and
 * sweeps report the silence of each account they visit, so a spoke whose forwarding broke (a
 * trail, a rule, a policy) shows on the dashboard instead of quietly falling back to sweeps.
 * Bookkeeping only: a failure here is logged and never fails a message.
 */
async function trackEventArrivals(groups: readonly AccountGroup[], deps: WorkerDeps): Promise<void> {
  for (const group of groups) {
    try {
      if (group.newestEvent !== undefined) await deps.ledger.noteEvent(group.account, group.newestEvent);
      if (group.sweepIds.size === 0) continue;
      const last = await deps.ledger.lastEventAt(group.account);
      if (last === undefined) continue;
      const silence = deps.telemetry.metrics.singleMetric();
      silence.addDimension('account', group.account);
      silence.addMetric(
        METRIC.minutesSinceLastEvent,
        MetricUnit.Count,
        Math.floor((deps.clock.now().getTime() - Date.parse(last)) / 60_000),
      );
    } catch (error) {
      assertIsError(error);
      deps.telemetry.logger.warn('could not track event arrivals', { accountId: group.account, error });
    }
  }
}
