/**
 * A whole subzone world for integration tests: the emulator (Route 53, STS, EventBridge, SQS,
 * SSM, dynalite, DNS) with the hub's parent zone, and the real worker (real adapters, real SDK
 * clients over HTTP) attached to the work queue. Spoke accounts act through the real SDK too,
 * so every CloudTrail-shaped event travels the whole path: default bus, spoke rule, hub bus,
 * hub rule, queue, event source mapping, worker. The emulator, the parent zone and the worker
 * are set up by the harness (harness/emulator-harness.ts), as for the bench and the CLI.
 */
import { ChangeTagsForResourceCommand, CreateHostedZoneCommand, DeleteHostedZoneCommand, Route53Client } from '@aws-sdk/client-route-53';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { parseConfig } from '../../functions/core/config-schema';
import { sweepRequest } from '../../functions/core/sweep-messages';
import type { AccountId, OutcomeEvent, SubzoneConfig, ZoneId } from '../../functions/core/types';
import type { WorkerDeps } from '../../functions/worker/process-batch';
import type { Emulator, EmulatorOptions } from '../../emulator';
import { buildRealWorker, startHarness } from '../../harness/emulator-harness';
import { PolicyDocument } from 'aws-cdk-lib/aws-iam';
import { route53WritePolicy } from '../../infra/lib/route53-write-policy';
import { isChangeBatchAllowed, type ChangeToCheck, type PolicyDocumentJson } from './iam-evaluator';

export const HUB = '111111111111';
export const TEAM_A = '222222222222';
export const TEAM_B = '333333333333';
export const TEAM_C = '444444444444';
/** The id the harness creates the parent zone `example.com` with. */
export const PARENT_ZONE_ID: ZoneId = 'Z0PARENTEXAMPLECOM';

/** The allowlist every scenario starts from (parent zone id filled in by startWorld). */
export function baseRawConfig(parentZoneId: ZoneId): Record<string, unknown> {
  return {
    version: 1,
    mode: 'enforce',
    parentZones: [{ name: 'example.com', hostedZoneId: parentZoneId }],
    rules: [
      { name: 'foo.example.com', accounts: [TEAM_A, TEAM_C] },
      { name: 'a.foo.example.com', accounts: [TEAM_A] },
      { name: 'bar.example.com', accounts: [TEAM_A, TEAM_B] },
      { name: 'glue.example.com', accounts: [TEAM_A] },
      { name: '*.dev.example.com', accounts: [TEAM_B, TEAM_C], nsTtl: 300 },
    ],
    nsTtl: 3600,
    graceMinutes: 60,
  };
}

/**
 * A clock the test moves. A sleep (a lease wait) really waits, for the other invocations
 * to make progress against the emulator, and moves the clock by as much.
 */
export class TestClock {
  constructor(private current = new Date('2026-11-27T09:00:00Z')) {}
  now(): Date {
    return new Date(this.current);
  }
  advanceMinutes(minutes: number): void {
    this.current = new Date(this.current.getTime() + minutes * 60_000);
  }
  async sleep(ms: number): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, ms));
    this.current = new Date(this.current.getTime() + ms);
  }
}

export interface WorldOptions {
  /** Changes to the base config (shallow merge). */
  readonly config?: (raw: Record<string, unknown>) => Record<string, unknown>;
  readonly emulator?: EmulatorOptions;
  /** Attach the worker to the queue (false: drive the handler by hand). @default true */
  readonly attachWorker?: boolean;
}

export interface World {
  readonly emulator: Emulator;
  readonly parentZoneId: ZoneId;
  readonly clock: TestClock;
  config: SubzoneConfig;
  deps: WorkerDeps;
  handler: (event: SQSEvent) => Promise<SQSBatchResponse>;
  /** A Route 53 client acting in `account` with its own static credentials. */
  route53As(account: AccountId): Route53Client;
  /** Creates a public zone in `account`, tagged for delegation when `optIn`. */
  createZone(account: AccountId, name: string, optIn?: boolean): Promise<ZoneId>;
  tag(account: AccountId, zoneId: ZoneId, value?: string): Promise<void>;
  untag(account: AccountId, zoneId: ZoneId): Promise<void>;
  deleteZone(account: AccountId, zoneId: ZoneId): Promise<void>;
  /** Waits until the queue is empty and no batch runs. */
  settle(): Promise<void>;
  /**
   * Sends a sweep request as the scheduler does, then settles. By default each call is a sweep
   * of its own (the clock's time and a count): a request with an id already swept is a duplicate.
   */
  sweep(sweepId?: string): Promise<void>;
  /** The parent zone's records, canonical names. */
  parentRecords(): Array<{ name: string; type: string; ttl: number; values: string[] }>;
  /** A child zone's name servers, fully qualified, as the delegation should hold them. */
  nameServersOf(account: AccountId, zoneId: ZoneId): string[];
  /** The NS record at a name in the parent, if any. */
  delegationAt(name: string): { ttl: number; values: string[] } | undefined;
  /** subzone's outcome events on the hub bus so far. */
  outcomes(): OutcomeEvent[];
  /** Every change batch the worker sent to the parent zone, from the hub's CloudTrail events. */
  changeBatches(): ChangeToCheck[][];
  /**
   * The batches the worker's IAM policy, rendered from the config deployed when each was sent,
   * would have denied (docs/deploying.md: every batch the scenarios produce runs through the policy).
   */
  deniedBatches(): ChangeToCheck[][];
  /** Rebuilds the worker with a changed config (a deploy). */
  reconfigure(change: (raw: Record<string, unknown>) => Record<string, unknown>): void;
  stop(): Promise<void>;
}

/** Starts the emulator and the worker; call `stop()` in afterAll/afterEach. */
export async function startWorld(options: WorldOptions = {}): Promise<World> {
  let raw = (options.config ?? ((value) => value))(baseRawConfig(PARENT_ZONE_ID));
  const harness = await startHarness({
    rawConfig: raw,
    emulator: {
      spokeAccounts: [TEAM_A, TEAM_B, TEAM_C],
      queue: { batchSize: 10, maximumBatchingWindowMs: 20, visibilityTimeoutSeconds: 1, maxReceiveCount: 5 },
      ...options.emulator,
    },
    environment: { ROUTE53_REQUESTS_PER_SECOND: '1000' },
  });
  const { emulator } = harness;
  const parentZoneId = PARENT_ZONE_ID;
  const clock = new TestClock();
  const clients = new Map<AccountId, Route53Client>();
  const telemetry = {
    logger: new Logger({ serviceName: 'subzone-test', logLevel: 'SILENT' }),
    metrics: new Metrics({ namespace: 'SubzoneTest' }),
  };

  const build = (rawConfig: Record<string, unknown>) => {
    const { config } = parseConfig(rawConfig);
    const worker = buildRealWorker(config, (deps) => ({
      ...deps,
      clock,
      holder: 'worker-test',
      leaseTtlMs: 120_000,
      leaseWaitMs: 1_000,
      telemetry,
    }));
    return { config, ...worker };
  };
  /** The policy in force from each batch on: a reconfigure is a deploy. */
  const policies: Array<{ fromBatch: number; documents: PolicyDocumentJson[] }> = [];
  const deploy = (config: SubzoneConfig, fromBatch: number) => {
    const document = new PolicyDocument({ statements: [...route53WritePolicy(config).statements] }).toJSON() as PolicyDocumentJson;
    policies.push({ fromBatch, documents: [document] });
  };

  let sweepsSent = 0;
  const world: World = {
    emulator,
    parentZoneId,
    clock,
    ...build(raw),
    route53As(account) {
      let client = clients.get(account);
      if (client === undefined) {
        client = new Route53Client({ region: 'us-east-1', endpoint: emulator.endpoint, credentials: emulator.credentialsFor(account) });
        clients.set(account, client);
      }
      return client;
    },
    async createZone(account, name, optIn = true) {
      const created = await world
        .route53As(account)
        .send(new CreateHostedZoneCommand({ Name: name, CallerReference: `${name}-${Math.random()}` }));
      const zoneId = created.HostedZone!.Id!.split('/').pop()!;
      if (optIn) await world.tag(account, zoneId);
      return zoneId;
    },
    async tag(account, zoneId, value = 'true') {
      await world.route53As(account).send(
        new ChangeTagsForResourceCommand({
          ResourceType: 'hostedzone',
          ResourceId: zoneId,
          AddTags: [{ Key: 'subzone:delegate', Value: value }],
        }),
      );
    },
    async untag(account, zoneId) {
      await world
        .route53As(account)
        .send(new ChangeTagsForResourceCommand({ ResourceType: 'hostedzone', ResourceId: zoneId, RemoveTagKeys: ['subzone:delegate'] }));
    },
    async deleteZone(account, zoneId) {
      await world.route53As(account).send(new DeleteHostedZoneCommand({ Id: zoneId }));
    },
    settle: () => emulator.drain({ timeoutMs: 20_000 }),
    async sweep(sweepId = `sweep-${clock.now().getTime()}-${(sweepsSent += 1)}`) {
      emulator.queues.send(emulator.queue.queue, JSON.stringify(sweepRequest(sweepId)), { senderId: 'scheduler' });
      await world.settle();
    },
    parentRecords() {
      return emulator.route53.listRecords(HUB, parentZoneId).map((record) => ({
        ...record,
        name: record.name.replace(/\.$/, ''),
      }));
    },
    nameServersOf(account, zoneId) {
      return emulator.route53.getHostedZone(account, zoneId).nameServers.map((server) => `${server}.`);
    },
    delegationAt(name) {
      const found = world.parentRecords().find((record) => record.name === name && record.type === 'NS');
      return found === undefined ? undefined : { ttl: found.ttl, values: found.values };
    },
    outcomes() {
      return emulator.events
        .eventsOn(HUB, emulator.names.hubEventBusName)
        .filter((event) => event.source === 'subzone')
        .map((event) => ({
          detailType: event['detail-type'] as OutcomeEvent['detailType'],
          detail: event.detail as OutcomeEvent['detail'],
        }));
    },
    changeBatches() {
      return emulator.events
        .eventsOn(HUB, 'default')
        .filter((event) => event.detail.eventName === 'ChangeResourceRecordSets')
        .map((event) => {
          const request = event.detail.requestParameters as {
            changeBatch: { changes: Array<{ action: string; resourceRecordSet: { name: string; type: string } }> };
          };
          return request.changeBatch.changes.map((change) => ({
            action: change.action,
            name: change.resourceRecordSet.name.replace(/\.$/, ''),
            type: change.resourceRecordSet.type,
          }));
        });
    },
    deniedBatches() {
      return world.changeBatches().filter((batch, index) => {
        const policy = [...policies].reverse().find((candidate) => candidate.fromBatch <= index);
        return !isChangeBatchAllowed(policy?.documents ?? [], parentZoneId, batch);
      });
    },
    reconfigure(change) {
      raw = change(raw);
      const rebuilt = build(raw);
      deploy(rebuilt.config, world.changeBatches().length);
      world.config = rebuilt.config;
      world.deps = rebuilt.deps;
      world.handler = rebuilt.handler;
      if (options.attachWorker !== false) harness.attach((event) => world.handler(event));
    },
    async stop() {
      clients.forEach((client) => client.destroy());
      await harness.stop();
    },
  };
  deploy(world.config, 0);
  if (options.attachWorker !== false) harness.attach((event) => world.handler(event));
  return world;
}

/**
 * Stops a world, then checks that every change batch it produced passed the worker's IAM
 * policy (docs/deploying.md); for an afterEach.
 */
export async function stopCheckingIam(world: World): Promise<void> {
  const denied = world.deniedBatches();
  await world.stop();
  expect(denied).toEqual([]);
}
