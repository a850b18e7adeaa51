/**
 * Side by side: the same N delegations made by aws-cdk-lib's `CrossAccountZoneDelegationRecord`
 * handler (one CloudFormation stack each, ten in flight) and by subzone (N opt-ins across ten
 * child accounts, the production event path and worker), each on a fresh emulator with Route
 * 53's quota on (10 requests/s, burst 50 per account).
 *
 * Counted for both, from the emulator's counters (every HTTP attempt, retries included):
 * hub writes (ChangeResourceRecordSets), all Route 53 and STS calls the delegating side made
 * (the children's own tag calls that trigger subzone are listed apart: a CDK stack's trigger
 * is CloudFormation), the calls the quota refused with Throttling, delegations that failed
 * (a stack whose handler threw; an opt-in with no NS record once the queue drained) and the
 * wall time from the first request to the last NS record written.
 */
import { startHarness } from '../harness/emulator-harness';
import { BENCH_DOMAIN, HUB, PARENT_ZONE_ID, benchAccounts, benchDelegationCount, benchRawConfig } from './bench-world';
import { measureBurst } from './burst';
import { loadCdkHandler, runCdkStacks, type CdkDelegation } from './cdk-delegation-handler';
import { printHeading, printTable, round } from './report';

/** Stacks CloudFormation runs at once in the comparison ("ten in flight as ten stacks would"). */
const CDK_STACKS_IN_FLIGHT = 10;
/** Child accounts the delegations are spread over, for both sides. */
const VERSUS_ACCOUNTS = 10;
/** Tag calls per second each child makes on subzone's side. */
const CHILD_TAG_RATE = 5;

/** One side's figures for one size. */
export interface SideFigures {
  /** Route 53 calls in the hub (parent) account, writes and reads. */
  readonly hubCalls: number;
  readonly hubWrites: number;
  readonly allCalls: number;
  readonly throttled: number;
  readonly failed: number;
  readonly delegated: number;
  readonly wallSeconds: number;
}

/** Both sides for one size, with CDK / subzone ratios. */
export interface VersusRow {
  readonly delegations: number;
  readonly cdk: SideFigures & { readonly stsCalls: number };
  readonly subzone: SideFigures & { readonly triggerTagCalls: number; readonly deadLettered: number; readonly drained: boolean };
  readonly ratios: {
    readonly hubCalls: number | null;
    readonly hubWrites: number | null;
    readonly allCalls: number | null;
    readonly throttled: number | null;
    readonly wallSeconds: number | null;
  };
}

/** Results of the section. */
export interface VersusResult {
  readonly settings: Record<string, string>;
  readonly rows: readonly VersusRow[];
  /** What the emulator leaves out that would change the figures. */
  readonly caveats: readonly string[];
}

const VERSUS_CAVEATS: readonly string[] = [
  "Route 53 rejects a change to a hosted zone while an earlier one is still being processed (PriorRequestNotComplete) and takes up to about 60 s to report a change INSYNC; the emulator applies each change at once and never answers PriorRequestNotComplete. Ten stacks writing one record each to the same parent would meet it far more often than subzone's few pooled batches.",
  "Route 53 also keeps a bucket per action (50/10 by default) beside the account's; the emulator models the account bucket only. For these two callers both buckets hold the same calls, so the figures would not move.",
  "A call here takes about a millisecond on loopback, against tens of milliseconds in AWS, so wall time is set by the quota, the retry back-off and subzone's 2 s batching window.",
  "The CDK figures hold no CloudFormation: no stack creation, no custom-resource provider framework (its own Lambda and its retries), no rollback of a failed stack; only the handler's own calls are counted.",
  "The quota has no other user here; in a real DNS account other tools draw on the same 10/s, which makes every throttling figure worse, the CDK handler's first (subzone keeps to its own 5/s budget).",
  'Every CDK stack assumes the role with the same process credentials (one child account), where in AWS each stack acts from its own account; the emulator does not rate-limit STS.',
];

/** CDK / subzone; null when subzone's figure is 0 (and the CDK's is not). */
function ratio(cdk: number, subzone: number): number | null {
  if (subzone === 0) return cdk === 0 ? 1 : null;
  return round(cdk / subzone, 2);
}

function zoneName(index: number): string {
  return `d${String(index + 1).padStart(4, '0')}.${BENCH_DOMAIN}`;
}

/** N delegations through the CDK handler on a fresh emulator. */
async function measureCdk(size: number): Promise<VersusRow['cdk']> {
  const accounts = benchAccounts(VERSUS_ACCOUNTS);
  // The handler runs in a child account and assumes the delegation role in the parent.
  const bench = await startHarness({
    rawConfig: benchRawConfig(PARENT_ZONE_ID, accounts),
    emulator: { hubAccount: HUB, spokeAccounts: accounts },
    actAs: accounts[0],
  });
  try {
    const delegations: CdkDelegation[] = Array.from({ length: size }, (_, index) => {
      const account = accounts[index % accounts.length] as string;
      const zone = bench.emulator.route53.createZone(account, zoneName(index));
      return { zoneName: zone.name.replace(/\.$/, ''), nameServers: zone.nameServers };
    });
    const handler = loadCdkHandler();
    bench.emulator.quota.enable();
    bench.emulator.counters.reset();
    const started = Date.now();
    const outcomes = await runCdkStacks(handler, delegations, {
      parentAccount: HUB,
      parentZoneId: PARENT_ZONE_ID,
      inFlight: CDK_STACKS_IN_FLIGHT,
    });
    const succeeded = outcomes.filter((outcome) => outcome.error === undefined);
    const lastWrite = Math.max(started, ...succeeded.map((outcome) => outcome.endedAt));
    const counters = bench.emulator.counters;
    return {
      hubCalls: counters.count({ account: HUB, service: 'route53' }),
      hubWrites: counters.count({ account: HUB, operation: 'ChangeResourceRecordSets' }),
      allCalls: counters.count({ service: 'route53' }) + counters.count({ service: 'sts' }),
      stsCalls: counters.count({ service: 'sts' }),
      throttled: counters.refusals({ service: 'route53' }),
      failed: outcomes.length - succeeded.length,
      delegated: benchDelegationCount(bench.emulator),
      wallSeconds: round((lastWrite - started) / 1000),
    };
  } finally {
    await bench.stop();
  }
}

/** N opt-ins through subzone on a fresh emulator (the burst section's run). */
async function measureSubzone(size: number, verbose: boolean): Promise<VersusRow['subzone']> {
  const burst = await measureBurst({ zones: size, accounts: VERSUS_ACCOUNTS, childRate: CHILD_TAG_RATE, verbose });
  return {
    hubCalls: burst.calls.hubRoute53,
    hubWrites: burst.changeResourceRecordSets.calls,
    allCalls: burst.calls.hubRoute53 + burst.calls.sts + burst.calls.spokeWorkerReads,
    throttled: burst.calls.hubRefused + burst.calls.spokeRefused,
    failed: size - burst.delegated,
    delegated: burst.delegated,
    deadLettered: burst.invocations.deadLettered,
    drained: burst.drained,
    triggerTagCalls: burst.calls.childTagCalls,
    wallSeconds: burst.totalSeconds,
  };
}

/** Runs both sides for each size and prints the table. */
export async function benchVersusCdk(options: { readonly sizes: readonly number[]; readonly verbose: boolean }): Promise<VersusResult> {
  printHeading(`4. Side by side with the CDK's CrossAccountZoneDelegationRecord: ${options.sizes.join(', ')} delegations`);
  const rows: VersusRow[] = [];
  for (const size of options.sizes) {
    process.stdout.write(`  ${size} delegations: CDK handler, ${CDK_STACKS_IN_FLIGHT} stacks in flight...\n`);
    const cdk = await measureCdk(size);
    process.stdout.write(`  ${size} delegations: subzone...\n`);
    const subzone = await measureSubzone(size, options.verbose);
    process.stdout.write(
      `  ${size} delegations: hub calls CDK ${cdk.hubCalls} / subzone ${subzone.hubCalls}, wall ${cdk.wallSeconds} s / ${subzone.wallSeconds} s, failed ${cdk.failed} / ${subzone.failed}\n`,
    );
    rows.push({
      delegations: size,
      cdk,
      subzone,
      ratios: {
        hubCalls: ratio(cdk.hubCalls, subzone.hubCalls),
        hubWrites: ratio(cdk.hubWrites, subzone.hubWrites),
        allCalls: ratio(cdk.allCalls, subzone.allCalls),
        throttled: ratio(cdk.throttled, subzone.throttled),
        wallSeconds: ratio(cdk.wallSeconds, subzone.wallSeconds),
      },
    });
  }
  const result: VersusResult = {
    settings: {
      quota: '10/s, burst 50 per account on Route 53 (emulator)',
      cdk: `aws-cdk-lib's handler unchanged, one Create event per delegation, ${CDK_STACKS_IN_FLIGHT} in flight, ParentZoneId given, SDK default retries (standard, 3 attempts)`,
      subzone: `${VERSUS_ACCOUNTS} child accounts tag at ${CHILD_TAG_RATE}/s each; production event source mapping; hub token bucket 5/s`,
    },
    rows,
    caveats: VERSUS_CAVEATS,
  };
  print(result);
  return result;
}

function shown(value: number | null): string {
  return value === null ? 'n/a' : `${value}x`;
}

function print(result: VersusResult): void {
  printTable(
    'CDK handler vs subzone (n/a: subzone 0, CDK more)',
    ['delegations', 'side', 'hub calls', 'hub writes', 'all calls', 'throttled', 'failed', 'delegated', 'wall s'],
    result.rows.flatMap((row) => [
      [
        row.delegations,
        'CDK',
        row.cdk.hubCalls,
        row.cdk.hubWrites,
        row.cdk.allCalls,
        row.cdk.throttled,
        row.cdk.failed,
        row.cdk.delegated,
        row.cdk.wallSeconds,
      ],
      [
        row.delegations,
        'subzone',
        row.subzone.hubCalls,
        row.subzone.hubWrites,
        row.subzone.allCalls,
        row.subzone.throttled,
        row.subzone.failed,
        row.subzone.delegated,
        row.subzone.wallSeconds,
      ],
      [
        row.delegations,
        'CDK / subzone',
        ...[row.ratios.hubCalls, row.ratios.hubWrites, row.ratios.allCalls, row.ratios.throttled].map(shown),
        '',
        '',
        shown(row.ratios.wallSeconds),
      ],
    ]),
  );
  console.log('\nWhat the emulator leaves out that would change these figures:');
  result.caveats.forEach((caveat) => console.log(`- ${caveat}`));
}
