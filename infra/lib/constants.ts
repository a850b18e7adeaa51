/**
 * Fixed names shared by the hub, the spoke and the rollout. They are fixed, not generated,
 * because other accounts refer to them by name: a spoke's reader role trusts the worker
 * role by ARN, and the hub bus admits deliveries only from rules of the spoke rule's name.
 */

/** Route 53 is global: its CloudTrail events reach EventBridge only in us-east-1. */
export const SUBZONE_REGION = 'us-east-1';

/** Name of the hub's event bus. */
export const HUB_EVENT_BUS_NAME = 'subzone-hub';

/** Name of the worker's IAM role; the reader role in every spoke trusts it. */
export const WORKER_ROLE_NAME = 'subzone-worker';

/** Name of the forwarding rule on every spoke's default bus. */
export const SPOKE_RULE_NAME = 'subzone-forward';

/** Name of the role the spoke rule uses to put events on the hub bus. */
export const SPOKE_FORWARDER_ROLE_NAME = 'subzone-forwarder';

/** SSM parameter holding the kill switch and the name holds. */
export const CONTROL_PARAMETER_NAME = '/subzone/controls';

/** Initial value of the control parameter: writes allowed, nothing held. */
export const INITIAL_CONTROLS = { writesPaused: false, holds: [] } as const;

/** Namespace of the worker's custom metrics (dimension-less). */
export const METRICS_NAMESPACE = 'Subzone';

/**
 * Powertools Metrics adds the service name as a dimension to every metric it publishes, so
 * the alarms must ask for it: a metric without that dimension would never get data.
 */
export const METRICS_SERVICE_DIMENSION = { service: 'subzone' } as const;

/** An organisation id, as AWS Organizations issues them. */
export const ORGANIZATION_ID_PATTERN = /^o-[a-z0-9]{10,32}$/;

/** A 12-digit AWS account id. */
export const ACCOUNT_ID_PATTERN = /^\d{12}$/;

/** Name of the worker function: the write policy names it in `lambda:SourceFunctionArn`. */
export const WORKER_FUNCTION_NAME = 'subzone-worker';

/** Fixed name of the operator role the shipped app creates, so spokes can trust it by ARN. */
export const OPERATOR_ROLE_NAME = 'subzone-operator';
