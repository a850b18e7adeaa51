/**
 * A bare HTTP server in front of the emulated Route 53 and STS only, for their conformance
 * tests: account from the SigV4 access key, no faults, no quota, no counters. The real
 * front door is emulator/server.ts.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Route53Client } from '@aws-sdk/client-route-53';
import { STSClient } from '@aws-sdk/client-sts';
import { CredentialRegistry, STATIC_SECRET_ACCESS_KEY, parseSigV4AccessKeyId, staticAccessKeyId } from '../../emulator/accounts';
import { Route53Service } from '../../emulator/route53/route53-service';
import { Route53State, type Route53StateOptions } from '../../emulator/route53/state';
import { StsService } from '../../emulator/sts/sts-service';
import { type EmittedEvent, type EmulatedService, EmulatedServiceError, type ServiceResponse } from '../../emulator/types';

export interface Route53OnlyServer {
  readonly endpoint: string;
  readonly state: Route53State;
  readonly credentials: CredentialRegistry;
  /** Every CloudTrail-shaped event emitted so far. */
  readonly events: EmittedEvent[];
  /** A Route 53 client acting in `account` with its static key (or the given credentials). */
  route53(account: string, credentials?: AwsCredentials): Route53Client;
  sts(account: string, credentials?: AwsCredentials): STSClient;
  close(): Promise<void>;
}

export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** Starts the server on a free loopback port. */
export async function startRoute53OnlyServer(options: Route53StateOptions = {}): Promise<Route53OnlyServer> {
  const state = new Route53State(options);
  const credentials = new CredentialRegistry();
  const events: EmittedEvent[] = [];
  const route53 = new Route53Service({ state, credentials, onEvent: (event) => events.push(event) });
  const sts = new StsService(credentials);
  const server = createServer((incoming, outgoing) => {
    void answer(incoming, route53, sts, credentials).then((response) => {
      outgoing.writeHead(response.status, response.headers);
      outgoing.end(response.body);
    });
  });
  server.keepAliveTimeout = 500;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const staticCredentials = (account: string): AwsCredentials => ({
    accessKeyId: staticAccessKeyId(account),
    secretAccessKey: STATIC_SECRET_ACCESS_KEY,
  });
  const clients: { destroy(): void }[] = [];
  const track = <T extends { destroy(): void }>(client: T): T => {
    clients.push(client);
    return client;
  };
  return {
    endpoint,
    state,
    credentials,
    events,
    route53: (account, given) =>
      track(new Route53Client({ endpoint, region: 'us-east-1', credentials: given ?? staticCredentials(account), maxAttempts: 1 })),
    sts: (account, given) =>
      track(new STSClient({ endpoint, region: 'us-east-1', credentials: given ?? staticCredentials(account), maxAttempts: 1 })),
    close: async () => {
      for (const client of clients) client.destroy();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

async function answer(
  incoming: IncomingMessage,
  route53: EmulatedService,
  sts: EmulatedService,
  credentials: CredentialRegistry,
): Promise<ServiceResponse> {
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks).toString('utf8');
  const url = new URL(incoming.url ?? '/', 'http://emulator');
  const headers = Object.fromEntries(
    Object.entries(incoming.headers).map(([key, value]) => [key.toLowerCase(), Array.isArray(value) ? value.join(',') : (value ?? '')]),
  );
  const service = url.pathname.startsWith('/2013-04-01/') ? route53 : sts;
  const accessKeyId = parseSigV4AccessKeyId(headers.authorization) ?? '';
  const account = credentials.accountFor(accessKeyId);
  if (!account || !credentials.sessionTokenMatches(accessKeyId, headers['x-amz-security-token'])) {
    return service.renderError(
      new EmulatedServiceError('InvalidClientTokenId', 'The security token included in the request is invalid.', 403),
    );
  }
  try {
    return await service.handle({
      account,
      accessKeyId,
      method: incoming.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers,
      body,
    });
  } catch (error) {
    if (error instanceof EmulatedServiceError) return service.renderError(error);
    return service.renderError(new EmulatedServiceError('InternalFailure', String(error), 500));
  }
}
