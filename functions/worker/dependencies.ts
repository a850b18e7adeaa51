/**
 * The production wiring: every port over its AWS adapter, built once per process.
 * Tests and the emulator build their own WorkerDeps (or call this with their environment).
 */
import { randomUUID } from 'node:crypto';
import { createAwsClients, ROUTE53_REGION, spokeRoute53Factory, type RetryStrategyFactory } from '../adapters/clients';
import { DnsDelegationProbe } from '../adapters/dns-delegation-probe';
import { requestsPerEnvironment } from '../adapters/rate-limiter';
import { DynamoDbLedger } from '../adapters/dynamodb-ledger';
import { EventBridgeOutcomePublisher } from '../adapters/eventbridge-outcome-publisher';
import { logger, metrics } from '../adapters/observability';
import { Route53ParentZoneStore } from '../adapters/route53-parent-zone-store';
import { Route53SpokeZoneReader } from '../adapters/spoke-zone-reader';
import { SpokeCredentials } from '../adapters/spoke-credentials';
import { SqsWorkQueue } from '../adapters/sqs-work-queue';
import { randomIds, systemClock } from '../adapters/system-clock';
import { SignedParameterReader } from '../adapters/signed-parameter-reader';
import { SsmControlSource } from '../adapters/ssm-control-source';
import { sentenceForOutcome } from '../core/outcome-sentences';
import { accountsInAllowlist } from '../core/rules';
import type { SubzoneConfig } from '../core/types';
import type { WorkerEnvironment } from './environment';
import type { WorkerDeps } from './process-batch';

/** How a harness may build the clients; production passes nothing. */
export interface ClientOptions {
  /** Every client's retry strategy, from its attempt count (clients.ts). @default the SDK's standard one */
  readonly retry?: RetryStrategyFactory;
}

/** Builds the worker's dependencies from a validated config and environment. */
export function productionDeps(config: SubzoneConfig, env: WorkerEnvironment, options: ClientOptions = {}): WorkerDeps {
  const requestsPerSecond = requestsPerEnvironment(env.ROUTE53_REQUESTS_PER_SECOND, env.WORKER_MAX_CONCURRENCY);
  const clients = createAwsClients({ rateLimit: { requestsPerSecond }, retry: options.retry });
  const credentials = new SpokeCredentials({ sts: clients.sts, readerRoleName: config.readerRoleName });
  // The worker's role may put events only on the default buses of allowlisted accounts.
  const allowlisted = accountsInAllowlist(config);
  const resolvers = env.DNS_RESOLVERS?.split(',')
    .map((server) => server.trim())
    .filter(Boolean);
  const parents = new Route53ParentZoneStore(clients.hubRoute53);
  return {
    config,
    reader: new Route53SpokeZoneReader({
      route53For: spokeRoute53Factory((account) => credentials.providerFor(account), { retry: options.retry }),
      optInTag: config.optInTag,
      readSigning: config.dnssec.enabled,
    }),
    parents,
    parentPages: parents,
    ledger: new DynamoDbLedger(clients.dynamoDb, { tableName: env.LEDGER_TABLE_NAME }),
    publisher: new EventBridgeOutcomePublisher(clients.eventBridge, {
      eventBusName: env.HUB_EVENT_BUS_NAME,
      onCallFailed: (error) => logger.error('PutEvents failed', { error }),
      // The spoke stack (in us-east-1, with Route 53's events) admits them on the account's default bus.
      accountDelivery: {
        busOf: (account) => (allowlisted.has(account) ? `arn:aws:events:${ROUTE53_REGION}:${account}:event-bus/default` : undefined),
        sentence: (event) => sentenceForOutcome(event, config),
        onFailed: (error, events) =>
          logger.warn('outcome events not delivered to the child account', {
            error,
            accounts: events.map((event) => event.detail.account),
          }),
      },
    }),
    controls: new SsmControlSource(new SignedParameterReader(), {
      parameterName: env.CONTROL_PARAMETER_NAME,
      onInvalid: (error) => logger.error('controls parameter is invalid: writes paused', { error }),
    }),
    probe: new DnsDelegationProbe({ port: env.DNS_PORT, ...(resolvers?.length ? { resolverServers: resolvers } : {}) }),
    queue: new SqsWorkQueue(clients.sqs, { queueUrl: env.WORK_QUEUE_URL }),
    clock: systemClock,
    ids: randomIds,
    holder: `worker-${randomUUID()}`,
    leaseTtlMs: env.LEASE_TTL_SECONDS * 1000,
    leaseWaitMs: env.LEASE_WAIT_SECONDS * 1000,
    telemetry: { logger, metrics },
  };
}
