/**
 * DS records through the emulator (docs/dnssec.md): a child team signs its zone, rolls its keys
 * and stops signing with the real SDK; the worker follows through CloudTrail, the hub bus and the
 * queue, and Route 53's own checks (the emulator's) judge the order of the writes.
 */
import {
  ChangeTagsForResourceCommand,
  CreateKeySigningKeyCommand,
  DeactivateKeySigningKeyCommand,
  DisableHostedZoneDNSSECCommand,
  EnableHostedZoneDNSSECCommand,
  GetChangeCommand,
  GetDNSSECCommand,
} from '@aws-sdk/client-route-53';
import { DNSSEC_OFF_TAG, DS_RETIRE_TAG_KEY } from '../../functions/core/contract';
import type { AccountId, ZoneId } from '../../functions/core/types';
import { TEAM_A, startWorld, stopCheckingIam, type World } from '../helpers/world';

jest.setTimeout(60_000);

const NAME = 'foo.example.com';
/** The NS TTL of foo.example.com's rule (the base config's nsTtl): the wait before a first DS. */
const NS_TTL_MINUTES = 60;
let world: World;
let keys = 0;

beforeEach(async () => {
  world = await startWorld({ config: (raw) => ({ ...raw, graceMinutes: 0, dnssec: { enabled: true, dsTtl: 300 } }) });
});
afterEach(() => stopCheckingIam(world));

async function createKey(account: AccountId, zoneId: ZoneId, name: string): Promise<string> {
  keys += 1;
  const created = await world.route53As(account).send(
    new CreateKeySigningKeyCommand({
      HostedZoneId: zoneId,
      Name: name,
      KeyManagementServiceArn: `arn:aws:kms:us-east-1:${account}:key/0f1e2d3c-4b5a-6978-8a9b-${String(keys).padStart(12, '0')}`,
      Status: 'ACTIVE',
      CallerReference: `key-${keys}-${Math.random()}`,
    }),
  );
  return created.KeySigningKey!.DSRecord!;
}

async function tagZone(zoneId: ZoneId, key: string, value: string): Promise<void> {
  await world
    .route53As(TEAM_A)
    .send(new ChangeTagsForResourceCommand({ ResourceType: 'hostedzone', ResourceId: zoneId, AddTags: [{ Key: key, Value: value }] }));
}

function dsAtName(): string[] | undefined {
  return world.parentRecords().find((record) => record.name === NAME && record.type === 'DS')?.values;
}

/** Every change the worker sent at the name, batch by batch, as `ACTION TYPE`. */
function batchesAtName(): string[][] {
  return world
    .changeBatches()
    .map((batch) => batch.filter((change) => change.name === NAME).map((change) => `${change.action} ${change.type}`))
    .filter((batch) => batch.length > 0);
}

/** A delegated zone of TEAM_A that signs with one active key, its DS published after the wait. */
async function publishedZone(): Promise<{ zoneId: ZoneId; firstDs: string }> {
  const zoneId = await world.createZone(TEAM_A, NAME);
  await world.settle();
  const firstDs = await createKey(TEAM_A, zoneId, 'ksk_one');
  await world.route53As(TEAM_A).send(new EnableHostedZoneDNSSECCommand({ HostedZoneId: zoneId }));
  await world.settle();
  world.clock.advanceMinutes(NS_TTL_MINUTES);
  await world.sweep();
  return { zoneId, firstDs };
}

describe('DS publishing', () => {
  it('publishes the DS after the NS, only once the NS TTL has passed since signing was seen', async () => {
    // Prepare
    const zoneId = await world.createZone(TEAM_A, NAME);
    await world.settle();
    const dsRecord = await createKey(TEAM_A, zoneId, 'ksk_one');

    // Act
    await world.route53As(TEAM_A).send(new EnableHostedZoneDNSSECCommand({ HostedZoneId: zoneId }));
    await world.settle();
    const beforeWait = dsAtName();
    world.clock.advanceMinutes(NS_TTL_MINUTES - 1);
    await world.sweep();
    const almost = dsAtName();
    world.clock.advanceMinutes(1);
    await world.sweep();

    // Assess
    expect(beforeWait).toBeUndefined();
    expect(almost).toBeUndefined();
    expect(dsAtName()).toEqual([dsRecord]);
    expect(batchesAtName()).toEqual([['CREATE NS'], ['CREATE DS']]);
    expect(world.outcomes().filter((event) => event.detail.reason === 'ds-published')).toHaveLength(1);
  });
});

describe('the signing change goes INSYNC first', () => {
  /** How long the emulator keeps the signing change PENDING, in real time (the test clock stands still). */
  const SYNC_MS = 4000;

  async function changeStatus(changeId: string): Promise<string | undefined> {
    return (await world.route53As(TEAM_A).send(new GetChangeCommand({ Id: changeId }))).ChangeInfo?.Status;
  }

  it('publishes no DS while the change EnableHostedZoneDNSSEC made is PENDING, then the NS TTL after it is INSYNC', async () => {
    // Prepare
    const zoneId = await world.createZone(TEAM_A, NAME);
    await world.settle();
    const dsRecord = await createKey(TEAM_A, zoneId, 'ksk_one');
    world.emulator.route53.changeSyncDelayMs = SYNC_MS;

    // Act
    const enabled = await world.route53As(TEAM_A).send(new EnableHostedZoneDNSSECCommand({ HostedZoneId: zoneId }));
    world.emulator.route53.changeSyncDelayMs = 0;
    const changeId = enabled.ChangeInfo!.Id!;
    await world.settle();
    // Two sweeps, an NS TTL apart, while the change stays PENDING: the ledger entry keeps its id.
    world.clock.advanceMinutes(NS_TTL_MINUTES);
    await world.sweep();
    world.clock.advanceMinutes(NS_TTL_MINUTES);
    await world.sweep();
    const whilePending = { ds: dsAtName(), status: await changeStatus(changeId) };
    const insyncBy = Date.now() + SYNC_MS * 3;
    while ((await changeStatus(changeId)) !== 'INSYNC' && Date.now() < insyncBy) await new Promise((resolve) => setTimeout(resolve, 50));
    await world.sweep();
    const onceInsync = dsAtName();
    world.clock.advanceMinutes(NS_TTL_MINUTES);
    await world.sweep();

    // Assess
    expect(whilePending).toEqual({ ds: undefined, status: 'PENDING' });
    expect(onceInsync).toBeUndefined();
    expect(dsAtName()).toEqual([dsRecord]);
    expect(batchesAtName()).toEqual([['CREATE NS'], ['CREATE DS']]);
  });
});

describe('key rollover', () => {
  it('publishes the DS of both active keys, then withdraws the old one on subzone:ds-retire', async () => {
    // Prepare
    const { zoneId, firstDs } = await publishedZone();

    // Act
    const secondDs = await createKey(TEAM_A, zoneId, 'ksk_two');
    await world.settle();
    const during = dsAtName();
    await tagZone(zoneId, DS_RETIRE_TAG_KEY, 'ksk_one');
    await world.settle();
    const deactivated = await world.route53As(TEAM_A).send(new DeactivateKeySigningKeyCommand({ HostedZoneId: zoneId, Name: 'ksk_one' }));

    // Assess
    expect(new Set(during)).toEqual(new Set([firstDs, secondDs]));
    expect(dsAtName()).toEqual([secondDs]);
    expect(deactivated.ChangeInfo?.Id).toBeDefined();
  });
});

describe('DS withdrawal', () => {
  it('refuses to disable signing while the DS stands, and accepts once subzone:dnssec=off is honoured, the NS kept', async () => {
    // Prepare
    const { zoneId } = await publishedZone();
    const disable = () => world.route53As(TEAM_A).send(new DisableHostedZoneDNSSECCommand({ HostedZoneId: zoneId }));

    // Act
    const refused = await disable().then(
      () => undefined,
      (error: Error) => error.name,
    );
    await tagZone(zoneId, DNSSEC_OFF_TAG.key, DNSSEC_OFF_TAG.value);
    await world.settle();
    await disable();
    const signing = await world.route53As(TEAM_A).send(new GetDNSSECCommand({ HostedZoneId: zoneId }));

    // Assess
    expect(refused).toBe('KeySigningKeyInParentDSRecord');
    expect(dsAtName()).toBeUndefined();
    expect(world.delegationAt(NAME)).toBeDefined();
    expect(signing.Status?.ServeSignature).toBe('NOT_SIGNING');
    const withdrawn = world.outcomes().find((event) => event.detail.reason === 'ds-withdrawn');
    expect(withdrawn?.detail.safeAfter).toBe(new Date(world.clock.now().getTime() + 300_000).toISOString());
  });

  it('on opt-out removes the DS first, in its own batch, and the NS on the next reconcile', async () => {
    // Prepare
    const { zoneId } = await publishedZone();

    // Act
    await world.untag(TEAM_A, zoneId);
    await world.settle();
    world.clock.advanceMinutes(1);
    await world.sweep();
    const nsAfterFirst = world.delegationAt(NAME);
    world.clock.advanceMinutes(1);
    await world.sweep();

    // Assess
    expect(nsAfterFirst).toBeDefined();
    expect(dsAtName()).toBeUndefined();
    expect(world.delegationAt(NAME)).toBeUndefined();
    expect(batchesAtName()).toEqual([['CREATE NS'], ['CREATE DS'], ['DELETE DS'], ['DELETE NS']]);
  });

  it('removes the DS and the NS of a deleted zone at once, the DS first', async () => {
    // Prepare: Route 53 deletes no signing zone; an account closed (or AWS support) takes it all the same.
    const { zoneId } = await publishedZone();

    // Act
    world.emulator.route53.deleteZone(TEAM_A, zoneId, { force: true });
    world.clock.advanceMinutes(1);
    await world.sweep();

    // Assess
    expect(dsAtName()).toBeUndefined();
    expect(world.delegationAt(NAME)).toBeUndefined();
    expect(batchesAtName()).toEqual([['CREATE NS'], ['CREATE DS'], ['DELETE DS', 'DELETE NS']]);
  });
});
