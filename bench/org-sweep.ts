/**
 * Organisation scale (opt-in: `--only org`): one steady-state sweep of thousands of accounts,
 * 20 delegated zones each, in a parent that may hold thousands of other records.
 *
 * Bars: the hub's Route 53 calls of the sweep against 1.1 x (the parent's pages + 1), one
 * reading of the parent by pages plus the start-up GetHostedZone; the sweep's wall time
 * against the 15-minute sweep interval; the hub's peak requests in any one-second window
 * against the worker's budget (set to a fifth of the 10/s quota by default).
 *
 * The organisation is seeded directly (bench/steady-state.ts), timed apart from the sweep.
 * A sweep still running at the deadline is stopped there: its figures are then what it did
 * by the deadline, and its time a projection from the accounts it finished.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { QueueWaitTimeoutError } from '../emulator/sqs/event-source-mapping';
import { DynamoDbLedger } from '../functions/adapters/dynamodb-ledger';
import type { AccountId } from '../functions/core/types';
import { RECORDS_PER_PAGE } from '../functions/adapters/route53-parent-zone-store';
import {
  BenchWorld,
  HUB,
  PRODUCTION_FUNCTION_TIMEOUT_SECONDS,
  PRODUCTION_MAPPING,
  PRODUCTION_VISIBILITY_TIMEOUT_SECONDS,
  benchAccounts,
} from './bench-world';
import { median, printHeading, printTable, printVerdicts, round, type Verdict } from './report';
import { seedDelegated, seedOtherRecords, steadyZoneNames } from './steady-state';

/** The bar on hub calls: this many times (parent pages + 1). */
export const ORG_CALLS_RATIO_BAR = 1.1;
/** The sweep interval a sweep must fit in. */
export const SWEEP_INTERVAL_SECONDS = 15 * 60;

/** Accounts whose ledger entries are read back after the sweep. */
const LEDGER_SAMPLE_ACCOUNTS = 20;

/** One organisation to sweep. */
export interface OrgSweepOptions {
  readonly accounts: number;
  readonly zonesPerAccount: number;
  /** Records in the parent besides the delegations. */
  readonly otherRecords: number;
  /** The worker's hub budget, ROUTE53_REQUESTS_PER_SECOND. */
  readonly hubRequestsPerSecond: number;
  /** The sweep is stopped after this long. */
  readonly deadlineSeconds: number;
  readonly verbose: boolean;
}

/** Results of one organisation's sweep. */
export interface OrgSweepResult {
  readonly accounts: number;
  readonly zonesPerAccount: number;
  readonly otherRecords: number;
  readonly parentRecords: number;
  readonly parentPages: number;
  readonly hubBudget: number;
  readonly hubRequestsPerEnvironment: number;
  readonly executionEnvironments: number;
  readonly seedingSeconds: {
    readonly zones: number;
    readonly parentRecords: number;
    readonly ledger: number;
    readonly otherRecords: number;
  };
  readonly finished: boolean;
  readonly seconds: number;
  /** When unfinished: seconds x accounts / accounts reconciled. */
  readonly projectedSeconds: number;
  readonly accountsReconciled: number;
  readonly invocations: number;
  /** Where the sweep's time went: the fan-out invocation, and the account invocations (seconds). */
  readonly timeline: {
    readonly fanOutSeconds: number;
    readonly firstParentPageSeconds: number;
    readonly accountInvocationSeconds: { readonly median: number; readonly max: number };
  };
  readonly hubRoute53Calls: number;
  readonly hubCallsBar: number;
  readonly hubCallsPass: boolean;
  readonly timePass: boolean;
  readonly peakHubRate: number;
  /** The same, counted where the worker's clients send (after signing) rather than where Route 53 receives. */
  readonly peakHubSendRate: number;
  readonly peakHubRatePass: boolean;
  readonly changeResourceRecordSets: number;
  /** Ledger entries of up to 20 reconciled accounts read back, and those the sweep rewrote (seeded at version 1). */
  readonly ledgerSample: { readonly entries: number; readonly rewritten: number };
  readonly byOperation: Record<string, number>;
  readonly heapMb: number;
}

/** Seeds one organisation, sweeps it once and prints what it cost. */
export async function benchOrgSweep(options: OrgSweepOptions): Promise<OrgSweepResult> {
  printHeading(
    `5. Organisation-scale sweep: ${options.accounts} accounts x ${options.zonesPerAccount} zones, ${options.otherRecords} other parent records, hub budget ${options.hubRequestsPerSecond}/s`,
  );
  const accounts = benchAccounts(options.accounts);
  const world = await BenchWorld.start({
    accounts,
    hubRequestsPerSecond: options.hubRequestsPerSecond,
    // Production's visibility timeout: with the bench's short one, the messages of an invocation
    // still reading a large parent come back to the other environment and fail on its leases.
    queue: { ...PRODUCTION_MAPPING, visibilityTimeoutSeconds: PRODUCTION_VISIBILITY_TIMEOUT_SECONDS },
    verbose: options.verbose,
  });
  try {
    world.pause();
    const otherSeconds = seedOtherRecords(world, options.otherRecords);
    const seeded = await seedDelegated(
      world,
      accounts.map((account, index) => ({ account, names: steadyZoneNames(index + 1, options.zonesPerAccount) })),
    );
    const parentRecords = world.emulator.route53.getHostedZone(HUB, world.parentZoneId).records.size;
    const parentPages = world.zonePages();
    process.stdout.write(
      `  seeded in ${round(seeded.zonesSeconds + seeded.parentSeconds + seeded.ledgerSeconds + otherSeconds)} s (zones ${round(seeded.zonesSeconds)}, parent ${round(seeded.parentSeconds + otherSeconds)}, ledger ${round(seeded.ledgerSeconds)}); sweeping...\n`,
    );

    world.emulator.quota.enable();
    world.resetCalls();
    const started = Date.now();
    world.requestSweep(`bench-org-${started}`);
    world.resume();
    const finished = await world.settle(options.deadlineSeconds * 1000).then(
      () => true,
      (error: unknown) => {
        if (!(error instanceof QueueWaitTimeoutError)) throw error;
        return false;
      },
    );
    const seconds = (Date.now() - started) / 1000;
    world.pause();
    const done = world.invocations.filter((invocation) => invocation.endedAt > 0);
    // An account is reconciled once the worker listed its zones (a reconcile starts there).
    const reconciled = new Set(
      world.callLog.filter((entry) => entry.account !== HUB && entry.operation === 'ListHostedZones').map((entry) => entry.account),
    );
    const accountsReconciled = reconciled.size;
    const ledgerSample = await readBackLedger(world, [...reconciled].slice(0, LEDGER_SAMPLE_ACCOUNTS));
    const hub = world.callLog.filter((entry) => entry.account === HUB && entry.service === 'route53');
    const byOperation: Record<string, number> = {};
    for (const entry of world.callLog) {
      if (entry.service !== 'route53' && entry.service !== 'sts') continue;
      const key = `${entry.account === HUB ? 'hub' : 'child'} ${entry.service} ${entry.operation}`;
      byOperation[key] = (byOperation[key] ?? 0) + 1;
    }
    const hubCallsBar = round(ORG_CALLS_RATIO_BAR * (parentPages + 1), 1);
    const projectedSeconds = finished
      ? seconds
      : accountsReconciled === 0
        ? Number.POSITIVE_INFINITY
        : (seconds * accounts.length) / accountsReconciled;
    const peakHubRate = world.peakHubRate(started);
    const result: OrgSweepResult = {
      accounts: options.accounts,
      zonesPerAccount: options.zonesPerAccount,
      otherRecords: options.otherRecords,
      parentRecords,
      parentPages,
      hubBudget: world.hubBudget(),
      hubRequestsPerEnvironment: world.hubRequestsPerEnvironment(),
      executionEnvironments: world.emulator.queue.settings.maximumConcurrency,
      seedingSeconds: {
        zones: round(seeded.zonesSeconds),
        parentRecords: round(seeded.parentSeconds),
        ledger: round(seeded.ledgerSeconds),
        otherRecords: round(otherSeconds),
      },
      finished,
      seconds: round(seconds),
      projectedSeconds: round(projectedSeconds),
      accountsReconciled,
      invocations: done.length,
      timeline: timelineOf(world, started),
      hubRoute53Calls: hub.length,
      hubCallsBar,
      // Unfinished, the calls so far are a floor: they pass only if the sweep is done.
      hubCallsPass: finished && hub.length <= hubCallsBar,
      timePass: finished && seconds <= SWEEP_INTERVAL_SECONDS,
      peakHubRate,
      peakHubSendRate: world.peakHubSendRate(started),
      peakHubRatePass: peakHubRate <= world.hubBudget(),
      changeResourceRecordSets: hub.filter((entry) => entry.operation === 'ChangeResourceRecordSets').length,
      ledgerSample,
      byOperation,
      heapMb: round(process.memoryUsage().heapUsed / 2 ** 20),
    };
    print(result);
    return result;
  } finally {
    await world.stop();
  }
}

function timelineOf(world: BenchWorld, started: number): OrgSweepResult['timeline'] {
  const fanOut = world.invocations.find((invocation) => invocation.accountMessages === 0);
  const firstPage = world.callLog.find((entry) => entry.account === HUB && entry.operation === 'ListResourceRecordSets');
  const durations = world.invocations
    .filter((invocation) => invocation.accountMessages > 0 && invocation.endedAt > 0)
    .map((invocation) => (invocation.endedAt - invocation.startedAt) / 1000);
  return {
    fanOutSeconds: fanOut && fanOut.endedAt > 0 ? round((fanOut.endedAt - fanOut.startedAt) / 1000) : Number.NaN,
    firstParentPageSeconds: firstPage ? round((firstPage.at - started) / 1000) : Number.NaN,
    accountInvocationSeconds: {
      median: round(median(durations)),
      max: durations.length === 0 ? Number.NaN : round(Math.max(...durations)),
    },
  };
}

/** Reads back the ledger entries of `accounts`: a steady-state sweep leaves every one at the version it was seeded with. */
async function readBackLedger(world: BenchWorld, accounts: readonly AccountId[]): Promise<OrgSweepResult['ledgerSample']> {
  const client = new DynamoDBClient({ region: 'us-east-1' });
  try {
    const ledger = new DynamoDbLedger(client, { tableName: world.emulator.names.ledgerTableName });
    const entries = (await Promise.all(accounts.map((account) => ledger.listEntries(account)))).flat();
    return { entries: entries.length, rewritten: entries.filter((entry) => entry.version !== 1).length };
  } finally {
    client.destroy();
  }
}

function print(result: OrgSweepResult): void {
  const unfinished = result.finished ? '' : ` (stopped at the deadline: ${result.accountsReconciled} of ${result.accounts} accounts)`;
  printTable(
    `Sweep${unfinished}: Route 53/STS calls by side and operation, ${result.invocations} invocations finished, ${result.seconds} s`,
    ['side service operation', 'calls'],
    Object.entries(result.byOperation),
  );
  printTable(
    'Set-up',
    ['measure', 'value'],
    [
      ['parent zone', `${result.parentRecords} record sets, ${result.parentPages} pages of ${RECORDS_PER_PAGE}`],
      ['seeding (s): zones / parent NS records / ledger / other records', Object.values(result.seedingSeconds).join(' / ')],
      [
        'hub budget (whole worker) / per environment x environments',
        `${result.hubBudget}/s / ${result.hubRequestsPerEnvironment}/s x ${result.executionEnvironments}`,
      ],
      ['heap used after the sweep (MB)', result.heapMb],
      [
        `sweep timeline (s): fan-out invocation / first parent page / account invocations median, max (production stops one at ${PRODUCTION_FUNCTION_TIMEOUT_SECONDS} s; the bench does not)`,
        `${result.timeline.fanOutSeconds} / ${result.timeline.firstParentPageSeconds} / ${result.timeline.accountInvocationSeconds.median}, ${result.timeline.accountInvocationSeconds.max}`,
      ],
    ],
  );
  const verdicts: Verdict[] = [
    {
      what: 'hub Route 53 calls of the sweep',
      measured: result.finished ? result.hubRoute53Calls : `>= ${result.hubRoute53Calls}`,
      bar: `<= ${ORG_CALLS_RATIO_BAR} x (${result.parentPages} pages + 1) = ${result.hubCallsBar}`,
      pass: result.hubCallsPass,
    },
    {
      what: 'sweep wall time (s)',
      measured: result.finished ? result.seconds : `> ${result.seconds} (projected ${result.projectedSeconds})`,
      bar: `<= ${SWEEP_INTERVAL_SECONDS} (the sweep interval)`,
      pass: result.timePass,
    },
    {
      what: 'peak hub Route 53 requests in any one-second window, received (sent)',
      measured: `${result.peakHubRate} (${result.peakHubSendRate})`,
      bar: `<= ${result.hubBudget} (the budget)`,
      pass: result.peakHubRatePass,
    },
    {
      what: 'ChangeResourceRecordSets (steady state)',
      measured: result.changeResourceRecordSets,
      bar: '0',
      pass: result.changeResourceRecordSets === 0,
    },
    {
      what: `ledger entries rewritten, of ${result.ledgerSample.entries} read back`,
      measured: result.ledgerSample.rewritten,
      bar: '0 (steady state)',
      pass: result.ledgerSample.rewritten === 0,
    },
  ];
  printVerdicts('Verdict', verdicts);
}
