/**
 * The `subzone` command: `npx subzone <command>` (the package's bin) or `npm run subzone -- <command>`.
 * Reads go through the hub's read-only operator role; writes only through the worker's queue.
 * Exit codes are a contract: 0 clean, 2 findings or pending changes (audit, plan) or an
 * unresolved name (verify), 1 an error (bad flags, bad config, an AWS call that failed).
 */
import { Command, CommanderError, Option } from 'commander';
import { createInterface } from 'node:readline/promises';
import { ConfigFileError, loadConfigFile } from '../infra/lib/config-file';
import { DEFAULT_CONFIG_PATH } from './config-file';
import { commandContext } from './command-context';
import { applyAwsOptions, MissingSettingError, workQueueUrl, type CommonOptions } from './hub-access';
import { Output, type CommandIo } from './output';
import { accountFlag, UsageError } from './usage-error';
import { LOG_LEVELS, runEmulator, type EmulatorOptions } from './commands/emulator';
import { reportAudit, runAudit } from './commands/audit';
import { runApply } from './commands/apply';
import { explainName, reportExplanation } from './commands/explain';
import { runInvoke } from './commands/invoke';
import { readLedger, reportLedger } from './commands/ledger';
import { dnsSettings, reportVerification, verifyName } from './commands/verify';
import { accountsToPlan, makePlan, reportPlan } from './commands/plan';

const defaultIo: CommandIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  outIsTerminal: process.stdout.isTTY,
  errIsTerminal: process.stderr.isTTY,
  ...(process.stdin.isTTY && process.stderr.isTTY ? { confirm: askOnTerminal } : {}),
};

/** Asks on the terminal; only "y" or "yes" agrees. */
async function askOnTerminal(question: string): Promise<boolean> {
  const terminal = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await terminal.question(`${question} [y/N] `)).trim());
  } finally {
    terminal.close();
  }
}

/** Adds the options every AWS-facing command takes. */
function withCommonOptions(command: Command): Command {
  return command
    .option('--config <path>', 'the subzone config file (env SUBZONE_CONFIG)', process.env.SUBZONE_CONFIG ?? DEFAULT_CONFIG_PATH)
    .option('--profile <name>', 'AWS profile (env AWS_PROFILE)')
    .option('--region <region>', 'AWS region of the hub (env AWS_REGION; default us-east-1)')
    .option('--endpoint-url <url>', 'send every AWS call to this endpoint (env AWS_ENDPOINT_URL)')
    .option('--table <name>', "the ledger table (env LEDGER_TABLE_NAME; the SubzoneHub stack's LedgerTableName output)")
    .option('--control-parameter <name>', 'the controls parameter (env CONTROL_PARAMETER_NAME; output ControlParameterName)')
    .option('--operator-role-arn <arn>', 'read through this role (env SUBZONE_OPERATOR_ROLE_ARN; output OperatorRoleArn)')
    .option('--json', 'print JSON instead of a table');
}

function examples(lines: readonly string[]): string {
  return `\nExamples:\n${lines.map((line) => `  ${line}`).join('\n')}`;
}

/** Runs `subzone` with `argv` (without node and script); resolves to the exit code. */
export async function main(
  argv: readonly string[],
  io: CommandIo = defaultIo,
  waitForStop: () => Promise<void> = interrupted,
): Promise<number> {
  let code = 0;
  const program = new Command('subzone')
    .description('zero-touch Route 53 subdomain delegation for multi-account AWS organisations')
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.out(text.replace(/\n$/, '')), writeErr: (text) => io.err(text.replace(/\n$/, '')) })
    .showHelpAfterError('Run `subzone --help` for usage.')
    .addHelpText(
      'after',
      examples([
        'eval "$(subzone emulator | grep ^export)"   # in another terminal: the emulator, then every command works against it',
        'subzone plan                                # what the worker would do now; exit 2 when changes are pending',
        'subzone audit --json | jq \'.findings[] | select(.severity == "critical")\'',
      ]),
    );

  program
    .command('plan')
    .description('a read-only reconcile of every allowlisted account (or those named): what the worker would change, and why')
    .addOption(new Option('--account <id>', 'plan only this account (repeatable)').argParser(collect).default([]))
    .addHelpText(
      'after',
      examples([
        'subzone plan',
        'subzone plan --account 222222222222 --json',
        'Exit: 0 nothing would change, 2 changes are pending, 1 error. Writes nothing: not Route 53, not the ledger, not the queue.',
      ]),
    )
    .action(async (options: CommonOptions & { account: string[] }) => {
      const context = commandContext(options, io);
      const accounts = await accountsToPlan(
        context.loaded.config,
        () => context.readers.ledger.listAccounts(),
        options.account.map(accountId),
      );
      context.out.progress(`planning ${accounts.length} account(s)...`);
      code = reportPlan(context, await makePlan(context, accounts));
    });

  program
    .command('audit')
    .description(
      'classify every NS record in every configured parent zone: delegated, dangling, mismatched, foreign, outside-allowlist, below-delegation',
    )
    .addHelpText(
      'after',
      examples([
        'subzone audit',
        'subzone audit --json --operator-role-arn arn:aws:iam::111111111111:role/subzone-operator',
        'Exit: 0 nothing high or critical, 2 something is, 1 error. Reads only.',
      ]),
    )
    .action(async (options: CommonOptions) => {
      const context = commandContext(options, io);
      code = reportAudit(context, await runAudit(context));
    });

  program
    .command('explain')
    .argument('<name>', 'the domain name, e.g. foo.example.com')
    .description('why a name is or is not delegated: rule, owner, claimants, last decision, and what would happen next')
    .addHelpText('after', examples(['subzone explain foo.example.com', 'subzone explain rogue.example.com --json']))
    .action(async (name: string, options: CommonOptions) => {
      const context = commandContext(options, io);
      code = reportExplanation(context, await explainName(context, name));
    });

  program
    .command('verify')
    .argument('<name>', 'the delegated name, e.g. foo.example.com')
    .description("follow the delegation chain over DNS from the parent zone's own name servers to the child zone's answer")
    .option(
      '--dns-server <ip[:port]>',
      "a server answering as the parent's name servers (env DNS_RESOLVERS; default: the parent's name servers on port DNS_PORT or 53)",
    )
    .option('--change-id <id>', 'also report whether this Route 53 change (ChangeInfo.Id) is INSYNC')
    .addHelpText(
      'after',
      examples([
        'subzone verify foo.example.com',
        'subzone verify foo.example.com --change-id C0123456789ABCDEFGHIJ --json',
        'Exit: 0 the name resolves through the chain, 2 it does not, 1 error.',
      ]),
    )
    .action(async (name: string, options: CommonOptions & { dnsServer?: string; changeId?: string }) => {
      const context = commandContext(options, io);
      code = reportVerification(context, await verifyName(context, name, dnsSettings(options.dnsServer), options.changeId));
    });

  program
    .command('apply')
    .description('carry out the plan through the worker: one reconcile request per account on its queue')
    .addOption(new Option('--account <id>', 'apply only for this account (repeatable)').argParser(collect).default([]))
    .option('--queue-url <url>', "the work queue (env WORK_QUEUE_URL; the SubzoneHub stack's WorkQueueUrl output)")
    .option('--yes', 'send without asking')
    .option('--approve-removals', "let more removals through than the config's removal budget allows")
    .addHelpText(
      'after',
      examples([
        'subzone apply                 # shows the plan, asks, sends',
        'subzone apply --yes --account 222222222222',
        'Exit: 0 sent or nothing to do, 1 refused, declined or failed. Sending needs sqs:SendMessage on the queue.',
      ]),
    )
    .action(async (options: CommonOptions & { account: string[]; yes?: boolean; approveRemovals?: boolean }) => {
      const context = commandContext(options, io);
      const queueUrl = workQueueUrl(options);
      const accounts = await accountsToPlan(
        context.loaded.config,
        () => context.readers.ledger.listAccounts(),
        options.account.map(accountId),
      );
      code = await runApply(context, accounts, queueUrl, options);
    });

  program
    .command('invoke')
    .argument('<event>', 'an event file: an SQS event, or one message body (see events/)')
    .description("run the worker's handler on one event file, as Lambda would (it writes, as the worker does)")
    .option('--log-level <level>', `the worker's log level: ${LOG_LEVELS.join(', ')}`, 'WARN')
    .addHelpText(
      'after',
      examples([
        'subzone invoke events/create-hosted-zone.json',
        'subzone invoke events/reconcile-account.json --json',
        'Needs the worker environment: LEDGER_TABLE_NAME, HUB_EVENT_BUS_NAME, WORK_QUEUE_URL, CONTROL_PARAMETER_NAME.',
      ]),
    )
    .action(async (event: string, options: CommonOptions & { logLevel: string }) => {
      const loaded = loadConfigFile(options.config);
      for (const warning of loaded.warnings) io.err(`warning: ${warning}`);
      applyAwsOptions(options);
      code = await runInvoke(loaded, event, options.logLevel, new Output(io), options.json === true);
    });

  program
    .command('ledger')
    .description('what subzone holds: every delegation entry and the owner of its name')
    .addOption(new Option('--account <id>', 'only this account (repeatable)').argParser(collect).default([]))
    .addHelpText('after', examples(['subzone ledger', 'subzone ledger --account 222222222222 --json']))
    .action(async (options: CommonOptions & { account: string[] }) => {
      const context = commandContext(options, io);
      code = reportLedger(context, await readLedger(context, options.account.map(accountId)));
    });

  program
    .command('emulator')
    .description('run the embedded AWS emulator (Route 53, STS, EventBridge, SQS, SSM, DynamoDB, DNS) with the worker attached')
    .option('--port <n>', 'AWS endpoint port (default: any free port)')
    .option('--dns-port <n>', 'DNS port, UDP and TCP (default: any free port)')
    .option('--dynamo-port <n>', 'DynamoDB (dynalite) port (default: any free port)')
    .option('--hub-account <id>', 'the DNS ("hub") account (default: 111111111111)')
    .addOption(
      new Option('--spoke-account <id>', 'a child account with the forwarding rule; repeat for more (default: 222222222222)').argParser(
        collect,
      ),
    )
    .option('--change-sync-ms <n>', 'how long Route 53 changes stay PENDING (default: 0)')
    .option('--config <path>', "the worker's config (env SUBZONE_CONFIG)", process.env.SUBZONE_CONFIG ?? DEFAULT_CONFIG_PATH)
    .option('--log-level <level>', `the worker's log level: ${LOG_LEVELS.join(', ')}`, 'INFO')
    .addHelpText(
      'after',
      examples([
        'subzone emulator                      # then, in another shell, export the printed variables:',
        'aws --endpoint-url http://127.0.0.1:4566 route53 list-hosted-zones',
        'subzone plan',
        'A zone created and tagged subzone:delegate=true in an allowlisted account is delegated with no further step.',
        "The config's parent zones are created in the hub account at start, with the config's ids.",
      ]),
    )
    .action(async (options: EmulatorOptions) => {
      code = await runEmulator(options, io, waitForStop);
    });

  // Common options are added to each command before its arguments are parsed (and shown in its help).
  for (const command of program.commands) if (command.name() !== 'emulator') withCommonOptions(command);

  try {
    if (argv.length === 0) {
      program.outputHelp();
      return 1;
    }
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 1;
    if (error instanceof UsageError || error instanceof ConfigFileError || error instanceof MissingSettingError) {
      io.err(`subzone: ${error.message}`);
      return 1;
    }
    // An AWS call that failed: one line, the error's name and message, not a stack trace.
    io.err(`subzone: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
    return 1;
  }
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function accountId(value: string): string {
  return accountFlag('--account', value);
}

/** Resolves on the first Ctrl-C or SIGTERM. */
function interrupted(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}

if (require.main === module) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`subzone: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
