import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetHostedZoneCommand, ListHostedZonesCommand, Route53Client } from '@aws-sdk/client-route-53';
import { CallCounter } from '../../helpers/call-counter';

const LIST_XML =
  '<ListHostedZonesResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/">' +
  '<HostedZones></HostedZones><IsTruncated>false</IsTruncated><MaxItems>100</MaxItems></ListHostedZonesResponse>';
const GET_XML =
  '<GetHostedZoneResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><HostedZone><Id>/hostedzone/Z1</Id>' +
  '<Name>example.com.</Name><CallerReference>r</CallerReference></HostedZone></GetHostedZoneResponse>';
const THROTTLING_XML =
  '<ErrorResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><Error><Type>Sender</Type>' +
  '<Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>r</RequestId></ErrorResponse>';

describe('CallCounter', () => {
  let server: Server;
  let client: Route53Client;
  const responses: { status: number; body: string }[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        const next = responses.shift() ?? { status: 200, body: LIST_XML };
        response.writeHead(next.status, { 'content-type': 'text/xml' });
        response.end(next.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    client = new Route53Client({
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${port}`,
      credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' },
    });
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('counts requests per operation, every attempt included', async () => {
    // Prepare
    const counter = new CallCounter();
    counter.attach(client);
    responses.push({ status: 400, body: THROTTLING_XML }, { status: 200, body: LIST_XML }, { status: 200, body: GET_XML });

    // Act
    await client.send(new ListHostedZonesCommand({}));
    await client.send(new GetHostedZoneCommand({ Id: 'Z1' }));

    // Assess
    expect(counter.snapshot()).toEqual({ GetHostedZone: 1, ListHostedZones: 2 });
    expect(counter.total()).toBe(3);
  });

  it('stops counting when detached, and forgets on reset', async () => {
    // Prepare
    const counter = new CallCounter();
    const detach = counter.attach(client);
    await client.send(new ListHostedZonesCommand({}));
    counter.reset();
    detach();

    // Act
    await client.send(new ListHostedZonesCommand({}));

    // Assess
    expect(counter.count('ListHostedZones')).toBe(0);
  });
});
