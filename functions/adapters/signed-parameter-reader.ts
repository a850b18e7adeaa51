/**
 * The worker's one SSM call, GetParameter of the controls parameter (ssm-control-source.ts),
 * as a signed HTTP request rather than through @aws-sdk/client-ssm: that client's error
 * classes and schemas are registered together and cannot be tree-shaken, 77 KB of a bundle
 * that needs one operation (docs/benchmarks.md). The SDK's own signer signs the request
 * (Signature Version 4, the `@smithy/signature-v4` and SHA-256 every other client of the
 * worker signs with, so the request adds no code to the bundle); it travels over
 * node:http(s) in SSM's JSON 1.1 protocol, as the SDK's would.
 *
 * Like the SDK clients, it reads the endpoint from AWS_ENDPOINT_URL_SSM or AWS_ENDPOINT_URL
 * (the emulator), the region from AWS_REGION and the credentials from the environment
 * (Lambda's execution role), and makes up to SSM_MAX_ATTEMPTS attempts when SSM throttles,
 * fails on its side or cannot be reached.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { fromEnv } from '@aws-sdk/credential-provider-env';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import type { ParameterReader } from './ssm-control-source';

/** Attempts per read, as the SDK's standard retry mode makes. */
export const SSM_MAX_ATTEMPTS = 3;

const RETRY_BASE_DELAY_MS = 100;
const THROTTLING_CODES = new Set(['ThrottlingException', 'Throttling', 'TooManyRequestsException', 'RequestLimitExceeded']);

/** Options of SignedParameterReader; each defaults to what Lambda (or the emulator) puts in the environment. */
export interface SignedParameterReaderOptions {
  /** @default AWS_ENDPOINT_URL_SSM, else AWS_ENDPOINT_URL, else https://ssm.<region>.amazonaws.com */
  readonly endpoint?: string;
  /** @default AWS_REGION */
  readonly region?: string;
  /** @default the environment's (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN) */
  readonly credentials?: AwsCredentialIdentityProvider;
  /** @default SSM_MAX_ATTEMPTS */
  readonly maxAttempts?: number;
}

/** An error answer from SSM, with its error code (e.g. `AccessDeniedException`). */
export class SsmRequestError extends Error {
  public readonly code: string;
  public readonly status: number;
  constructor(code: string, status: number, message: string) {
    super(`SSM answered ${status} ${code}: ${message}`);
    this.name = 'SsmRequestError';
    this.code = code;
    this.status = status;
  }
}

interface Answer {
  readonly status: number;
  readonly errorType: string | undefined;
  readonly body: string;
}

/** ParameterReader over signed GetParameter requests. */
export class SignedParameterReader implements ParameterReader {
  private readonly endpoint: URL;
  private readonly signer: SignatureV4;
  private readonly maxAttempts: number;

  constructor(options: SignedParameterReaderOptions = {}) {
    const env = process.env;
    const region = options.region ?? env.AWS_REGION;
    if (!region) throw new Error('SignedParameterReader: expected a region (AWS_REGION), got nothing');
    const endpoint = options.endpoint ?? env.AWS_ENDPOINT_URL_SSM ?? env.AWS_ENDPOINT_URL ?? `https://ssm.${region}.amazonaws.com`;
    if (!URL.canParse(endpoint)) throw new Error(`SignedParameterReader: expected an endpoint URL, got ${JSON.stringify(endpoint)}`);
    const maxAttempts = options.maxAttempts ?? SSM_MAX_ATTEMPTS;
    if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
      throw new Error(`SignedParameterReader: maxAttempts must be an integer >= 1, got ${maxAttempts}`);
    }
    this.endpoint = new URL(endpoint);
    this.signer = new SignatureV4({ service: 'ssm', region, credentials: options.credentials ?? fromEnv(), sha256: Sha256 });
    this.maxAttempts = maxAttempts;
  }

  /** The parameter's value ('' when SSM gives none), or undefined when it does not exist. */
  async read(name: string): Promise<string | undefined> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.getParameter(name);
      } catch (error) {
        if (attempt >= this.maxAttempts || !isRetryable(error)) throw error;
        // Exponential backoff with full jitter, as the SDK's standard retry strategy waits.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * RETRY_BASE_DELAY_MS * 2 ** (attempt - 1)));
      }
    }
  }

  private async getParameter(name: string): Promise<string | undefined> {
    const answer = await this.call('GetParameter', { Name: name });
    if (answer.status === 200) {
      const value = (JSON.parse(answer.body) as { Parameter?: { Value?: unknown } }).Parameter?.Value;
      return typeof value === 'string' ? value : '';
    }
    const error = errorOf(answer);
    if (error.code === 'ParameterNotFound') return undefined;
    throw error;
  }

  private async call(operation: string, input: unknown): Promise<Answer> {
    const { protocol, hostname, port } = this.endpoint;
    const body = JSON.stringify(input);
    const signed = await this.signer.sign({
      method: 'POST',
      protocol,
      hostname,
      ...(port ? { port: Number(port) } : {}),
      path: '/',
      query: {},
      headers: {
        host: this.endpoint.host,
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': `AmazonSSM.${operation}`,
      },
      body,
    });
    return new Promise((resolve, reject) => {
      const send = protocol === 'https:' ? httpsRequest : httpRequest;
      const request = send({ method: 'POST', hostname, port, path: '/', headers: signed.headers }, (response) =>
        collect(response).then(resolve, reject),
      );
      request.on('error', reject);
      request.end(body);
    });
  }
}

function collect(response: IncomingMessage): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.on('error', reject);
    response.on('end', () => {
      const errorType = response.headers['x-amzn-errortype'];
      resolve({
        status: response.statusCode ?? 0,
        errorType: Array.isArray(errorType) ? errorType[0] : errorType,
        body: Buffer.concat(chunks).toString('utf8'),
      });
    });
  });
}

/** The error code from `__type` (`com.amazonaws.ssm#ParameterNotFound`) or the x-amzn-errortype header. */
function errorOf(answer: Answer): SsmRequestError {
  let body: { __type?: unknown; message?: unknown; Message?: unknown } = {};
  try {
    body = JSON.parse(answer.body) as typeof body;
  } catch {
    // Not JSON (a proxy's page, an empty 5xx): the status and the header say what they can.
  }
  const type = typeof body.__type === 'string' ? body.__type : (answer.errorType ?? `Http${answer.status}`);
  const code = type.split('#').pop()?.split(':')[0] ?? type;
  const message = body.message ?? body.Message;
  return new SsmRequestError(code, answer.status, typeof message === 'string' ? message : answer.body.slice(0, 200));
}

/** Throttling, SSM's own failures and failures to reach it are worth another attempt; anything else is an answer. */
function isRetryable(error: unknown): boolean {
  if (error instanceof SsmRequestError) return error.status >= 500 || error.status === 429 || THROTTLING_CODES.has(error.code);
  // A socket's system error (ECONNREFUSED, ECONNRESET, EAI_AGAIN, ...).
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && /^E[A-Z_]+$/.test(code);
}
