/**
 * `npm start`: the hands-on walk-through, played against the embedded emulator with the real
 * worker and the real SDK, narrated as a timeline. Primary course:
 * 1. start the emulator; the hub account gets `example.com` with a few records; the worker
 *    starts with config/subzone.config.json (its parent zone id mapped to the emulated zone);
 * 2. a child account creates `foo.example.com` and tags it: the parent gains the NS records;
 * 3. another child claims `rogue.example.com`, which the allowlist does not name: rejected;
 * 4. a record under the delegated name resolves through the delegation chain over DNS;
 * 5. the child deletes its zone: the delegation goes;
 * 6. everything stops; exit 0. Any step that does not show what it should ends with exit 1.
 * `npm start -- --dnssec` plays the DNSSEC story instead (walkthrough-dnssec.ts), on the same stage.
 */
import { relative } from 'node:path';
import { styleText } from 'node:util';
import {
  ChangeResourceRecordSetsCommand,
  ChangeTagsForResourceCommand,
  CreateHostedZoneCommand,
  DeleteHostedZoneCommand,
  Route53Client,
} from '@aws-sdk/client-route-53';
import type { Clock } from '../functions/core/ports';
import type { AccountId, OutcomeEvent, ZoneId } from '../functions/core/types';
import type { AttachedWorker } from './attach-worker';
import { startEmulator, type Emulator } from '../emulator';
import { sweepRequest } from '../functions/core/sweep-messages';
import { loadConfigFile } from '../infra/lib/config-file';
import { DEFAULT_CONFIG_PATH } from './config-file';
import { formatTrace, trace, TraceError, type Trace } from './dig';

/** The accounts of the story. */
export const WALKTHROUGH_ACCOUNTS = { hub: '111111111111', childA: '222222222222', childB: '333333333333' } as const;

const PARENT = 'example.com';
const DELEGATED = 'foo.example.com';
const ROGUE = 'rogue.example.com';
const HOST = 'www.foo.example.com';
const HOST_ADDRESS = '192.0.2.44';
const DRAIN_TIMEOUT_MS = 30_000;

/** Options of runWalkthrough. */
export interface WalkthroughOptions {
  /** Receives each line of the narration. */
  readonly out: (line: string) => void;
  /** ANSI colours. @default false */
  readonly colour?: boolean;
  /** @default DEFAULT_CONFIG_PATH */
  readonly configPath?: string;
}

/** The worker `startWorker` attached, and the config it runs with. */
export interface StartedWorker {
  readonly worker: AttachedWorker;
  /** The raw config the worker runs with, its parent zone ids those of the emulator. */
  readonly raw: Record<string, unknown>;
}

/** What the story showed, for tests. */
export interface WalkthroughResult {
  /** subzone's outcome events on the hub bus, in order. */
  readonly outcomes: readonly OutcomeEvent[];
  /** The NS values at foo.example.com in the parent after the child opted in. */
  readonly delegatedNameServers: readonly string[];
  /** The parent's records were the same before and after the rejected claim. */
  readonly parentUnchangedByRejection: boolean;
  /** The trace of www.foo.example.com A through the delegation. */
  readonly resolution: Trace;
  /** The parent still had a record at foo.example.com after the zone was deleted. */
  readonly delegationLeftAfterDeletion: boolean;
  readonly elapsedMs: number;
}

/** A step of the story did not show what it should; the message says what was seen. */
export class WalkthroughError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'WalkthroughError';
  }
}

/** Colours only for a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function wantsColour(stream: { readonly isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  return stream.isTTY === true && !env.NO_COLOR && env.TERM !== 'dumb';
}

type Style = Parameters<typeof styleText>[0];

/** Prints the timeline: `+0.12s  hub       example.com has 6 record sets`. */
export class Narrator {
  private readonly started = performance.now();
  constructor(
    private readonly out: (line: string) => void,
    private readonly colour: boolean,
  ) {}

  paint(style: Style, text: string): string {
    return this.colour ? styleText(style, text) : text;
  }

  elapsedMs(): number {
    return performance.now() - this.started;
  }

  section(title: string): void {
    this.out('');
    this.out(this.paint('bold', title));
  }

  say(actor: string, text: string, style?: Style): void {
    const time = `+${(this.elapsedMs() / 1000).toFixed(2)}s`.padStart(7);
    this.out(
      `${this.paint('gray', time)}  ${this.paint(ACTOR_STYLES[actor] ?? 'white', actor.padEnd(7))}  ${style ? this.paint(style, text) : text}`,
    );
  }

  detail(line: string): void {
    this.out(`                   ${this.paint('dim', line)}`);
  }
}

const ACTOR_STYLES: Record<string, Style> = {
  hub: 'cyan',
  verify: 'green',
  'child-a': 'yellow',
  'child-b': 'magenta',
  events: 'blue',
  worker: 'green',
  dns: 'cyan',
};

const OUTCOME_STYLES: Record<string, Style> = {
  'Delegation Created': 'green',
  'Delegation Updated': 'green',
  'Delegation Removed': 'yellow',
  'Delegation Rejected': 'red',
};

/** Plays the walk-through; resolves with what it showed, rejects with WalkthroughError. */
export function runWalkthrough(options: WalkthroughOptions): Promise<WalkthroughResult> {
  return onEmulator(options, 'zero-touch Route 53 subdomain delegation', (story) => story.play(options.configPath ?? DEFAULT_CONFIG_PATH));
}

/**
 * Starts the emulator with the hub's `example.com`, plays `play` on it, and stops everything.
 * Shared by the delegation story and the DNSSEC one (walkthrough-dnssec.ts).
 */
export async function onEmulator<T>(options: WalkthroughOptions, subject: string, play: (story: Story) => Promise<T>): Promise<T> {
  const say = new Narrator(options.out, options.colour ?? false);
  const { hub, childA, childB } = WALKTHROUGH_ACCOUNTS;
  options.out(say.paint('bold', `subzone walk-through: ${subject}, offline`));
  options.out(say.paint('dim', 'Everything below runs on loopback: the emulator, the real worker, the real AWS SDK.'));

  say.section('1. The hub account and the worker');
  const emulator = await startEmulator({
    hubAccount: hub,
    spokeAccounts: [childA, childB],
    // A short window so the create and the tag travel in one batch; short retries keep it fast.
    queue: { maximumBatchingWindowMs: 50, visibilityTimeoutSeconds: 5 },
  });
  const clients = new Map<AccountId, Route53Client>();
  const route53As = (account: AccountId): Route53Client => {
    let client = clients.get(account);
    if (client === undefined) {
      client = new Route53Client({ region: 'us-east-1', endpoint: emulator.endpoint, credentials: emulator.credentialsFor(account) });
      clients.set(account, client);
    }
    return client;
  };
  try {
    say.say('setup', `emulator up: AWS endpoint ${emulator.endpoint}, DNS 127.0.0.1:${emulator.dnsPort}, ledger on dynalite`);
    return await play(new Story(emulator, say, route53As, createParentZone(emulator)));
  } finally {
    clients.forEach((client) => client.destroy());
    await emulator.stop();
  }
}

/** The hub's `example.com`, holding what an organisation's apex usually holds. */
function createParentZone(emulator: Emulator): ZoneId {
  const { hub } = WALKTHROUGH_ACCOUNTS;
  const zoneId = emulator.route53.createZone(hub, PARENT, { comment: 'the organisation domain' }).id;
  emulator.route53.putRecords(hub, zoneId, [
    { name: `www.${PARENT}`, type: 'A', ttl: 300, values: ['192.0.2.10'] },
    { name: `mail.${PARENT}`, type: 'A', ttl: 300, values: ['192.0.2.25'] },
    { name: PARENT, type: 'MX', ttl: 300, values: [`10 mail.${PARENT}.`] },
    { name: PARENT, type: 'TXT', ttl: 300, values: ['"v=spf1 mx -all"'] },
  ]);
  return zoneId;
}

/** The steps of the walk-through over one running emulator. */
export class Story {
  private outcomesSeen = 0;
  private invocationsSeen = 0;
  private forwardedSeen = 0;

  constructor(
    readonly emulator: Emulator,
    readonly say: Narrator,
    readonly route53As: (account: AccountId) => Route53Client,
    readonly parentZoneId: ZoneId,
  ) {}

  /**
   * Reads the config (changed by `adapt`), attaches the real worker (on `clock`, if given) and
   * says what it runs with.
   */
  startWorker(
    configPath: string,
    options: { readonly adapt?: (raw: Record<string, unknown>) => Record<string, unknown>; readonly clock?: Clock } = {},
  ): StartedWorker {
    const { say, emulator } = this;
    const loaded = readConfig(configPath);
    for (const warning of loaded.warnings) say.say('worker', `warning: ${warning}`);
    const raw = (options.adapt ?? ((value) => value))(loaded.raw as Record<string, unknown>);
    // Loaded only now: the worker's handler module reads the bundled config when it is loaded,
    // and a broken config must be reported by readConfig in one line, not by a stack trace.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { attachRealWorker } = require('./attach-worker') as typeof import('./attach-worker');
    const worker = attachRealWorker(emulator, raw, options.clock === undefined ? {} : { clock: options.clock });
    for (const parent of worker.parentZones) {
      say.say(
        'worker',
        `loaded ${relative(process.cwd(), configPath)}: parent zone ${parent.name} (${parent.configuredId} in the file) is ${parent.emulatedId} here`,
      );
    }
    const rules = worker.config.rules.map((rule) => `${rule.name} → ${rule.accounts.join(', ')}`);
    const dnssec = worker.config.dnssec.enabled ? `, DNSSEC on (DS TTL ${worker.config.dnssec.dsTtl} s)` : '';
    say.say('worker', `${worker.config.mode} mode${dnssec}; allowlist: ${rules.join('; ')}`);
    say.say(
      'worker',
      `attached to queue ${emulator.names.workQueueName} (events: child default bus → ${emulator.names.spokeRuleName} → hub bus ${emulator.names.hubEventBusName} → ${emulator.names.hubRuleName} → queue)`,
    );
    const ids = new Map(worker.parentZones.map((parent) => [parent.configuredId, parent.emulatedId]));
    const parentZones = (raw.parentZones as Array<{ hostedZoneId: string }>).map((parent) => ({
      ...parent,
      hostedZoneId: ids.get(parent.hostedZoneId) ?? parent.hostedZoneId,
    }));
    return { worker, raw: { ...raw, parentZones } };
  }

  async play(configPath: string): Promise<WalkthroughResult> {
    const { say, emulator } = this;
    const { hub, childA, childB } = WALKTHROUGH_ACCOUNTS;
    const records = this.parentRecords();
    say.say('hub', `${PARENT} (${this.parentZoneId}) in account ${hub} has ${records.length} record sets:`);
    for (const record of records) say.detail(record);
    const { worker } = this.startWorker(configPath);

    say.section(`2. Child account ${childA} (child-a) creates ${DELEGATED} and opts in`);
    const zoneA = await this.createTaggedZone('child-a', childA, DELEGATED);
    await this.settle();
    const created = this.parentRecords().filter((record) => !records.includes(record));
    for (const record of created) say.say('hub', `${PARENT} gained ${record}`, 'green');
    const delegatedNameServers =
      emulator.route53.listRecords(hub, this.parentZoneId).find((record) => record.name === `${DELEGATED}.` && record.type === 'NS')
        ?.values ?? [];
    const zoneNameServers = emulator.route53.getHostedZone(childA, zoneA).nameServers;
    if (!sameSet(delegatedNameServers, zoneNameServers)) {
      throw new WalkthroughError(
        `expected ${PARENT} to delegate ${DELEGATED} to ${zoneNameServers.join(', ')}, found ${delegatedNameServers.join(', ') || 'no NS record'}`,
      );
    }
    this.expectOutcome(this.newOutcomes(), 'Delegation Created', DELEGATED);

    say.section(`3. Child account ${childB} (child-b) claims ${ROGUE}, which the allowlist does not name`);
    const beforeRogue = this.parentRecords();
    await this.createTaggedZone('child-b', childB, ROGUE);
    await this.settle();
    const rejection = this.expectOutcome(this.newOutcomes(), 'Delegation Rejected', ROGUE);
    const parentUnchangedByRejection = sameList(beforeRogue, this.parentRecords());
    if (!parentUnchangedByRejection) throw new WalkthroughError(`expected ${PARENT} to stay unchanged after the rejection of ${ROGUE}`);
    const mayClaim = worker.config.rules.filter((rule) => rule.accounts.includes(childB)).map((rule) => rule.name);
    say.detail(
      `${rejection.detail.reason}: no allowlist rule lets account ${childB} claim ${ROGUE} (it may claim: ${mayClaim.join(', ') || 'nothing'})`,
    );
    say.say('hub', `${PARENT} unchanged: still ${beforeRogue.length} record sets, nothing at ${ROGUE}`);

    say.section(`4. ${HOST} resolves through the delegation, over DNS (dig +trace)`);
    await this.changeRecord('CREATE', zoneA);
    say.say('child-a', `ChangeResourceRecordSets CREATE ${HOST} A ${HOST_ADDRESS} in ${zoneA}`);
    const resolution = await this.traceHost();
    const addresses = resolution.answers.flatMap((record) => (record.type === 'A' ? [record.data] : []));
    if (!addresses.includes(HOST_ADDRESS))
      throw new WalkthroughError(`expected ${HOST} to resolve to ${HOST_ADDRESS}, got ${resolution.outcome} ${addresses.join(', ')}`);
    say.say('dns', `${HOST} → ${HOST_ADDRESS}: ${PARENT}'s servers referred to ${DELEGATED}'s, which answered`, 'green');

    say.section(`5. child-a deletes its record and ${DELEGATED}: the delegation goes`);
    await this.changeRecord('DELETE', zoneA);
    say.say('child-a', `ChangeResourceRecordSets DELETE ${HOST} A ${HOST_ADDRESS}`);
    await this.route53As(childA).send(new DeleteHostedZoneCommand({ Id: zoneA }));
    say.say('child-a', `DeleteHostedZone ${zoneA} (${DELEGATED})`);
    await this.settle();
    const after = this.parentRecords();
    for (const record of beforeRogue.filter((record) => !after.includes(record))) say.say('hub', `${PARENT} lost ${record}`, 'yellow');
    const delegationLeftAfterDeletion = after.some((record) => record.startsWith(`${DELEGATED}. `));
    if (delegationLeftAfterDeletion) throw new WalkthroughError(`expected the delegation of ${DELEGATED} to go with its zone`);
    this.expectOutcome(this.newOutcomes(), 'Delegation Removed', DELEGATED);
    const gone = await this.traceHost({ quiet: true });
    say.say('dns', `${HOST} now: ${gone.outcome.toUpperCase()} from ${PARENT}'s servers, no dangling delegation`);

    say.section('6. Done');
    const outcomes = this.outcomes();
    say.say(
      'setup',
      `${outcomes.length} outcome events, ${emulator.queue.invocations().length} worker batches, dead-letter queue ${emulator.queues.counts(emulator.deadLetterQueue).visible === 0 ? 'empty' : 'NOT empty'}; stopping the emulator`,
    );
    return {
      outcomes,
      delegatedNameServers,
      parentUnchangedByRejection,
      resolution,
      delegationLeftAfterDeletion,
      elapsedMs: say.elapsedMs(),
    };
  }

  /** CreateHostedZone and the opt-in tag, through the real SDK as the child account. */
  async createTaggedZone(actor: string, account: AccountId, name: string): Promise<ZoneId> {
    const client = this.route53As(account);
    const created = await client.send(new CreateHostedZoneCommand({ Name: name, CallerReference: `walkthrough-${name}-${Date.now()}` }));
    const zoneId = created.HostedZone?.Id?.replace('/hostedzone/', '') ?? '';
    const nameServers = created.DelegationSet?.NameServers ?? [];
    this.say.say(actor, `CreateHostedZone ${name} → ${zoneId}, name servers ${nameServers.join(', ')}`);
    await client.send(
      new ChangeTagsForResourceCommand({
        ResourceType: 'hostedzone',
        ResourceId: zoneId,
        AddTags: [{ Key: 'subzone:delegate', Value: 'true' }],
      }),
    );
    this.say.say(actor, `ChangeTagsForResource ${zoneId} subzone:delegate=true`);
    return zoneId;
  }

  private async changeRecord(action: 'CREATE' | 'DELETE', zoneId: ZoneId): Promise<void> {
    await this.route53As(WALKTHROUGH_ACCOUNTS.childA).send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: zoneId,
        ChangeBatch: {
          Changes: [{ Action: action, ResourceRecordSet: { Name: HOST, Type: 'A', TTL: 300, ResourceRecords: [{ Value: HOST_ADDRESS }] } }],
        },
      }),
    );
  }

  /** Waits for the queue to drain and tells what travelled and what the worker did. */
  async settle(): Promise<void> {
    const { emulator, say } = this;
    const forwarded = emulator.events
      .log({ account: emulator.hubAccount, busName: emulator.names.hubEventBusName })
      .filter((entry) => entry.event.source === 'aws.route53')
      .slice(this.forwardedSeen);
    this.forwardedSeen += forwarded.length;
    const names = forwarded.map((entry) => String(entry.event.detail.eventName));
    say.say(
      'events',
      `${names.join(', ') || 'nothing'} → hub bus → queue (${forwarded.length} CloudTrail event${forwarded.length === 1 ? '' : 's'})`,
    );
    await this.drained();
  }

  /** Sends a sweep request as the hub's schedule does, and waits for the worker to finish it. */
  async sweep(sweepId: string): Promise<void> {
    const { emulator } = this;
    emulator.queues.send(emulator.queue.queue, JSON.stringify(sweepRequest(sweepId)), { senderId: 'scheduler' });
    this.say.say('hub', `schedule: sweep ${sweepId} → queue (in AWS, every 15 minutes): every account is reconciled`);
    await this.drained();
  }

  private async drained(): Promise<void> {
    const { emulator, say } = this;
    await emulator.drain({ timeoutMs: DRAIN_TIMEOUT_MS }).catch((error: unknown) => {
      throw new WalkthroughError(`the worker did not drain the queue within ${DRAIN_TIMEOUT_MS} ms`, { cause: error });
    });
    const invocations = emulator.queue.invocations().slice(this.invocationsSeen);
    this.invocationsSeen += invocations.length;
    const messages = invocations.reduce((sum, invocation) => sum + invocation.messageIds.length, 0);
    const failed = invocations.reduce((sum, invocation) => sum + invocation.failedIds.length, 0);
    say.say('worker', `queue drained: ${invocations.length} batch(es), ${messages} message(s), ${failed} retried`);
  }

  private async traceHost(options: { readonly quiet?: boolean } = {}): Promise<Trace> {
    const { emulator, say } = this;
    await emulator.dns.ready();
    const start = { address: '127.0.0.1', port: emulator.dnsPort, label: '127.0.0.1' };
    if (!options.quiet) {
      say.say(
        'dns',
        `the emulator's main listener 127.0.0.1:${emulator.dnsPort} answers as ${PARENT}'s name servers (the top of the chain here)`,
      );
      say.detail(`; <<>> dig +trace ${HOST} A @127.0.0.1 -p ${emulator.dnsPort}`);
    }
    try {
      const result = await trace(HOST, 'A', { start });
      if (!options.quiet) for (const line of formatTrace(result.steps)) if (line !== '') say.detail(line);
      return result;
    } catch (error) {
      if (error instanceof TraceError) for (const line of formatTrace(error.steps)) say.detail(line);
      throw new WalkthroughError(`could not resolve ${HOST} over DNS`, { cause: error });
    }
  }

  /** The parent's record sets, one line each as dig prints them. */
  parentRecords(): string[] {
    return this.emulator.route53
      .listRecords(WALKTHROUGH_ACCOUNTS.hub, this.parentZoneId)
      .map((record) => `${record.name} ${record.ttl} IN ${record.type} ${record.values.join(' ')}`);
  }

  outcomes(): OutcomeEvent[] {
    return this.emulator.events
      .eventsOn(this.emulator.hubAccount, this.emulator.names.hubEventBusName)
      .filter((event) => event.source === 'subzone')
      .map((event) => ({ detailType: event['detail-type'] as OutcomeEvent['detailType'], detail: event.detail as OutcomeEvent['detail'] }));
  }

  /** Outcome events since the last call, each printed. */
  newOutcomes(): OutcomeEvent[] {
    const fresh = this.outcomes().slice(this.outcomesSeen);
    this.outcomesSeen += fresh.length;
    for (const outcome of fresh) {
      const { account, name, zoneId, reason } = outcome.detail;
      const about = account === undefined ? '' : `${name ?? '-'} (account ${account}, zone ${zoneId ?? '-'}), `;
      this.say.say('events', `${outcome.detailType}: ${about}reason ${reason}`, OUTCOME_STYLES[outcome.detailType]);
    }
    return fresh;
  }

  expectOutcome(outcomes: readonly OutcomeEvent[], detailType: OutcomeEvent['detailType'], name: string): OutcomeEvent {
    const found = outcomes.find((outcome) => outcome.detailType === detailType && outcome.detail.name === name);
    if (found === undefined) {
      const seen = outcomes.map((outcome) => `${outcome.detailType} ${outcome.detail.name ?? ''}`).join(', ') || 'none';
      throw new WalkthroughError(`expected a ${detailType} event for ${name}, saw: ${seen}`);
    }
    return found;
  }
}

function readConfig(path: string): ReturnType<typeof loadConfigFile> {
  try {
    return loadConfigFile(path);
  } catch (error) {
    throw new WalkthroughError(`cannot use the config: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

function sameSet(left: readonly string[], right: readonly string[]): boolean {
  const canonical = (values: readonly string[]) => [...new Set(values.map((value) => value.toLowerCase().replace(/\.$/, '')))].sort();
  return left.length > 0 && sameList(canonical(left), canonical(right));
}

function sameList(left: readonly string[], right: readonly string[]): boolean {
  return left.length === right.length && left.every((value, index) => value === right[index]);
}

/** Which story the command line asks for: `--dnssec`, or none for the delegation story; undefined for anything else. */
export function storyAsked(args: readonly string[]): 'delegation' | 'dnssec' | undefined {
  if (args.length === 0) return 'delegation';
  return args.length === 1 && args[0] === '--dnssec' ? 'dnssec' : undefined;
}

if (require.main === module) {
  // The SDK's notice about future Node versions says nothing about the walk-through.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const story = storyAsked(process.argv.slice(2));
  const options = { out: (line: string) => process.stdout.write(`${line}\n`), colour: wantsColour(process.stdout) };
  // Loaded on demand: the DNSSEC story builds on this module.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const dnssecStory = () => (require('./walkthrough-dnssec') as typeof import('./walkthrough-dnssec')).runDnssecWalkthrough(options);
  const played: Promise<{ readonly elapsedMs: number }> =
    story === undefined
      ? Promise.reject(
          new WalkthroughError(`unknown arguments ${process.argv.slice(2).join(' ')}; use \`npm start\` or \`npm start -- --dnssec\``),
        )
      : story === 'dnssec'
        ? dnssecStory()
        : runWalkthrough(options);
  played.then(
    (result) => {
      process.stdout.write(
        `\nThe walk-through finished in ${(result.elapsedMs / 1000).toFixed(2)}s. Run \`npm run subzone -- emulator\` to try it with the AWS CLI.\n`,
      );
      process.exitCode = 0;
    },
    (error: unknown) => {
      // A walk-through step that fails says which in its message; a stack trace is for bugs.
      const shown =
        error instanceof WalkthroughError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error);
      process.stderr.write(`\nwalk-through failed: ${shown}\n`);
      process.exitCode = 1;
    },
  );
}
