/**
 * A sweep through the emulator, real SDK over HTTP: the parent zone holds more than one page of
 * records, and the worker is given so little time that its reading stops after every page, so
 * the reading is kept in the ledger and carried on by continuations. In steady state the hub
 * then spends one ListResourceRecordSets per page of the parent and nothing else.
 */
import type { Context } from 'aws-lambda';
import { RECORDS_PER_PAGE } from '../../functions/adapters/route53-parent-zone-store';
import { sweepRequest } from '../../functions/core/sweep-messages';
import { makeHandler } from '../../functions/worker/handler';
import { HUB, TEAM_A, TEAM_B, TEAM_C, startWorld, stopCheckingIam, type World } from '../helpers/world';

/** Lambda's context as far as the worker reads it: no time left, so a reading stops after each page. */
const NO_TIME_LEFT = { getRemainingTimeInMillis: () => 0 } as unknown as Context;

const OTHER_RECORDS = 700;

let world: World;

beforeAll(async () => {
  world = await startWorld();
  // The emulator takes records in batches of at most 100, as Route 53 does.
  for (let start = 0; start < OTHER_RECORDS; start += 100) {
    const batch = Array.from({ length: 100 }, (_, index) => ({
      name: `host${start + index}.example.com`,
      type: 'A' as const,
      ttl: 300,
      values: ['192.0.2.1'],
    }));
    world.emulator.route53.putRecords(HUB, world.parentZoneId, batch);
  }
  for (const [account, prefix] of [
    [TEAM_B, 'b'],
    [TEAM_C, 'c'],
  ] as const) {
    for (let index = 0; index < 4; index += 1) await world.createZone(account, `${prefix}${index}.dev.example.com`);
  }
  await world.createZone(TEAM_A, 'bar.example.com');
  await world.settle();
  await attachWithNoTimeLeft();
}, 60_000);

/** From here on, every invocation has no time left; the handler is warm (its start-up check made). */
async function attachWithNoTimeLeft(): Promise<void> {
  const handler = makeHandler(world.deps);
  await handler({ Records: [] }, NO_TIME_LEFT);
  world.emulator.setConsumer((event) => handler(event, NO_TIME_LEFT));
}

afterAll(async () => {
  await stopCheckingIam(world);
});

/** Sends a sweep request as the scheduler does and waits until every message it led to is handled. */
async function sweep(sweepId: string): Promise<void> {
  world.emulator.queues.send(world.emulator.queue.queue, JSON.stringify(sweepRequest(sweepId)), { senderId: 'scheduler' });
  await world.settle();
}

describe('a sweep through the emulator reads the parent zone once', () => {
  it('spends one hub call per page of the parent in steady state, its reading carried over invocations', async () => {
    // Prepare
    const delegated = world.parentRecords().filter((record) => record.type === 'NS' && record.name !== 'example.com');
    const pages = Math.ceil(world.parentRecords().length / RECORDS_PER_PAGE);
    world.emulator.counters.reset();

    // Act
    await sweep('sweep-steady');

    // Assess
    expect(delegated).toHaveLength(9);
    expect(pages).toBeGreaterThan(2);
    expect(world.emulator.counters.count({ account: HUB, service: 'route53' })).toBe(pages);
    expect(world.emulator.counters.count({ account: HUB, service: 'route53', operation: 'ListResourceRecordSets' })).toBe(pages);
    expect(world.outcomes().filter((event) => event.detailType === 'Sweep Completed')).toHaveLength(1);
    // One continuation per page (the last one finds the reading done past its deadline), then the fan-out.
    expect(world.emulator.counters.count({ account: HUB, service: 'sqs', operation: 'SendMessageBatch' })).toBe(pages + 1);
    expect(await world.deps.ledger.loadReading('sweep-steady', 1)).toBeUndefined();
  });

  it('creates a claim a new rule allows, after reading its name narrowly, and keeps every other delegation on the reading', async () => {
    // Prepare: a zone opted in before a rule allowed it (rejected), then a rule for it deployed: only a sweep delegates it.
    const zoneId = await world.createZone(TEAM_A, 'baz.example.com');
    await world.settle();
    world.reconfigure((raw) => ({ ...raw, rules: [...(raw.rules as object[]), { name: 'baz.example.com', accounts: [TEAM_A] }] }));
    await attachWithNoTimeLeft();
    const pages = Math.ceil(world.parentRecords().length / RECORDS_PER_PAGE);
    world.emulator.counters.reset();

    // Act
    await sweep('sweep-missed');

    // Assess
    expect(world.delegationAt('baz.example.com')?.values.sort()).toEqual(world.nameServersOf(TEAM_A, zoneId).sort());
    const hub = (operation: string) => world.emulator.counters.count({ account: HUB, service: 'route53', operation });
    expect(hub('ChangeResourceRecordSets')).toBe(1);
    expect(hub('ListResourceRecordSets')).toBeLessThanOrEqual(pages + 2);
  });
});
