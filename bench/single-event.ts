/**
 * §9 bar 1: one opt-in event, warm, costs at most 6 Route 53/STS calls.
 *
 * A child creates a zone through the SDK (untagged): its CreateHostedZone event makes the
 * worker reconcile the account once, which assumes the reader role (credentials cached from
 * then on). The child then tags the zone; only the calls the worker makes for that tag event
 * are counted, in the order the emulator served them.
 */
import { ChangeTagsForResourceCommand, CreateHostedZoneCommand } from '@aws-sdk/client-route-53';
import { bareZoneId } from '../functions/core/intake';
import { BENCH_DOMAIN, BenchWorld, HUB, OPT_IN_TAG, benchAccounts, waitUntil, type CallLogEntry } from './bench-world';
import { printHeading, printTable, printVerdicts, type Verdict } from './report';

/** The bar: Route 53 and STS calls for one warm opt-in event. */
export const SINGLE_EVENT_BAR = 6;

/** What each call is for, by side and operation (the worker's own reads and writes). */
const PURPOSE: Record<string, string> = {
  'child route53 GetHostedZone': 'read the zone named in the event (name, name servers)',
  'child route53 ListHostedZonesByName': 'same-name sibling zones in the account',
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

/** Results of the single-event section. */
export interface SingleEventResult {
  readonly zone: string;
  readonly steps: readonly Step[];
  /** Route 53 + STS calls for the tag event. */
  readonly route53AndStsCalls: number;
  readonly otherCalls: number;
  readonly bar: number;
  readonly pass: boolean;
  readonly delegated: boolean;
  readonly invocations: number;
  /** Route 53 + STS calls of the CreateHostedZone event's reconcile (cold), for context. */
  readonly createEventRoute53AndStsCalls: number;
  readonly createEventByOperation: Record<string, number>;
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
export async function benchSingleEvent(options: { readonly verbose: boolean }): Promise<SingleEventResult> {
  printHeading('1. One opt-in event, warm');
  const [account] = benchAccounts(1) as [string];
  const zone = `single.${BENCH_DOMAIN}`;
  // A short batching window: the count does not depend on it, and the section stays quick.
  const world = await BenchWorld.start({ accounts: [account], queue: { maximumBatchingWindowMs: 50 }, verbose: options.verbose });
  try {
    const child = world.childRoute53(account);

    // Warm-up: the CreateHostedZone event's own reconcile (it assumes the reader role).
    world.pause();
    const created = await child.send(new CreateHostedZoneCommand({ Name: zone, CallerReference: `bench-${Date.now()}` }));
    const zoneId = bareZoneId(created.HostedZone?.Id ?? '');
    await waitUntil(() => world.queuedMessages() > 0, 'the CreateHostedZone event in the work queue', 5_000);
    world.resetCalls();
    world.resume();
    await world.settle(30_000);
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
    await world.settle(30_000);

    const steps = toSteps(world.callLog);
    const counted = steps.filter((step) => step.countsTowardBar).length;
    const result: SingleEventResult = {
      zone,
      steps,
      route53AndStsCalls: counted,
      otherCalls: steps.length - counted,
      bar: SINGLE_EVENT_BAR,
      pass: counted <= SINGLE_EVENT_BAR,
      delegated: world.delegatedAt.has(zone),
      invocations: world.invocations.length - invocationsBefore,
      createEventRoute53AndStsCalls: createLog.length,
      createEventByOperation,
    };

    printTable(
      `Calls the worker made for the tag event on ${zone}, in order (DynamoDB runs on dynalite and is not counted)`,
      ['#', 'side', 'account', 'service', 'operation', 'bar?', 'purpose'],
      steps.map((step) => [
        step.step,
        step.side,
        step.account,
        step.service,
        step.operation,
        step.countsTowardBar ? 'yes' : 'no',
        step.purpose,
      ]),
    );
    printTable(
      'For context: the CreateHostedZone event before it (cold: the reconcile that warmed the worker), Route 53/STS only',
      ['side operation', 'calls'],
      Object.entries(createEventByOperation).map(([key, calls]) => [key, calls]),
    );
    const verdicts: Verdict[] = [
      { what: 'Route 53 + STS calls, warm opt-in event', measured: counted, bar: `<= ${SINGLE_EVENT_BAR}`, pass: result.pass },
      { what: 'NS delegation written', measured: result.delegated ? 'yes' : 'no', bar: 'yes', pass: result.delegated },
    ];
    printVerdicts('Verdict', verdicts);
    console.log(`(${result.otherCalls} other calls: SSM controls, EventBridge outcome event; ${result.invocations} invocation)`);
    return result;
  } finally {
    await world.stop();
  }
}
