/**
 * §9 bar 3: a sweep of N accounts costs at most 1.1 x the minimum number of calls.
 *
 * Minimum, per account: ceil(zones / 100) ListHostedZones pages, ceil(public zones / 10)
 * ListTagsForResources, one AssumeRole when the worker is cold, no GetHostedZone (the name
 * servers come from the ledger); per sweep: one reading of each parent zone by pages (300
 * records a page), which every invocation of the sweep judges against, however many
 * invocations the accounts were spread over; when cold, the start-up GetHostedZone of each
 * parent zone. The zones are already delegated (a first, unmeasured sweep did it), so nothing
 * is written.
 */
import { RECORDS_PER_PAGE } from '../functions/adapters/route53-parent-zone-store';
import { TAGGED_ZONES_PER_CALL, ZONES_PER_PAGE } from '../functions/adapters/spoke-zone-reader';
import { BENCH_DOMAIN, BenchWorld, HUB, benchAccounts, type CallLogEntry } from './bench-world';
import { printHeading, printTable, printVerdicts, round, type Verdict } from './report';

/** The bar: calls of a sweep against its minimum. */
export const SWEEP_RATIO_BAR = 1.1;

/** What to run. */
export interface SweepOptions {
  readonly accounts: number;
  readonly zonesPerAccount: number;
  readonly verbose: boolean;
}

/** One measured sweep. */
export interface SweepMeasure {
  readonly kind: 'warm' | 'cold';
  readonly calls: number;
  readonly minimum: number;
  readonly ratio: number;
  readonly pass: boolean;
  readonly byOperation: Record<string, { readonly calls: number; readonly minimum: number }>;
  readonly reconcilingInvocations: number;
  readonly spokeGetHostedZone: number;
  readonly changeResourceRecordSets: number;
  readonly seconds: number;
  /** Hub Route 53 requests in the busiest one-second window of the sweep. */
  readonly peakHubRate: number;
}

/** Results of the sweep section. */
export interface SweepResult {
  readonly accounts: number;
  readonly zonesPerAccount: number;
  readonly delegated: number;
  readonly sweeps: readonly SweepMeasure[];
}

const SETTLE_TIMEOUT_MS = 5 * 60_000;

function key(entry: CallLogEntry): string {
  return `${entry.account === HUB ? 'hub' : 'child'} ${entry.operation}`;
}

/** Runs the section and prints its tables. */
export async function benchSweep(options: SweepOptions): Promise<SweepResult> {
  printHeading(`3. Sweep of ${options.accounts} accounts x ${options.zonesPerAccount} delegated zones`);
  const accounts = benchAccounts(options.accounts);
  const world = await BenchWorld.start({ accounts, queue: { maximumBatchingWindowMs: 50 }, verbose: options.verbose });
  try {
    accounts.forEach((account, accountIndex) => {
      const names = Array.from(
        { length: options.zonesPerAccount },
        (_, zoneIndex) => `s${zoneIndex + 1}-a${accountIndex + 1}.${BENCH_DOMAIN}`,
      );
      world.seedZones(account, names, true);
    });
    // Unmeasured: the first sweep delegates every zone and records the name servers in the ledger.
    world.requestSweep(`bench-setup-${Date.now()}`);
    await world.settle(SETTLE_TIMEOUT_MS);
    const delegated = world.delegationCount();

    const measure = async (kind: 'warm' | 'cold'): Promise<SweepMeasure> => {
      if (kind === 'cold') world.coldStart();
      world.resetCalls();
      const firstInvocation = world.invocations.length;
      const started = Date.now();
      world.requestSweep(`bench-${kind}-${Date.now()}`);
      await world.settle(SETTLE_TIMEOUT_MS);
      const seconds = (Date.now() - started) / 1000;
      const invocations = world.invocations.slice(firstInvocation).filter((invocation) => invocation.accountMessages > 0);
      // One parent zone: its reading is its pages, once per sweep.
      const parentPages = world.zonePages();
      const perAccount = Math.ceil(options.zonesPerAccount / ZONES_PER_PAGE);
      const tagCalls = Math.ceil(options.zonesPerAccount / TAGGED_ZONES_PER_CALL);
      const minimumByKey: Record<string, number> = {
        'child ListHostedZones': perAccount * accounts.length,
        'child ListTagsForResources': tagCalls * accounts.length,
        'hub ListResourceRecordSets': parentPages,
        ...(kind === 'cold' ? { 'hub AssumeRole': accounts.length, 'hub GetHostedZone': world.config.parentZones.length } : {}),
      };
      const counted = world.callLog.filter((entry) => entry.service === 'route53' || entry.service === 'sts');
      const byOperation: Record<string, { calls: number; minimum: number }> = {};
      for (const [name, minimum] of Object.entries(minimumByKey)) byOperation[name] = { calls: 0, minimum };
      for (const entry of counted) {
        const slot = (byOperation[key(entry)] ??= { calls: 0, minimum: 0 });
        slot.calls += 1;
      }
      const minimum = Object.values(minimumByKey).reduce((sum, value) => sum + value, 0);
      const ratio = counted.length / minimum;
      return {
        kind,
        calls: counted.length,
        minimum,
        ratio: round(ratio, 3),
        pass: ratio <= SWEEP_RATIO_BAR,
        byOperation,
        reconcilingInvocations: invocations.length,
        spokeGetHostedZone: counted.filter((entry) => entry.account !== HUB && entry.operation === 'GetHostedZone').length,
        changeResourceRecordSets: counted.filter((entry) => entry.operation === 'ChangeResourceRecordSets').length,
        seconds: round(seconds, 2),
        peakHubRate: world.peakHubRate(started),
      };
    };
    const sweeps = [await measure('warm'), await measure('cold')];
    const result: SweepResult = { accounts: options.accounts, zonesPerAccount: options.zonesPerAccount, delegated, sweeps };
    print(result);
    return result;
  } finally {
    await world.stop();
  }
}

function print(result: SweepResult): void {
  console.log(`(${result.delegated} delegations in place before the measured sweeps; parent pages of ${RECORDS_PER_PAGE} records)`);
  for (const sweep of result.sweeps) {
    printTable(
      `${sweep.kind === 'warm' ? 'Warm' : 'Cold (fresh worker)'} sweep: Route 53/STS calls by side and operation, ${sweep.reconcilingInvocations} reconciling invocation(s), ${sweep.seconds} s, peak ${sweep.peakHubRate} hub requests in one second`,
      ['side operation', 'calls', 'minimum'],
      [
        ...Object.entries(sweep.byOperation).map(([name, value]) => [name, value.calls, value.minimum]),
        ['total', sweep.calls, sweep.minimum],
      ],
    );
  }
  const verdicts: Verdict[] = result.sweeps.flatMap((sweep) => [
    {
      what: `${sweep.kind} sweep calls / minimum`,
      measured: `${sweep.calls} / ${sweep.minimum} = ${sweep.ratio}`,
      bar: `<= ${SWEEP_RATIO_BAR}`,
      pass: sweep.pass,
    },
    {
      what: `${sweep.kind} sweep GetHostedZone in child accounts`,
      measured: sweep.spokeGetHostedZone,
      bar: '0 (ledger)',
      pass: sweep.spokeGetHostedZone === 0,
    },
  ]);
  verdicts.push({
    what: 'zones delegated before measuring',
    measured: result.delegated,
    bar: String(result.accounts * result.zonesPerAccount),
    pass: result.delegated === result.accounts * result.zonesPerAccount,
  });
  printVerdicts('Verdict', verdicts);
}
