/**
 * The one set-up chain for running subzone offline: start the emulator, point this process's
 * SDK clients at it, find or create the config's parent zones in the emulated hub account,
 * build the real worker (production dependencies, real SDK clients over HTTP) and attach it to
 * the work queue the way Lambda's SQS event source mapping feeds it.
 *
 * The integration tests, the benchmark, `npm start`'s walk-through, the CLI's `emulator`
 * command and the bundle check all go through it; each step is exported on its own for the
 * callers that own their emulator (the CLI) or their handler (the bundle check, the benchmark).
 */
import { startEmulator, type Emulator, type EmulatorOptions } from '../emulator';
import { useEmulatorEnvironment } from '../emulator/environment';
import type { SqsConsumer } from '../emulator/sqs/event-source-mapping';
import { parseConfig } from '../functions/core/config-schema';
import type { AccountId, SubzoneConfig, ZoneId } from '../functions/core/types';
import { productionDeps } from '../functions/worker/dependencies';
import { readEnvironment } from '../functions/worker/environment';
import { makeHandler } from '../functions/worker/handler';
import type { WorkerDeps } from '../functions/worker/process-batch';

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

/**
 * Finds each parent zone of the config in the emulated hub account (by the config's id, else
 * by name) and creates the missing ones there, with the configured id so the config (and the
 * AWS CLI) can use it as it is.
 */
export function provisionParentZones(emulator: Emulator, config: SubzoneConfig): ParentZoneMapping[] {
  const hub = emulator.hubAccount;
  return config.parentZones.map((parent) => {
    const byId = emulator.route53.zonesOf(hub).find((zone) => zone.id === parent.hostedZoneId);
    if (byId !== undefined) return { name: parent.name, configuredId: parent.hostedZoneId, emulatedId: byId.id, source: 'id' };
    const byName = emulator.route53.findZones(parent.name, hub).find((zone) => !zone.privateZone);
    if (byName !== undefined) return { name: parent.name, configuredId: parent.hostedZoneId, emulatedId: byName.id, source: 'name' };
    const created = emulator.route53.createZone(hub, parent.name, { comment: 'subzone parent zone', id: parent.hostedZoneId });
    return { name: parent.name, configuredId: parent.hostedZoneId, emulatedId: created.id, source: 'created' };
  });
}

/** A config whose parent zones exist in the emulator, with the ids they have there. */
export interface EmulatedConfig {
  readonly config: SubzoneConfig;
  readonly parentZones: readonly ParentZoneMapping[];
}

/**
 * Validates `rawConfig` (ConfigError names each bad field), provisions its parent zones and
 * returns the config the worker runs with: the parent zone ids of the emulator.
 */
export function configureForEmulator(emulator: Emulator, rawConfig: unknown): EmulatedConfig {
  const parentZones = provisionParentZones(emulator, parseConfig(rawConfig).config);
  return { config: parseConfig(withParentZoneIds(rawConfig, parentZones)).config, parentZones };
}

/** The real worker: its dependencies and the Lambda handler built from them. */
export interface RealWorker {
  readonly deps: WorkerDeps;
  readonly handler: ReturnType<typeof makeHandler>;
}

/**
 * Builds the worker as production does, from this process's environment (call
 * `useEmulatorEnvironment` first); `customise` swaps dependencies (clock, telemetry, an
 * observed port) before the handler is made.
 */
export function buildRealWorker(config: SubzoneConfig, customise: (deps: WorkerDeps) => WorkerDeps = (deps) => deps): RealWorker {
  const deps = customise(productionDeps(config, readEnvironment()));
  return { deps, handler: makeHandler(deps) };
}

/** How to start a harness; everything but the config has a default. */
export interface HarnessOptions {
  /** The raw config (as in config/subzone.config.json); its parent zones are found or created. */
  readonly rawConfig: unknown;
  readonly emulator?: EmulatorOptions;
  /** Variables set on top of the emulator's (ROUTE53_REQUESTS_PER_SECOND, ...). */
  readonly environment?: Readonly<Record<string, string>>;
  /** The account this process's own credentials act in. @default the hub account */
  readonly actAs?: AccountId;
}

/** A running emulator with the config's parent zones; the worker is attached on demand. */
export interface Harness extends EmulatedConfig {
  readonly emulator: Emulator;
  /** Feeds the work queue's batches to `consumer` (the real worker, a bundle's handler, an observed one). */
  attach(consumer: SqsConsumer): void;
  /** Lets the running batch finish, then stops feeding the queue; messages then wait. */
  detach(options?: { readonly timeoutMs?: number }): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the emulator, points this process at it and provisions the config's parent zones. */
export async function startHarness(options: HarnessOptions): Promise<Harness> {
  const emulator = await startEmulator(options.emulator);
  try {
    const actAs = options.actAs === undefined ? {} : credentialVariables(emulator, options.actAs);
    useEmulatorEnvironment(emulator, { ...actAs, ...options.environment });
    const configured = configureForEmulator(emulator, options.rawConfig);
    return {
      ...configured,
      emulator,
      attach: (consumer) => emulator.setConsumer(consumer),
      detach: (waitOptions) => detachWorker(emulator, waitOptions),
      stop: () => emulator.stop(),
    };
  } catch (error) {
    await emulator.stop();
    throw error;
  }
}

/** Lets the running batch finish (its ledger writes and outcome events land), then detaches the consumer. */
export async function detachWorker(emulator: Emulator, { timeoutMs = 10_000 }: { readonly timeoutMs?: number } = {}): Promise<void> {
  try {
    await emulator.idle({ timeoutMs });
  } finally {
    emulator.setConsumer(undefined);
  }
}

function credentialVariables(emulator: Emulator, account: AccountId): Record<string, string> {
  const credentials = emulator.credentialsFor(account);
  return { AWS_ACCESS_KEY_ID: credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey };
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
