import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ListHostedZonesCommand } from '@aws-sdk/client-route-53';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import {
  ROUTE53_MAX_ATTEMPTS,
  ROUTE53_REGION,
  createHubRoute53Client,
  createStsClient,
  spokeRoute53Factory,
} from '../../../functions/adapters/clients';
import type { RequestGate } from '../../../functions/adapters/rate-limiter';

const LIST_HOSTED_ZONES_XML =
  '<?xml version="1.0" encoding="UTF-8"?>' +
  '<ListHostedZonesResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/">' +
  '<HostedZones></HostedZones><IsTruncated>false</IsTruncated><MaxItems>100</MaxItems>' +
  '</ListHostedZonesResponse>';

function errorXml(code: string): string {
  return (
    '<?xml version="1.0"?><ErrorResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/">' +
    `<Error><Type>Sender</Type><Code>${code}</Code><Message>try again</Message></Error>` +
    '<RequestId>r-1</RequestId></ErrorResponse>'
  );
}
const THROTTLING_XML = errorXml('Throttling');

const CALLER_IDENTITY_XML =
  '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>' +
  '<Arn>arn:aws:iam::111111111111:user/test</Arn><UserId>AIDTEST</UserId><Account>111111111111</Account>' +
  '</GetCallerIdentityResult><ResponseMetadata><RequestId>r-2</RequestId></ResponseMetadata></GetCallerIdentityResponse>';

interface Recorded {
  readonly method: string;
  readonly url: string;
  readonly authorization: string;
}

/** A loopback server answering each request with the next canned response. */
async function startServer(responses: { status: number; body: string }[]): Promise<{ url: string; requests: Recorded[]; server: Server }> {
  const requests: Recorded[] = [];
  const server = createServer((request: IncomingMessage, response) => {
    request.resume();
    request.on('end', () => {
      requests.push({ method: request.method ?? '', url: request.url ?? '', authorization: String(request.headers.authorization ?? '') });
      const next = responses.shift() ?? { status: 500, body: 'no canned response left' };
      response.writeHead(next.status, { 'content-type': 'text/xml' });
      response.end(next.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, requests, server };
}

const ENV_KEYS = ['AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_ROUTE_53', 'AWS_ENDPOINT_URL_STS', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'];

describe('clients', () => {
  const saved: Record<string, string | undefined> = {};
  let server: Server | undefined;

  beforeEach(() => {
    for (const key of ENV_KEYS) saved[key] = process.env[key];
    for (const key of ENV_KEYS) delete process.env[key];
    process.env.AWS_ACCESS_KEY_ID = 'AKIDTEST';
    process.env.AWS_SECRET_ACCESS_KEY = 'secret';
  });

  afterEach(async () => {
    for (const key of ENV_KEYS) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
    if (server) await new Promise((resolve) => server?.close(resolve));
    server = undefined;
  });

  it.each(['AWS_ENDPOINT_URL_ROUTE_53', 'AWS_ENDPOINT_URL'])('sends hub Route 53 requests to the endpoint in %s', async (variable) => {
    // Prepare
    const local = await startServer([{ status: 200, body: LIST_HOSTED_ZONES_XML }]);
    server = local.server;
    process.env[variable] = local.url;
    const client = createHubRoute53Client();

    // Act
    const output = await client.send(new ListHostedZonesCommand({ MaxItems: 100 }));

    // Assess
    expect(output.IsTruncated).toBe(false);
    expect(local.requests).toEqual([
      {
        method: 'GET',
        url: '/2013-04-01/hostedzone?maxitems=100',
        authorization: expect.stringContaining(`/${ROUTE53_REGION}/route53/aws4_request`),
      },
    ]);
  });

  it('sends STS requests to the endpoint in AWS_ENDPOINT_URL_STS', async () => {
    // Prepare
    const local = await startServer([{ status: 200, body: CALLER_IDENTITY_XML }]);
    server = local.server;
    process.env.AWS_ENDPOINT_URL_STS = local.url;
    const client = createStsClient();

    // Act
    const output = await client.send(new GetCallerIdentityCommand({}));

    // Assess
    expect(output.Account).toBe('111111111111');
    expect(local.requests).toHaveLength(1);
  });

  it.each(['Throttling', 'PriorRequestNotComplete'])('retries %s and passes every attempt through the rate gate', async (code) => {
    // Prepare
    const local = await startServer([
      { status: 400, body: errorXml(code) },
      { status: 200, body: LIST_HOSTED_ZONES_XML },
      { status: 200, body: LIST_HOSTED_ZONES_XML },
    ]);
    server = local.server;
    process.env.AWS_ENDPOINT_URL_ROUTE_53 = local.url;
    const gate: RequestGate & { acquired: number } = {
      acquired: 0,
      async acquire() {
        this.acquired += 1;
      },
    };
    const client = createHubRoute53Client({ gate });

    // Act
    await client.send(new ListHostedZonesCommand({}));
    await client.send(new ListHostedZonesCommand({}));

    // Assess
    expect(local.requests).toHaveLength(3);
    expect(gate.acquired).toBe(3);
  });

  it('fails a hub Route 53 call only after its attempts are spent on Throttling', async () => {
    // Prepare
    const local = await startServer([
      { status: 400, body: THROTTLING_XML },
      { status: 400, body: THROTTLING_XML },
    ]);
    server = local.server;
    process.env.AWS_ENDPOINT_URL_ROUTE_53 = local.url;
    const client = createHubRoute53Client({ maxAttempts: 2 });

    // Act
    const result = client.send(new ListHostedZonesCommand({}));

    // Assess
    await expect(result).rejects.toMatchObject({ name: 'Throttling' });
    expect(local.requests).toHaveLength(2);
  });

  it('builds the retry strategy a caller gives from each client its own attempt count', async () => {
    // Prepare
    const local = await startServer([
      { status: 400, body: THROTTLING_XML },
      { status: 400, body: THROTTLING_XML },
      { status: 400, body: THROTTLING_XML },
    ]);
    server = local.server;
    process.env.AWS_ENDPOINT_URL_ROUTE_53 = local.url;
    const asked: number[] = [];
    const retry = (maxAttempts: number) => {
      asked.push(maxAttempts);
      return new ConfiguredRetryStrategy(maxAttempts, 0);
    };

    // Act
    const hub = createHubRoute53Client({ maxAttempts: 3, retry });
    const result = hub.send(new ListHostedZonesCommand({}));
    createStsClient(retry);
    spokeRoute53Factory(() => async () => ({ accessKeyId: 'AKID', secretAccessKey: 'secret' }), { retry })('222222222222');

    // Assess
    await expect(result).rejects.toMatchObject({ name: 'Throttling' });
    expect(local.requests).toHaveLength(3);
    expect(asked).toEqual([3, 3, ROUTE53_MAX_ATTEMPTS]);
  });

  it("builds one spoke Route 53 client per account, signed with that account's credentials", async () => {
    // Prepare
    const local = await startServer([
      { status: 200, body: LIST_HOSTED_ZONES_XML },
      { status: 200, body: LIST_HOSTED_ZONES_XML },
    ]);
    server = local.server;
    process.env.AWS_ENDPOINT_URL_ROUTE_53 = local.url;
    const asked: string[] = [];
    const route53For = spokeRoute53Factory((account) => async () => {
      asked.push(account);
      return { accessKeyId: `AKID${account}`, secretAccessKey: 'secret' };
    });

    // Act
    const first = route53For('222222222222');
    const again = route53For('222222222222');
    const other = route53For('333333333333');
    await first.send(new ListHostedZonesCommand({}));
    await other.send(new ListHostedZonesCommand({}));

    // Assess
    expect(again).toBe(first);
    expect(other).not.toBe(first);
    expect(asked).toEqual(['222222222222', '333333333333']);
    expect(local.requests.map((request) => request.authorization)).toEqual([
      expect.stringContaining('Credential=AKID222222222222/'),
      expect.stringContaining('Credential=AKID333333333333/'),
    ]);
  });

  it('keeps only the most recently used spoke clients, destroying the one it lets go', () => {
    // Prepare
    const route53For = spokeRoute53Factory(() => async () => ({ accessKeyId: 'AKID', secretAccessKey: 'secret' }), { kept: 2 });
    const a = route53For('222222222222');
    const b = route53For('333333333333');
    const destroyed = jest.spyOn(b, 'destroy');

    // Act: a is used again, so b is the least recently used when a third account comes
    const aAgain = route53For('222222222222');
    route53For('444444444444');
    const bAgain = route53For('333333333333');

    // Assess
    expect(aAgain).toBe(a);
    expect(destroyed).toHaveBeenCalledTimes(1);
    expect(bAgain).not.toBe(b);
  });
});
