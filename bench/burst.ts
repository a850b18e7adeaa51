/**
 * §9 bar 2: a burst of opt-ins across accounts, under Route 53's per-account quota
 * (emulator: 10 requests/s, burst 50) and the worker's own hub budget (5/s, shared by its
 * execution environments).
 *
 * The zones exist beforehand (created in-process: no event). Each child account then tags
 * its zones through the SDK at `childRate` calls per second, all accounts at once; every tag
 * call is a CloudTrail event on the real path (spoke rule, hub bus, queue, event source
 * mapping with the production batch size, window and concurrency, worker).
 *
 * Bars (set for 1,000 opt-ins over 10 accounts): at most 60 hub Route 53 calls (scaled with
 * the burst's size), none dead-lettered, and the last NS record written within 1.5 x the time
 * the last tag call returned, counted from the first tag call: the worker keeps up with its input.
 */
import { ChangeTagsForResourceCommand } from '@aws-sdk/client-route-53';
import { TokenBucket } from 'limiter';
import { QueueWaitTimeoutError } from '../emulator/sqs/event-source-mapping';
import { MAX_CHANGES_PER_BATCH } from '../functions/core/change-limits';
import {
  BENCH_DOMAIN,
  BENCH_VISIBILITY_TIMEOUT_SECONDS,
  BenchWorld,
  HUB,
  OPT_IN_TAG,
  PRODUCTION_MAPPING,
  benchAccounts,
} from './bench-world';
import { percentile, printHeading, printTable, printVerdicts, round, type Verdict } from './report';

/** What to run. */
export interface BurstOptions {
  readonly zones: number;
  readonly accounts: number;
  readonly childRate: number;
  readonly verbose: boolean;
  /** The whole worker's hub budget. @default 5 */
  readonly hubRequestsPerSecond?: number;
  /** Execution environments (the mapping's maximum concurrency). @default 2 */
  readonly maximumConcurrency?: number;
}

/** Hub Route 53 calls allowed per opt-in: 60 for a burst of 1,000. */
export const HUB_CALLS_PER_OPT_IN_BAR = 60 / 1000;
/** The last write must land within this many times the time of the last tag. */
export const KEEP_UP_BAR = 1.5;

/** Results of the burst section. */
export interface BurstResult {
  readonly scale: { readonly zones: number; readonly accounts: number; readonly childRatePerAccount: number };
  readonly settings: Record<string, unknown>;
  readonly tagsSent: number;
  readonly tagFailures: number;
  readonly delegated: number;
  /** False when the queue still held messages after the settle timeout (figures are then partial). */
  readonly drained: boolean;
  readonly totalSeconds: number;
  readonly taggingSeconds: number;
  readonly invocations: {
    readonly total: number;
    readonly writing: number;
    readonly withRetriedMessages: number;
    readonly retriedMessages: number;
    /** Account reconciles skipped because the other invocation held the account's lease throughout the wait. */
    readonly leaseBusy: number;
    /** Lease polls that found the lease held, waits that ended in the lease included. */
    readonly leaseBusyPolls: number;
    readonly deadLettered: number;
  };
  readonly changeResourceRecordSets: {
    readonly calls: number;
    readonly refused: number;
    readonly changes: number;
    readonly batches: number;
    readonly bar: number;
    readonly pass: boolean;
  };
  readonly parentReads: {
    readonly listResourceRecordSets: number;
    readonly getHostedZone: number;
    readonly reads: number;
    readonly namesAsked: number;
    readonly finalZonePages: number;
    readonly readsWhereNamesOutnumberPages: number;
    readonly ofThoseReadByPages: number;
    readonly pass: boolean;
  };
  readonly latencyMs: { readonly p50: number; readonly p99: number; readonly max: number; readonly samples: number };
  readonly hubCalls: { readonly calls: number; readonly bar: number; readonly pass: boolean };
  /** Seconds from the first tag call: the last tag call returned, the last NS record was written. */
  readonly keepsUp: {
    readonly lastTagSeconds: number;
    readonly lastWriteSeconds: number;
    readonly ratio: number;
    readonly bar: number;
    readonly pass: boolean;
  };
  readonly deadLetteredPass: boolean;
  /** Hub Route 53 requests in the busiest one-second window, against the whole worker's budget. */
  readonly hubRate: {
    /** Busiest one-second window as Route 53 (the emulator) received the requests. */
    readonly peak: number;
    /** The same as the worker's clients sent them, after signing. */
    readonly peakSent: number;
    readonly budget: number;
    readonly perEnvironment: number;
    readonly environments: number;
    readonly pass: boolean;
  };
  readonly calls: {
    readonly hubRoute53: number;
    readonly hubRefused: number;
    readonly sts: number;
    readonly spokeWorkerReads: number;
    readonly spokeRefused: number;
    readonly childTagCalls: number;
  };
  readonly hubByOperation: Record<string, number>;
  readonly spokeByOperation: Record<string, number>;
}

const SETTLE_TIMEOUT_MS = 10 * 60_000;

function zoneName(accountIndex: number, zoneIndex: number): string {
  return `z${String(zoneIndex).padStart(4, '0')}-a${String(accountIndex).padStart(2, '0')}.${BENCH_DOMAIN}`;
}

/** Splits `total` zones over `accounts` as evenly as possible. */
function zonesPerAccount(total: number, accounts: number): number[] {
  return Array.from({ length: accounts }, (_, index) => Math.floor(total / accounts) + (index < total % accounts ? 1 : 0));
}

/** Runs the section and prints its tables. */
export async function benchBurst(options: BurstOptions): Promise<BurstResult> {
  printHeading(`2. Burst: ${options.zones} opt-ins across ${options.accounts} accounts, under the quota`);
  const result = await measureBurst(options);
  print(result);
  return result;
}

/** Runs a burst on a fresh world and measures it, printing only its progress. */
export async function measureBurst(options: BurstOptions): Promise<BurstResult> {
  const accounts = benchAccounts(options.accounts);
  const world = await BenchWorld.start({
    accounts,
    hubRequestsPerSecond: options.hubRequestsPerSecond ?? 5,
    queue: { maximumConcurrency: options.maximumConcurrency ?? PRODUCTION_MAPPING.maximumConcurrency },
    verbose: options.verbose,
  });
  try {
    const counts = zonesPerAccount(options.zones, options.accounts);
    const zones = accounts.map((account, accountIndex) => {
      const names = Array.from({ length: counts[accountIndex] ?? 0 }, (_, zoneIndex) => zoneName(accountIndex + 1, zoneIndex + 1));
      return { account, names, ids: world.seedZones(account, names, false) };
    });
    const quota = world.emulator.quota.enable();
    world.resetCalls();
    const taggedAt = new Map<string, number>();
    let tagFailures = 0;

    const started = Date.now();
    await Promise.all(
      zones.map(async ({ account, names, ids }) => {
        const pace = new TokenBucket({ bucketSize: 1, tokensPerInterval: options.childRate, interval: 1000 });
        const child = world.childRoute53(account);
        for (const [index, zoneId] of ids.entries()) {
          await pace.removeTokens(1);
          try {
            await child.send(
              new ChangeTagsForResourceCommand({
                ResourceType: 'hostedzone',
                ResourceId: zoneId,
                AddTags: [{ Key: OPT_IN_TAG.key, Value: OPT_IN_TAG.value }],
              }),
            );
            taggedAt.set(names[index] as string, Date.now());
          } catch (error) {
            tagFailures += 1;
            if (options.verbose) console.error(`tag of ${names[index]} failed: ${String(error)}`);
          }
        }
      }),
    );
    const taggingSeconds = (Date.now() - started) / 1000;
    process.stdout.write(`  tags sent in ${round(taggingSeconds)} s; waiting for the worker to drain the queue...\n`);
    const drained = await world.settle(SETTLE_TIMEOUT_MS).then(
      () => true,
      (error: unknown) => {
        if (!(error instanceof QueueWaitTimeoutError)) throw error;
        process.stdout.write(`  ${error.message}: figures are partial\n`);
        return false;
      },
    );
    const lastWrite = Math.max(started, ...world.delegatedAt.values());
    const totalSeconds = (lastWrite - started) / 1000;

    const counters = world.emulator.counters;
    const invocations = world.invocations;
    const writing = invocations.filter((invocation) => invocation.batches > 0).length;
    const changes = invocations.reduce((sum, invocation) => sum + invocation.changes, 0);
    const batches = invocations.reduce((sum, invocation) => sum + invocation.batches, 0);
    const crrsCalls = counters.count({ account: HUB, operation: 'ChangeResourceRecordSets' });
    const crrsBar = Math.ceil(changes / MAX_CHANGES_PER_BATCH) + writing;

    const reads = invocations.flatMap((invocation) => invocation.parentReads);
    const crowded = reads.filter((read) => read.names > read.zonePages);
    const byPages = crowded.filter((read) => read.listCalls <= read.zonePages);
    const latencies = [...taggedAt].flatMap(([name, at]) => {
      const written = world.delegatedAt.get(name);
      return written === undefined ? [] : [written - at];
    });
    const byOperation = (filter: (account: string) => boolean): Record<string, number> => {
      const out: Record<string, number> = {};
      for (const entry of counters.snapshot()) {
        if (!filter(entry.account) || entry.operation === 'ChangeTagsForResource') continue;
        const key = `${entry.service} ${entry.operation}`;
        out[key] = (out[key] ?? 0) + entry.calls;
      }
      return out;
    };
    const spokeAccounts = new Set(accounts);
    const childTagCalls = counters.count({ operation: 'ChangeTagsForResource' });
    const spokeRoute53 = counters.snapshot().filter((entry) => spokeAccounts.has(entry.account) && entry.service === 'route53');
    const hubCalls = counters.count({ account: HUB, service: 'route53' });
    const hubCallsBar = Math.ceil(HUB_CALLS_PER_OPT_IN_BAR * options.zones);
    const lastTagSeconds = (Math.max(started, ...taggedAt.values()) - started) / 1000;
    const peak = world.peakHubRate(started);

    const result: BurstResult = {
      scale: { zones: options.zones, accounts: options.accounts, childRatePerAccount: options.childRate },
      settings: {
        quota: `${quota.ratePerSecond}/s burst ${quota.burst} per account (${quota.services.join(', ')})`,
        hubBudget: `${world.hubBudget()}/s (ROUTE53_REQUESTS_PER_SECOND), ${world.hubRequestsPerEnvironment()}/s in each of ${world.emulator.queue.settings.maximumConcurrency} execution environments`,
        eventSourceMapping: world.emulator.queue.settings,
        visibilityTimeoutSeconds: BENCH_VISIBILITY_TIMEOUT_SECONDS,
      },
      tagsSent: taggedAt.size,
      tagFailures,
      delegated: world.delegationCount(),
      drained,
      totalSeconds: round(totalSeconds),
      taggingSeconds: round(taggingSeconds),
      invocations: {
        total: invocations.length,
        writing,
        withRetriedMessages: invocations.filter((invocation) => invocation.failed > 0).length,
        retriedMessages: invocations.reduce((sum, invocation) => sum + invocation.failed, 0),
        leaseBusy: invocations.reduce((sum, invocation) => sum + invocation.leaseBusy, 0),
        leaseBusyPolls: invocations.reduce((sum, invocation) => sum + invocation.leaseBusyPolls, 0),
        deadLettered: world.deadLettered(),
      },
      changeResourceRecordSets: {
        calls: crrsCalls,
        refused: counters.refusals({ account: HUB, operation: 'ChangeResourceRecordSets' }),
        changes,
        batches,
        bar: crrsBar,
        pass: crrsCalls <= crrsBar,
      },
      parentReads: {
        listResourceRecordSets: counters.count({ account: HUB, operation: 'ListResourceRecordSets' }),
        getHostedZone: counters.count({ account: HUB, operation: 'GetHostedZone' }),
        reads: reads.length,
        namesAsked: reads.reduce((sum, read) => sum + read.names, 0),
        finalZonePages: world.zonePages(),
        readsWhereNamesOutnumberPages: crowded.length,
        ofThoseReadByPages: byPages.length,
        pass: byPages.length === crowded.length,
      },
      hubCalls: { calls: hubCalls, bar: hubCallsBar, pass: hubCalls <= hubCallsBar },
      keepsUp: {
        lastTagSeconds: round(lastTagSeconds),
        lastWriteSeconds: round(totalSeconds),
        ratio: round(totalSeconds / lastTagSeconds, 2),
        bar: KEEP_UP_BAR,
        pass: drained && totalSeconds <= KEEP_UP_BAR * lastTagSeconds,
      },
      deadLetteredPass: world.deadLettered() === 0,
      hubRate: {
        peak,
        peakSent: world.peakHubSendRate(started),
        budget: world.hubBudget(),
        perEnvironment: world.hubRequestsPerEnvironment(),
        environments: world.emulator.queue.settings.maximumConcurrency,
        pass: peak <= world.hubBudget(),
      },
      latencyMs: {
        p50: percentile(latencies, 50),
        p99: percentile(latencies, 99),
        max: latencies.length === 0 ? Number.NaN : Math.max(...latencies),
        samples: latencies.length,
      },
      calls: {
        hubRoute53: hubCalls,
        hubRefused: counters.refusals({ account: HUB, service: 'route53' }),
        sts: counters.count({ service: 'sts' }),
        spokeWorkerReads: spokeRoute53
          .filter((entry) => entry.operation !== 'ChangeTagsForResource')
          .reduce((sum, entry) => sum + entry.calls, 0),
        spokeRefused: spokeRoute53
          .filter((entry) => entry.operation !== 'ChangeTagsForResource')
          .reduce((sum, entry) => sum + entry.refused, 0),
        childTagCalls,
      },
      hubByOperation: byOperation((account) => account === HUB),
      spokeByOperation: byOperation((account) => spokeAccounts.has(account)),
    };
    return result;
  } finally {
    await world.stop();
  }
}

function print(result: BurstResult): void {
  const { changeResourceRecordSets: crrs, parentReads: reads, latencyMs: latency, invocations, calls } = result;
  printTable(
    'Settings',
    ['setting', 'value'],
    [
      [
        'scale',
        `${result.scale.zones} zones over ${result.scale.accounts} accounts, children tag at ${result.scale.childRatePerAccount}/s each`,
      ],
      ...Object.entries(result.settings).map(([key, value]) => [key, typeof value === 'string' ? value : JSON.stringify(value)]),
    ],
  );
  printTable(
    'Burst',
    ['measure', 'value'],
    [
      ['tag calls that succeeded / failed', `${result.tagsSent} / ${result.tagFailures}`],
      ['NS delegations in the parent', `${result.delegated}${result.drained ? '' : ' (queue not drained in time)'}`],
      ['tagging time (s)', result.taggingSeconds],
      ['total time, first tag to last NS write (s)', result.totalSeconds],
      ['worker invocations (total / that wrote)', `${invocations.total} / ${invocations.writing}`],
      ['messages retried (invocations with failures)', `${invocations.retriedMessages} (${invocations.withRetriedMessages})`],
      ['account reconciles skipped: lease held by the other invocation throughout the wait', invocations.leaseBusy],
      ['lease polls that found the lease held', invocations.leaseBusyPolls],
      ['messages dead-lettered (5 receives)', invocations.deadLettered],
      ['changes applied / change batches', `${crrs.changes} / ${crrs.batches}`],
      ['ChangeResourceRecordSets calls (refused by quota)', `${crrs.calls} (${crrs.refused})`],
      [
        'ListResourceRecordSets calls / parent reads / names asked',
        `${reads.listResourceRecordSets} / ${reads.reads} / ${reads.namesAsked}`,
      ],
      ['hub GetHostedZone calls', reads.getHostedZone],
      ['parent zone size at the end (pages of 300)', reads.finalZonePages],
      ['hub Route 53 calls (refused by quota)', `${calls.hubRoute53} (${calls.hubRefused})`],
      ['STS AssumeRole calls', calls.sts],
      ['worker reads in child accounts (refused by quota)', `${calls.spokeWorkerReads} (${calls.spokeRefused})`],
      ['child tag calls, retries included', calls.childTagCalls],
      ['latency tag -> NS record p50 / p99 / max (ms)', `${latency.p50} / ${latency.p99} / ${latency.max} (n=${latency.samples})`],
    ],
  );
  printTable('Hub calls by operation (attempts)', ['operation', 'calls'], Object.entries(result.hubByOperation));
  printTable('Worker calls in child accounts by operation (attempts)', ['operation', 'calls'], Object.entries(result.spokeByOperation));
  const verdicts: Verdict[] = [
    {
      what: 'ChangeResourceRecordSets calls to the parent',
      measured: crrs.calls,
      bar: `<= ceil(${crrs.changes}/100) + ${invocations.writing} writing invocations = ${crrs.bar}`,
      pass: crrs.pass,
    },
    {
      what: 'parent reads by pages once names outnumber pages',
      measured: `${reads.ofThoseReadByPages} of ${reads.readsWhereNamesOutnumberPages} reads`,
      bar: 'all (ListResourceRecordSets <= zone pages)',
      pass: reads.pass,
    },
    {
      what: 'every opt-in delegated',
      measured: result.delegated,
      bar: `${result.scale.zones}`,
      pass: result.delegated === result.scale.zones,
    },
    {
      what: 'hub Route 53 calls (retries included)',
      measured: result.hubCalls.calls,
      bar: `<= ${result.hubCalls.bar} (60 per 1,000 opt-ins)`,
      pass: result.hubCalls.pass,
    },
    { what: 'messages dead-lettered', measured: invocations.deadLettered, bar: '0', pass: result.deadLetteredPass },
    {
      what: 'last NS write / last tag call, seconds from the first tag',
      measured: `${result.keepsUp.lastWriteSeconds} / ${result.keepsUp.lastTagSeconds} = ${result.keepsUp.ratio}`,
      bar: `<= ${KEEP_UP_BAR}`,
      pass: result.keepsUp.pass,
    },
    {
      what: 'peak hub Route 53 requests in any one-second window, received (sent)',
      measured: `${result.hubRate.peak} (${result.hubRate.peakSent})`,
      bar: `<= ${result.hubRate.budget} (budget; ${result.hubRate.perEnvironment}/s x ${result.hubRate.environments} environments)`,
      pass: result.hubRate.pass,
    },
    { what: 'latency p50 / p99 (ms)', measured: `${latency.p50} / ${latency.p99}`, bar: 'reported', pass: latency.samples > 0 },
  ];
  printVerdicts('Verdict', verdicts);
}
