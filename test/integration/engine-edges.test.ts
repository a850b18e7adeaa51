/**
 * The engine's harder scenarios through the real SDK and the emulator: a dropped rule, a
 * record changed between read and write, a crash between intent and write, concurrent
 * reconciles of one account, and partial batch failures.
 */
import { ChangeRefusedError, SpokeReadError } from '../../functions/core/errors';
import type { ParentZoneStore, SpokeZoneReader } from '../../functions/core/ports';
import { accountMessage } from '../../functions/core/sweep-messages';
import type { LedgerEntry } from '../../functions/core/types';
import { makeHandler } from '../../functions/worker/handler';
import { sqsEvent } from '../helpers/sqs';
import { HUB, TEAM_A, TEAM_B, startWorld, stopCheckingIam, type World } from '../helpers/world';

jest.setTimeout(60_000);

let world: World;
beforeEach(async () => {
  world = await startWorld();
});
afterEach(() => stopCheckingIam(world));

it('removes what it wrote under a dropped rule in DELETE-only batches, and nothing else', async () => {
  // Prepare
  world.reconfigure((raw) => ({ ...raw, graceMinutes: 0 }));
  await world.createZone(TEAM_A, 'foo.example.com');
  await world.createZone(TEAM_A, 'bar.example.com');
  await world.settle();
  const batchesBefore = world.changeBatches().length;

  // Act
  world.reconfigure((raw) => ({ ...raw, rules: (raw.rules as Array<{ name: string }>).filter((rule) => rule.name !== 'bar.example.com') }));
  await world.sweep();
  world.clock.advanceMinutes(1);
  await world.sweep();

  // Assess
  expect(world.delegationAt('bar.example.com')).toBeUndefined();
  expect(world.delegationAt('foo.example.com')).toBeDefined();
  const removals = world.changeBatches().slice(batchesBefore);
  expect(removals).toEqual([[{ action: 'DELETE', name: 'bar.example.com', type: 'NS' }]]);
});

it('fails the batch when a person changes the record between read and write, then reports the change and never overwrites it', async () => {
  // Prepare
  await world.createZone(TEAM_A, 'foo.example.com');
  await world.settle();
  const original = world.delegationAt('foo.example.com')!;
  let meddled = false;
  const parents = world.deps.parents;
  const meddling: ParentZoneStore = {
    describeZone: (id) => parents.describeZone(id),
    readAround: async (id, apex, names) => {
      const view = await parents.readAround(id, apex, names);
      if (!meddled) {
        meddled = true;
        // A person lowers the TTL by hand just after subzone read the record.
        world.emulator.route53.putRecords(HUB, world.parentZoneId, [
          { name: 'foo.example.com', type: 'NS', ttl: 60, values: original.values },
        ]);
      }
      return view;
    },
    applyBatch: (batch) => parents.applyBatch(batch),
  };
  world.reconfigure((raw) => ({ ...raw, nsTtl: 7200 }));
  const deps = { ...world.deps, parents: meddling };
  const handler = makeHandler(deps);

  // Act
  const first = await handler(sqsEvent([accountMessage(TEAM_A, 'cli')], ['m-1']));
  const afterConflict = world.delegationAt('foo.example.com');
  const second = await handler(sqsEvent([accountMessage(TEAM_A, 'cli')], ['m-2']));

  // Assess
  expect(first.batchItemFailures).toEqual([{ itemIdentifier: 'm-1' }]);
  expect(afterConflict).toEqual({ ttl: 60, values: original.values });
  expect(second.batchItemFailures).toEqual([]);
  expect(world.delegationAt('foo.example.com')).toEqual({ ttl: 60, values: original.values });
  const rejected = world.outcomes().filter((event) => event.detailType === 'Delegation Rejected');
  expect(rejected.map((event) => [event.detail.name, event.detail.reason])).toEqual([['foo.example.com', 'changed-outside-subzone']]);
});

describe('a crash between the ledger intent and the Route 53 write', () => {
  async function leaveIntent(): Promise<{ zoneId: string; entry: LedgerEntry }> {
    world.emulator.setConsumer(undefined);
    const zoneId = await world.createZone(TEAM_A, 'foo.example.com');
    const zone = world.emulator.route53.getHostedZone(TEAM_A, zoneId);
    const record = { name: 'foo.example.com', type: 'NS', ttl: 3600, values: zone.nameServers.map((server) => `${server}.`) };
    const entry: LedgerEntry = {
      account: TEAM_A,
      zoneId,
      name: 'foo.example.com',
      parentZoneId: world.parentZoneId,
      state: 'creating',
      origin: 'written',
      records: [],
      nameServers: [...zone.nameServers].sort(),
      intent: { changes: [{ action: 'CREATE', record }], at: world.clock.now().toISOString() },
      version: 1,
      updatedAt: world.clock.now().toISOString(),
    };
    await world.deps.ledger.acquireLease(TEAM_A, 'crashed-worker', world.clock.now(), 120_000);
    await world.deps.ledger.putEntry(entry);
    world.emulator.queue.queue.messages.length = 0;
    world.emulator.setConsumer((event) => world.handler(event));
    return { zoneId, entry };
  }

  it('waits for the lease, then writes the record exactly once when the write never happened', async () => {
    // Prepare
    await leaveIntent();

    // Act
    const whileLeased = await world.handler(sqsEvent([accountMessage(TEAM_A, 'cli')], ['m-1']));
    world.clock.advanceMinutes(3);
    const afterExpiry = await world.handler(sqsEvent([accountMessage(TEAM_A, 'cli')], ['m-2']));

    // Assess
    expect(whileLeased.batchItemFailures).toEqual([{ itemIdentifier: 'm-1' }]);
    expect(afterExpiry.batchItemFailures).toEqual([]);
    expect(world.parentRecords().filter((record) => record.name === 'foo.example.com')).toHaveLength(1);
    const entries = await world.deps.ledger.listEntries(TEAM_A);
    expect(entries.map((entry) => [entry.state, entry.intent])).toEqual([['delegated', undefined]]);
  });

  it('records the write that did happen, without writing again', async () => {
    // Prepare
    const { entry } = await leaveIntent();
    const created = entry.intent!.changes[0]!.record;
    world.emulator.route53.putRecords(HUB, world.parentZoneId, [
      { name: created.name, type: 'NS', ttl: created.ttl, values: [...created.values] },
    ]);
    const batchesBefore = world.changeBatches().length;

    // Act
    world.clock.advanceMinutes(3);
    const response = await world.handler(sqsEvent([accountMessage(TEAM_A, 'cli')], ['m-1']));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(world.changeBatches()).toHaveLength(batchesBefore);
    const entries = await world.deps.ledger.listEntries(TEAM_A);
    expect(entries[0]).toMatchObject({ state: 'delegated', records: [{ type: 'NS', ttl: 3600 }] });
    expect(world.outcomes().map((event) => event.detailType)).toEqual(['Delegation Created']);
  });
});

it('lets only one of two concurrent reconciles of one account through, and both converge', async () => {
  // Prepare
  world.emulator.setConsumer(undefined);
  await world.createZone(TEAM_A, 'foo.example.com');
  world.emulator.queue.queue.messages.length = 0;

  // Act
  const [one, two] = await Promise.all([
    world.handler(sqsEvent([accountMessage(TEAM_A, 'cli')], ['m-1'])),
    world.handler(sqsEvent([accountMessage(TEAM_A, 'cli')], ['m-2'])),
  ]);
  const retry = await world.handler(sqsEvent([accountMessage(TEAM_A, 'cli')], ['m-3']));

  // Assess
  const failed = [...one.batchItemFailures, ...two.batchItemFailures];
  expect(failed.length).toBeLessThanOrEqual(1);
  expect(retry.batchItemFailures).toEqual([]);
  expect(world.parentRecords().filter((record) => record.name === 'foo.example.com')).toHaveLength(1);
  expect(world.outcomes().filter((event) => event.detailType === 'Delegation Created')).toHaveLength(1);
});

it('reports exactly the messages whose reconcile failed, and drops a malformed one without retry', async () => {
  // Prepare
  world.emulator.setConsumer(undefined);
  await world.createZone(TEAM_A, 'foo.example.com');
  await world.createZone(TEAM_B, 'bar.example.com');
  world.emulator.queue.queue.messages.length = 0;
  // B's zones cannot be read (throttled beyond retries): its messages are retried.
  const reader = world.deps.reader;
  const failingForB: SpokeZoneReader = {
    readZones: (account, scope, known) =>
      account === TEAM_B ? Promise.reject(new SpokeReadError(account, 'throttled')) : reader.readZones(account, scope, known),
    signingChangeStatus: (account, changeId) => reader.signingChangeStatus(account, changeId),
  };
  const handler = makeHandler({ ...world.deps, reader: failingForB });

  // Act
  const response = await handler(
    sqsEvent(
      [accountMessage(TEAM_A, 'cli'), accountMessage(TEAM_B, 'cli'), '{not json', accountMessage(TEAM_B, 'cli')],
      ['a', 'b1', 'bad', 'b2'],
    ),
  );

  // Assess
  expect(response.batchItemFailures.map((failure) => failure.itemIdentifier).sort()).toEqual(['b1', 'b2']);
  expect(world.delegationAt('foo.example.com')).toBeDefined();
  expect(world.delegationAt('bar.example.com')).toBeUndefined();
});

it('ignores an account that is neither allowlisted nor in the ledger without assuming a role', async () => {
  // Prepare
  const stranger = '555555555555';
  world.emulator.counters.reset();

  // Act
  const response = await world.handler(sqsEvent([accountMessage(stranger, 'cli')], ['m-1']));

  // Assess
  expect(response.batchItemFailures).toEqual([]);
  expect(world.emulator.counters.count({ operation: 'AssumeRole' })).toBe(0);
});

it('completes a sweep once every account is done, with one event and its duration', async () => {
  // Prepare
  await world.createZone(TEAM_A, 'foo.example.com');
  await world.settle();
  const addMetric = jest.spyOn(world.deps.telemetry.metrics, 'addMetric');

  // Act
  await world.sweep('sweep-heartbeat');

  // Assess
  const completed = world.outcomes().filter((event) => event.detailType === 'Sweep Completed');
  expect(completed.map((event) => event.detail.sweepId)).toEqual(['sweep-heartbeat']);
  expect(addMetric).toHaveBeenCalledWith('SweepCompleted', 'Count', 1);
  expect(addMetric).toHaveBeenCalledWith('SweepDurationMs', 'Milliseconds', expect.any(Number));
});

it('splits a pooled batch that Route 53 denies, so one refused change does not hold back the others', async () => {
  // Prepare: IAM (played by a wrapper) denies any batch that writes bar.example.com.
  world.emulator.setConsumer(undefined);
  await world.createZone(TEAM_A, 'foo.example.com');
  await world.createZone(TEAM_B, 'bar.example.com');
  world.emulator.queue.queue.messages.length = 0;
  const parents = world.deps.parents;
  const denying: ParentZoneStore = {
    describeZone: (id) => parents.describeZone(id),
    readAround: (id, apex, names) => parents.readAround(id, apex, names),
    applyBatch: async (batch) => {
      if (batch.changes.some((change) => change.record.name === 'bar.example.com')) {
        throw new ChangeRefusedError(batch.parentZoneId, ['not authorized to change bar.example.com']);
      }
      return parents.applyBatch(batch);
    },
  };
  const handler = makeHandler({ ...world.deps, parents: denying });

  // Act
  const response = await handler(sqsEvent([accountMessage(TEAM_A, 'cli'), accountMessage(TEAM_B, 'cli')], ['a', 'b']));

  // Assess
  expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'b' }]);
  expect(world.delegationAt('foo.example.com')).toBeDefined();
  expect(world.delegationAt('bar.example.com')).toBeUndefined();
});

it("reports, at each sweep, the minutes since each account's last event", async () => {
  // Prepare
  await world.createZone(TEAM_A, 'foo.example.com');
  await world.settle();
  const reported: Array<{ dimensions: Record<string, string>; name: string; value: number }> = [];
  jest.spyOn(world.deps.telemetry.metrics, 'singleMetric').mockImplementation(() => {
    const dimensions: Record<string, string> = {};
    return {
      addDimension: (name: string, value: string) => void (dimensions[name] = value),
      addMetric: (name: string, _unit: unknown, value: number) => void reported.push({ dimensions: { ...dimensions }, name, value }),
    } as unknown as ReturnType<typeof world.deps.telemetry.metrics.singleMetric>;
  });
  const lastEvent = await world.deps.ledger.lastEventAt(TEAM_A);

  // Act
  world.clock.advanceMinutes(90);
  await world.sweep('sweep-silence');

  // Assess: the emulator stamps events with the wall clock; the worker's clock is the test's.
  const expected = Math.floor((world.clock.now().getTime() - Date.parse(lastEvent ?? '')) / 60_000);
  expect(lastEvent).toBeDefined();
  expect(reported).toContainEqual({ dimensions: { account: TEAM_A }, name: 'MinutesSinceLastEvent', value: expected });
  expect(reported.map((metric) => metric.dimensions.account)).not.toContain(TEAM_B);
});

it('publishes the outcome events of a batch together, whatever accounts they come from', async () => {
  // Prepare
  world.emulator.setConsumer(undefined);
  await world.createZone(TEAM_A, 'foo.example.com');
  await world.createZone(TEAM_B, 'bar.example.com');
  world.emulator.queue.queue.messages.length = 0;
  world.emulator.counters.reset();

  // Act
  await world.handler(sqsEvent([accountMessage(TEAM_A, 'cli'), accountMessage(TEAM_B, 'cli')], ['a', 'b']));

  // Assess
  expect(world.outcomes().filter((event) => event.detailType === 'Delegation Created')).toHaveLength(2);
  // One call for the hub bus, one carrying both copies to the teams' own default buses.
  expect(world.emulator.counters.count({ account: HUB, operation: 'PutEvents' })).toBe(2);
  expect(
    [TEAM_A, TEAM_B].map((team) => world.emulator.events.eventsOn(team, 'default').filter((event) => event.source === 'subzone').length),
  ).toEqual([1, 1]);
});
