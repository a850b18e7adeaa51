/**
 * Factories for the SDK v3 clients subzone uses. The worker calls them once, at module
 * scope; tests call them with their own options. None sets `endpoint`: the SDK reads
 * AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE> (e.g. AWS_ENDPOINT_URL_ROUTE_53), which
 * is how the same code runs against AWS and the emulator (docs/concepts.md).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { Route53Client } from '@aws-sdk/client-route-53';
import { SQSClient } from '@aws-sdk/client-sqs';
import { STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, RetryStrategyV2 } from '@smithy/types';
import { SUBZONE_REGION } from '../core/contract';
import { RequestRateLimiter, rateLimitPlugin, type RequestGate, type RequestRateLimit } from './rate-limiter';

/** Route 53 is global; its endpoint in the `aws` partition is signed for us-east-1, subzone's region. */
export const ROUTE53_REGION = SUBZONE_REGION;

/**
 * Attempts per Route 53 call. `Throttling` and `PriorRequestNotComplete` are in the
 * standard strategy's throttling codes (@smithy/core retry `THROTTLING_ERROR_CODES`), so
 * they are retried with exponential backoff and full jitter; the default of 3 attempts is
 * too few for a busy account.
 */
export const ROUTE53_MAX_ATTEMPTS = 8;

/** The SDK's own attempt count, which the other clients keep. */
const SDK_DEFAULT_MAX_ATTEMPTS = 3;

/**
 * Builds a client's retry strategy from its attempt count. Production leaves it out (the
 * SDK's standard strategy); a harness that drives time gives one with the same attempts and
 * no real backoff, so injected throttles cost no wall-clock time.
 */
export type RetryStrategyFactory = (maxAttempts: number) => RetryStrategyV2;

/** The retry settings of a client: the standard strategy, or the factory's with the same attempts. */
function retrySettings(maxAttempts: number | undefined, retry: RetryStrategyFactory | undefined) {
  if (retry) return { retryStrategy: retry(maxAttempts ?? SDK_DEFAULT_MAX_ATTEMPTS) };
  return { retryMode: 'standard' as const, ...(maxAttempts === undefined ? {} : { maxAttempts }) };
}

/** Options of the hub Route 53 client. */
export interface HubRoute53ClientOptions {
  /** The rate of the limiter every request passes. @default DEFAULT_HUB_RATE_LIMIT (5 in any second) */
  readonly rateLimit?: Partial<RequestRateLimit>;
  /** A gate every request waits for before signing, instead of the limiter's two gates (tests). */
  readonly gate?: RequestGate;
  /** @default ROUTE53_MAX_ATTEMPTS */
  readonly maxAttempts?: number;
  /** @default the SDK's standard retry strategy */
  readonly retry?: RetryStrategyFactory;
}

/**
 * The Route 53 client of the hub (DNS) account: region us-east-1, standard retries with
 * ROUTE53_MAX_ATTEMPTS, and every HTTP request (retries included) through the rate limiter's
 * two gates, before and after signing.
 */
export function createHubRoute53Client(options: HubRoute53ClientOptions = {}): Route53Client {
  const client = new Route53Client({
    region: ROUTE53_REGION,
    ...retrySettings(options.maxAttempts ?? ROUTE53_MAX_ATTEMPTS, options.retry),
  });
  const gates: [RequestGate, RequestGate?] = options.gate
    ? [options.gate]
    : [new RequestRateLimiter(options.rateLimit), new RequestRateLimiter(options.rateLimit)];
  client.middlewareStack.use(rateLimitPlugin(...gates));
  return client;
}

/** Options of a spoke Route 53 client. */
export interface SpokeRoute53ClientOptions {
  /** @default ROUTE53_MAX_ATTEMPTS */
  readonly maxAttempts?: number;
  /** @default the SDK's standard retry strategy */
  readonly retry?: RetryStrategyFactory;
  /** How many accounts' clients are kept (the least recently used one is destroyed). */
  readonly kept?: number;
}

/**
 * A Route 53 client acting in a child account with the reader role's credentials. Its
 * calls spend the child account's quota, not the hub's, so it has no rate limiter.
 */
export function createSpokeRoute53Client(
  credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider,
  options: SpokeRoute53ClientOptions = {},
): Route53Client {
  return new Route53Client({
    region: ROUTE53_REGION,
    ...retrySettings(options.maxAttempts ?? ROUTE53_MAX_ATTEMPTS, options.retry),
    credentials,
  });
}

/** STS, in the worker's own region (AWS_REGION), for AssumeRole into the reader roles. */
export function createStsClient(retry?: RetryStrategyFactory): STSClient {
  return new STSClient(retrySettings(undefined, retry));
}

/** EventBridge, for outcome events on the hub bus. */
export function createEventBridgeClient(retry?: RetryStrategyFactory): EventBridgeClient {
  return new EventBridgeClient(retrySettings(undefined, retry));
}

/** DynamoDB, for the ledger. */
export function createDynamoDbClient(retry?: RetryStrategyFactory): DynamoDBClient {
  return new DynamoDBClient(retrySettings(undefined, retry));
}

/** SQS, for the worker's own queue (sweep fan-out, CLI requests). */
export function createSqsClient(retry?: RetryStrategyFactory): SQSClient {
  return new SQSClient(retrySettings(undefined, retry));
}

/** Every client the worker needs, built once. */
export interface AwsClients {
  readonly hubRoute53: Route53Client;
  readonly sts: STSClient;
  readonly eventBridge: EventBridgeClient;
  readonly dynamoDb: DynamoDBClient;
  readonly sqs: SQSClient;
}

/** Builds every client of AwsClients; call once per process (module scope in the Lambda). `hub.retry` applies to them all. */
export function createAwsClients(hub: HubRoute53ClientOptions = {}): AwsClients {
  const { retry } = hub;
  return {
    hubRoute53: createHubRoute53Client(hub),
    sts: createStsClient(retry),
    eventBridge: createEventBridgeClient(retry),
    dynamoDb: createDynamoDbClient(retry),
    sqs: createSqsClient(retry),
  };
}

/**
 * Spoke clients kept at most: a warm worker serves every account of a sweep in turn, and a
 * client holds its own sockets and configuration, so 5,000 accounts must not mean 5,000 clients.
 */
export const SPOKE_CLIENTS_KEPT = 64;

/**
 * One spoke Route 53 client per account, built on first use and kept while it is among the
 * `kept` most recently used (the least recently used is destroyed to make room); a client built
 * again later gets its credentials from `credentialsFor`, whose cache spares the STS call.
 */
export function spokeRoute53Factory(
  credentialsFor: (account: string) => AwsCredentialIdentityProvider,
  options: SpokeRoute53ClientOptions = {},
): (account: string) => Route53Client {
  const kept = options.kept ?? SPOKE_CLIENTS_KEPT;
  // A Map iterates in insertion order: re-inserting on use keeps the least recently used first.
  const clients = new Map<string, Route53Client>();
  return (account) => {
    const client = clients.get(account) ?? createSpokeRoute53Client(credentialsFor(account), options);
    clients.delete(account);
    clients.set(account, client);
    for (const [oldest, evicted] of clients) {
      if (clients.size <= kept) break;
      clients.delete(oldest);
      evicted.destroy();
    }
    return client;
  };
}
