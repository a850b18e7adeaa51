/**
 * The embedded AWS emulator, composed: one loopback endpoint for Route 53, STS,
 * EventBridge, SQS and SSM, dynalite for the ledger, and the DNS listener. The event path is
 * wired as subzone deploys it: each spoke account's default bus has the forwarding rule to
 * the hub bus, the hub bus has the hub rule to the work queue (with its dead-letter queue),
 * and the queue feeds the consumer the way Lambda's SQS event source mapping does.
 */
import {
  CONTROL_PARAMETER_NAME,
  HUB_EVENT_BUS_NAME,
  HUB_RULE_NAME,
  INITIAL_CONTROLS as INITIAL_CONTROL_VALUES,
  SPOKE_RULE_NAME,
  WORKER_MAX_CONCURRENCY_VARIABLE,
} from '../functions/core/contract';
import type { AccountId } from '../functions/core/types';
import { OUTCOME_SOURCE, ROUTE53_EVENT_PATTERN } from '../functions/core/event-pattern';
import { CredentialRegistry, STATIC_SECRET_ACCESS_KEY, staticAccessKeyId } from './accounts';
import { createAdminHandler } from './admin';
import { CallCounters } from './counters';
import { startDnsServer, type DnsServer } from './dns/dns-server';
import { startLedgerDatabase } from './dynamo';
import { DEFAULT_BUS, EventBuses } from './eventbridge/buses';
import { EventBridgeService } from './eventbridge/service';
import { FaultInjector } from './faults';
import { RequestQuota } from './quota';
import { DnssecState } from './route53/dnssec';
import { Route53Service } from './route53/route53-service';
import { Route53State } from './route53/state';
import { startFrontDoor } from './server';
import { DEFAULT_MAPPING, SqsEventSourceMapping, type EventSourceMappingSettings, type SqsConsumer } from './sqs/event-source-mapping';
import { QueueStore, type Queue } from './sqs/queues';
import { SqsService } from './sqs/service';
import { ParameterStore, SsmService } from './ssm/service';
import { StsService } from './sts/sts-service';

/** The DNS ("hub") account unless told otherwise. */
export const DEFAULT_HUB_ACCOUNT = '111111111111';
/** Child accounts wired with the forwarding rule unless told otherwise. */
export const DEFAULT_SPOKE_ACCOUNTS: readonly AccountId[] = ['222222222222'];
/** Route 53's events arrive in us-east-1 only, so everything lives there. */
export const REGION = 'us-east-1';

/** The names of what the emulator creates, matching the infrastructure's. */
export interface EmulatorNames {
  readonly hubEventBusName: string;
  readonly hubRuleName: string;
  readonly spokeRuleName: string;
  readonly workQueueName: string;
  readonly deadLetterQueueName: string;
  readonly ledgerTableName: string;
  readonly controlParameterName: string;
}

/** The names the infrastructure uses (hub bus, spoke rule, queue, table, parameter). */
export const DEFAULT_NAMES: EmulatorNames = {
  hubEventBusName: HUB_EVENT_BUS_NAME,
  hubRuleName: HUB_RULE_NAME,
  spokeRuleName: SPOKE_RULE_NAME,
  workQueueName: 'subzone-work',
  deadLetterQueueName: 'subzone-work-dlq',
  ledgerTableName: 'subzone-ledger',
  controlParameterName: CONTROL_PARAMETER_NAME,
};

/** The operator controls' value when nothing is paused or held. */
export const INITIAL_CONTROLS = JSON.stringify(INITIAL_CONTROL_VALUES);

/** The work queue and its event source mapping. */
export interface QueueOptions extends EventSourceMappingSettings {
  /** Fractions are allowed in-process so retry tests run fast. @default 30 */
  readonly visibilityTimeoutSeconds: number;
  /** Receives before a message moves to the dead-letter queue. @default 5 */
  readonly maxReceiveCount: number;
}

/** How to start the emulator; everything has a default. */
export interface EmulatorOptions {
  /** The DNS ("hub") account. @default '111111111111' */
  readonly hubAccount?: AccountId;
  /** Child accounts that get the forwarding rule (more can be added later). @default ['222222222222'] */
  readonly spokeAccounts?: readonly AccountId[];
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** Port of the AWS endpoint. @default 0 (any free port) */
  readonly port?: number;
  /** Port of the ledger's dynalite. @default 0 (any free port) */
  readonly dynamoPort?: number;
  /** Port of the DNS listeners (UDP and TCP). @default 0 (any free port) */
  readonly dnsPort?: number;
  /** How long a Route 53 change stays PENDING before GetChange says INSYNC. @default 0 */
  readonly changeSyncDelayMs?: number;
  readonly queue?: Partial<QueueOptions>;
  /** Seed of the fault injector's probability draws. @default 1 */
  readonly seed?: number;
  readonly names?: Partial<EmulatorNames>;
}

/** Access keys acting in one account. */
export interface AccountCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** A running emulator. */
export interface Emulator {
  /** `http://127.0.0.1:<port>`: every emulated AWS service. */
  readonly endpoint: string;
  /** dynalite's endpoint, holding the ledger table. */
  readonly dynamoEndpoint: string;
  /** Port of the DNS listeners: 127.0.0.1 answers as the hub's zones' name servers do. */
  readonly dnsPort: number;
  /** The DNS listeners (`addressOf(nameServer)` gives a name server's loopback address). */
  readonly dns: DnsServer;
  /** Route 53's state, for tests, the walk-through and the benchmark. */
  readonly route53: Route53State;
  /** DNSSEC signing of the zones in `route53`. */
  readonly dnssec: DnssecState;
  readonly hubAccount: AccountId;
  readonly names: EmulatorNames;
  /** The variables a process exports to run against the emulator as the hub account. */
  readonly env: Readonly<Record<string, string>>;
  readonly accounts: CredentialRegistry;
  readonly events: EventBuses;
  readonly queues: QueueStore;
  /** The work queue's event source mapping (`queue.queue` is the queue itself). */
  readonly queue: SqsEventSourceMapping;
  readonly deadLetterQueue: Queue;
  readonly parameters: ParameterStore;
  readonly faults: FaultInjector;
  readonly quota: RequestQuota;
  readonly counters: CallCounters;
  /** Child accounts with the forwarding rule. */
  spokeAccounts(): readonly AccountId[];
  /** Gives a child account the forwarding rule to the hub bus. */
  addSpokeAccount(account: AccountId): void;
  /** Static credentials acting in `account`. */
  credentialsFor(account: AccountId): AccountCredentials;
  /** `env` acting as another account. */
  envFor(account: AccountId): Readonly<Record<string, string>>;
  /** Attaches the worker to the work queue (undefined detaches it; messages then wait). */
  setConsumer(consumer: SqsConsumer | undefined): void;
  /** No batch running and no message visible. */
  idle(options?: { readonly timeoutMs?: number }): Promise<void>;
  /** No batch running and the work queue empty (retries done or dead-lettered). */
  drain(options?: { readonly timeoutMs?: number }): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the emulator; every port defaults to a free one. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const hubAccount = options.hubAccount ?? DEFAULT_HUB_ACCOUNT;
  const names: EmulatorNames = { ...DEFAULT_NAMES, ...options.names };
  const queueOptions: QueueOptions = { ...DEFAULT_MAPPING, visibilityTimeoutSeconds: 30, maxReceiveCount: 5, ...options.queue };
  const host = options.host ?? '127.0.0.1';
  const spokes = new Set<AccountId>();

  const accounts = new CredentialRegistry();
  const counters = new CallCounters();
  const faults = new FaultInjector(options.seed ?? 1);
  const quota = new RequestQuota();
  let endpoint = '';
  const queues = new QueueStore(() => endpoint, REGION);
  const events = new EventBuses((queueArn, body, sender) => {
    const queue = queues.byArn(queueArn);
    if (!queue) return false;
    queues.send(queue, body, { senderId: sender });
    return true;
  }, REGION);
  const parameters = new ParameterStore(REGION);
  const route53 = new Route53State({ changeSyncDelayMs: options.changeSyncDelayMs ?? 0 });
  const dnssec = new DnssecState(route53);
  const route53Service = new Route53Service({ state: route53, dnssec, credentials: accounts, onEvent: (event) => events.emitAws(event) });

  const database = await startLedgerDatabase({
    tableName: names.ledgerTableName,
    account: hubAccount,
    host,
    ...(options.dynamoPort === undefined ? {} : { port: options.dynamoPort }),
  });
  const frontDoor = await startFrontDoor({
    services: [
      route53Service,
      new StsService(accounts),
      new EventBridgeService(events),
      new SqsService(queues),
      new SsmService(parameters),
    ],
    credentials: accounts,
    faults,
    quota,
    counters,
    admin: createAdminHandler({ counters, faults, quota, events, roles: accounts }),
    host,
    ...(options.port === undefined ? {} : { port: options.port }),
  }).catch(async (error: unknown) => {
    await database.stop();
    throw error;
  });
  endpoint = frontDoor.endpoint;
  const dnsOptions = { route53State: route53, port: options.dnsPort ?? 0, host, primaryAccount: hubAccount, dnssec };
  const dns = await startDnsServer(dnsOptions).catch(async (error: unknown) => {
    await Promise.all([frontDoor.close(), database.stop()]);
    throw error;
  });

  const deadLetterQueue = queues.createQueue(hubAccount, names.deadLetterQueueName);
  const workQueue = queues.createQueue(hubAccount, names.workQueueName, {
    visibilityTimeoutSeconds: queueOptions.visibilityTimeoutSeconds,
    redrive: { deadLetterQueueName: deadLetterQueue.name, maxReceiveCount: queueOptions.maxReceiveCount },
  });
  const mapping = new SqsEventSourceMapping(queues, workQueue, {
    batchSize: queueOptions.batchSize,
    maximumBatchingWindowMs: queueOptions.maximumBatchingWindowMs,
    maximumConcurrency: queueOptions.maximumConcurrency,
  });

  events.ensureBus(hubAccount, names.hubEventBusName);
  events.putRule(hubAccount, names.hubEventBusName, names.hubRuleName, ROUTE53_EVENT_PATTERN);
  events.putTargets(hubAccount, names.hubEventBusName, names.hubRuleName, [{ id: 'work-queue', arn: workQueue.arn }]);
  parameters.put(hubAccount, names.controlParameterName, INITIAL_CONTROLS);

  const addSpokeAccount = (account: AccountId): void => {
    staticAccessKeyId(account);
    spokes.add(account);
    events.putRule(account, DEFAULT_BUS, names.spokeRuleName, ROUTE53_EVENT_PATTERN);
    events.putTargets(account, DEFAULT_BUS, names.spokeRuleName, [
      { id: 'hub-bus', arn: events.busArn(hubAccount, names.hubEventBusName) },
    ]);
    // The spoke's default-bus policy: the hub may put subzone's outcome events there, nothing else.
    events.allowPutEvents(account, DEFAULT_BUS, { principalAccount: hubAccount, source: OUTCOME_SOURCE });
  };
  (options.spokeAccounts ?? DEFAULT_SPOKE_ACCOUNTS).forEach(addSpokeAccount);

  const credentialsFor = (account: AccountId): AccountCredentials => ({
    accessKeyId: staticAccessKeyId(account),
    secretAccessKey: STATIC_SECRET_ACCESS_KEY,
  });
  const envFor = (account: AccountId): Readonly<Record<string, string>> => ({
    AWS_ENDPOINT_URL: frontDoor.endpoint,
    AWS_ENDPOINT_URL_DYNAMODB: database.endpoint,
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: credentialsFor(account).accessKeyId,
    AWS_SECRET_ACCESS_KEY: STATIC_SECRET_ACCESS_KEY,
    LEDGER_TABLE_NAME: names.ledgerTableName,
    HUB_EVENT_BUS_NAME: names.hubEventBusName,
    WORK_QUEUE_URL: workQueue.url,
    CONTROL_PARAMETER_NAME: names.controlParameterName,
    // The worker's dangling-suspect DNS check asks the emulator's name servers.
    DNS_RESOLVERS: `${host}:${dns.port}`,
    DNS_PORT: String(dns.port),
    // Every invocation the queue's mapping makes runs in this one process, through one limiter.
    [WORKER_MAX_CONCURRENCY_VARIABLE]: '1',
  });

  return {
    endpoint: frontDoor.endpoint,
    dynamoEndpoint: database.endpoint,
    dnsPort: dns.port,
    dns,
    route53,
    dnssec,
    hubAccount,
    names,
    env: envFor(hubAccount),
    accounts,
    events,
    queues,
    queue: mapping,
    deadLetterQueue,
    parameters,
    faults,
    quota,
    counters,
    spokeAccounts: () => [...spokes],
    addSpokeAccount,
    credentialsFor,
    envFor,
    setConsumer: (consumer) => mapping.setConsumer(consumer),
    idle: (waitOptions) => mapping.idle(waitOptions),
    drain: (waitOptions) => mapping.drain(waitOptions),
    stop: async () => {
      mapping.stop();
      await Promise.all([frontDoor.close(), database.stop(), dns.stop()]);
    },
  };
}
