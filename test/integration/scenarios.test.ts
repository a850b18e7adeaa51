/**
 * The engine's scenarios (issue: delegation engine), through the real SDK over HTTP against
 * the emulator: every event travels CloudTrail -> spoke rule -> hub bus -> queue -> worker.
 */
import { CreateHostedZoneCommand } from '@aws-sdk/client-route-53';
import { accountMessage } from '../../functions/core/sweep-messages';
import { sqsEvent } from '../helpers/sqs';
import { HUB, TEAM_A, TEAM_B, TEAM_C, startWorld, stopCheckingIam, type World } from '../helpers/world';

jest.setTimeout(60_000);

let world: World;
beforeEach(async () => {
  world = await startWorld();
});
afterEach(() => stopCheckingIam(world));

describe('delegation', () => {
  it('delegates a tagged zone with its four name servers and the configured TTL, once', async () => {
    // Prepare
    const zoneId = await world.createZone(TEAM_A, 'foo.example.com');

    // Act
    await world.settle();
    const before = world.parentRecords();
    await world.tag(TEAM_A, zoneId);
    await world.settle();

    // Assess
    const delegation = world.delegationAt('foo.example.com');
    expect(delegation?.ttl).toBe(3600);
    expect(new Set(delegation?.values)).toEqual(new Set(world.nameServersOf(TEAM_A, zoneId)));
    expect(delegation?.values).toHaveLength(4);
    expect(world.parentRecords()).toEqual(before);
    expect(world.outcomes().filter((event) => event.detailType === 'Delegation Created')).toHaveLength(1);
  });

  it('waits for the tag, delegates when it is added and removes the delegation when it is taken away', async () => {
    // Prepare
    const zoneId = await world.createZone(TEAM_A, 'foo.example.com', false);
    world.reconfigure((raw) => ({ ...raw, graceMinutes: 0 }));
    await world.settle();
    expect(world.delegationAt('foo.example.com')).toBeUndefined();

    // Act
    await world.tag(TEAM_A, zoneId);
    await world.settle();
    const delegated = world.delegationAt('foo.example.com');
    await world.untag(TEAM_A, zoneId);
    await world.settle();
    world.clock.advanceMinutes(1);
    await world.sweep();

    // Assess
    expect(delegated).toBeDefined();
    expect(world.delegationAt('foo.example.com')).toBeUndefined();
  });

  it('removes the NS record at once when the zone is deleted, and nothing else', async () => {
    // Prepare
    world.emulator.route53.putRecords(HUB, world.parentZoneId, [{ name: 'www.example.com', type: 'A', ttl: 300, values: ['192.0.2.10'] }]);
    const zoneId = await world.createZone(TEAM_A, 'foo.example.com');
    await world.settle();
    const withDelegation = world.parentRecords();

    // Act
    await world.deleteZone(TEAM_A, zoneId);
    await world.settle();

    // Assess
    expect(world.delegationAt('foo.example.com')).toBeUndefined();
    expect(world.parentRecords()).toEqual(withDelegation.filter((record) => record.name !== 'foo.example.com'));
    expect(world.outcomes().map((event) => event.detailType)).toContain('Delegation Removed');
  });
});

describe('rejections', () => {
  it('rejects an account the rule does not list, once, and leaves the delegation alone', async () => {
    // Prepare
    await world.createZone(TEAM_A, 'foo.example.com');
    await world.settle();
    const delegation = world.delegationAt('foo.example.com');

    const addMetric = jest.spyOn(world.deps.telemetry.metrics, 'addMetric');

    // Act
    await world.createZone(TEAM_B, 'foo.example.com');
    await world.settle();
    await world.sweep();
    world.clock.advanceMinutes(15);
    await world.sweep();

    // Assess: alarmed once, when the rejection began; the standing state is a gauge.
    expect(addMetric.mock.calls.filter(([name]) => name === 'DelegationRejected')).toHaveLength(1);
    expect(addMetric.mock.calls.filter(([name]) => name === 'StandingRejections').length).toBeGreaterThan(1);
    expect(world.delegationAt('foo.example.com')).toEqual(delegation);
    const rejected = world.outcomes().filter((event) => event.detailType === 'Delegation Rejected');
    expect(rejected).toHaveLength(1);
    expect(rejected[0]?.detail).toMatchObject({ account: TEAM_B, name: 'foo.example.com', reason: 'not-allowlisted' });
  });

  it('gives an unowned name to exactly one of two allowed accounts racing for it, for good', async () => {
    // Prepare
    const zoneA = await world.createZone(TEAM_A, 'foo.example.com', false);
    const zoneC = await world.createZone(TEAM_C, 'foo.example.com', false);
    await world.settle();

    // Act
    await Promise.all([world.tag(TEAM_A, zoneA), world.tag(TEAM_C, zoneC)]);
    await world.settle();
    const first = world.delegationAt('foo.example.com');
    await world.sweep();
    await world.sweep();

    // Assess
    const winner = new Set(first?.values);
    const aNs = new Set(world.nameServersOf(TEAM_A, zoneA));
    const cNs = new Set(world.nameServersOf(TEAM_C, zoneC));
    expect([aNs, cNs]).toContainEqual(winner);
    expect(new Set(world.delegationAt('foo.example.com')?.values)).toEqual(winner);
    const contested = world.outcomes().filter((event) => event.detail.reason === 'contested');
    expect(contested).toHaveLength(1);
  });

  it('rejects both of two zones of one name in one account when neither owns it', async () => {
    // Prepare
    await world.createZone(TEAM_A, 'bar.example.com', false);
    await world.createZone(TEAM_A, 'bar.example.com', false);
    world.emulator.setConsumer(undefined);
    const zones = world.emulator.route53.findZones('bar.example.com', TEAM_A);
    for (const zone of zones) await world.tag(TEAM_A, zone.id);

    // Act
    world.emulator.setConsumer((event) => world.handler(event));
    await world.settle();

    // Assess
    expect(world.delegationAt('bar.example.com')).toBeUndefined();
    const reasons = world
      .outcomes()
      .filter((event) => event.detailType === 'Delegation Rejected')
      .map((event) => event.detail.reason);
    expect(reasons).toEqual(['duplicate-zone-name', 'duplicate-zone-name']);
  });

  it('rejects a name below a delegation and a name above existing records; the shorter of two wins', async () => {
    // Prepare
    world.emulator.setConsumer(undefined);
    await world.createZone(TEAM_A, 'foo.example.com');
    await world.createZone(TEAM_A, 'a.foo.example.com');
    world.emulator.route53.putRecords(HUB, world.parentZoneId, [
      { name: 'api.bar.example.com', type: 'A', ttl: 300, values: ['192.0.2.20'] },
    ]);
    await world.createZone(TEAM_A, 'bar.example.com');

    // Act
    world.emulator.setConsumer((event) => world.handler(event));
    await world.settle();

    // Assess
    expect(world.delegationAt('foo.example.com')).toBeDefined();
    expect(world.delegationAt('a.foo.example.com')).toBeUndefined();
    expect(world.delegationAt('bar.example.com')).toBeUndefined();
    const reasons = Object.fromEntries(
      world
        .outcomes()
        .filter((event) => event.detailType === 'Delegation Rejected')
        .map((event) => [event.detail.name, event.detail.reason]),
    );
    expect(reasons).toEqual({ 'a.foo.example.com': 'below-delegation', 'bar.example.com': 'records-below-name' });
  });

  it('rejects a.foo.example.com while foo.example.com is delegated', async () => {
    // Prepare
    await world.createZone(TEAM_A, 'foo.example.com');
    await world.settle();

    // Act
    await world.createZone(TEAM_A, 'a.foo.example.com');
    await world.settle();

    // Assess
    expect(world.delegationAt('a.foo.example.com')).toBeUndefined();
    const rejected = world.outcomes().filter((event) => event.detailType === 'Delegation Rejected');
    expect(rejected.map((event) => [event.detail.name, event.detail.reason])).toEqual([['a.foo.example.com', 'below-delegation']]);
  });

  it('ignores a private zone and rejects a zone outside every parent', async () => {
    // Prepare
    // Act
    await world.route53As(TEAM_A).send(
      new CreateHostedZoneCommand({
        Name: 'foo.example.com',
        CallerReference: 'private-1',
        HostedZoneConfig: { PrivateZone: true },
        VPC: { VPCRegion: 'us-east-1', VPCId: 'vpc-0123456789abcdef0' },
      }),
    );
    await world.createZone(TEAM_A, 'foo.example.org');
    await world.settle();

    // Assess
    expect(world.delegationAt('foo.example.com')).toBeUndefined();
    const rejected = world.outcomes().filter((event) => event.detailType === 'Delegation Rejected');
    expect(rejected.map((event) => [event.detail.name, event.detail.reason])).toEqual([['foo.example.org', 'outside-managed-parents']]);
  });
});

describe('failures and ownership', () => {
  it('removes nothing, reports a suspect and acknowledges the message when the reader role is denied', async () => {
    // Prepare
    await world.createZone(TEAM_A, 'foo.example.com');
    await world.settle();
    world.emulator.accounts.denyRole(`arn:aws:iam::${TEAM_A}:role/subzone-reader`);
    world.reconfigure((raw) => raw); // a fresh worker: no cached role credentials
    const addMetric = jest.spyOn(world.deps.telemetry.metrics, 'addMetric');

    // Act
    const response = await world.handler(sqsEvent([accountMessage(TEAM_A, 'cli')], ['m-1']));

    // Assess
    // The suspect state and the sweep carry the account: a retry would only reach the DLQ.
    expect(response.batchItemFailures).toEqual([]);
    expect(world.delegationAt('foo.example.com')).toBeDefined();
    expect(
      world
        .outcomes()
        .filter((event) => event.detailType === 'Delegation Suspect')
        .map((event) => event.detail.name),
    ).toEqual(['foo.example.com']);
    expect(addMetric).toHaveBeenCalledWith('DanglingSuspects', 'Count', 1);
    expect(addMetric).not.toHaveBeenCalledWith('ReconcileError', 'Count', 1);
  });

  it('leaves a record it did not write alone and delegates once a person removes it', async () => {
    // Prepare
    const other = ['ns-1.elsewhere.example.net.'];
    world.emulator.route53.putRecords(HUB, world.parentZoneId, [{ name: 'foo.example.com', type: 'NS', ttl: 600, values: other }]);

    // Act
    const zoneId = await world.createZone(TEAM_A, 'foo.example.com');
    await world.settle();
    const untouched = world.delegationAt('foo.example.com');
    world.emulator.route53.deleteRecords(HUB, world.parentZoneId, [{ name: 'foo.example.com', type: 'NS', ttl: 600, values: other }]);
    await world.sweep();

    // Assess
    expect(untouched).toEqual({ ttl: 600, values: other });
    expect(new Set(world.delegationAt('foo.example.com')?.values)).toEqual(new Set(world.nameServersOf(TEAM_A, zoneId)));
    expect(world.outcomes().map((event) => event.detail.reason)).toContain('delegated-elsewhere');
  });

  it('adopts a record that already holds the desired values, releases it on opt-out and removes it when the zone goes', async () => {
    // Prepare
    world.reconfigure((raw) => ({ ...raw, graceMinutes: 0 }));
    world.emulator.setConsumer(undefined);
    const zoneId = await world.createZone(TEAM_A, 'foo.example.com', false);
    const typed = world.nameServersOf(TEAM_A, zoneId).map((server) => server.toUpperCase());
    world.emulator.route53.putRecords(HUB, world.parentZoneId, [{ name: 'foo.example.com', type: 'NS', ttl: 172800, values: typed }]);
    world.emulator.setConsumer((event) => world.handler(event));

    // Act
    await world.tag(TEAM_A, zoneId);
    await world.settle();
    const adopted = world.outcomes().at(-1);
    await world.untag(TEAM_A, zoneId);
    await world.settle();
    world.clock.advanceMinutes(1);
    await world.sweep();
    const afterRelease = world.delegationAt('foo.example.com');
    await world.tag(TEAM_A, zoneId);
    await world.settle();
    await world.deleteZone(TEAM_A, zoneId);
    await world.settle();

    // Assess
    expect(adopted?.detail.reason).toBe('adopted');
    expect(afterRelease?.ttl).toBe(172800);
    expect(world.delegationAt('foo.example.com')).toBeUndefined();
  });

  it('removes a delegation whose delete event was lost at the next sweep', async () => {
    // Prepare
    const zoneId = await world.createZone(TEAM_A, 'foo.example.com');
    await world.settle();
    world.emulator.setConsumer(undefined);
    await world.deleteZone(TEAM_A, zoneId);
    world.emulator.queue.queue.messages.length = 0;

    // Act
    world.emulator.setConsumer((event) => world.handler(event));
    await world.sweep();

    // Assess
    expect(world.delegationAt('foo.example.com')).toBeUndefined();
  });
});
