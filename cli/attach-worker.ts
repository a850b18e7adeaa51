/**
 * Runs the real worker against an emulator the CLI started, through the harness's steps
 * (harness/emulator-harness.ts): parent zones found or created, worker built and attached.
 * Used by `subzone emulator` and `npm start`; the worker logs through Powertools at the
 * level the operator chose.
 */
import { Logger, LogLevel } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Clock } from '../functions/core/ports';
import type { AccountId, SubzoneConfig } from '../functions/core/types';
import { logger as moduleLogger, METRICS_NAMESPACE, SERVICE_NAME } from '../functions/adapters/observability';
import type { Emulator } from '../emulator';
import { useEmulatorEnvironment } from '../emulator/environment';
import { buildRealWorker, configureForEmulator, detachWorker, type ParentZoneMapping } from '../harness/emulator-harness';

export { provisionParentZones, type ParentZoneMapping } from '../harness/emulator-harness';

export { DEFAULT_CONFIG_PATH } from './config-file';

/** A Powertools log level (`LogLevel.ERROR`, ...). */
export type WorkerLogLevel = (typeof LogLevel)[keyof typeof LogLevel];

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
  /** The worker's clock (the DNSSEC walk-through moves its own past a wait). @default the system clock */
  readonly clock?: Clock;
}

/**
 * Builds the worker from `rawConfig` (validated with the config schema; ConfigError names
 * each bad field) and attaches it to the emulator's work queue. The worker's SDK clients take
 * their endpoints and hub credentials from the environment, as in AWS, so this process's
 * AWS variables are pointed at the emulator (and any that could lead elsewhere are removed).
 */
export function attachRealWorker(emulator: Emulator, rawConfig: unknown, options: AttachWorkerOptions = {}): AttachedWorker {
  const { config, parentZones } = configureForEmulator(emulator, rawConfig);
  useEmulatorEnvironment(emulator);
  const logLevel = options.logLevel ?? LogLevel.ERROR;
  // The module logger is what the adapters' failure callbacks write to.
  moduleLogger.setLogLevel(logLevel);
  const logger = new Logger({ serviceName: SERVICE_NAME, logLevel });
  // Metrics are off here, so its "no metrics to publish" warnings are noise.
  const metrics = new Metrics({
    serviceName: SERVICE_NAME,
    namespace: METRICS_NAMESPACE,
    logger: new Logger({ logLevel: LogLevel.SILENT }),
  });
  const clock = options.clock;
  const { handler } = buildRealWorker(config, (deps) => ({ ...deps, telemetry: { logger, metrics }, ...(clock && { clock }) }));

  emulator.setConsumer(handler);
  return { config, parentZones, detach: (waitOptions) => detachWorker(emulator, waitOptions) };
}

/** Every account the allowlist names that the emulator does not yet forward events for. */
export function missingSpokeAccounts(emulator: Emulator, config: SubzoneConfig): AccountId[] {
  const spokes = new Set(emulator.spokeAccounts());
  const named = new Set(config.rules.flatMap((rule) => rule.accounts));
  return [...named].filter((account) => account !== emulator.hubAccount && !spokes.has(account)).sort();
}
