import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignedParameterReader, SsmRequestError } from '../../../functions/adapters/signed-parameter-reader';

const NAME = '/subzone/controls';
const CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret', sessionToken: 'session-token' };

/** What the loopback SSM answers to one request: status, JSON body (or raw text) and headers. */
interface Reply {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

interface Received {
  readonly method: string | undefined;
  readonly url: string | undefined;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

let server: Server | undefined;
const savedEnvironment: Record<string, string | undefined> = {};

/** Sets (or, for undefined, removes) environment variables until the end of the test. */
function setEnvironment(values: Record<string, string | undefined>): void {
  for (const [name, value] of Object.entries(values)) {
    if (!(name in savedEnvironment)) savedEnvironment[name] = process.env[name];
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
}

afterEach(async () => {
  for (const [name, value] of Object.entries(savedEnvironment)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
    delete savedEnvironment[name];
  }
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

/** A loopback HTTP server playing SSM: it answers the n-th request with replies[n] (the last one after that). */
async function ssmAnswering(...replies: Reply[]): Promise<{ endpoint: string; received: Received[] }> {
  const received: Received[] = [];
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ method: request.method, url: request.url, headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      const reply = replies[Math.min(received.length, replies.length) - 1] as Reply;
      response.writeHead(reply.status, { 'content-type': 'application/x-amz-json-1.1', ...reply.headers });
      response.end(typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body ?? {}));
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return { endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
}

function reader(endpoint: string, options: { maxAttempts?: number } = {}): SignedParameterReader {
  return new SignedParameterReader({ endpoint, region: 'us-east-1', credentials: async () => CREDENTIALS, ...options });
}

const found = (value: string): Reply => ({ status: 200, body: { Parameter: { Name: NAME, Type: 'String', Value: value, Version: 1 } } });
const error = (status: number, type: string, message = 'no'): Reply => ({ status, body: { __type: type, message } });

describe('SignedParameterReader', () => {
  it("sends GetParameter in SSM's JSON protocol, signed for ssm in the region, and returns the value", async () => {
    // Prepare
    const ssm = await ssmAnswering(found('{"writesPaused":true}'));

    // Act
    const value = await reader(ssm.endpoint).read(NAME);

    // Assess
    expect(value).toBe('{"writesPaused":true}');
    expect(ssm.received).toHaveLength(1);
    const [request] = ssm.received as [Received];
    expect(request).toMatchObject({ method: 'POST', url: '/' });
    expect(JSON.parse(request.body)).toEqual({ Name: NAME });
    expect(request.headers['x-amz-target']).toBe('AmazonSSM.GetParameter');
    expect(request.headers['content-type']).toBe('application/x-amz-json-1.1');
    expect(request.headers['x-amz-security-token']).toBe(CREDENTIALS.sessionToken);
    expect(request.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/us-east-1\/ssm\/aws4_request, /);
    const signed = /SignedHeaders=([^,]+)/.exec(request.headers.authorization ?? '')?.[1]?.split(';');
    expect(signed).toEqual(expect.arrayContaining(['content-type', 'host', 'x-amz-date', 'x-amz-security-token', 'x-amz-target']));
  });

  it.each<[string, Reply]>([
    ['the error type in the body', error(400, 'ParameterNotFound')],
    ['the error type namespaced', error(400, 'com.amazonaws.ssm#ParameterNotFound')],
    [
      'the error type in a header only',
      { status: 400, body: '', headers: { 'x-amzn-errortype': 'ParameterNotFound:http://internal.amazon.com/' } },
    ],
  ])('reads a parameter that does not exist as undefined, from %s', async (_case, reply) => {
    // Prepare
    const ssm = await ssmAnswering(reply);

    // Act
    const value = await reader(ssm.endpoint).read(NAME);

    // Assess
    expect(value).toBeUndefined();
    expect(ssm.received).toHaveLength(1);
  });

  it('reads a parameter without a value as an empty string', async () => {
    // Prepare
    const ssm = await ssmAnswering({ status: 200, body: { Parameter: { Name: NAME } } });

    // Act
    const value = await reader(ssm.endpoint).read(NAME);

    // Assess
    expect(value).toBe('');
  });

  it('fails at once on an error that another attempt would not change, naming its code', async () => {
    // Prepare
    const ssm = await ssmAnswering(error(400, 'AccessDeniedException', 'not allowed to ssm:GetParameter'));

    // Act
    const read = reader(ssm.endpoint).read(NAME);

    // Assess
    await expect(read).rejects.toThrow(new SsmRequestError('AccessDeniedException', 400, 'not allowed to ssm:GetParameter'));
    expect(ssm.received).toHaveLength(1);
  });

  it.each<[string, Reply]>([
    ['throttled', error(400, 'ThrottlingException', 'Rate exceeded')],
    ['failing on its side', error(500, 'InternalServerError')],
    ['unavailable without a body', { status: 503, body: '' }],
  ])('tries again while SSM is %s, and reads the value once it answers', async (_case, reply) => {
    // Prepare
    const ssm = await ssmAnswering(reply, reply, found('{"writesPaused":false}'));

    // Act
    const value = await reader(ssm.endpoint).read(NAME);

    // Assess
    expect(value).toBe('{"writesPaused":false}');
    expect(ssm.received).toHaveLength(3);
  });

  it('gives up after maxAttempts, with the last error', async () => {
    // Prepare
    const ssm = await ssmAnswering(error(400, 'ThrottlingException', 'Rate exceeded'));

    // Act
    const read = reader(ssm.endpoint, { maxAttempts: 2 }).read(NAME);

    // Assess
    await expect(read).rejects.toMatchObject({ name: 'SsmRequestError', code: 'ThrottlingException', status: 400 });
    expect(ssm.received).toHaveLength(2);
  });

  it('tries again when SSM cannot be reached, then fails with the socket error', async () => {
    // Prepare: a port that was just free, so nothing listens there.
    const ssm = await ssmAnswering(found('{}'));
    await new Promise((resolve) => server?.close(resolve));
    server = undefined;

    // Act
    const read = reader(ssm.endpoint).read(NAME);

    // Assess
    await expect(read).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('takes the endpoint, region and credentials from the environment', async () => {
    // Prepare
    const ssm = await ssmAnswering(found('v'));
    setEnvironment({
      AWS_ENDPOINT_URL_SSM: ssm.endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'AKIDENV',
      AWS_SECRET_ACCESS_KEY: 's',
    });

    // Act
    const value = await new SignedParameterReader().read(NAME);

    // Assess
    expect(value).toBe('v');
    expect(ssm.received[0]?.headers.authorization).toMatch(/Credential=AKIDENV\/\d{8}\/us-east-1\/ssm\//);
    expect(ssm.received[0]?.headers['x-amz-security-token']).toBeUndefined();
  });

  it.each([
    ['no region', {}, 'expected a region (AWS_REGION), got nothing'],
    ['an endpoint that is no URL', { region: 'us-east-1', endpoint: 'ssm here' }, 'expected an endpoint URL, got "ssm here"'],
    ['zero attempts', { region: 'us-east-1', maxAttempts: 0 }, 'maxAttempts must be an integer >= 1, got 0'],
  ])('rejects %s', (_case, options, message) => {
    // Prepare
    setEnvironment({ AWS_REGION: undefined });

    // Act
    const build = () => new SignedParameterReader(options);

    // Assess
    expect(build).toThrow(`SignedParameterReader: ${message}`);
  });
});
