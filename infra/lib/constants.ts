/**
 * Fixed names shared by the hub, the spoke and the rollout. They are fixed, not generated,
 * because other accounts refer to them by name: a spoke's reader role trusts the worker
 * role by ARN, and the hub bus admits deliveries only from rules of the spoke rule's name.
 * Those the worker and the emulator use too come from the contract module.
 */
import { SERVICE_NAME } from '../../functions/core/contract';

export {
  CONTROL_PARAMETER_NAME,
  HUB_EVENT_BUS_NAME,
  INITIAL_CONTROLS,
  METRICS_NAMESPACE,
  SPOKE_RULE_NAME,
  SUBZONE_REGION,
  WORKER_ROLE_NAME,
} from '../../functions/core/contract';

/**
 * Powertools Metrics adds the service name as a dimension to every metric it publishes, so
 * the alarms must ask for it: a metric without that dimension would never get data.
 */
export const METRICS_SERVICE_DIMENSION = { service: SERVICE_NAME } as const;

/** An organisation id, as AWS Organizations issues them. */
export const ORGANIZATION_ID_PATTERN = /^o-[a-z0-9]{10,32}$/;

/** Name of the worker function: the write policy names it in `lambda:SourceFunctionArn`. */
export const WORKER_FUNCTION_NAME = 'subzone-worker';

/** Fixed name of the operator role the shipped app creates, so spokes can trust it by ARN. */
export const OPERATOR_ROLE_NAME = 'subzone-operator';

/**
 * The event source mapping's defaults, chosen from `npm run bench -- --only burst --zones 1000`
 * (docs/benchmarks.md): a batch of 100 is one parent read and one change batch for up to 100
 * changes, and it fills in 2 s at 50 events a second; a lone event waits at most the window.
 */
export const DEFAULT_BATCH_SIZE = 100;
export const DEFAULT_MAX_BATCHING_WINDOW_SECONDS = 2;
