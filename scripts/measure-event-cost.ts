/**
 * What one opt-in event costs in an account that already holds delegations, in a large parent:
 * `npx tsx scripts/measure-event-cost.ts [held...]` (default: 0 and 100). Against the emulator
 * and the real worker (the benchmark's world), the parent zone holds 20,000 other records that
 * sort before the delegations; the account first delegates `held` zones through the event path,
 * then creates and tags one more zone. Prints the Route 53 and STS calls the worker made for the
 * tag event, in order (the bar: at most 5, whatever the account holds).
 */
import { ChangeTagsForResourceCommand, CreateHostedZoneCommand } from '@aws-sdk/client-route-53';
import { BENCH_DOMAIN, BenchWorld, HUB, OPT_IN_TAG, PARENT_ZONE_ID, benchAccounts, waitUntil } from '../bench/bench-world';
import { MAX_CHANGES_PER_BATCH } from '../functions/core/change-limits';
import { bareZoneId } from '../functions/core/intake';

const OTHER_RECORDS = 20_000;

async function tag(world: BenchWorld, account: string, zoneId: string): Promise<void> {
  await world.childRoute53(account).send(
    new ChangeTagsForResourceCommand({
      ResourceType: 'hostedzone',
      ResourceId: zoneId,
      AddTags: [{ Key: OPT_IN_TAG.key, Value: OPT_IN_TAG.value }],
    }),
  );
}

/** The calls of one warm opt-in event in an account holding `held` delegations. */
async function measure(held: number): Promise<string[]> {
  const [account] = benchAccounts(1) as [string];
  const world = await BenchWorld.start({ accounts: [account], queue: { maximumBatchingWindowMs: 50 } });
  try {
    const others = Array.from({ length: OTHER_RECORDS }, (_, index) => ({
      name: `a${String(index).padStart(5, '0')}.example.com`,
      type: 'A' as const,
      ttl: 300,
      values: ['192.0.2.1'],
    }));
    for (let start = 0; start < others.length; start += MAX_CHANGES_PER_BATCH) {
      world.emulator.route53.putRecords(HUB, PARENT_ZONE_ID, others.slice(start, start + MAX_CHANGES_PER_BATCH));
    }
    for (let index = 0; index < held; index += 1) {
      await tag(world, account, bareZoneId(world.emulator.route53.createZone(account, `team-${index}.${BENCH_DOMAIN}`).id));
    }
    await world.settle(120_000);

    // The zone's creation warms the worker; only the tag event is counted.
    const zone = `single.${BENCH_DOMAIN}`;
    world.pause();
    const created = await world.childRoute53(account).send(new CreateHostedZoneCommand({ Name: zone, CallerReference: `measure-${held}` }));
    await waitUntil(() => world.queuedMessages() > 0, 'the CreateHostedZone event in the work queue', 5_000);
    world.resume();
    await world.settle(30_000);
    world.pause();
    await tag(world, account, bareZoneId(created.HostedZone?.Id ?? ''));
    await waitUntil(() => world.queuedMessages() > 0, 'the ChangeTagsForResource event in the work queue', 5_000);
    world.resetCalls();
    world.resume();
    await world.settle(30_000);
    if (!world.delegatedAt.has(zone)) throw new Error(`${zone} was not delegated`);
    return world.callLog
      .filter((entry) => entry.service === 'route53' || entry.service === 'sts')
      .map((entry) => `${entry.account === HUB ? 'hub' : 'child'} ${entry.operation}`);
  } finally {
    await world.stop();
  }
}

async function main(): Promise<void> {
  const sizes = process.argv.slice(2).map(Number);
  for (const held of sizes.length > 0 ? sizes : [0, 100]) {
    const calls = await measure(held);
    console.log(
      `account holding ${held} delegations, parent of ${OTHER_RECORDS} other records: ${calls.length} calls: ${calls.join(', ')}`,
    );
  }
}

void main();
