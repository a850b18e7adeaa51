/**
 * `subzone emulator`: the embedded AWS emulator on loopback with subzone's worker attached to
 * its queue, until Ctrl-C. It prints the variables to export: with them, the AWS SDKs, the
 * AWS CLI (v1 and v2) and every other `subzone` command work against it.
 */
import { LogLevel } from '@aws-lambda-powertools/logger';
import type { Emulator } from '../../emulator';
import type { AttachedWorker, WorkerLogLevel } from '../attach-worker';
import { displayPath, loadConfigFile, type LoadedConfig } from '../../infra/lib/config-file';
import type { CommandIo } from '../output';
import { accountFlag, UsageError } from '../usage-error';

/** The log levels the worker takes. */
export const LOG_LEVELS = Object.values(LogLevel);

/** The flags of `subzone emulator` (commander's camelCase). */
export interface EmulatorOptions {
  readonly port?: string;
  readonly dnsPort?: string;
  readonly dynamoPort?: string;
  readonly hubAccount?: string;
  readonly spokeAccount?: readonly string[];
  readonly changeSyncMs?: string;
  readonly config: string;
  readonly logLevel: string;
}

/** Runs the emulator until `waitForStop` resolves. */
export async function runEmulator(options: EmulatorOptions, io: CommandIo, waitForStop: () => Promise<void>): Promise<number> {
  const { DEFAULT_HUB_ACCOUNT, DEFAULT_SPOKE_ACCOUNTS, REGION, startEmulator } = loadEmulator();
  // Checked before anything starts, so a bad flag or config costs no cleanup.
  const hubAccount = accountFlag('--hub-account', options.hubAccount ?? DEFAULT_HUB_ACCOUNT);
  const spokeAccounts = (options.spokeAccount ?? DEFAULT_SPOKE_ACCOUNTS).map((id) => accountFlag('--spoke-account', id));
  const logLevel = LOG_LEVELS.find((known) => known === options.logLevel.toUpperCase());
  if (logLevel === undefined)
    throw new UsageError(`--log-level must be one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(options.logLevel)}`);
  const loaded = loadConfigFile(options.config);
  for (const warning of loaded.warnings) io.err(`warning: ${warning}`);
  const ports = {
    port: integer('--port', options.port, 0, 65535) ?? 0,
    dnsPort: integer('--dns-port', options.dnsPort, 0, 65535) ?? 0,
    dynamoPort: integer('--dynamo-port', options.dynamoPort, 0, 65535) ?? 0,
    changeSyncDelayMs: integer('--change-sync-ms', options.changeSyncMs, 0, 600_000) ?? 0,
  };
  const emulator = await startEmulator({ hubAccount, spokeAccounts, ...ports });
  io.out(
    `# subzone emulator: AWS endpoint ${emulator.endpoint}, DynamoDB ${emulator.dynamoEndpoint}, DNS 127.0.0.1:${emulator.dnsPort} (UDP and TCP)`,
  );
  io.out(
    `# hub account ${hubAccount}; spoke accounts ${spokeAccounts.join(', ')}; act as a spoke with AWS_ACCESS_KEY_ID=${emulator.credentialsFor(spokeAccounts[0] ?? hubAccount).accessKeyId}`,
  );
  for (const [name, value] of Object.entries(emulator.env)) io.out(`export ${name}=${shellQuote(value)}`);
  // AWS CLI v1 reads only AWS_DEFAULT_REGION, and AWS_ENDPOINT_URL not at all (pass --endpoint-url).
  io.out(`export AWS_DEFAULT_REGION=${REGION}`);
  io.out(`export SUBZONE_CONFIG=${shellQuote(loaded.path)}`);
  io.out(`# AWS CLI v1: aws --endpoint-url ${emulator.endpoint} sqs receive-message --queue-url "$WORK_QUEUE_URL"`);
  io.out(`# admin: curl ${emulator.endpoint}/_emulator/counters, curl ${emulator.endpoint}/_emulator/events   (Ctrl-C stops the emulator)`);
  const worker = await attachWorker(emulator, io, loaded, logLevel);
  await waitForStop();
  await worker.detach().catch((error: unknown) => io.err(`# stopping while the worker is still busy: ${String(error)}`));
  await emulator.stop();
  io.err('# emulator stopped');
  return 0;
}

/**
 * Attaches subzone's real worker to the emulator's work queue so events are reconciled: the
 * config's parent zones are found or created in the hub account, and every account the
 * allowlist names gets the forwarding rule, so its Route 53 calls reach the worker.
 */
async function attachWorker(emulator: Emulator, io: CommandIo, loaded: LoadedConfig, logLevel: WorkerLogLevel): Promise<AttachedWorker> {
  // Loaded only now: the worker's handler module reads the bundled config when it is loaded, and
  // `subzone --help` or a config error must not depend on that file being valid JSON.
  const { attachRealWorker, missingSpokeAccounts } = require('../attach-worker') as typeof import('../attach-worker');
  const added = missingSpokeAccounts(emulator, loaded.config);
  added.forEach((id) => emulator.addSpokeAccount(id));
  const worker = attachRealWorker(emulator, loaded.raw, { logLevel });
  for (const parent of worker.parentZones) {
    const how = { id: 'found by id', name: 'found by name', created: 'created' }[parent.source];
    const mapped = parent.emulatedId === parent.configuredId ? '' : ` (config id ${parent.configuredId})`;
    io.out(`# parent zone ${parent.name}: ${how} in hub account ${emulator.hubAccount} as ${parent.emulatedId}${mapped}`);
  }
  if (added.length > 0) io.out(`# forwarding rule added for allowlisted accounts ${added.join(', ')}`);
  io.out(
    `# worker attached to queue ${emulator.names.workQueueName} with ${displayPath(loaded.path)} (${worker.config.mode} mode, log level ${logLevel})`,
  );
  return worker;
}

/**
 * The emulator is loaded only for this command: its packages (dynalite, ...) are development
 * dependencies, present in a checkout and absent where the package is installed in an app.
 */
function loadEmulator(): typeof import('../../emulator') {
  try {
    return require('../../emulator') as typeof import('../../emulator');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw error;
    throw new UsageError(
      `subzone emulator runs from a checkout of subzone after \`npm ci\` (it needs the development dependencies): ${(error as Error).message.split('\n')[0]}`,
    );
  }
}

function integer(flag: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!/^\d+$/.test(value) || parsed < min || parsed > max) {
    throw new UsageError(`${flag} must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
  }
  return parsed;
}

function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]*$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
