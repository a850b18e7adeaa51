/**
 * Runs the real worker (real adapters, real SDK clients over HTTP) against an emulator: the
 * config's parent zones are found or created in the emulated hub account, the worker is built
 * from the raw config with those zones' ids, and attached to the emulator's work queue the way
 * Lambda's SQS event source mapping feeds it. Used by `subzone emulator` and `npm start`.
 */
import { Logger, LogLevel } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { parseConfig } from '../functions/core/config-schema';
import type { AccountId, SubzoneConfig, ZoneId } from '../functions/core/types';
import { logger as moduleLogger, METRICS_NAMESPACE, SERVICE_NAME } from '../functions/adapters/observability';
import { productionDeps } from '../functions/worker/dependencies';
import { readEnvironment } from '../functions/worker/environment';
import { makeHandler } from '../functions/worker/handler';
import type { Emulator } from '../emulator';
import { useEmulatorEnvironment } from '../emulator/environment';

export { DEFAULT_CONFIG_PATH } from './config-file';

/** A Powertools log level (`LogLevel.ERROR`, ...). */
export type WorkerLogLevel = (typeof LogLevel)[keyof typeof LogLevel];

/** How a configured parent zone maps onto the emulated hub account. */
export interface ParentZoneMapping {
  readonly name: string;
  /** The id in the config file. */
  readonly configuredId: ZoneId;
  /** The id of the zone in the emulator, which the running worker uses. */
  readonly emulatedId: ZoneId;
  /** How the emulated zone was found: `id` (the config's id exists), `name`, or `created`. */
  readonly source: 'id' | 'name' | 'created';
}

/** What attachRealWorker started. */
export interface AttachedWorker {
  /** The config the worker runs with (parent zone ids of the emulator). */
  readonly config: SubzoneConfig;
  readonly parentZones: readonly ParentZoneMapping[];
  /**
   * Lets the running batch finish (its ledger writes and outcome events land), then stops
   * feeding the worker; messages then wait in the queue. Call it before stopping the emulator.
   */
  detach(options?: { readonly timeoutMs?: number }): Promise<void>;
}

/** Options of attachRealWorker. */
export interface AttachWorkerOptions {
  /** The worker's log level. @default LogLevel.ERROR */
  readonly logLevel?: WorkerLogLevel;
}

/**
 * Finds each parent zone of the config in the emulated hub account (by the config's id, else
 * by name) and creates the missing ones there. The emulator picks zone ids itself, as Route 53
 * does, so the config's ids cannot be kept: the mapping says which zone stands for which.
 */
export function provisionParentZones(emulator: Emulator, config: SubzoneConfig): ParentZoneMapping[] {
  const hub = emulator.hubAccount;
  return config.parentZones.map((parent) => {
    const byId = emulator.route53.zonesOf(hub).find((zone) => zone.id === parent.hostedZoneId);
    if (byId !== undefined) return { name: parent.name, configuredId: parent.hostedZoneId, emulatedId: byId.id, source: 'id' };
    const byName = emulator.route53.findZones(parent.name, hub).find((zone) => !zone.privateZone);
    if (byName !== undefined) return { name: parent.name, configuredId: parent.hostedZoneId, emulatedId: byName.id, source: 'name' };
    // Created with the configured id, so the config (and the AWS CLI) can use it as it is.
    const created = emulator.route53.createZone(hub, parent.name, { comment: 'subzone parent zone', id: parent.hostedZoneId });
    return { name: parent.name, configuredId: parent.hostedZoneId, emulatedId: created.id, source: 'created' };
  });
}

/**
 * Builds the worker from `rawConfig` (validated with the config schema; ConfigError names
 * each bad field) and attaches it to the emulator's work queue. The worker's SDK clients take
 * their endpoints and hub credentials from the environment, as in AWS, so this process's
 * AWS variables are pointed at the emulator (and any that could lead elsewhere are removed).
 */
export function attachRealWorker(emulator: Emulator, rawConfig: unknown, options: AttachWorkerOptions = {}): AttachedWorker {
  const { config: configured } = parseConfig(rawConfig);
  const parentZones = provisionParentZones(emulator, configured);
  const { config } = parseConfig(withParentZoneIds(rawConfig, parentZones));

  useEmulatorEnvironment(emulator);
  const logLevel = options.logLevel ?? LogLevel.ERROR;
  // The module logger is what the adapters' failure callbacks write to.
  moduleLogger.setLogLevel(logLevel);
  const logger = new Logger({ serviceName: SERVICE_NAME, logLevel });
  // Metrics are off here, so its "no metrics to publish" warnings are noise.
  const metrics = new Metrics({ serviceName: SERVICE_NAME, namespace: METRICS_NAMESPACE, logger: new Logger({ logLevel: LogLevel.SILENT }) });
  const handler = makeHandler({ ...productionDeps(config, readEnvironment()), telemetry: { logger, metrics } });

  emulator.setConsumer(handler);
  return {
    config,
    parentZones,
    detach: async ({ timeoutMs = 10_000 } = {}) => {
      try {
        await emulator.idle({ timeoutMs });
      } finally {
        emulator.setConsumer(undefined);
      }
    },
  };
}

/** Every account the allowlist names that the emulator does not yet forward events for. */
export function missingSpokeAccounts(emulator: Emulator, config: SubzoneConfig): AccountId[] {
  const spokes = new Set(emulator.spokeAccounts());
  const named = new Set(config.rules.flatMap((rule) => rule.accounts));
  return [...named].filter((account) => account !== emulator.hubAccount && !spokes.has(account)).sort();
}

/** `raw` with each parent zone's hostedZoneId replaced by its emulated zone's id. */
function withParentZoneIds(raw: unknown, mappings: readonly ParentZoneMapping[]): unknown {
  // parseConfig accepted `raw`, so it is an object whose parentZones is an array of objects.
  const object = raw as { readonly parentZones: readonly Record<string, unknown>[] };
  return {
    ...object,
    parentZones: object.parentZones.map((parent, index) => ({ ...parent, hostedZoneId: mappings[index]?.emulatedId })),
  };
}

