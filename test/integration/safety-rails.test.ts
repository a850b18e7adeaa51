/**
 * The safety rails (issue: safety rails), each with the case where it holds back and the case
 * where it lets through, through the real SDK over HTTP against the emulator: observe mode,
 * paused writes, the grace period, the removal budget, holds, and dangling suspects confirmed
 * over the emulator's DNS.
 */
import { createSocket } from 'node:dgram';
import * as dnsPacket from 'dns-packet';
import { DnsDelegationProbe } from '../../functions/adapters/dns-delegation-probe';
import { METRIC } from '../../functions/adapters/observability';
import type { Controls, OutcomeEvent } from '../../functions/core/types';
import { HUB, TEAM_A, TEAM_B, TEAM_C, startWorld, stopCheckingIam, type World } from '../helpers/world';

jest.setTimeout(90_000);

let world: World;
beforeEach(async () => {
  world = await startWorld();
});
afterEach(() => stopCheckingIam(world));

/** A scheduled sweep (or one an operator sends with the id they approved). */

/** Writes the operator controls parameter and starts a fresh worker, so no cached value hides it. */
function setControls(controls: Partial<Controls>): void {
  const value = { writesPaused: false, holds: [], ...controls };
  world.emulator.parameters.put(HUB, world.emulator.names.controlParameterName, JSON.stringify(value));
  world.reconfigure((raw) => raw);
}

function withMode(mode: 'observe' | 'enforce'): void {
  world.reconfigure((raw) => ({ ...raw, mode }));
}

function events(detailType: OutcomeEvent['detailType']): Array<OutcomeEvent['detail']> {
  return world
    .outcomes()
    .filter((event) => event.detailType === detailType)
    .map((event) => event.detail);
}

/** Delegates a tagged zone in `account` and returns its id. */
async function delegated(account: string, name: string): Promise<string> {
  const zoneId = await world.createZone(account, name);
  await world.settle();
  expect(world.delegationAt(name)).toBeDefined();
  return zoneId;
}

interface Stop {
  readonly rail: string;
  readonly stop: () => void;
  readonly resume: () => void;
}

const STOPS: Stop[] = [
  { rail: 'observe mode', stop: () => withMode('observe'), resume: () => withMode('enforce') },
  {
    rail: 'paused writes',
    stop: () => setControls({ writesPaused: true, setBy: 'alice: incident 42' }),
    resume: () => setControls({ writesPaused: false, setBy: 'alice: incident 42 closed' }),
  },
];

describe.each(STOPS)('$rail', ({ stop, resume }) => {
  it('decides a delegation and reports it once as not applied, writes nothing, and writes it once resumed', async () => {
    // Prepare
    stop();
    const before = world.parentRecords();

    // Act
    const zoneId = await world.createZone(TEAM_A, 'foo.example.com');
    await world.settle();
    await world.sweep();
    world.clock.advanceMinutes(15);
    await world.sweep();
    const whileStopped = world.parentRecords();
    const reported = events('Delegation Created');
    resume();
    await world.sweep();

    // Assess
    expect(whileStopped).toEqual(before);
    expect(reported).toEqual([
      expect.objectContaining({ account: TEAM_A, zoneId, applied: false, reason: 'observed:create:new-delegation' }),
    ]);
    expect(new Set(world.delegationAt('foo.example.com')?.values)).toEqual(new Set(world.nameServersOf(TEAM_A, zoneId)));
    expect(events('Delegation Created').slice(1)).toEqual([expect.objectContaining({ zoneId, applied: true, reason: 'new-delegation' })]);
  });

  it('keeps the delegation of a deleted zone, reports the removal once as not applied, and removes it once resumed', async () => {
    // Prepare
    const zoneId = await delegated(TEAM_A, 'foo.example.com');
    const delegation = world.delegationAt('foo.example.com');
    stop();

    // Act
    await world.deleteZone(TEAM_A, zoneId);
    await world.settle();
    await world.sweep();
    world.clock.advanceMinutes(15);
    await world.sweep();
    const whileStopped = world.delegationAt('foo.example.com');
    const reported = events('Delegation Removed');
    resume();
    await world.sweep();

    // Assess
    expect(whileStopped).toEqual(delegation);
    expect(reported).toEqual([expect.objectContaining({ zoneId, applied: false, reason: 'observed:remove:zone-deleted' })]);
    expect(world.delegationAt('foo.example.com')).toBeUndefined();
    expect(events('Delegation Removed').slice(1)).toEqual([expect.objectContaining({ zoneId, applied: true, reason: 'zone-deleted' })]);
  });
});

describe('observe mode', () => {
  it('leaves a name it only observed free for another account once the observed zone is deleted', async () => {
    // Prepare
    withMode('observe');
    const first = await world.createZone(TEAM_A, 'foo.example.com');
    await world.settle();
    await world.deleteZone(TEAM_A, first);
    await world.settle();

    // Act
    const second = await world.createZone(TEAM_C, 'foo.example.com');
    await world.settle();
    withMode('enforce');
    await world.sweep();

    // Assess
    expect(new Set(world.delegationAt('foo.example.com')?.values)).toEqual(new Set(world.nameServersOf(TEAM_C, second)));
    expect(events('Delegation Rejected')).toEqual([]);
  });
});

describe('grace period', () => {
  it('keeps an opted-out delegation for graceMinutes and removes it on a reconcile after', async () => {
    // Prepare
    const zoneId = await delegated(TEAM_A, 'foo.example.com');

    // Act
    await world.untag(TEAM_A, zoneId);
    await world.settle();
    world.clock.advanceMinutes(59);
    await world.sweep();
    const withinGrace = world.delegationAt('foo.example.com');
    world.clock.advanceMinutes(2);
    await world.sweep();

    // Assess
    expect(withinGrace).toBeDefined();
    expect(world.delegationAt('foo.example.com')).toBeUndefined();
    expect(events('Delegation Removed')).toEqual([expect.objectContaining({ zoneId, applied: true, reason: 'opted-out' })]);
  });

  it('removes the delegation of a deleted zone at once, whatever the grace period', async () => {
    // Prepare
    world.reconfigure((raw) => ({ ...raw, graceMinutes: 24 * 60 }));
    const zoneId = await delegated(TEAM_A, 'foo.example.com');

    // Act
    await world.deleteZone(TEAM_A, zoneId);
    await world.settle();

    // Assess
    expect(world.delegationAt('foo.example.com')).toBeUndefined();
    expect(events('Delegation Removed')).toEqual([expect.objectContaining({ zoneId, applied: true, reason: 'zone-deleted' })]);
  });

  it('releases an adopted record after the grace period of an opt-out and leaves it in the parent', async () => {
    // Prepare
    world.emulator.setConsumer(undefined);
    const zoneId = await world.createZone(TEAM_A, 'foo.example.com', false);
    const adopted = { name: 'foo.example.com', type: 'NS' as const, ttl: 172800, values: world.nameServersOf(TEAM_A, zoneId) };
    world.emulator.route53.putRecords(HUB, world.parentZoneId, [adopted]);
    world.emulator.setConsumer((event) => world.handler(event));
    await world.tag(TEAM_A, zoneId);
    await world.settle();

    // Act
    await world.untag(TEAM_A, zoneId);
    await world.settle();
    world.clock.advanceMinutes(30);
    await world.sweep();
    const releasedWithinGrace = events('Delegation Removed');
    world.clock.advanceMinutes(31);
    await world.sweep();
    await world.deleteZone(TEAM_A, zoneId);
    await world.settle();

    // Assess
    expect(events('Delegation Created')).toEqual([expect.objectContaining({ zoneId, reason: 'adopted' })]);
    expect(releasedWithinGrace).toEqual([]);
    expect(events('Delegation Removed')).toEqual([expect.objectContaining({ zoneId, applied: false, reason: 'released:opted-out' })]);
    expect(world.delegationAt('foo.example.com')).toEqual({ ttl: 172800, values: adopted.values });
  });

  it('takes nothing down when a tool rewrites the tags as True, and restarts the grace period after they were true again', async () => {
    // Prepare
    const foo = await delegated(TEAM_A, 'foo.example.com');
    const bar = await delegated(TEAM_B, 'bar.example.com');
    const before = world.parentRecords();

    // Act
    await world.tag(TEAM_A, foo, 'True');
    await world.tag(TEAM_B, bar, 'True');
    await world.settle();
    world.clock.advanceMinutes(30);
    await world.sweep();
    world.clock.advanceMinutes(29);
    await world.sweep();
    const withinGrace = world.parentRecords();
    await world.tag(TEAM_A, foo, 'true');
    await world.tag(TEAM_B, bar, 'true');
    await world.settle();
    world.clock.advanceMinutes(15);
    await world.tag(TEAM_A, foo, 'True');
    await world.tag(TEAM_B, bar, 'True');
    await world.settle();
    world.clock.advanceMinutes(5);
    await world.sweep();

    // Assess
    expect(withinGrace).toEqual(before);
    expect(world.parentRecords()).toEqual(before);
    expect(events('Delegation Removed')).toEqual([]);
  });
});

describe('removal budget', () => {
  /** Delegates `count` names under *.dev.example.com, spread over TEAM_B and TEAM_C, plus foo.example.com. */
  async function devDelegations(count: number): Promise<string[]> {
    world.emulator.setConsumer(undefined);
    const names = Array.from({ length: count }, (_, index) => `team${index}.dev.example.com`);
    for (const [index, name] of names.entries()) await world.createZone(index % 2 === 0 ? TEAM_B : TEAM_C, name);
    await world.createZone(TEAM_A, 'foo.example.com');
    world.emulator.setConsumer((event) => world.handler(event));
    await world.settle();
    for (const name of [...names, 'foo.example.com']) expect(world.delegationAt(name)).toBeDefined();
    return names;
  }

  function dropDevRule(): void {
    world.reconfigure((raw) => ({
      ...raw,
      rules: (raw.rules as Array<{ name: string }>).filter((rule) => rule.name !== '*.dev.example.com'),
    }));
  }

  /** Restarts the world with the work queue delivering `batchSize` messages per invocation. */
  async function withBatchSize(batchSize: number): Promise<void> {
    await world.stop();
    world = await startWorld({
      emulator: { queue: { batchSize, maximumBatchingWindowMs: 20, visibilityTimeoutSeconds: 1, maxReceiveCount: 5 } },
    });
  }

  it.each([
    ['one invocation', 10],
    ['one invocation per account', 1],
  ])(
    'removes nothing within the grace period of a dropped rule, stops at the budget after it, and removes once approved (%s)',
    async (_, batchSize) => {
      // Prepare
      await withBatchSize(batchSize);
      const names = await devDelegations(6);
      const addMetric = jest.spyOn(world.deps.telemetry.metrics, 'addMetric');

      // Act
      dropDevRule();
      await world.sweep();
      world.clock.advanceMinutes(59);
      await world.sweep();
      const withinGrace = names.filter((name) => world.delegationAt(name) !== undefined);
      const eventsWithinGrace = events('Delegation Removed');
      world.clock.advanceMinutes(2);
      await world.sweep();
      world.clock.advanceMinutes(15);
      await world.sweep();
      const overBudget = names.filter((name) => world.delegationAt(name) !== undefined);
      const budgetEvents = events('Delegation Removed');
      setControls({ approvedRemovals: ['approved-by-alice'], setBy: 'alice: dev rule retired' });
      world.clock.advanceMinutes(15);
      await world.sweep();
      const scheduledAfterApproval = names.filter((name) => world.delegationAt(name) !== undefined);
      await world.sweep('approved-by-alice');

      // Assess
      expect(withinGrace).toEqual(names);
      expect(eventsWithinGrace).toEqual([]);
      expect(overBudget).toEqual(names);
      expect(budgetEvents).toHaveLength(6);
      expect(budgetEvents).toEqual(
        names.map(() => expect.objectContaining({ applied: false, reason: 'removal-budget:remove:not-allowed' })),
      );
      expect(new Set(budgetEvents.map((event) => event.name))).toEqual(new Set(names));
      expect(addMetric).toHaveBeenCalledWith(METRIC.budgetHit, expect.anything(), 1);
      expect(scheduledAfterApproval).toEqual(names);
      expect(names.filter((name) => world.delegationAt(name) !== undefined)).toEqual([]);
      expect(world.delegationAt('foo.example.com')).toBeDefined();
      expect(events('Delegation Removed').slice(6)).toEqual(
        names.map(() => expect.objectContaining({ applied: true, reason: 'not-allowed' })),
      );
    },
  );

  it('caps removals of zones found gone across the invocations of one sweep at the budget', async () => {
    // Prepare: eight delegations whose zones vanish without a single event reaching subzone.
    await withBatchSize(1);
    const names = await devDelegations(8);
    for (const name of names) {
      for (const account of [TEAM_B, TEAM_C]) {
        for (const zone of world.emulator.route53.findZones(name, account))
          world.emulator.route53.deleteZone(account, zone.id, { force: true });
      }
    }

    // Act
    await world.sweep();

    // Assess: no invocation could foresee the others' removals; the sweep's reservation stops them.
    const removed = names.filter((name) => world.delegationAt(name) === undefined);
    expect(removed.length).toBeGreaterThan(0);
    expect(removed.length).toBeLessThanOrEqual(5);
    expect(events('Delegation Removed').filter((event) => event.applied === false)).toHaveLength(names.length - removed.length);
    expect(world.delegationAt('foo.example.com')).toBeDefined();
  });

  it('reports a second stop at the budget after the first one was resolved', async () => {
    // Prepare
    const names = await devDelegations(6);
    const rules = world.config.rules;
    dropDevRule();
    await world.sweep();
    world.clock.advanceMinutes(61);
    await world.sweep();
    const firstStop = events('Delegation Removed');
    world.reconfigure((raw) => ({ ...raw, rules: rules.map((rule) => ({ ...rule })) }));
    world.clock.advanceMinutes(15);
    await world.sweep();

    // Act
    dropDevRule();
    world.clock.advanceMinutes(15);
    await world.sweep();
    world.clock.advanceMinutes(61);
    await world.sweep();

    // Assess
    expect(firstStop).toHaveLength(6);
    expect(names.filter((name) => world.delegationAt(name) !== undefined)).toEqual(names);
    expect(events('Delegation Removed').slice(6)).toEqual(
      names.map(() => expect.objectContaining({ applied: false, reason: 'removal-budget:remove:not-allowed' })),
    );
  });

  it.each([
    ['one invocation', 10],
    ['one invocation per account', 1],
  ])('removes as many delegations as the budget allows after the grace period without approval (%s)', async (_, batchSize) => {
    // Prepare
    await withBatchSize(batchSize);
    const names = await devDelegations(5);
    dropDevRule();
    await world.sweep();

    // Act
    world.clock.advanceMinutes(61);
    await world.sweep();

    // Assess
    expect(names.filter((name) => world.delegationAt(name) !== undefined)).toEqual([]);
    expect(world.delegationAt('foo.example.com')).toBeDefined();
    expect(events('Delegation Removed')).toEqual(names.map(() => expect.objectContaining({ applied: true, reason: 'not-allowed' })));
  });
});

describe('holds', () => {
  it('logs every pause and every hold with who set them', async () => {
    // Prepare
    const warn = jest.spyOn(world.deps.telemetry.logger, 'warn');
    setControls({ writesPaused: true, holds: ['foo.example.com'], setBy: 'carol: change 7' });

    // Act
    await world.createZone(TEAM_A, 'bar.example.com');
    await world.settle();

    // Assess
    expect(warn).toHaveBeenCalledWith('writes paused by the controls parameter', expect.objectContaining({ setBy: 'carol: change 7' }));
    expect(warn).toHaveBeenCalledWith(
      'names held by the controls parameter',
      expect.objectContaining({ holds: ['foo.example.com'], setBy: 'carol: change 7' }),
    );
  });

  it('creates nothing at a held name, leaves other names alone, and delegates once the hold is lifted', async () => {
    // Prepare
    setControls({ holds: ['foo.example.com'], setBy: 'bob: migrating foo' });

    // Act
    const foo = await world.createZone(TEAM_A, 'foo.example.com');
    const bar = await world.createZone(TEAM_A, 'bar.example.com');
    await world.settle();
    await world.sweep();
    const whileHeld = world.delegationAt('foo.example.com');
    setControls({ holds: [], setBy: 'bob: done' });
    await world.sweep();

    // Assess
    expect(whileHeld).toBeUndefined();
    expect(new Set(world.delegationAt('bar.example.com')?.values)).toEqual(new Set(world.nameServersOf(TEAM_A, bar)));
    expect(new Set(world.delegationAt('foo.example.com')?.values)).toEqual(new Set(world.nameServersOf(TEAM_A, foo)));
    expect(events('Delegation Created').map((event) => event.name)).toEqual(['bar.example.com', 'foo.example.com']);
  });

  it('removes nothing at a held name whose zone is deleted, and removes it once the hold is lifted', async () => {
    // Prepare
    const zoneId = await delegated(TEAM_A, 'foo.example.com');
    const delegation = world.delegationAt('foo.example.com');
    setControls({ holds: ['FOO.example.com.'], setBy: 'bob: investigating' });

    // Act
    await world.deleteZone(TEAM_A, zoneId);
    await world.settle();
    await world.sweep();
    const whileHeld = world.delegationAt('foo.example.com');
    setControls({ holds: [] });
    await world.sweep();

    // Assess
    expect(whileHeld).toEqual(delegation);
    expect(world.delegationAt('foo.example.com')).toBeUndefined();
    expect(events('Delegation Removed')).toEqual([expect.objectContaining({ zoneId, applied: true, reason: 'zone-deleted' })]);
  });
});

describe('dangling suspects', () => {
  const readerRole = (account: string) => `arn:aws:iam::${account}:role/subzone-reader`;

  it('marks the delegations of an account whose reader role is denied as suspects, once, and never removes them while served', async () => {
    // Prepare
    const foo = await delegated(TEAM_A, 'foo.example.com');
    const bar = await delegated(TEAM_A, 'bar.example.com');
    const before = world.parentRecords();
    world.emulator.accounts.denyRole(readerRole(TEAM_A));
    world.reconfigure((raw) => raw); // a fresh worker: no cached role credentials

    // Act
    await world.sweep();
    for (const minutes of [15, 61, 61, 180, 24 * 60]) {
      world.clock.advanceMinutes(minutes);
      await world.sweep();
    }

    // Assess
    expect(world.parentRecords()).toEqual(before);
    const suspects = events('Delegation Suspect');
    expect(suspects).toHaveLength(2);
    expect(new Set(suspects.map((event) => event.zoneId))).toEqual(new Set([foo, bar]));
    expect(suspects).toEqual([
      expect.objectContaining({ account: TEAM_A, reason: 'account-unreadable', applied: false }),
      expect.objectContaining({ account: TEAM_A, reason: 'account-unreadable', applied: false }),
    ]);
    expect(events('Delegation Removed')).toEqual([]);
  });

  it('clears the suspects once the account can be read again, and reports them again when it cannot', async () => {
    // Prepare
    const foo = await delegated(TEAM_A, 'foo.example.com');
    world.emulator.accounts.denyRole(readerRole(TEAM_A));
    world.reconfigure((raw) => raw);
    await world.sweep();
    world.clock.advanceMinutes(15);
    await world.sweep();

    // Act
    world.emulator.accounts.allowRole(readerRole(TEAM_A));
    world.clock.advanceMinutes(15);
    await world.sweep();
    const afterRecovery = events('Delegation Suspect');
    world.emulator.accounts.denyRole(readerRole(TEAM_A));
    world.reconfigure((raw) => raw);
    world.clock.advanceMinutes(15);
    await world.sweep();

    // Assess
    expect(afterRecovery).toHaveLength(1);
    expect(events('Delegation Suspect')).toEqual([expect.objectContaining({ zoneId: foo }), expect.objectContaining({ zoneId: foo })]);
    expect(world.delegationAt('foo.example.com')).toBeDefined();
  });

  it('removes a suspect whose zone was deleted only after the second DNS check at least an hour after the first', async () => {
    // Prepare
    const zoneId = await delegated(TEAM_A, 'foo.example.com');
    const bar = await delegated(TEAM_A, 'bar.example.com');
    world.emulator.accounts.denyRole(readerRole(TEAM_A));
    world.reconfigure((raw) => raw);
    world.emulator.route53.deleteZone(TEAM_A, zoneId, { force: true });

    // Act
    await world.sweep(); // suspect
    const afterSuspect = world.delegationAt('foo.example.com');
    world.clock.advanceMinutes(10);
    await world.sweep(); // first DNS check: not serving
    world.clock.advanceMinutes(59);
    await world.sweep(); // 59 minutes later: not yet
    const beforeAnHour = world.delegationAt('foo.example.com');
    world.clock.advanceMinutes(1);
    await world.sweep(); // an hour after the first check: confirmed

    // Assess
    expect(afterSuspect).toBeDefined();
    expect(beforeAnHour).toBeDefined();
    expect(world.delegationAt('foo.example.com')).toBeUndefined();
    expect(new Set(world.delegationAt('bar.example.com')?.values)).toEqual(new Set(world.nameServersOf(TEAM_A, bar)));
    expect(
      events('Delegation Suspect')
        .map((event) => event.zoneId)
        .sort(),
    ).toEqual([zoneId, bar].sort());
    expect(events('Delegation Removed')).toEqual([expect.objectContaining({ zoneId, applied: true, reason: 'dangling' })]);
  });
});

describe("the emulator's DNS as the probe sees it", () => {
  type Decoded = dnsPacket.DecodedPacket & { rcode?: string };

  function soaAt(address: string, name: string): Promise<Decoded> {
    return new Promise((resolve, reject) => {
      const socket = createSocket('udp4');
      const timer = setTimeout(() => {
        socket.close();
        reject(new Error(`no answer from ${address}`));
      }, 2000);
      socket.once('message', (message) => {
        clearTimeout(timer);
        socket.close();
        resolve(dnsPacket.decode(message) as Decoded);
      });
      socket.send(
        dnsPacket.encode({ type: 'query', id: 7, flags: 0, questions: [{ type: 'SOA', class: 'IN', name }] }),
        world.emulator.dnsPort,
        address,
      );
    });
  }

  it('answers the SOA authoritatively at each name server of a delegated zone, and refuses it once the zone is deleted', async () => {
    // Prepare
    const zoneId = await delegated(TEAM_A, 'foo.example.com');
    const servers = world.nameServersOf(TEAM_A, zoneId);
    await world.emulator.dns.ready();
    const addresses = servers.map((server) => world.emulator.dns.addressOf(server));
    const probe = new DnsDelegationProbe({ resolverServers: [`127.0.0.1:${world.emulator.dnsPort}`], port: world.emulator.dnsPort });

    // Act
    const served = await probe.check('foo.example.com', servers);
    const answers = await Promise.all(addresses.map((address) => soaAt(address!, 'foo.example.com')));
    world.emulator.route53.deleteZone(TEAM_A, zoneId, { force: true });
    const gone = await probe.check('foo.example.com', servers);
    const refusals = await Promise.all(addresses.map((address) => soaAt(address!, 'foo.example.com')));

    // Assess
    expect(addresses).toEqual(servers.map(() => expect.stringMatching(/^127\.53\.\d+\.\d+$/)));
    expect(served).toBe('serving');
    expect(answers.map((answer) => [answer.flag_aa, answer.rcode, answer.answers?.[0]?.type])).toEqual(
      servers.map(() => [true, 'NOERROR', 'SOA']),
    );
    expect(gone).toBe('not-serving');
    expect(refusals.map((answer) => [answer.flag_aa, answer.rcode, answer.answers?.length])).toEqual(
      servers.map(() => [false, 'REFUSED', 0]),
    );
  });
});
