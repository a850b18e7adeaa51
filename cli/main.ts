/**
 * The `subzone` command. Subcommands: `emulator` (more come with later issues).
 *
 *   subzone emulator [--port N] [--dns-port N] [--hub-account ID] [--spoke-account ID ...]
 */
import { parseArgs } from 'node:util';
import { startEmulator, DEFAULT_HUB_ACCOUNT, DEFAULT_SPOKE_ACCOUNTS, type Emulator } from '../emulator';

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

const EMULATOR_HELP = `Usage: subzone emulator [options]

Runs the embedded AWS emulator on loopback until Ctrl-C and prints the variables to export
so the AWS SDKs and the AWS CLI use it, e.g.
  aws --endpoint-url http://127.0.0.1:4566 route53 list-hosted-zones

Options:
  --port N               AWS endpoint port (default: any free port)
  --dns-port N           DNS port, UDP and TCP (default: any free port)
  --dynamo-port N        DynamoDB (dynalite) port (default: any free port)
  --hub-account ID       The DNS ("hub") account (default: ${DEFAULT_HUB_ACCOUNT})
  --spoke-account ID     A child account with the forwarding rule; repeat for more
                         (default: ${DEFAULT_SPOKE_ACCOUNTS.join(', ')})
  --change-sync-ms N     How long Route 53 changes stay PENDING (default: 0)
  -h, --help             Show this help`;

/** A command line that cannot be run; the message says which option and why. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * Attaches subzone's worker to the emulator's work queue so events are reconciled. The lead
 * wires the real worker here; until then nothing consumes the queue and events wait in it.
 */
export async function attachWorker(emulator: Emulator, io: CommandIo): Promise<boolean> {
  io.err(`# no worker attached yet: events wait in the queue ${emulator.names.workQueueName}`);
  return false;
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
  await attachWorker(emulator, io);
  await waitForStop();
  await emulator.stop();
  io.err('# emulator stopped');
  return 0;
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
