/**
 * Faults for the ledger: a loopback proxy in front of dynalite that passes each DynamoDB
 * call through the emulator's FaultInjector (service `dynamodb`, operation from the
 * `x-amz-target` header, account from the SigV4 key), so a ledger call can be throttled,
 * fail with a 5xx, be slowed, or take effect with its response lost. Point the worker's
 * `AWS_ENDPOINT_URL_DYNAMODB` at `endpoint` to put its ledger under these faults.
 */
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseSigV4AccessKeyId } from './accounts';
import type { FaultInjector } from './faults';
import type { EmulatedServiceError } from './types';

/** A call on its way to dynalite, for observers (the chaos monitor records the ledger's writes). */
export interface LedgerCall {
  /** `PutItem`, `Query`, ... */
  readonly operation: string;
  /** The JSON request body as sent. */
  readonly body: string;
}

export interface LedgerFaultProxyOptions {
  /** dynalite's endpoint (`Emulator.dynamoEndpoint`). */
  readonly target: string;
  readonly faults: FaultInjector;
  /** Resolves the caller's account from its access key (the emulator's CredentialRegistry). */
  readonly accounts: { accountFor(accessKeyId: string): string | undefined };
  /** Called for every call forwarded to dynalite, just before it is forwarded. */
  readonly onForward?: (call: LedgerCall) => void;
  /** @default '127.0.0.1' */
  readonly host?: string;
}

/** A listening proxy. */
export interface LedgerFaultProxy {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  close(): Promise<void>;
}

/** DynamoDB's JSON protocol names the operation in `x-amz-target: DynamoDB_20120810.<Operation>`. */
const TARGET_PREFIX = 'DynamoDB_20120810.';

/** Starts the proxy; resolves once it listens. */
export async function startLedgerFaultProxy(options: LedgerFaultProxyOptions): Promise<LedgerFaultProxy> {
  const target = new URL(options.target);
  const server = createServer((incoming, outgoing) => {
    void relay(incoming, outgoing, target, options).catch((error: unknown) => {
      if (!outgoing.headersSent) outgoing.writeHead(500, { 'content-type': 'text/plain' });
      outgoing.end(`ledger fault proxy failure: ${String(error)}`);
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  return {
    endpoint: `http://${address}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

async function relay(incoming: IncomingMessage, outgoing: ServerResponse, target: URL, options: LedgerFaultProxyOptions): Promise<void> {
  const body = await readBody(incoming);
  const operation = String(incoming.headers['x-amz-target'] ?? '').replace(TARGET_PREFIX, '');
  const accessKeyId = parseSigV4AccessKeyId(String(incoming.headers.authorization ?? ''));
  const account = (accessKeyId && options.accounts.accountFor(accessKeyId)) || '';
  const fault = options.faults.decide('dynamodb', operation, account);
  if (fault.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
  if (fault.error) return sendError(outgoing, fault.error);
  options.onForward?.({ operation, body: body.toString('utf8') });
  const answer = await forward(incoming, body, target);
  if (fault.lostResponse) return sendError(outgoing, fault.lostResponse);
  outgoing.writeHead(answer.status, answer.headers);
  outgoing.end(answer.body);
}

/** DynamoDB's JSON error shape: `__type` carries the code the SDK maps to an exception. */
function sendError(outgoing: ServerResponse, error: EmulatedServiceError): void {
  const body = JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${error.code}`, message: error.message });
  outgoing.writeHead(error.status, { 'content-type': 'application/x-amz-json-1.0', 'content-length': String(Buffer.byteLength(body)) });
  outgoing.end(body);
}

function forward(
  incoming: IncomingMessage,
  body: Buffer,
  target: URL,
): Promise<{ status: number; headers: Record<string, string | string[]>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const headers = { ...incoming.headers, host: target.host };
    const request = httpRequest(
      { host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers },
      (response) => {
        readBody(response).then(
          (answer) => resolve({ status: response.statusCode ?? 500, headers: definedHeaders(response), body: answer }),
          reject,
        );
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

function definedHeaders(response: IncomingMessage): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(response.headers)) if (value !== undefined) headers[name] = value;
  return headers;
}

function readBody(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}
