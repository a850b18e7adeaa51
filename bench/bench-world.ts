/**
 * The benchmark's world: the embedded emulator (Route 53, STS, EventBridge, SQS, SSM,
 * dynalite) with the hub's parent zone `example.com`, and the REAL worker (productionDeps +
 * makeHandler, real SDK clients over HTTP on loopback) attached to the work queue the way
 * Lambda's event source mapping feeds it, both set up by the harness (harness/emulator-harness.ts).
 *
 * What it observes, without changing what the worker does:
 * - every call the emulator serves, in order (account, service, operation);
 * - per invocation (AsyncLocalStorage): the hub Route 53 client's HTTP attempts by operation,
 *   each parent read (names asked, size of the zone) and each change batch applied;
 * - when each NS record was created in the parent (the moment its change batch succeeded).
 */
import { DEFAULT_BATCH_SIZE, DEFAULT_MAX_BATCHING_WINDOW_SECONDS } from '../infra/lib/constants';
import { AsyncLocalStorage } from 'node:async_hooks';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Route53Client } from '@aws-sdk/client-route-53';
import type { FinalizeRequestMiddleware, HandlerExecutionContext } from '@smithy/types';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { Emulator, QueueOptions } from '../emulator';
import type { ServiceName } from '../emulator/types';
import { createHubRoute53Client } from '../functions/adapters/clients';
import { SENT_RATE_MIDDLEWARE, requestsPerEnvironment } from '../functions/adapters/rate-limiter';
import { RECORDS_PER_PAGE, Route53ParentZoneStore } from '../functions/adapters/route53-parent-zone-store';
import { WORKER_MAX_CONCURRENCY_VARIABLE, WORKER_TIMEOUT_SECONDS_DEFAULT } from '../functions/core/contract';
import { LeaseBusyError } from '../functions/core/errors';
import type { DelegationLedger, ParentZoneStore } from '../functions/core/ports';
import { sweepRequest } from '../functions/core/sweep-messages';
import type { AccountId, ChangeBatch, DnsName, ParentView, SubzoneConfig, ZoneId } from '../functions/core/types';
import { readEnvironment } from '../functions/worker/environment';
import { buildRealWorker, startHarness, type Harness } from '../harness/emulator-harness';
import { peakInAnySecond } from './report';

/** The DNS ("hub") account. */
export const HUB: AccountId = '111111111111';
/** The managed parent zone, and the id the harness creates it with. */
export const PARENT_NAME = 'example.com';
export const PARENT_ZONE_ID: ZoneId = 'Z0BENCHPARENT';
/** Every benchmark zone lives one label below this name (one wildcard rule covers them). */
export const BENCH_DOMAIN = 'bench.example.com';
/** The opt-in tag of the config (the schema's default). */
export const OPT_IN_TAG = { key: 'subzone:delegate', value: 'true' } as const;

/** The production event source mapping (infra SubzoneHub defaults: infra/lib/constants.ts, concurrency 2). */
export const PRODUCTION_MAPPING = {
  batchSize: DEFAULT_BATCH_SIZE,
  maximumBatchingWindowMs: DEFAULT_MAX_BATCHING_WINDOW_SECONDS * 1000,
  maximumConcurrency: 2,
} as const;

/** Child accounts `200000000001`, `200000000002`, ... */
export function benchAccounts(count: number): AccountId[] {
  return Array.from({ length: count }, (_, index) => `2${String(index + 1).padStart(11, '0')}`);
}

/** The allowlist: `*.bench.example.com` for the given accounts, enforce mode. */
export function benchRawConfig(parentZoneId: ZoneId, accounts: readonly AccountId[]): Record<string, unknown> {
  return {
    version: 1,
    mode: 'enforce',
    parentZones: [{ name: PARENT_NAME, hostedZoneId: parentZoneId }],
    rules: [{ name: `*.${BENCH_DOMAIN}`, accounts: [...accounts] }],
    nsTtl: 3600,
    graceMinutes: 60,
  };
}

/** NS records below BENCH_DOMAIN in the bench's parent zone. */
export function benchDelegationCount(emulator: Emulator): number {
  return emulator.route53
    .listRecords(HUB, PARENT_ZONE_ID)
    .filter((record) => record.type === 'NS' && record.name.endsWith(`.${BENCH_DOMAIN}.`)).length;
}

/** One call the emulator served. */
export interface CallLogEntry {
  readonly at: number;
  readonly account: AccountId;
  readonly service: ServiceName;
  readonly operation: string;
}

/** One parent read (readAround) of an invocation. */
export interface ParentRead {
  /** Names the reconcile asked about. */
  readonly names: number;
  /** ListResourceRecordSets pages a whole-zone listing needed (size of the zone during the read). */
  readonly zonePages: number;
  /** Hub ListResourceRecordSets / GetHostedZone attempts during the read. */
  listCalls: number;
  getZoneCalls: number;
}

/** One invocation of the worker, as observed. */
export interface InvocationRecord {
  readonly id: number;
  /** The execution environment (1 .. maximum concurrency) that ran it. */
  readonly environment: number;
  readonly messages: number;
  /** Messages that were subzone's own per-account sweep/CLI messages. */
  readonly accountMessages: number;
  readonly startedAt: number;
  endedAt: number;
  /** Messages the worker reported as failed (or all, if it threw). */
  failed: number;
  error?: string;
  /** HTTP attempts of the hub Route 53 client, by operation (SDK retries included). */
  readonly hubCalls: Map<string, number>;
  readonly parentReads: ParentRead[];
  batches: number;
  changes: number;
  /** Accounts this invocation could not reconcile because another invocation held the lease until it gave up. */
  leaseBusy: number;
  /** Lease polls that found the lease held (an account waited for may be polled many times). */
  leaseBusyPolls: number;
  /** Accounts whose latest lease poll in this invocation found it held. */
  readonly waitingFor: Set<AccountId>;
}

/** How to start a world. */
export interface BenchWorldOptions {
  readonly accounts: readonly AccountId[];
  /** @default PRODUCTION_MAPPING, with a short visibility timeout */
  readonly queue?: Partial<QueueOptions>;
  /**
   * The whole worker's hub budget (ROUTE53_REQUESTS_PER_SECOND), shared by its execution
   * environments as production shares it. @default 5
   */
  readonly hubRequestsPerSecond?: number;
  /** Log the worker's warnings and errors. @default false */
  readonly verbose?: boolean;
}

/**
 * The visibility timeout the benchmark runs with. Production uses 6 x the function timeout
 * (362 s); a message retried after a lease collision would then stall the run for minutes,
 * so the benchmark shortens it and reports how many messages were retried.
 */
export const BENCH_VISIBILITY_TIMEOUT_SECONDS = 5;

/** Production's function timeout (SubzoneHub's default workerTimeout): the bench does not stop an invocation at it. */
export const PRODUCTION_FUNCTION_TIMEOUT_SECONDS = WORKER_TIMEOUT_SECONDS_DEFAULT;
/** Production's visibility timeout: six times the function timeout plus the batching window (SubzoneHub). */
export const PRODUCTION_VISIBILITY_TIMEOUT_SECONDS = 6 * PRODUCTION_FUNCTION_TIMEOUT_SECONDS + DEFAULT_MAX_BATCHING_WINDOW_SECONDS;

/** One Lambda execution environment: its own worker (clients, caches, hub rate limiter). */
interface ExecutionEnvironment {
  readonly id: number;
  readonly handler: (event: SQSEvent) => Promise<SQSBatchResponse>;
}

/** A running emulator with the real worker attached. */
export class BenchWorld {
  readonly callLog: CallLogEntry[] = [];
  /** When each hub Route 53 attempt left the worker's client, signed (ms since epoch). */
  private readonly hubSends: number[] = [];
  readonly invocations: InvocationRecord[] = [];
  /** Canonical name -> when its NS record was created in the parent (ms since epoch). */
  readonly delegatedAt = new Map<DnsName, number>();
  config: SubzoneConfig;
  /**
   * As many environments as the mapping's maximum concurrency, each running one invocation
   * at a time, as Lambda runs them: each has its own hub limiter, with its share of the budget.
   */
  private environments: ExecutionEnvironment[] = [];
  private idleEnvironments: ExecutionEnvironment[] = [];
  private readonly scope = new AsyncLocalStorage<InvocationRecord>();
  private readonly children = new Map<AccountId, Route53Client>();
  private nextInvocation = 1;

  readonly emulator: Emulator;
  readonly parentZoneId = PARENT_ZONE_ID;

  private constructor(
    private readonly harness: Harness,
    private readonly options: BenchWorldOptions,
  ) {
    this.emulator = harness.emulator;
    this.config = harness.config;
    this.coldStart();
    this.observeCalls();
    this.resume();
  }

  /** Starts the emulator, the parent zone and the worker. Call `stop()` when done. */
  static async start(options: BenchWorldOptions): Promise<BenchWorld> {
    const concurrency = options.queue?.maximumConcurrency ?? PRODUCTION_MAPPING.maximumConcurrency;
    const harness = await startHarness({
      rawConfig: benchRawConfig(PARENT_ZONE_ID, options.accounts),
      emulator: {
        hubAccount: HUB,
        spokeAccounts: options.accounts,
        queue: {
          ...PRODUCTION_MAPPING,
          visibilityTimeoutSeconds: BENCH_VISIBILITY_TIMEOUT_SECONDS,
          maxReceiveCount: 5,
          ...options.queue,
        },
      },
      environment: {
        ROUTE53_REQUESTS_PER_SECOND: String(options.hubRequestsPerSecond ?? 5),
        [WORKER_MAX_CONCURRENCY_VARIABLE]: String(concurrency),
      },
    });
    return new BenchWorld(harness, options);
  }

  /** Detaches the worker: messages wait in the queue until `resume()`. */
  pause(): void {
    this.emulator.setConsumer(undefined);
  }

  /** Attaches the worker (again). */
  resume(): void {
    this.harness.attach((event) => this.invoke(event));
  }

  /** Messages in the work queue (visible, in flight or delayed). */
  queuedMessages(): number {
    const counts = this.emulator.queues.counts(this.emulator.queue.queue);
    return counts.visible + counts.notVisible + counts.delayed;
  }

  /** Replaces every execution environment by a fresh one (a cold start: no cached credentials, start-up checks again). */
  coldStart(): void {
    const concurrency = this.emulator.queue.settings.maximumConcurrency;
    this.environments = Array.from({ length: concurrency }, (_, index) => ({ id: index + 1, handler: this.buildHandler() }));
    this.idleEnvironments = [...this.environments];
  }

  /** The hub budget each execution environment keeps to (its whole-number share). */
  hubRequestsPerEnvironment(): number {
    const env = readEnvironment();
    return requestsPerEnvironment(env.ROUTE53_REQUESTS_PER_SECOND, env[WORKER_MAX_CONCURRENCY_VARIABLE]);
  }

  /** The whole worker's hub budget (ROUTE53_REQUESTS_PER_SECOND). */
  hubBudget(): number {
    return readEnvironment().ROUTE53_REQUESTS_PER_SECOND;
  }

  /** Creates zones in a child account in-process (no API call, no event), tagged when `optIn`. */
  seedZones(account: AccountId, names: readonly string[], optIn: boolean): ZoneId[] {
    return names.map((name) => {
      const zone = this.emulator.route53.createZone(account, name);
      if (optIn) this.emulator.route53.changeTags(account, zone.id, [OPT_IN_TAG], []);
      return zone.id;
    });
  }

  /** A Route 53 client acting in a child account with its static credentials (endpoint from AWS_ENDPOINT_URL). */
  childRoute53(account: AccountId): Route53Client {
    let client = this.children.get(account);
    if (client === undefined) {
      client = new Route53Client({
        region: 'us-east-1',
        credentials: this.emulator.credentialsFor(account),
        retryMode: 'standard',
        maxAttempts: 10,
      });
      this.children.set(account, client);
    }
    return client;
  }

  /** Clears the call log and the emulator's counters. */
  resetCalls(): void {
    this.emulator.counters.reset();
    this.callLog.length = 0;
    this.hubSends.length = 0;
  }

  /** Sends a sweep request to the work queue as EventBridge Scheduler would. */
  requestSweep(sweepId: string): void {
    this.emulator.queues.send(this.emulator.queue.queue, JSON.stringify(sweepRequest(sweepId)), { senderId: 'scheduler' });
  }

  /** Waits until the queue is empty (retries included) and no batch runs. */
  settle(timeoutMs: number): Promise<void> {
    return this.emulator.drain({ timeoutMs });
  }

  /** Messages moved to the dead-letter queue (received maxReceiveCount times without success). */
  deadLettered(): number {
    const counts = this.emulator.queues.counts(this.emulator.deadLetterQueue);
    return counts.visible + counts.notVisible + counts.delayed;
  }

  /** NS records in the parent below BENCH_DOMAIN. */
  delegationCount(): number {
    return benchDelegationCount(this.emulator);
  }

  /** The parent zone's record sets, names with trailing dots. */
  parentRecords(): ReturnType<Emulator['route53']['listRecords']> {
    return this.emulator.route53.listRecords(HUB, this.parentZoneId);
  }

  async stop(): Promise<void> {
    this.children.forEach((client) => client.destroy());
    await this.harness.stop();
  }

  private buildHandler(): (event: SQSEvent) => Promise<SQSBatchResponse> {
    const env = readEnvironment();
    const logLevel = this.options.verbose ? 'WARN' : 'SILENT';
    const logger = new Logger({ serviceName: 'subzone-bench', logLevel });
    const telemetry = { logger, metrics: new Metrics({ namespace: 'SubzoneBench', logger }) };
    // The same factory and token bucket productionDeps uses for the hub client, built here
    // so the benchmark can see each attempt and the invocation it belongs to.
    const hubRoute53 = createHubRoute53Client({
      rateLimit: { requestsPerSecond: requestsPerEnvironment(env.ROUTE53_REQUESTS_PER_SECOND, env[WORKER_MAX_CONCURRENCY_VARIABLE]) },
    });
    hubRoute53.middlewareStack.addRelativeTo(this.hubCallMiddleware(), {
      name: 'benchHubCallCounter',
      relation: 'after',
      toMiddleware: 'retryMiddleware',
    });
    // After signing and the limiter's last gate: when each attempt leaves for the wire.
    hubRoute53.middlewareStack.addRelativeTo(this.hubSendMiddleware(), {
      name: 'benchHubSendClock',
      relation: 'after',
      toMiddleware: SENT_RATE_MIDDLEWARE,
    });
    const { handler } = buildRealWorker(this.config, (production) => {
      this.observeLeases(production.ledger);
      // One store on the observed client for both roles, as productionDeps has one on its hub client.
      const store = new Route53ParentZoneStore(hubRoute53);
      return { ...production, parents: new ObservedParentZoneStore(store, this), parentPages: store, telemetry };
    });
    return handler;
  }

  /** The invocation the current async context belongs to, if any. */
  currentInvocation(): InvocationRecord | undefined {
    return this.scope.getStore();
  }

  /** The parent zone's size now, in ListResourceRecordSets pages of 300 records. */
  zonePages(): number {
    const records = this.emulator.route53.getHostedZone(HUB, this.parentZoneId).records.size;
    return Math.max(1, Math.ceil(records / RECORDS_PER_PAGE));
  }

  /** The most hub Route 53 requests the emulator received in any one-second window, from `since` on. */
  peakHubRate(since = 0): number {
    const times = this.callLog
      .filter((entry) => entry.at >= since && entry.account === HUB && entry.service === 'route53')
      .map((entry) => entry.at);
    return peakInAnySecond(times);
  }

  /** The most hub Route 53 attempts the worker's clients sent in any one-second window, from `since` on. */
  peakHubSendRate(since = 0): number {
    return peakInAnySecond(this.hubSends.filter((at) => at >= since));
  }

  private hubSendMiddleware<Input extends object, Output extends object>(): FinalizeRequestMiddleware<Input, Output> {
    return (next) => async (args) => {
      this.hubSends.push(Date.now());
      return next(args);
    };
  }

  private hubCallMiddleware<Input extends object, Output extends object>(): FinalizeRequestMiddleware<Input, Output> {
    return (next, context: HandlerExecutionContext) => async (args) => {
      const operation = context.commandName?.replace(/Command$/, '') ?? 'unknown';
      const invocation = this.scope.getStore();
      if (invocation) invocation.hubCalls.set(operation, (invocation.hubCalls.get(operation) ?? 0) + 1);
      return next(args);
    };
  }

  private async invoke(event: SQSEvent): Promise<SQSBatchResponse> {
    // The mapping never runs more batches at once than there are environments. The one freed
    // last is taken first, as Lambda reuses a warm environment.
    const environment = this.idleEnvironments.pop();
    if (environment === undefined) throw new Error('benchmark: more invocations in flight than execution environments');
    const record: InvocationRecord = {
      id: this.nextInvocation++,
      environment: environment.id,
      messages: event.Records.length,
      accountMessages: event.Records.filter((message) => message.body.includes('"reconcile-account"')).length,
      startedAt: Date.now(),
      endedAt: 0,
      failed: 0,
      hubCalls: new Map(),
      parentReads: [],
      batches: 0,
      changes: 0,
      leaseBusy: 0,
      leaseBusyPolls: 0,
      waitingFor: new Set(),
    };
    this.invocations.push(record);
    try {
      const response = await this.scope.run(record, () => environment.handler(event));
      record.failed = response.batchItemFailures.length;
      return response;
    } catch (error) {
      record.failed = event.Records.length;
      record.error = error instanceof Error ? error.message : String(error);
      throw error;
    } finally {
      // A cold start replaces the pool; an environment of the old one is not taken again.
      if (this.environments.includes(environment)) this.idleEnvironments.push(environment);
      record.endedAt = Date.now();
      // An account still waited for when the invocation ends was given up: its reconcile was skipped.
      record.leaseBusy = record.waitingFor.size;
    }
  }

  /**
   * Follows, per invocation, the lease polls of each account: an account whose polls all found
   * the lease held was skipped; one that got the lease after waiting was not.
   */
  private observeLeases(ledger: DelegationLedger): void {
    const acquire = ledger.acquireLease.bind(ledger);
    ledger.acquireLease = async (account, ...rest) => {
      const invocation = this.scope.getStore();
      try {
        const lease = await acquire(account, ...rest);
        invocation?.waitingFor.delete(account);
        return lease;
      } catch (error) {
        if (error instanceof LeaseBusyError && invocation) {
          invocation.leaseBusyPolls += 1;
          invocation.waitingFor.add(account);
        }
        throw error;
      }
    };
  }

  /** Logs every call the emulator serves, in order, alongside its own counters. */
  private observeCalls(): void {
    const counters = this.emulator.counters;
    const record = counters.record.bind(counters);
    counters.record = (account, service, operation) => {
      this.callLog.push({ at: Date.now(), account, service, operation });
      record(account, service, operation);
    };
  }
}

/** The real parent zone store, observed: reads and change batches are attributed to their invocation. */
class ObservedParentZoneStore implements ParentZoneStore {
  constructor(
    private readonly inner: ParentZoneStore,
    private readonly world: BenchWorld,
  ) {}

  describeZone(parentZoneId: ZoneId): Promise<{ readonly name: DnsName; readonly privateZone: boolean }> {
    return this.inner.describeZone(parentZoneId);
  }

  async readAround(parentZoneId: ZoneId, apex: DnsName, names: readonly DnsName[]): Promise<ParentView> {
    const invocation = this.world.currentInvocation();
    const before = invocation ? new Map(invocation.hubCalls) : new Map<string, number>();
    const pagesBefore = this.world.zonePages();
    try {
      return await this.inner.readAround(parentZoneId, apex, names);
    } finally {
      if (invocation) {
        const delta = (operation: string): number => (invocation.hubCalls.get(operation) ?? 0) - (before.get(operation) ?? 0);
        invocation.parentReads.push({
          names: names.length,
          zonePages: Math.max(pagesBefore, this.world.zonePages()),
          listCalls: delta('ListResourceRecordSets'),
          getZoneCalls: delta('GetHostedZone'),
        });
      }
    }
  }

  async applyBatch(batch: ChangeBatch): Promise<string | undefined> {
    const changeId = await this.inner.applyBatch(batch);
    const at = Date.now();
    const invocation = this.world.currentInvocation();
    if (invocation) {
      invocation.batches += 1;
      invocation.changes += batch.changes.length;
    }
    for (const change of batch.changes) {
      if (change.action === 'CREATE' && change.record.type === 'NS') this.world.delegatedAt.set(change.record.name, at);
    }
    return changeId;
  }
}

/** A condition the benchmark waited for did not come true in time. */
export class BenchWaitTimeoutError extends Error {
  constructor(what: string, timeoutMs: number) {
    super(`benchmark gave up waiting for ${what} after ${timeoutMs} ms`);
    this.name = 'BenchWaitTimeoutError';
  }
}

/** Polls `ready` every 10 ms until it holds; throws BenchWaitTimeoutError after `timeoutMs`. */
export async function waitUntil(ready: () => boolean, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ready()) {
    if (Date.now() > deadline) throw new BenchWaitTimeoutError(what, timeoutMs);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
