/**
 * The `subzone` command. Subcommands: `emulator` (more come with later issues).
 *
 *   subzone emulator [--port N] [--dns-port N] [--hub-account ID] [--spoke-account ID ...] [--config PATH]
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import { LogLevel } from '@aws-lambda-powertools/logger';
import { parseConfig } from '../functions/core/config-schema';
import { startEmulator, DEFAULT_HUB_ACCOUNT, DEFAULT_SPOKE_ACCOUNTS, type Emulator } from '../emulator';
import { attachRealWorker, DEFAULT_CONFIG_PATH, missingSpokeAccounts, type AttachedWorker, type WorkerLogLevel } from './attach-worker';

/** Where the command writes; tests pass their own. */
export interface CommandIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

const defaultIo: CommandIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

const HELP = `subzone: zero-touch Route 53 subdomain delegation for multi-account AWS organisations

Usage: subzone <command> [options]

Commands:
  emulator    Run the embedded AWS emulator (Route 53, STS, EventBridge, SQS, SSM, DynamoDB, DNS)

Options:
  -h, --help  Show help (also: subzone <command> --help)`;

const LOG_LEVELS = Object.values(LogLevel);

const EMULATOR_HELP = `Usage: subzone emulator [options]

Runs the embedded AWS emulator on loopback until Ctrl-C, with subzone's worker attached to
its queue, and prints the variables to export so the AWS SDKs and the AWS CLI use it, e.g.
  aws --endpoint-url http://127.0.0.1:4566 route53 list-hosted-zones
A zone created and tagged subzone:delegate=true in an allowlisted account is delegated with
no further step. The config's parent zones are created in the hub account at start, with
the config's ids (a hub zone of that name that already exists is used instead, and the
output maps the config id to it).

Options:
  --port N               AWS endpoint port (default: any free port)
  --dns-port N           DNS port, UDP and TCP (default: any free port)
  --dynamo-port N        DynamoDB (dynalite) port (default: any free port)
  --hub-account ID       The DNS ("hub") account (default: ${DEFAULT_HUB_ACCOUNT})
  --spoke-account ID     A child account with the forwarding rule; repeat for more
                         (default: ${DEFAULT_SPOKE_ACCOUNTS.join(', ')})
  --change-sync-ms N     How long Route 53 changes stay PENDING (default: 0)
  --config PATH          The worker's config (default: config/subzone.config.json)
  --log-level LEVEL      The worker's log level: ${LOG_LEVELS.join(', ')} (default: INFO)
  -h, --help             Show this help`;

/** A command line that cannot be run; the message says which option and why. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** What the worker runs with: a raw config (already checked against the schema) and its log level. */
export interface WorkerSettings {
  readonly rawConfig: unknown;
  readonly configPath: string;
  readonly logLevel: WorkerLogLevel;
}

/**
 * Attaches subzone's real worker to the emulator's work queue so events are reconciled: the
 * config's parent zones are found or created in the hub account, and every account the
 * allowlist names gets the forwarding rule, so its Route 53 calls reach the worker.
 */
export async function attachWorker(emulator: Emulator, io: CommandIo, settings: WorkerSettings): Promise<AttachedWorker> {
  const added = missingSpokeAccounts(emulator, parseConfig(settings.rawConfig).config);
  added.forEach((account) => emulator.addSpokeAccount(account));
  const worker = attachRealWorker(emulator, settings.rawConfig, { logLevel: settings.logLevel });
  for (const parent of worker.parentZones) {
    const how = { id: 'found by id', name: 'found by name', created: 'created' }[parent.source];
    const mapped = parent.emulatedId === parent.configuredId ? '' : ` (config id ${parent.configuredId})`;
    io.out(`# parent zone ${parent.name}: ${how} in hub account ${emulator.hubAccount} as ${parent.emulatedId}${mapped}`);
  }
  if (added.length > 0) io.out(`# forwarding rule added for allowlisted accounts ${added.join(', ')}`);
  io.out(`# worker attached to queue ${emulator.names.workQueueName} with ${displayPath(settings.configPath)} (${worker.config.mode} mode, log level ${settings.logLevel})`);
  return worker;
}

/** Runs `subzone` with `argv` (without node and script); resolves to the exit code. */
export async function main(argv: readonly string[], io: CommandIo = defaultIo, waitForStop: () => Promise<void> = interrupted): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
      io.out(HELP);
      return command === undefined ? 2 : 0;
    }
    if (command === 'emulator') return await runEmulator(rest, io, waitForStop);
    throw new UsageError(`unknown command ${JSON.stringify(command)}: expected one of: emulator`);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`subzone: ${error.message}`);
    io.err('Run `subzone --help` for usage.');
    return 2;
  }
}

async function runEmulator(argv: readonly string[], io: CommandIo, waitForStop: () => Promise<void>): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        port: { type: 'string' },
        'dns-port': { type: 'string' },
        'dynamo-port': { type: 'string' },
        'hub-account': { type: 'string' },
        'spoke-account': { type: 'string', multiple: true },
        'change-sync-ms': { type: 'string' },
        config: { type: 'string' },
        'log-level': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values } = parsed;
  if (values.help) {
    io.out(EMULATOR_HELP);
    return 0;
  }
  const hubAccount = account('--hub-account', values['hub-account'] ?? DEFAULT_HUB_ACCOUNT);
  const spokeAccounts = (values['spoke-account'] ?? DEFAULT_SPOKE_ACCOUNTS).map((id) => account('--spoke-account', id));
  const settings = workerSettings(values.config ?? DEFAULT_CONFIG_PATH, values['log-level'] ?? LogLevel.INFO);
  const emulator = await startEmulator({
    hubAccount,
    spokeAccounts,
    port: integer('--port', values.port, 0, 65535) ?? 0,
    dnsPort: integer('--dns-port', values['dns-port'], 0, 65535) ?? 0,
    dynamoPort: integer('--dynamo-port', values['dynamo-port'], 0, 65535) ?? 0,
    changeSyncDelayMs: integer('--change-sync-ms', values['change-sync-ms'], 0, 600_000) ?? 0,
  });
  io.out(`# subzone emulator: AWS endpoint ${emulator.endpoint}, DynamoDB ${emulator.dynamoEndpoint}, DNS 127.0.0.1:${emulator.dnsPort} (UDP and TCP)`);
  io.out(`# hub account ${hubAccount}; spoke accounts ${spokeAccounts.join(', ')}; act as a spoke with AWS_ACCESS_KEY_ID=${emulator.credentialsFor(spokeAccounts[0] ?? hubAccount).accessKeyId}`);
  for (const [name, value] of Object.entries(emulator.env)) io.out(`export ${name}=${shellQuote(value)}`);
  io.out(`# admin: curl ${emulator.endpoint}/_emulator/counters   (Ctrl-C stops the emulator)`);
  const worker = await attachWorker(emulator, io, settings);
  await waitForStop();
  await worker.detach().catch((error: unknown) => io.err(`# stopping while the worker is still busy: ${String(error)}`));
  await emulator.stop();
  io.err('# emulator stopped');
  return 0;
}

/** Reads and checks the config before anything starts, so a bad file costs no cleanup. */
function workerSettings(configPath: string, logLevel: string): WorkerSettings {
  const level = LOG_LEVELS.find((known) => known === logLevel.toUpperCase());
  if (level === undefined) throw new UsageError(`--log-level must be one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(logLevel)}`);
  let rawConfig: unknown;
  try {
    rawConfig = JSON.parse(readFileSync(configPath, 'utf8'));
    parseConfig(rawConfig);
  } catch (error) {
    // Not instanceof: fs errors may come from another realm (jest's vm contexts).
    const reason = typeof error === 'object' && error !== null && 'message' in error ? String(error.message) : String(error);
    throw new UsageError(`--config ${displayPath(configPath)}: ${reason}`);
  }
  return { rawConfig, configPath, logLevel: level };
}

function displayPath(path: string): string {
  const shown = relative(process.cwd(), path);
  return shown.startsWith('..') ? path : shown;
}

function account(flag: string, value: string): string {
  if (!/^\d{12}$/.test(value)) throw new UsageError(`${flag} must be a 12-digit account id, got ${JSON.stringify(value)}`);
  return value;
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

/** Resolves on the first Ctrl-C or SIGTERM. */
function interrupted(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`subzone: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
