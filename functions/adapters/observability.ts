/**
 * One logger and one metrics instance for the worker (Powertools), and the translation of
 * reconcile results into log lines and embedded-metric-format counts (docs/operations.md).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { changesOf, subjectOf, type Decision } from '../core/policy';
import type { AccountResult, DecisionRecord } from '../core/reconcile';
import { METRIC, METRICS_NAMESPACE, SERVICE_NAME } from '../core/contract';

export { METRIC, METRICS_NAMESPACE, SERVICE_NAME } from '../core/contract';

export const logger = new Logger({ serviceName: SERVICE_NAME });
export const metrics = new Metrics({ serviceName: SERVICE_NAME, namespace: METRICS_NAMESPACE });

/** Where the worker reports what it did; tests pass their own Logger and Metrics. */
export interface Telemetry {
  readonly logger: Logger;
  readonly metrics: Metrics;
}

const COUNTED: Partial<Record<Decision['kind'], string>> = {
  create: METRIC.created,
  adopt: METRIC.created,
  update: METRIC.updated,
  remove: METRIC.removed,
  reject: METRIC.rejected,
  occluded: METRIC.occluded,
};

function verdictFields(record: DecisionRecord): Record<string, unknown> {
  const { decision } = record;
  const inner = decision.kind === 'frozen' ? decision.instead : decision;
  return {
    ...subjectOf(decision),
    decision: decision.kind,
    reason: 'reason' in decision ? decision.reason : `held:${inner.kind}`,
    result: record.result,
    ...(decision.kind === 'reject' ? { detail: decision.detail } : {}),
  };
}

/** One log line per verdict, and the counts of what changed; every line carries the account. */
export function reportAccount(result: AccountResult, telemetry: Telemetry): void {
  telemetry.logger.appendKeys({ accountId: result.account });
  try {
    reportAccountLines(result, telemetry);
  } finally {
    telemetry.logger.removeKeys(['accountId']);
  }
}

function reportAccountLines(result: AccountResult, telemetry: Telemetry): void {
  const { logger: log, metrics: count } = telemetry;
  if (result.status === 'ignored') {
    log.info('account ignored', { reason: result.reason });
    count.addMetric(METRIC.ignoredEvent, MetricUnit.Count, 1);
    return;
  }
  for (const record of result.decisions) {
    const fields = verdictFields(record);
    if (record.decision.kind === 'frozen') log.warn('write frozen by a hold', fields);
    else if (record.result === 'failed') log.error('decision not applied', fields);
    else log.info('decision', fields);
    // Changes are counted when they happen (and alarmed once); a standing state is a gauge. A
    // decision that writes nothing (a rejection, an occlusion) happens in observe mode too.
    const metric = COUNTED[record.decision.kind];
    const happened = record.result === 'applied' || changesOf(record.decision).length === 0;
    if (metric !== undefined && happened && record.reported) count.addMetric(metric, MetricUnit.Count, 1);
    if (record.result === 'budget' && record.reported) count.addMetric(METRIC.budgetHit, MetricUnit.Count, 1);
    if (record.decision.kind === 'reject') count.addMetric(METRIC.standingRejections, MetricUnit.Count, 1);
  }
  for (const error of result.leaseErrors ?? []) {
    log.warn('lease not given back: it expires on its own', { accountId: result.account, error });
  }
  if (result.suspects.length > 0) {
    log.error('delegations of an unreadable account are dangling suspects', { names: result.suspects.map((entry) => entry.name) });
  }
  // Zero included: the paging alarm clears when a reconcile finds the account readable again.
  count.addMetric(METRIC.suspects, MetricUnit.Count, result.suspects.length);
  if (result.status === 'failed' && result.error !== undefined) {
    log.error('reconcile failed', { error: result.error });
    count.addMetric(METRIC.reconcileError, MetricUnit.Count, 1);
  } else if (result.error !== undefined) {
    // Acknowledged: the suspects (and their alarm) stand for the account until it can be read.
    log.warn('account could not be read: its delegations are suspects', { accountId: result.account, error: result.error });
  }
}
