/**
 * The values the worker, the infrastructure and the emulator must agree on, in one place:
 * names other accounts and tools refer to, the metrics the alarms watch, the defaults a
 * config may leave out. Constants only, so infra/ and emulator/ can import it without
 * pulling in logic. A value written twice drifts; import it from here instead.
 */

/** Route 53 CloudTrail events reach EventBridge only in this region, so subzone lives there. */
export const SUBZONE_REGION = 'us-east-1';

/** The service name: Powertools' `service` (a dimension of every metric) and the dashboard name. */
export const SERVICE_NAME = 'subzone';

/** Namespace of the worker's custom metrics. */
export const METRICS_NAMESPACE = 'Subzone';

/** Metric names (PascalCase): the worker emits them, the hub's alarms and dashboard read them. */
export const METRIC = {
  created: 'DelegationCreated',
  updated: 'DelegationUpdated',
  removed: 'DelegationRemoved',
  rejected: 'DelegationRejected',
  standingRejections: 'StandingRejections',
  suspects: 'DanglingSuspects',
  /** A standing delegation found with a delegation above it or records below it (alarmed). */
  occluded: 'DelegationOccluded',
  reconcileError: 'ReconcileError',
  invalidEvent: 'InvalidEvent',
  ignoredEvent: 'IgnoredEvent',
  budgetHit: 'RemovalBudgetHit',
  sweepDuration: 'SweepDurationMs',
  sweepCompleted: 'SweepCompleted',
  /** Per account (dimension `account`), reported by sweeps. */
  minutesSinceLastEvent: 'MinutesSinceLastEvent',
} as const;

/** One of the worker's metric names. */
export type MetricName = (typeof METRIC)[keyof typeof METRIC];

/** A 12-digit AWS account id. */
export const ACCOUNT_ID_PATTERN = /^\d{12}$/;

/** Name of the hub's event bus. */
export const HUB_EVENT_BUS_NAME = 'subzone-hub';

/** Name of the rule on the hub bus that feeds Route 53 events to the work queue. */
export const HUB_RULE_NAME = 'subzone-route53';

/** Name of the forwarding rule on every spoke's default bus; the hub bus admits only rules of this name. */
export const SPOKE_RULE_NAME = 'subzone-forward';

/** Name of the worker's IAM role; the reader role in every spoke trusts it. */
export const WORKER_ROLE_NAME = 'subzone-worker';

/** SSM parameter holding the kill switch and the name holds. */
export const CONTROL_PARAMETER_NAME = '/subzone/controls';

/** Initial value of the control parameter: writes allowed, nothing held. */
export const INITIAL_CONTROLS = { writesPaused: false, holds: [] } as const;

/** The tag that opts a hosted zone in, unless the config names another. */
export const DEFAULT_OPT_IN_TAG = { key: 'subzone:delegate', value: 'true' } as const;

/** A child zone's tag asking subzone to withdraw every DS it published for the zone, and keep the NS. */
export const DNSSEC_OFF_TAG = { key: 'subzone:dnssec', value: 'off' } as const;

/** A child zone's tag naming the key-signing key whose DS subzone should withdraw (a key rollover). */
export const DS_RETIRE_TAG_KEY = 'subzone:ds-retire';

/** Name of the read-only role in each child account, unless the config names another. */
export const DEFAULT_READER_ROLE_NAME = 'subzone-reader';

/**
 * The worker's environment variable that tells each execution environment how many of them
 * Lambda may run at once, so each takes its share of the hub's Route 53 budget.
 */
export const WORKER_MAX_CONCURRENCY_VARIABLE = 'WORKER_MAX_CONCURRENCY';

/** The worker's timeout when the hub construct is not told otherwise (seconds). */
export const WORKER_TIMEOUT_SECONDS_DEFAULT = 60;
