/**
 * Runs chaos scenarios against the real worker (real adapters, real SDK over HTTP) and the
 * in-process emulator, one scenario at a time on one emulator. Each run gets its own child
 * accounts, parent zone and ledger table, so runs never see each other's state.
 *
 * A step has two phases. First the world changes while the worker is idle: children act on
 * their zones over the Route 53 API (DNSSEC included), people edit the parent by hand, rules
 * are deployed. Then the step's events (duplicated, late, lost, shuffled) and maybe a sweep
 * reach the queue, and the worker runs under the step's faults, crashes, time-outs and kill
 * switch until the queue is empty. Child state is fixed while the worker runs, so the monitor
 * can judge each write against the truth. After the last step the faults stop, late events
 * arrive, and sweeps run with the clock moved past every lease, grace period and NS TTL; then
 * the oracle judges.
 */
import {
  ActivateKeySigningKeyCommand,
  ChangeTagsForResourceCommand,
  CreateHostedZoneCommand,
  CreateKeySigningKeyCommand,
  DeactivateKeySigningKeyCommand,
  DeleteHostedZoneCommand,
  DisableHostedZoneDNSSECCommand,
  EnableHostedZoneDNSSECCommand,
  Route53Client,
} from '@aws-sdk/client-route-53';
import { CreateTableCommand, DeleteTableCommand, DynamoDBClient, paginateScan } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { mersenne, unsafeUniformIntDistribution, type RandomGenerator } from 'pure-rand';
import { startEmulator, type Emulator } from '../../emulator';
import { clientConfig } from '../helpers/emulator';
import { useEmulatorEnvironment } from '../../emulator/environment';
import type { FaultSpec } from '../../emulator/faults';
import { startLedgerFaultProxy, type LedgerCall, type LedgerFaultProxy } from '../../emulator/ledger-faults';
import { ledgerTableDefinition } from '../../emulator/dynamo';
import { LEDGER_TTL_ATTRIBUTE } from '../../functions/adapters/ledger-table';
import { SignedParameterReader } from '../../functions/adapters/signed-parameter-reader';
import { DEFAULT_CONTROLS_MAX_AGE_MS, SsmControlSource } from '../../functions/adapters/ssm-control-source';
import type { AppliedChangeBatch, HostedZone } from '../../emulator/route53/state';
import type { DnssecState } from '../../emulator/route53/dnssec';
import { dsPresentation } from '../../emulator/route53/dnssec-keys';
import { toWireName } from '../../emulator/dns/rdata';
import { DNSSEC_OFF_TAG, DS_RETIRE_TAG_KEY } from '../../functions/core/contract';
import { parseConfig } from '../../functions/core/config-schema';
import { sweepRequest } from '../../functions/core/sweep-messages';
import type { AccountId, LedgerEntry, SubzoneConfig, ZoneId } from '../../functions/core/types';
import { productionDeps } from '../../functions/worker/dependencies';
import { readEnvironment } from '../../functions/worker/environment';
import { makeHandler } from '../../functions/worker/handler';
import type { WorkerDeps } from '../../functions/worker/process-batch';
import { DrivenClock, InvocationLife } from './invocation-life';
import { KillSwitchWatch } from './kill-switch';
import { changeKey, WriteMonitor, type Violation } from './monitor';
import { checkFinalState, type FinalLedger, type FinalOwner } from './oracle';
import {
  OPT_IN_VALUE,
  UNTAGGED,
  type Action,
  type CrashPlan,
  type FaultProfile,
  type PausePlan,
  type RuleSpec,
  type Scenario,
  type Step,
} from './scenario';
import { canonical, isValidClaim, winningRule, type ChildZone, type TruthPolicy, type TruthRule } from './truth';

const HUB = '111111111111';
const OPT_IN_KEY = 'subzone:delegate';
const DEFAULT_TTL = 3600;
const SHORT_TTL = 300;
const GRACE_MINUTES = 10;
/** Lease lifetime, and the worker's timeout below it (the lease outlives any invocation). */
const LEASE_TTL_MS = 120_000;
/**
 * How long an invocation waits for a lease a concurrent one holds: long enough for a live
 * holder to finish on this loaded machine, short next to the 15 s in production, so a lease
 * left by a dead invocation costs the retries little real time.
 */
const LEASE_WAIT_MS = 500;
/**
 * Sweeps after the faults stop, each with the clock past every lease and grace period: the
 * sweeps go on until one changes nothing, neither the parent nor a ledger entry or name owner
 * (at least two, for the grace period to be seen twice): a sweep that only starts a wait, for a
 * first DS say, writes to the parent on the next one. One that still changes things after this
 * many has not converged.
 */
const MIN_FINAL_SWEEPS = 2;
/** How far the clock moves before each final sweep: past every lease and grace period, and past the NS TTL a first DS waits for. */
const FINAL_SWEEP_MINUTES = Math.max(GRACE_MINUTES + LEASE_TTL_MS / 60_000, DEFAULT_TTL / 60) + 1;
const MAX_FINAL_SWEEPS = 6;
/**
 * A step's queue must empty within this: a bound for a stuck run, far above what a step takes
 * (the retries here do not back off in real time, see quickRetries).
 */
const DRAIN_TIMEOUT_MS = 120_000;
/** Every invocation times out after this much real time, as Lambda's timeout would stop it. */
const INVOCATION_TIMEOUT_MS = 20_000;
const FOREIGN_NAME_SERVERS = ['ns1.elsewhere-dns.net.', 'ns2.elsewhere-dns.net.'];
/** A DS value of no key of the run, as a person might paste it. */
const FOREIGN_DS = `4242 13 2 ${'AB'.repeat(32)}`;

/**
 * The worker's retry strategy here: the SDK's standard one (the same attempts, the same retry
 * quota) with a 1 ms backoff instead of up to 20 s of real waiting; whether a call is retried,
 * and how often, is unchanged.
 */
const quickRetries = (maxAttempts: number) => new ConfiguredRetryStrategy(maxAttempts, 1);

/** What one run found. */
export interface RunReport {
  readonly violations: readonly Violation[];
  /** The harness could not finish the run (the queue never drained, say). */
  readonly error?: string;
}

/** The emulator and the ledger's fault proxy, shared by every run. */
export class ChaosEnvironment {
  private runs = 0;
  private current: ScenarioRun | undefined;

  private constructor(
    readonly emulator: Emulator,
    private readonly proxy: LedgerFaultProxy,
    private readonly dynamo: DynamoDBClient,
  ) {
    emulator.route53.observeChangeBatches((batch) => this.current?.observe(batch));
  }

  static async start(): Promise<ChaosEnvironment> {
    const emulator = await startEmulator({
      spokeAccounts: [],
      queue: { batchSize: 5, maximumBatchingWindowMs: 5, maximumConcurrency: 3, visibilityTimeoutSeconds: 0.05, maxReceiveCount: 4 },
    });
    let environment: ChaosEnvironment | undefined;
    const proxy = await startLedgerFaultProxy({
      target: emulator.dynamoEndpoint,
      faults: emulator.faults,
      accounts: emulator.accounts,
      onForward: (call) => environment?.current?.tapLedger(call),
    });
    useEmulatorEnvironment(emulator, { ROUTE53_REQUESTS_PER_SECOND: '1000', AWS_ENDPOINT_URL_DYNAMODB: proxy.endpoint });
    const dynamo = new DynamoDBClient({
      region: 'us-east-1',
      endpoint: emulator.dynamoEndpoint,
      credentials: emulator.credentialsFor(HUB),
    });
    environment = new ChaosEnvironment(emulator, proxy, dynamo);
    return environment;
  }

  /** Runs one scenario to its end and judges it. */
  async run(scenario: Scenario, seed: number): Promise<RunReport> {
    this.runs += 1;
    const run = await ScenarioRun.open(this.emulator, this.dynamo, scenario, this.runs, seed);
    this.current = run;
    try {
      return await run.play();
    } finally {
      this.current = undefined;
      await run.close();
    }
  }

  async stop(): Promise<void> {
    this.dynamo.destroy();
    await Promise.all([this.proxy.close(), this.emulator.stop()]);
  }
}

class ScenarioRun {
  readonly monitor: WriteMonitor;
  private readonly clock = new DrivenClock();
  private readonly killSwitch = new KillSwitchWatch(this.clock, DEFAULT_CONTROLS_MAX_AGE_MS);
  private pause: PausePlan = { mode: 'off', afterCalls: 0 };
  /** The worker's port calls in this step's run, for a kill switch flipped mid-invocation. */
  private stepCalls = 0;
  private readonly rules = new Map<string, RuleSpec>();
  private readonly zonesEverCreated = new Map<ZoneId, ChildZone>();
  /** Names whose DS a person deleted or changed: subzone reports such a change and need not write the DS again. */
  private readonly handDs = new Set<string>();
  private keysCreated = 0;
  /** Zones whose team signs them once they are delegated. */
  private readonly signers = new Set<ZoneId>();
  private readonly intents = new Set<string>();
  private readonly eventsSeen = new Map<AccountId, number>();
  private readonly clients = new Map<AccountId, Route53Client>();
  /** The operator controls' SSM parameter. */
  private readonly controlParameterName: string;
  private readonly abandoned = new Set<Promise<unknown>>();
  private owners = new Map<string, string>();
  private late: string[] = [];
  private config: SubzoneConfig;
  private deps: WorkerDeps;
  private invocations = 0;
  private crash: CrashPlan = { probability: 0, afterCalls: 1, timeoutMs: 0 };
  private random: RandomGenerator;
  private readonly violations: Violation[] = [];
  private readonly telemetry = {
    logger: new Logger({ serviceName: 'subzone-chaos', logLevel: 'SILENT' }),
    metrics: new Metrics({ namespace: 'SubzoneChaos' }),
  };

  private constructor(
    private readonly emulator: Emulator,
    private readonly dynamo: DynamoDBClient,
    private readonly scenario: Scenario,
    private readonly accounts: readonly AccountId[],
    private readonly apex: string,
    private readonly parentZoneId: ZoneId,
    private readonly tableName: string,
    seed: number,
  ) {
    this.random = mersenne(seed);
    for (const rule of scenario.rules) this.rules.set(rule.name, rule);
    this.config = this.parse();
    const environment = { ...readEnvironment(), LEDGER_TABLE_NAME: tableName };
    this.controlParameterName = environment.CONTROL_PARAMETER_NAME;
    this.deps = {
      ...productionDeps(this.config, environment, { retry: quickRetries }),
      // The controls' cache runs on the driven clock, so the final sweeps (the clock moved on) see the switch as set.
      controls: new SsmControlSource(new SignedParameterReader(), {
        parameterName: environment.CONTROL_PARAMETER_NAME,
        clock: this.clock,
      }),
    };
    this.monitor = new WriteMonitor({
      parentZoneId,
      policy: () => this.policy(),
      liveZones: () => this.liveZones(),
      everyZone: () => [...this.zonesEverCreated.values()],
      intentRecorded: (key) => this.intents.has(key),
    });
    this.monitor.seed(emulator.route53.getHostedZone(HUB, parentZoneId).records.values());
  }

  static async open(emulator: Emulator, dynamo: DynamoDBClient, scenario: Scenario, runNumber: number, seed: number): Promise<ScenarioRun> {
    const accounts = Array.from(
      { length: scenario.accounts },
      (_, index) => `3${String(runNumber % 100_000).padStart(5, '0')}${String(index).padStart(6, '0')}`,
    );
    const apex = `run${runNumber}.example`;
    const parent = emulator.route53.createZone(HUB, apex);
    const tableName = `chaos-ledger-${runNumber}`;
    // dynalite makes a table ACTIVE at once (the emulator starts it with createTableMs 0).
    await dynamo.send(new CreateTableCommand(ledgerTableDefinition(tableName)));
    emulator.faults.clear();
    emulator.faults.reseed(seed);
    emulator.queues.purge(emulator.queue.queue);
    emulator.queues.purge(emulator.deadLetterQueue);
    emulator.events.clearLog();
    const run = new ScenarioRun(emulator, dynamo, scenario, accounts, apex, parent.id, tableName, seed);
    run.setWritesPaused(false);
    run.setUnreadable(true);
    emulator.setConsumer((event) => run.invoke(event));
    return run;
  }

  async play(): Promise<RunReport> {
    try {
      for (const [index, step] of this.scenario.steps.entries()) await this.playStep(step, index);
      await this.settleAndSweep();
      this.violations.push(
        ...this.monitor.violations,
        ...this.killSwitch.violations,
        ...checkFinalState({
          policy: this.policy(),
          zones: this.liveZones(),
          records: this.emulator.route53.listRecords(HUB, this.parentZoneId).map((record) => ({
            ...record,
            author: this.monitor.authorOf(record.name, record.type) ?? 'hand',
          })),
          ledger: await this.readLedger(),
          handDs: this.handDs,
        }),
      );
      return { violations: this.violations };
    } catch (error) {
      return {
        violations: [...this.violations, ...this.monitor.violations, ...this.killSwitch.violations],
        error: error instanceof Error ? error.message : String(error),
      };
    }
  }

  async close(): Promise<void> {
    this.emulator.setConsumer(undefined);
    this.emulator.faults.clear();
    await Promise.allSettled([...this.abandoned]);
    this.setUnreadable(false);
    this.setWritesPaused(false);
    for (const account of this.accounts) {
      for (const zone of this.emulator.route53.zonesOf(account)) this.emulator.route53.deleteZone(account, zone.id, { force: true });
    }
    this.emulator.route53.deleteZone(HUB, this.parentZoneId, { force: true });
    this.clients.forEach((client) => client.destroy());
    await this.dynamo.send(new DeleteTableCommand({ TableName: this.tableName })).catch(() => undefined);
  }

  /** Every change batch Route 53 applies: the monitor judges it, and the kill switch too when it is subzone's. */
  observe(batch: AppliedChangeBatch): void {
    if (this.monitor.observe(batch) !== 'subzone') return;
    this.killSwitch.checkWrite(`a batch of ${batch.changes.map((change) => `${change.action} ${change.type} ${change.name}`).join(', ')}`);
  }

  /** Sets the kill switch in the controls parameter, as an operator would. */
  setWritesPaused(paused: boolean): void {
    const controls = { writesPaused: paused, holds: [], setBy: 'chaos harness' };
    this.emulator.parameters.put(HUB, this.controlParameterName, JSON.stringify(controls));
    this.killSwitch.set(paused);
  }

  /** Denies (or allows again) the reader role of the scenario's unreadable account. */
  setUnreadable(denied: boolean): void {
    if (this.scenario.unreadable === null) return;
    const roleArn = `arn:aws:iam::${this.account(this.scenario.unreadable.account)}:role/${this.config.readerRoleName}`;
    if (denied) this.emulator.accounts.denyRole(roleArn);
    else this.emulator.accounts.allowRole(roleArn);
  }

  /** The ledger tap: intents as they are sent to the ledger, before any write they announce. */
  tapLedger(call: LedgerCall): void {
    if (call.operation !== 'PutItem') return;
    const request = JSON.parse(call.body) as { TableName?: string; Item?: Parameters<typeof unmarshall>[0] };
    if (request.TableName !== this.tableName || !request.Item) return;
    const item = unmarshall(request.Item) as Partial<LedgerEntry> & { sk?: string };
    if (!item.sk?.startsWith('ZONE#')) return;
    for (const change of item.intent?.changes ?? []) {
      this.intents.add(changeKey(change.action, change.record.name, change.record.type, change.record.values));
    }
  }

  // ---- one step ----

  private async playStep(step: Step, index: number): Promise<void> {
    await this.signPending();
    for (const action of step.actions) await this.act(action);
    const bodies = this.deliveries(step);
    this.applyFaults(step.faults);
    this.crash = step.crash;
    this.pause = step.pause;
    this.stepCalls = 0;
    // A step that sets the switch mid-run starts with it cleared, whatever the step before left.
    if (step.pause.mode === 'off' || step.pause.mode === 'set') this.setWritesPaused(false);
    if (step.pause.mode === 'on' || step.pause.mode === 'clear') {
      // Set a while before the run: every look at the controls must see it (beyond the cache window).
      this.setWritesPaused(true);
      this.clock.advanceMinutes(DEFAULT_CONTROLS_MAX_AGE_MS / 60_000);
    }
    for (const body of bodies) this.emulator.queues.send(this.emulator.queue.queue, body, { senderId: 'chaos' });
    await this.drain();
    this.emulator.faults.clear();
    this.crash = { probability: 0, afterCalls: 1, timeoutMs: 0 };
    this.pause = { mode: 'off', afterCalls: 0 };
    if (index + 1 === this.scenario.unreadable?.steps) this.setUnreadable(false);
    await this.checkNewOwners(`step ${index + 1}`);
    this.clock.advanceMinutes(step.minutes);
  }

  /** This step's events and the late ones of earlier steps, by their fates, in a shuffled order; maybe a sweep among them. */
  private deliveries(step: Step): string[] {
    const bodies = [...this.late];
    this.late = [];
    this.newEvents().forEach((body, index) => {
      const fate = step.fates[index % step.fates.length];
      if (fate === 'once') bodies.push(body);
      else if (fate === 'twice') bodies.push(body, body);
      else if (fate === 'late') this.late.push(body);
    });
    if (step.sweep) bodies.push(JSON.stringify(sweepRequest(`sweep-${this.clock.now().getTime()}`)));
    const order = mersenne(step.order);
    for (let index = bodies.length - 1; index > 0; index -= 1) {
      const other = unsafeUniformIntDistribution(0, index, order);
      [bodies[index], bodies[other]] = [bodies[other]!, bodies[index]!];
    }
    return bodies;
  }

  /** The CloudTrail events the children's calls put on their default buses since the last look. */
  private newEvents(): string[] {
    const bodies: string[] = [];
    for (const account of this.accounts) {
      const events = this.emulator.events.eventsOn(account, 'default');
      bodies.push(
        ...events
          .slice(this.eventsSeen.get(account) ?? 0)
          .filter((event) => event.source === 'aws.route53')
          .map((event) => JSON.stringify(event)),
      );
      this.eventsSeen.set(account, events.length);
    }
    return bodies;
  }

  private applyFaults(profile: FaultProfile): void {
    const specs: FaultSpec[] = [];
    const add = (probability: number, spec: Omit<FaultSpec, 'probability'>) => {
      if (probability > 0) specs.push({ ...spec, probability });
    };
    add(profile.throttle, { kind: 'throttle', operation: '*', service: 'route53' });
    add(profile.throttle, { kind: 'throttle', operation: '*', service: 'sts' });
    add(profile.serverError, { kind: 'server-error', operation: '*', service: 'route53', status: 503 });
    add(profile.priorRequestNotComplete, { kind: 'prior-request-not-complete', operation: 'ChangeResourceRecordSets' });
    add(profile.lostResponse, { kind: 'lost-response', operation: 'ChangeResourceRecordSets' });
    add(profile.ledger, { kind: 'throttle', operation: '*', service: 'dynamodb' });
    add(profile.ledger / 2, { kind: 'server-error', operation: '*', service: 'dynamodb' });
    add(profile.ledger / 2, { kind: 'lost-response', operation: 'PutItem', service: 'dynamodb' });
    add(profile.ledger / 2, { kind: 'lost-response', operation: 'DeleteItem', service: 'dynamodb' });
    if (profile.latencyMs > 0) add(0.3, { kind: 'latency', operation: '*', latencyMs: profile.latencyMs });
    specs.forEach((spec) => this.emulator.faults.add(spec));
  }

  /** The worker, as Lambda would run one invocation of it: maybe crashing, maybe timing out. */
  private invoke(event: SQSEvent): Promise<SQSBatchResponse> {
    this.invocations += 1;
    const crashes = this.crash.probability > 0 && unsafeUniformIntDistribution(0, 999, this.random) < this.crash.probability * 1000;
    const life = new InvocationLife(crashes ? this.crash.afterCalls : undefined, this.crash.timeoutMs || INVOCATION_TIMEOUT_MS, () =>
      this.countCall(),
    );
    const holder = `chaos-invocation-${this.invocations}`;
    const deps: WorkerDeps = {
      ...this.deps,
      config: this.config,
      reader: life.guard(this.deps.reader),
      parents: life.guard(this.deps.parents),
      ledger: life.guard(this.deps.ledger),
      publisher: life.guard(this.deps.publisher),
      controls: this.killSwitch.track(holder, life.guard(this.deps.controls)),
      probe: life.guard(this.deps.probe),
      queue: life.guard(this.deps.queue),
      clock: this.clock,
      holder,
      leaseTtlMs: LEASE_TTL_MS,
      leaseWaitMs: LEASE_WAIT_MS,
      telemetry: this.telemetry,
    };
    const running = makeHandler(deps)(event);
    this.abandoned.add(running);
    void running
      .finally(() => {
        this.abandoned.delete(running);
        this.killSwitch.ended(holder);
      })
      .catch(() => undefined);
    return Promise.race([running, life.death]);
  }

  /** A worker's port call in the step's run: the step's kill switch flips after so many. */
  private countCall(): void {
    this.stepCalls += 1;
    if (this.stepCalls !== this.pause.afterCalls) return;
    if (this.pause.mode === 'set') this.setWritesPaused(true);
    if (this.pause.mode === 'clear') this.setWritesPaused(false);
  }

  /** Waits for the queue to empty, then for abandoned invocations to stop (their last calls land first). */
  private async drain(): Promise<void> {
    await this.emulator.drain({ timeoutMs: DRAIN_TIMEOUT_MS });
    await Promise.allSettled([...this.abandoned]);
  }

  // ---- the world's actions ----

  private async act(action: Action): Promise<void> {
    switch (action.kind) {
      case 'create':
        return this.createZone(
          this.creator(action),
          action.name,
          action.privateZone,
          action.tag === UNTAGGED ? undefined : action.tag,
          action.signs,
        );
      case 'tag':
        return this.onZone(action.zone, (zone) => this.tag(zone.account, zone.id, action.value));
      case 'untag':
        return this.onZone(action.zone, (zone) =>
          this.route53As(zone.account).send(
            new ChangeTagsForResourceCommand({ ResourceType: 'hostedzone', ResourceId: zone.id, RemoveTagKeys: [OPT_IN_KEY] }),
          ),
        );
      case 'delete':
        return this.onZone(action.zone, (zone) =>
          refusable(this.route53As(zone.account).send(new DeleteHostedZoneCommand({ Id: zone.id }))),
        );
      case 'sign':
      case 'unsign':
      case 'add-key':
      case 'key-status':
      case 'dnssec-tag':
        return this.onZone(action.zone, (zone) => this.dnssecAction(zone, action), { publicOnly: true });
      case 'hand-foreign-ns':
        return this.handPut(this.fqdn(action.name), 'NS', SHORT_TTL, FOREIGN_NAME_SERVERS);
      case 'hand-address':
        return this.handPut(this.fqdn(action.name), 'A', SHORT_TTL, ['192.0.2.10']);
      case 'hand-copy':
        return this.onZone(action.zone, async (zone) => {
          if (!zone.privateZone)
            this.handPut(
              zone.name,
              'NS',
              DEFAULT_TTL,
              zone.nameServers.map((server) => `${server}.`),
            );
        });
      case 'hand-delete': {
        const record = pick(this.parentRecords(), action.record);
        if (!record) return;
        try {
          this.monitor.byHand(() => this.emulator.route53.deleteRecords(HUB, this.parentZoneId, [record]));
          if (record.type === 'DS') this.handDs.add(canonical(record.name));
        } catch {
          // Refused as Route 53 would refuse it (an NS beside a DS): the person's edit did not happen.
        }
        return;
      }
      case 'hand-edit': {
        const record = pick(
          this.parentRecords().filter((candidate) => candidate.type === 'NS' || candidate.type === 'DS'),
          action.record,
        );
        if (!record) return;
        const values = record.type === 'DS' ? [FOREIGN_DS] : [FOREIGN_NAME_SERVERS[0]!, ...record.values.slice(1)];
        this.monitor.byHand(() => this.emulator.route53.putRecords(HUB, this.parentZoneId, [{ ...record, values }]));
        if (record.type === 'DS') this.handDs.add(canonical(record.name));
        return;
      }
      case 'add-rule':
        this.rules.set(action.rule.name, action.rule);
        return this.deploy();
      case 'drop-rule': {
        const name = pick([...this.rules.keys()], action.rule);
        if (name !== undefined) this.rules.delete(name);
        return this.deploy();
      }
    }
  }

  /** A child team's DNSSEC call; Route 53's refusals (4xx) leave the zone as it was. */
  private async dnssecAction(
    zone: HostedZone,
    action: Extract<Action, { kind: 'sign' | 'unsign' | 'add-key' | 'key-status' | 'dnssec-tag' }>,
  ) {
    const route53 = this.route53As(zone.account);
    const keys = this.emulator.dnssec.getDnssec(zone.account, zone.id).keys;
    const HostedZoneId = zone.id;
    switch (action.kind) {
      case 'sign':
        if (!keys.some((key) => key.status === 'ACTIVE')) await this.createKey(zone, true);
        return refusable(route53.send(new EnableHostedZoneDNSSECCommand({ HostedZoneId })));
      case 'unsign':
        return refusable(route53.send(new DisableHostedZoneDNSSECCommand({ HostedZoneId })));
      case 'add-key':
        return this.createKey(zone, action.active);
      case 'key-status': {
        const key = pick(keys, action.key);
        if (!key) return;
        const command = action.active
          ? new ActivateKeySigningKeyCommand({ HostedZoneId, Name: key.name })
          : new DeactivateKeySigningKeyCommand({ HostedZoneId, Name: key.name });
        return refusable(route53.send(command as ActivateKeySigningKeyCommand));
      }
      case 'dnssec-tag': {
        const ResourceId = zone.id;
        const retired = pick(keys, action.key);
        if (action.tag === 'none')
          return route53.send(
            new ChangeTagsForResourceCommand({
              ResourceType: 'hostedzone',
              ResourceId,
              RemoveTagKeys: [DNSSEC_OFF_TAG.key, DS_RETIRE_TAG_KEY],
            }),
          );
        const tag =
          action.tag === 'off'
            ? { Key: DNSSEC_OFF_TAG.key, Value: DNSSEC_OFF_TAG.value }
            : { Key: DS_RETIRE_TAG_KEY, Value: retired?.name };
        if (tag.Value === undefined) return;
        return route53.send(new ChangeTagsForResourceCommand({ ResourceType: 'hostedzone', ResourceId, AddTags: [tag] }));
      }
    }
  }

  private createKey(zone: HostedZone, active: boolean): Promise<unknown> {
    this.keysCreated += 1;
    return refusable(
      this.route53As(zone.account).send(
        new CreateKeySigningKeyCommand({
          HostedZoneId: zone.id,
          Name: `chaos_key_${this.keysCreated}`,
          KeyManagementServiceArn: `arn:aws:kms:us-east-1:${zone.account}:key/chaos-${this.keysCreated}`,
          Status: active ? 'ACTIVE' : 'INACTIVE',
          CallerReference: `chaos-key-${this.keysCreated}`,
        }),
      ),
    );
  }

  private async createZone(
    account: AccountId,
    relative: string,
    privateZone: boolean,
    tag: string | undefined,
    signs: boolean,
  ): Promise<void> {
    const created = await this.route53As(account).send(
      new CreateHostedZoneCommand({
        Name: this.fqdn(relative),
        CallerReference: `chaos-${this.zonesEverCreated.size}-${Date.now()}`,
        ...(privateZone ? { HostedZoneConfig: { PrivateZone: true }, VPC: { VPCRegion: 'us-east-1', VPCId: 'vpc-0123abcd' } } : {}),
      }),
    );
    const zoneId = created.HostedZone?.Id?.split('/').pop();
    if (zoneId === undefined) throw new Error(`CreateHostedZone returned no id for ${relative}`);
    this.zonesEverCreated.set(zoneId, toChildZone(this.emulator.route53.getHostedZone(account, zoneId), this.emulator.dnssec));
    if (tag !== undefined) await this.tag(account, zoneId, tag);
    if (signs && !privateZone) this.signers.add(zoneId);
  }

  /** Teams waiting to sign try again (Route 53 refuses while the zone is not delegated). */
  private async signPending(): Promise<void> {
    for (const zoneId of this.signers) {
      const zone = this.liveZone(zoneId);
      if (zone && !zone.dnssecSigning) await this.dnssecAction(zone, { kind: 'sign', zone: 0 });
      if (!zone || zone.dnssecSigning) this.signers.delete(zoneId);
    }
  }

  private liveZone(zoneId: ZoneId): HostedZone | undefined {
    return this.accounts.flatMap((account) => this.emulator.route53.zonesOf(account)).find((zone) => zone.id === zoneId);
  }

  private tag(account: AccountId, zoneId: ZoneId, value: string): Promise<unknown> {
    return this.route53As(account).send(
      new ChangeTagsForResourceCommand({ ResourceType: 'hostedzone', ResourceId: zoneId, AddTags: [{ Key: OPT_IN_KEY, Value: value }] }),
    );
  }

  private async onZone(index: number, act: (zone: HostedZone) => Promise<unknown>, options = { publicOnly: false }): Promise<void> {
    const zones = this.accounts
      .flatMap((account) => this.emulator.route53.zonesOf(account))
      .filter((zone) => !(options.publicOnly && zone.privateZone))
      .sort((a, b) => a.sequence - b.sequence);
    const zone = pick(zones, index);
    if (zone) await act(zone);
  }

  /** The account that creates a zone: a claimant picks among the accounts the name's winning rule lists. */
  private creator(action: Extract<Action, { kind: 'create' }>): AccountId {
    const listed = action.claimant ? (winningRule(this.policy(), this.fqdn(action.name))?.accounts ?? []) : [];
    return pick(listed, action.account) ?? this.account(action.account);
  }

  /** A person's record in the parent; Route 53 refusing it (an NS at a name holding other records) leaves nothing to do. */
  private handPut(name: string, type: 'NS' | 'A', ttl: number, values: readonly string[]): void {
    if (this.parentRecords().some((record) => canonical(record.name) === name && record.type === type)) return;
    try {
      this.monitor.byHand(() => this.emulator.route53.putRecords(HUB, this.parentZoneId, [{ name, type, ttl, values }]));
    } catch {
      // Refused as Route 53 would refuse it: the person's edit did not happen.
    }
  }

  private deploy(): void {
    this.config = this.parse();
  }

  /** A child's Route 53 client; no SDK retries, the world's own calls are never faulted. */
  private route53As(account: AccountId): Route53Client {
    let client = this.clients.get(account);
    if (!client) {
      client = new Route53Client(clientConfig(this.emulator, account, { maxAttempts: 1 }));
      this.clients.set(account, client);
    }
    return client;
  }

  // ---- judging ----

  private async checkNewOwners(when: string): Promise<void> {
    const { owners } = await this.readLedger();
    const policy = this.policy();
    const live = this.liveZones();
    const next = new Map(owners.map((owner) => [`${owner.name}|${owner.zoneId}`, owner.zoneId]));
    for (const owner of owners) {
      if (this.owners.has(`${owner.name}|${owner.zoneId}`)) continue;
      const zone = live.find((candidate) => candidate.zoneId === owner.zoneId);
      if (!zone || zone.name !== canonical(owner.name) || !isValidClaim(policy, zone)) {
        this.violations.push({
          invariant: '7: every owner was a valid claimant when it took the name',
          message: `${when}: ${owner.name} taken by ${owner.account}/${owner.zoneId}`,
        });
      }
    }
    this.owners = next;
  }

  private async settleAndSweep(): Promise<void> {
    this.setWritesPaused(false);
    this.setUnreadable(false);
    for (const body of this.late) this.emulator.queues.send(this.emulator.queue.queue, body, { senderId: 'chaos' });
    this.late = [];
    await this.drain();
    await this.signPending();
    let ledgerBefore = await this.ledgerFingerprint();
    for (let sweep = 1; ; sweep += 1) {
      const writesBefore = this.monitor.subzoneBatches;
      this.clock.advanceMinutes(FINAL_SWEEP_MINUTES);
      this.emulator.queues.send(this.emulator.queue.queue, JSON.stringify(sweepRequest(`final-${sweep}-${this.clock.now().getTime()}`)), {
        senderId: 'scheduler',
      });
      await this.drain();
      await this.checkNewOwners(`final sweep ${sweep}`);
      const wrote = this.monitor.subzoneBatches - writesBefore;
      const ledgerAfter = await this.ledgerFingerprint();
      const ledgerChanged = ledgerAfter !== ledgerBefore;
      ledgerBefore = ledgerAfter;
      if (wrote === 0 && !ledgerChanged && sweep >= MIN_FINAL_SWEEPS) return;
      if (sweep === MAX_FINAL_SWEEPS) {
        this.violations.push({
          invariant: 'convergence: sweeps stop changing anything once the faults stop',
          message: `sweep ${sweep} after the faults still wrote ${wrote} batches${ledgerChanged ? ' and changed the ledger' : ''}`,
        });
        return;
      }
    }
  }

  private async scanLedger(): Promise<Array<Record<string, unknown>>> {
    const items: Array<Record<string, unknown>> = [];
    for await (const page of paginateScan({ client: this.dynamo }, { TableName: this.tableName, ConsistentRead: true })) {
      items.push(...(page.Items ?? []).map((item) => unmarshall(item)));
    }
    return items;
  }

  /** The ledger entries (with their versions) and name owners: what a sweep that changes nothing leaves as it found. */
  private async ledgerFingerprint(): Promise<string> {
    const items = await this.scanLedger();
    return items
      .filter((item) => String(item.sk).startsWith('ZONE#') || item.sk === 'OWNER')
      .map((item) => `${String(item.pk)}|${String(item.sk)}|${String(item.version ?? item.zoneId)}`)
      .sort()
      .join('\n');
  }

  private async readLedger(): Promise<FinalLedger> {
    const items = await this.scanLedger();
    const owners: FinalOwner[] = items
      .filter((item) => item.sk === 'OWNER')
      .map((item) => ({ name: String(item.name), account: String(item.account), zoneId: String(item.zoneId) }));
    // A lease of a dead invocation stays until DynamoDB's TTL deletes it (the table's TTL
    // attribute; dynalite has no TTL): one that carries an expiry already past is not left behind.
    const nowEpoch = this.clock.now().getTime() / 1000;
    const expiredForTtl = (item: Record<string, unknown>) =>
      typeof item[LEDGER_TTL_ATTRIBUTE] === 'number' && item[LEDGER_TTL_ATTRIBUTE] <= nowEpoch;
    const leases = items
      .filter((item) => item.sk === 'LEASE' && !expiredForTtl(item))
      .map((item) => `${String(item.account)} held by ${String(item.holder)} until ${String(item.expiresAt)}`);
    const unsettled = items
      .filter(
        (item) =>
          String(item.sk).startsWith('ZONE#') && (item.intent !== undefined || item.state === 'creating' || item.state === 'removing'),
      )
      .map(
        (item) =>
          `${String(item.account)}/${String(item.zoneId)} ${String(item.name)} is ${String(item.state)}${item.intent ? ' with an open intent' : ''}`,
      );
    return { owners, leases, unsettled };
  }

  private policy(): TruthPolicy {
    return {
      apex: this.apex,
      rules: this.truthRules(),
      defaultTtl: DEFAULT_TTL,
      optInValue: OPT_IN_VALUE,
      dnssec: this.scenario.dnssec,
      dsTtl: this.config.dnssec.dsTtl,
    };
  }

  private truthRules(): TruthRule[] {
    return [...this.rules.values()].map((rule) => ({
      name: this.fqdn(rule.name),
      accounts: [...new Set(rule.accounts.map((index) => this.account(index)))],
      ...(rule.shortTtl ? { nsTtl: SHORT_TTL } : {}),
    }));
  }

  private parse(): SubzoneConfig {
    return parseConfig({
      version: 1,
      mode: 'enforce',
      parentZones: [{ name: this.apex, hostedZoneId: this.parentZoneId }],
      rules: this.truthRules(),
      optInTag: { key: OPT_IN_KEY, value: OPT_IN_VALUE },
      nsTtl: DEFAULT_TTL,
      graceMinutes: GRACE_MINUTES,
      // The removal budget has its own tests; here every settled removal must go through.
      removalBudget: { records: 1000, percent: 100 },
      dnssec: { enabled: this.scenario.dnssec },
    }).config;
  }

  private liveZones(): ChildZone[] {
    return this.accounts.flatMap((account) =>
      this.emulator.route53.zonesOf(account).map((zone) => toChildZone(zone, this.emulator.dnssec)),
    );
  }

  private parentRecords() {
    return this.emulator.route53.listRecords(HUB, this.parentZoneId).filter((record) => canonical(record.name) !== this.apex);
  }

  private account(index: number): AccountId {
    return this.accounts[index % this.accounts.length]!;
  }

  private fqdn(relative: string): string {
    return `${relative}.${this.apex}`;
  }
}

function toChildZone(zone: HostedZone, dnssec: DnssecState): ChildZone {
  const keys = zone.privateZone ? [] : dnssec.getDnssec(zone.account, zone.id).keys;
  return {
    account: zone.account,
    zoneId: zone.id,
    name: canonical(zone.name),
    privateZone: zone.privateZone,
    tagValue: zone.tags.get(OPT_IN_KEY),
    nameServers: zone.nameServers.map(canonical),
    signing: {
      signing: zone.dnssecSigning,
      activeKeys: keys
        .filter((key) => key.status === 'ACTIVE')
        .map((key) => ({ name: key.name, ds: dsPresentation(key.key, toWireName(zone.name)) })),
      dsOff: zone.tags.get(DNSSEC_OFF_TAG.key) === DNSSEC_OFF_TAG.value,
      retiredKey: zone.tags.get(DS_RETIRE_TAG_KEY),
    },
  };
}

function pick<T>(items: readonly T[], index: number): T | undefined {
  return items.length === 0 ? undefined : items[index % items.length];
}

/** A child's call Route 53 may refuse (a client error): the refusal changes nothing, as it would in AWS. */
async function refusable(call: Promise<unknown>): Promise<void> {
  try {
    await call;
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status === undefined || status < 400 || status >= 500) throw error;
  }
}
