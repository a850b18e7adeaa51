/**
 * The emulator's front door: one HTTP server on loopback serving every emulated service on
 * the same endpoint. A request is routed by its protocol (Route 53 REST paths, the JSON
 * services' `x-amz-target`, STS's query form), acts in the account of its SigV4 access key,
 * is counted, may be hit by an injected fault or refused by the quota, and is answered in
 * the service's own protocol.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AccountId } from '../functions/core/types';
import { parseSigV4AccessKeyId } from './accounts';
import type { CallCounters } from './counters';
import { throttlingError, type FaultInjector } from './faults';
import type { RequestQuota } from './quota';
import { EmulatedServiceError, type EmulatedService, type ServiceName, type ServiceRequest, type ServiceResponse } from './types';

/** Answers `/_emulator/...` requests; see admin.ts. */
export type AdminHandler = (request: {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly body: string;
}) => Promise<ServiceResponse>;

/** Resolves access keys to accounts (accounts.ts CredentialRegistry). */
export interface CredentialLookup {
  accountFor(accessKeyId: string): AccountId | undefined;
  sessionTokenMatches(accessKeyId: string, sessionToken: string | undefined): boolean;
}

/** What the front door serves and the controls it applies to every call. */
export interface FrontDoorOptions {
  readonly services: readonly EmulatedService[];
  readonly credentials: CredentialLookup;
  readonly faults: FaultInjector;
  readonly quota: RequestQuota;
  readonly counters: CallCounters;
  readonly admin?: AdminHandler;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** @default 0 (any free port) */
  readonly port?: number;
}

/** A listening front door. */
export interface FrontDoor {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Paths under this prefix go to the admin endpoint, not to a service. */
export const ADMIN_PREFIX = '/_emulator/';
const JSON_TARGETS: ReadonlyArray<readonly [string, ServiceName]> = [
  ['AWSEvents.', 'events'],
  ['AmazonSQS.', 'sqs'],
  ['AmazonSSM.', 'ssm'],
];

/** Which service a request is for, from its protocol; undefined when none matches. */
export function serviceOf(request: {
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly body: string;
}): ServiceName | undefined {
  if (request.path.startsWith('/2013-04-01/')) return 'route53';
  const target = request.headers['x-amz-target'];
  if (target) return JSON_TARGETS.find(([prefix]) => target.startsWith(prefix))?.[1];
  const form = (request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
  if (request.query.has('Action') || (form && new URLSearchParams(request.body).has('Action'))) return 'sts';
  return undefined;
}

/** Starts the front door; resolves once it listens. */
export async function startFrontDoor(options: FrontDoorOptions): Promise<FrontDoor> {
  const services = new Map(options.services.map((service) => [service.name, service]));
  const server = createServer((incoming, outgoing) => {
    void serve(incoming, outgoing, options, services);
  });
  // The SDK keeps connections alive; do not let an idle one outlive a test.
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port, address } = server.address() as AddressInfo;
  return {
    endpoint: `http://${address}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

async function serve(
  incoming: IncomingMessage,
  outgoing: ServerResponse,
  options: FrontDoorOptions,
  services: ReadonlyMap<ServiceName, EmulatedService>,
): Promise<void> {
  try {
    const body = await readBody(incoming);
    const url = new URL(incoming.url ?? '/', 'http://emulator');
    const headers = lowerCaseHeaders(incoming);
    if (url.pathname.startsWith(ADMIN_PREFIX) && options.admin) {
      send(outgoing, await options.admin({ method: incoming.method ?? 'GET', path: url.pathname, query: url.searchParams, body }));
      return;
    }
    const name = serviceOf({ path: url.pathname, headers, query: url.searchParams, body });
    const service = name ? services.get(name) : undefined;
    if (!service) {
      send(outgoing, {
        status: 404,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ message: `No emulated service answers ${incoming.method ?? ''} ${url.pathname}` }),
      });
      return;
    }
    send(
      outgoing,
      await dispatch(service, { method: incoming.method ?? 'GET', path: url.pathname, query: url.searchParams, headers, body }, options),
    );
  } catch (error) {
    send(outgoing, { status: 500, headers: { 'content-type': 'text/plain' }, body: `emulator failure: ${String(error)}` });
  }
}

async function dispatch(
  service: EmulatedService,
  raw: Omit<ServiceRequest, 'account' | 'accessKeyId'>,
  options: FrontDoorOptions,
): Promise<ServiceResponse> {
  const accessKeyId = parseSigV4AccessKeyId(raw.headers.authorization);
  if (!accessKeyId) return service.renderError(missingToken(service.name));
  const account = options.credentials.accountFor(accessKeyId);
  if (!account || !options.credentials.sessionTokenMatches(accessKeyId, raw.headers['x-amz-security-token'])) {
    return service.renderError(invalidToken(service.name));
  }
  const request: ServiceRequest = { ...raw, account, accessKeyId };
  try {
    const operation = service.operationOf(request);
    options.counters.record(account, service.name, operation);
    const fault = options.faults.decide(service.name, operation, account);
    if (fault.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    const refusal = fault.error ?? (options.quota.take(account, service.name) ? undefined : throttlingError(service.name));
    if (refusal) {
      options.counters.recordRefusal(account, service.name, operation);
      return service.renderError(refusal);
    }
    return await service.handle(request);
  } catch (error) {
    if (error instanceof EmulatedServiceError) return service.renderError(error);
    return service.renderError(new EmulatedServiceError('InternalFailure', `emulator failure: ${String(error)}`, 500));
  }
}

function missingToken(service: ServiceName): EmulatedServiceError {
  const code = service === 'route53' || service === 'sts' ? 'MissingAuthenticationToken' : 'MissingAuthenticationTokenException';
  return new EmulatedServiceError(code, 'Missing Authentication Token', 403);
}

function invalidToken(service: ServiceName): EmulatedServiceError {
  // The XML services (and SQS, keeping its query codes) say InvalidClientTokenId; the JSON ones UnrecognizedClientException.
  return service === 'events' || service === 'ssm'
    ? new EmulatedServiceError('UnrecognizedClientException', 'The security token included in the request is invalid.', 400)
    : new EmulatedServiceError('InvalidClientTokenId', 'The security token included in the request is invalid.', 403);
}

function readBody(incoming: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    incoming.on('error', reject);
  });
}

function lowerCaseHeaders(incoming: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

function send(outgoing: ServerResponse, response: ServiceResponse): void {
  const body = Buffer.from(response.body, 'utf8');
  outgoing.writeHead(response.status, {
    'x-amzn-requestid': randomUUID(),
    ...response.headers,
    'content-length': String(body.length),
  });
  outgoing.end(body);
}
