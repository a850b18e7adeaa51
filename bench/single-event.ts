/**
 * §9 bar 1: one opt-in event, warm, costs at most 5 Route 53/STS calls, whatever the account
 * already holds and however large the parent is.
 *
 * Two child accounts side by side in one parent zone holding `parentRecords` other records:
 * one empty, one already holding `held` delegations (seeded as the worker leaves them, see
 * steady-state.ts). In each, a child creates a zone through the SDK (untagged): its
 * CreateHostedZone event makes the worker reconcile the account once, which assumes the
 * reader role (credentials cached from then on). The child then tags the zone; only the calls
 * the worker makes for that tag event are counted, in the order the emulator served them.
 */
import { ChangeTagsForResourceCommand, CreateHostedZoneCommand } from '@aws-sdk/client-route-53';
import { bareZoneId } from '../functions/core/zone-ids';
import type { AccountId } from '../functions/core/types';
import { BENCH_DOMAIN, BenchWorld, HUB, OPT_IN_TAG, benchAccounts, waitUntil, type CallLogEntry } from './bench-world';
import { printHeading, printTable, printVerdicts, type Verdict } from './report';
import { seedDelegated, seedOtherRecords, steadyZoneNames } from './steady-state';

/** The bar: Route 53 and STS calls for one warm opt-in event. */
export const SINGLE_EVENT_BAR = 5;

/** What each call is for, by side and operation (the worker's own reads and writes). */
const PURPOSE: Record<string, string> = {
  'child route53 GetHostedZone': 'read the zone named in the event (name, name servers)',
  'child route53 ListTagsForResources': 'opt-in tag of the public zones read',
  'child route53 ListHostedZones': "list the account's zones",
  'hub sts AssumeRole': 'reader role credentials',
  'hub route53 GetHostedZone': 'parent zone (start-up check, or size before paging)',
  'hub route53 ListResourceRecordSets': 'parent records around the name',
  'hub route53 ChangeResourceRecordSets': 'write the NS delegation',
  'hub ssm GetParameter': 'operator controls (kill switch, holds)',
  'hub events PutEvents': 'outcome event on the hub bus',
  'hub sqs SendMessageBatch': 'work queue',
};

/** One counted call. */
export interface Step {
  readonly step: number;
  readonly side: 'hub' | 'child';
  readonly account: string;
  readonly service: string;
  readonly operation: string;
  readonly purpose: string;
  readonly countsTowardBar: boolean;
}

/** One account's opt-in event, measured. */
export interface OptInMeasure {
  readonly account: AccountId;
  readonly zone: string;
  /** Delegations the account held before the event. */
  readonly delegationsHeld: number;
  readonly steps: readonly Step[];
  /** Route 53 + STS calls for the tag event. */
  readonly route53AndStsCalls: number;
  readonly otherCalls: number;
  readonly pass: boolean;
  readonly delegated: boolean;
  readonly invocations: number;
  /** Route 53 + STS calls of the CreateHostedZone event's reconcile (the warm-up), for context. */
  readonly createEventRoute53AndStsCalls: number;
  readonly createEventByOperation: Record<string, number>;
}

/** Results of the single-event section: the empty account's figures, and the other account's beside them. */
export interface SingleEventResult extends OptInMeasure {
  readonly bar: number;
  /** Record sets in the parent zone during the events. */
  readonly parentRecords: number;
  /** The same event in an account that already held delegations. */
  readonly held: OptInMeasure;
}

/** What to run. */
export interface SingleEventOptions {
  /** Delegations the second account holds before its event. */
  readonly held: number;
  /** Records in the parent besides the delegations. */
  readonly parentRecords: number;
  readonly verbose: boolean;
}

function isBarCall(entry: CallLogEntry): boolean {
  return entry.service === 'route53' || entry.service === 'sts';
}

function toSteps(log: readonly CallLogEntry[]): Step[] {
  return log.map((entry, index) => {
    const side = entry.account === HUB ? 'hub' : 'child';
    return {
      step: index + 1,
      side,
      account: entry.account,
      service: entry.service,
      operation: entry.operation,
      purpose: PURPOSE[`${side} ${entry.service} ${entry.operation}`] ?? '',
      countsTowardBar: isBarCall(entry),
    };
  });
}

/** Runs the section and prints its tables. */
export async function benchSingleEvent(options: SingleEventOptions): Promise<SingleEventResult> {
  printHeading(
    `1. One opt-in event, warm: an empty account and one holding ${options.held} delegations, parent of ${options.parentRecords} other records`,
  );
  const [empty, holding] = benchAccounts(2) as [AccountId, AccountId];
  // A short batching window: the count does not depend on it, and the section stays quick.
  const world = await BenchWorld.start({ accounts: [empty, holding], queue: { maximumBatchingWindowMs: 50 }, verbose: options.verbose });
  try {
    world.pause();
    seedOtherRecords(world, options.parentRecords);
    await seedDelegated(world, [{ account: holding, names: steadyZoneNames(2, options.held) }]);
    world.resume();
    const parentRecords = world.emulator.route53.getHostedZone(HUB, world.parentZoneId).records.size;
    const emptyMeasure = await measureOptIn(world, empty, `single.${BENCH_DOMAIN}`, 0);
    const heldMeasure = await measureOptIn(world, holding, `single-held.${BENCH_DOMAIN}`, options.held);
    const result: SingleEventResult = { ...emptyMeasure, bar: SINGLE_EVENT_BAR, parentRecords, held: heldMeasure };
    print(result);
    return result;
  } finally {
    await world.stop();
  }
}

/** Creates a zone in `account` (the warm-up event), then tags it and counts the worker's calls for the tag event. */
async function measureOptIn(world: BenchWorld, account: AccountId, zone: string, delegationsHeld: number): Promise<OptInMeasure> {
  const child = world.childRoute53(account);

  // Warm-up: the CreateHostedZone event's own reconcile (it assumes the reader role).
  world.pause();
  const created = await child.send(new CreateHostedZoneCommand({ Name: zone, CallerReference: `bench-${Date.now()}` }));
  const zoneId = bareZoneId(created.HostedZone?.Id ?? '');
  await waitUntil(() => world.queuedMessages() > 0, 'the CreateHostedZone event in the work queue', 5_000);
  world.resetCalls();
  world.resume();
  await world.settle(120_000);
  const createLog = world.callLog.filter(isBarCall);
  const createEventByOperation: Record<string, number> = {};
  for (const entry of createLog) {
    const key = `${entry.account === HUB ? 'hub' : 'child'} ${entry.operation}`;
    createEventByOperation[key] = (createEventByOperation[key] ?? 0) + 1;
  }

  // The measured event: the child tags the zone; only the worker's calls are counted.
  world.pause();
  await child.send(
    new ChangeTagsForResourceCommand({
      ResourceType: 'hostedzone',
      ResourceId: zoneId,
      AddTags: [{ Key: OPT_IN_TAG.key, Value: OPT_IN_TAG.value }],
    }),
  );
  await waitUntil(() => world.queuedMessages() > 0, 'the ChangeTagsForResource event in the work queue', 5_000);
  world.resetCalls();
  const invocationsBefore = world.invocations.length;
  world.resume();
  await world.settle(120_000);

  const steps = toSteps(world.callLog);
  const counted = steps.filter((step) => step.countsTowardBar).length;
  return {
    account,
    zone,
    delegationsHeld,
    steps,
    route53AndStsCalls: counted,
    otherCalls: steps.length - counted,
    pass: counted <= SINGLE_EVENT_BAR,
    delegated: world.delegatedAt.has(zone),
    invocations: world.invocations.length - invocationsBefore,
    createEventRoute53AndStsCalls: createLog.length,
    createEventByOperation,
  };
}

function countsByOperation(measure: OptInMeasure): Map<string, number> {
  const counts = new Map<string, number>();
  for (const step of measure.steps.filter((each) => each.countsTowardBar)) {
    const key = `${step.side} ${step.service} ${step.operation}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

function print(result: SingleEventResult): void {
  const { held } = result;
  printTable(
    `Calls the worker made for the tag event on ${result.zone} (empty account), in order (DynamoDB runs on dynalite and is not counted)`,
    ['#', 'side', 'account', 'service', 'operation', 'bar?', 'purpose'],
    result.steps.map((step) => [
      step.step,
      step.side,
      step.account,
      step.service,
      step.operation,
      step.countsTowardBar ? 'yes' : 'no',
      step.purpose,
    ]),
  );
  const emptyCounts = countsByOperation(result);
  const heldCounts = countsByOperation(held);
  const operations = [...new Set([...emptyCounts.keys(), ...heldCounts.keys()])];
  printTable(
    `Side by side, Route 53/STS calls of one tag event by operation (parent of ${result.parentRecords} record sets)`,
    ['side service operation', 'empty account', `account holding ${held.delegationsHeld}`, 'purpose'],
    [
      ...operations.map((key) => [key, emptyCounts.get(key) ?? 0, heldCounts.get(key) ?? 0, PURPOSE[key] ?? '']),
      ['total', result.route53AndStsCalls, held.route53AndStsCalls, ''],
    ],
  );
  printTable(
    'For context: the CreateHostedZone event before each (the reconcile that warmed the worker), Route 53/STS only',
    ['side operation', 'empty account', `account holding ${held.delegationsHeld}`],
    [...new Set([...Object.keys(result.createEventByOperation), ...Object.keys(held.createEventByOperation)])].map((key) => [
      key,
      result.createEventByOperation[key] ?? 0,
      held.createEventByOperation[key] ?? 0,
    ]),
  );
  const verdicts: Verdict[] = [
    {
      what: 'Route 53 + STS calls, warm opt-in event, empty account',
      measured: result.route53AndStsCalls,
      bar: `<= ${SINGLE_EVENT_BAR}`,
      pass: result.pass,
    },
    {
      what: `Route 53 + STS calls, warm opt-in event, account holding ${held.delegationsHeld}`,
      measured: held.route53AndStsCalls,
      bar: `<= ${SINGLE_EVENT_BAR}`,
      pass: held.pass,
    },
    {
      what: 'NS delegation written (empty / holding)',
      measured: `${result.delegated ? 'yes' : 'no'} / ${held.delegated ? 'yes' : 'no'}`,
      bar: 'yes / yes',
      pass: result.delegated && held.delegated,
    },
  ];
  printVerdicts('Verdict', verdicts);
  console.log(`(other calls, SSM controls and the EventBridge outcome event: ${result.otherCalls} / ${held.otherCalls})`);
}
