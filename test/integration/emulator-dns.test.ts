import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { type Answer, AUTHORITATIVE_ANSWER, decode, encode, type RecordType, TRUNCATED_RESPONSE } from 'dns-packet';
import { type DnsServer, startDnsServer } from '../../emulator/dns/dns-server';
import { loopbackAddressOf, nameServerHost } from '../../emulator/route53/name-servers';
import { type HostedZone, Route53State } from '../../emulator/route53/state';

const HUB = '111111111111';
const CHILD = '222222222222';
const OTHER = '333333333333';

type Transport = 'udp' | 'tcp';

interface Response {
  readonly rcode: string;
  readonly authoritative: boolean;
  readonly truncated: boolean;
  readonly answers: Answer[];
  readonly authorities: Answer[];
  readonly additionals: Answer[];
}

async function query(address: string, port: number, name: string, type: RecordType, transport: Transport = 'udp'): Promise<Response> {
  const message = encode({ type: 'query', id: 4242, flags: 0, questions: [{ type, name, class: 'IN' }] });
  const raw = transport === 'udp' ? await overUdp(address, port, message) : await overTcp(address, port, message);
  const packet = decode(raw) as ReturnType<typeof decode> & { rcode?: string };
  return {
    rcode: packet.rcode ?? '',
    authoritative: ((packet.flags ?? 0) & AUTHORITATIVE_ANSWER) !== 0,
    truncated: ((packet.flags ?? 0) & TRUNCATED_RESPONSE) !== 0,
    answers: packet.answers ?? [],
    authorities: packet.authorities ?? [],
    additionals: (packet.additionals ?? []).filter((record) => record.type !== 'OPT'),
  };
}

function overUdp(address: string, port: number, message: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error(`no UDP answer from ${address}:${port}`));
    }, 2000);
    socket.once('message', (response) => {
      clearTimeout(timer);
      socket.close();
      resolve(response);
    });
    socket.send(message, port, address);
  });
}

function overTcp(address: string, port: number, message: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, address);
    let buffered = Buffer.alloc(0);
    socket.on('error', reject);
    socket.on('data', (chunk) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (buffered.length >= 2 && buffered.length >= 2 + buffered.readUInt16BE(0)) {
        socket.end();
        resolve(buffered.subarray(2, 2 + buffered.readUInt16BE(0)));
      }
    });
    const prefix = Buffer.alloc(2);
    prefix.writeUInt16BE(message.length);
    socket.write(Buffer.concat([prefix, message]));
  });
}

function dataOf(records: readonly Answer[]): unknown[] {
  return records.map((record) => ('data' in record ? record.data : undefined));
}

describe('emulated DNS', () => {
  let state: Route53State;
  let dns: DnsServer;
  let parent: HostedZone;
  let child: HostedZone;

  beforeEach(async () => {
    state = new Route53State();
    parent = state.createZone(HUB, 'example.com');
    state.putRecords(HUB, parent.id, [
      { name: 'www.example.com', type: 'A', ttl: 300, values: ['192.0.2.1'] },
      { name: 'txt.example.com', type: 'TXT', ttl: 300, values: ['"hello world" "two"'] },
      { name: 'mail.example.com', type: 'MX', ttl: 300, values: ['10 mx.example.com.'] },
      { name: 'deep.empty.example.com', type: 'A', ttl: 300, values: ['192.0.2.5'] },
      { name: '*.wild.example.com', type: 'TXT', ttl: 60, values: ['"wild"'] },
      { name: 'alias.example.com', type: 'CNAME', ttl: 300, values: ['www.example.com'] },
    ]);
    dns = await startDnsServer({ route53State: state, port: 0 });
    child = state.createZone(CHILD, 'foo.example.com');
    state.putRecords(CHILD, child.id, [{ name: 'api.foo.example.com', type: 'A', ttl: 60, values: ['192.0.2.9'] }]);
    state.putRecords(HUB, parent.id, [
      { name: 'foo.example.com', type: 'NS', ttl: 3600, values: child.nameServers.map((host) => `${host}.`) },
      { name: 'foo.example.com', type: 'DS', ttl: 300, values: ['12345 13 2 0123456789abcdef'] },
    ]);
    await dns.ready();
  });

  afterEach(async () => {
    await dns.stop();
  });

  it.each<Transport>(['udp', 'tcp'])('refers to the child name servers at the parent listener over %s', async (transport) => {
    // Act
    const response = await query('127.0.0.1', dns.port, 'foo.example.com', 'NS', transport);

    // Assess
    expect(response.rcode).toBe('NOERROR');
    expect(response.authoritative).toBe(false);
    expect(response.answers).toEqual([]);
    expect(response.authorities.map((record) => [record.name, record.type])).toEqual(
      child.nameServers.map(() => ['foo.example.com', 'NS']),
    );
    expect(dataOf(response.authorities)).toEqual(child.nameServers);
  });

  it('refers names below the delegation point too', async () => {
    // Act
    const response = await query('127.0.0.1', dns.port, 'api.foo.example.com', 'A');

    // Assess
    expect(response.authoritative).toBe(false);
    expect(response.authorities.map((record) => record.type)).toEqual(['NS', 'NS', 'NS', 'NS']);
  });

  it('answers the DS at the delegation point from the parent side', async () => {
    // Act
    const response = await query('127.0.0.1', dns.port, 'foo.example.com', 'DS');

    // Assess
    expect(response.authoritative).toBe(true);
    expect(response.answers.map((record) => record.type)).toEqual(['DS']);
  });

  it.each<Transport>(['udp', 'tcp'])('answers authoritatively at the child name server address over %s', async (transport) => {
    // Prepare
    const address = dns.addressOf(child.nameServers[0] ?? '');

    // Act
    const response = await query(address ?? '', dns.port, 'api.foo.example.com', 'A', transport);

    // Assess
    expect(address).toMatch(/^127\.53\.\d+\.\d+$/);
    expect(response.rcode).toBe('NOERROR');
    expect(response.authoritative).toBe(true);
    expect(response.answers).toMatchObject([{ name: 'api.foo.example.com', type: 'A', ttl: 60, data: '192.0.2.9' }]);
  });

  it('answers the child apex NS with the zone own name servers at the child address', async () => {
    // Act
    const response = await query(dns.addressOf(child.nameServers[1] ?? '') ?? '', dns.port, 'foo.example.com', 'NS');

    // Assess
    expect(response.authoritative).toBe(true);
    expect(dataOf(response.answers)).toEqual(child.nameServers);
  });

  it('refuses at a child name server the names of zones it does not serve', async () => {
    // Act
    const response = await query(dns.addressOf(child.nameServers[0] ?? '') ?? '', dns.port, 'www.example.com', 'A');

    // Assess
    expect(response.rcode).toBe('REFUSED');
  });

  it.each<[string, RecordType, string, string[]]>([
    ['nope.example.com', 'A', 'NXDOMAIN', []],
    ['www.example.com', 'AAAA', 'NOERROR', []],
    ['empty.example.com', 'A', 'NOERROR', []],
  ])('answers %s %s with %s and the SOA in authority', async (name, type, rcode, answers) => {
    // Act
    const response = await query('127.0.0.1', dns.port, name, type);

    // Assess
    expect(response.rcode).toBe(rcode);
    expect(response.authoritative).toBe(true);
    expect(response.answers).toEqual(answers);
    expect(response.authorities).toMatchObject([{ name: 'example.com', type: 'SOA', ttl: 900 }]);
  });

  it.each<[string, RecordType, unknown[]]>([
    ['www.example.com', 'A', ['192.0.2.1']],
    ['txt.example.com', 'TXT', [[Buffer.from('hello world'), Buffer.from('two')]]],
    ['mail.example.com', 'MX', [{ preference: 10, exchange: 'mx.example.com' }]],
    ['x.wild.example.com', 'TXT', [[Buffer.from('wild')]]],
    ['alias.example.com', 'A', ['www.example.com', '192.0.2.1']],
  ])('answers %s %s', async (name, type, data) => {
    // Act
    const response = await query('127.0.0.1', dns.port, name, type);

    // Assess
    expect(response.rcode).toBe('NOERROR');
    expect(response.authoritative).toBe(true);
    expect(dataOf(response.answers)).toEqual(data);
  });

  it('refuses names in no zone', async () => {
    // Act
    const response = await query('127.0.0.1', dns.port, 'example.org', 'A');

    // Assess
    expect(response.rcode).toBe('REFUSED');
    expect(response.answers).toEqual([]);
  });

  it('answers A for a Route 53 name-server host name with its loopback address', async () => {
    // Prepare
    const host = child.nameServers[2] ?? '';

    // Act
    const response = await query('127.0.0.1', dns.port, host, 'A');

    // Assess
    expect(response.authoritative).toBe(true);
    expect(dataOf(response.answers)).toEqual([loopbackAddressOf(host)]);
  });

  it('serves the hub parent zone at the main listener, not a same-name zone created later', async () => {
    // Prepare
    const rival = state.createZone(OTHER, 'example.com');
    state.putRecords(OTHER, rival.id, [{ name: 'www.example.com', type: 'A', ttl: 300, values: ['198.51.100.1'] }]);
    await dns.ready();

    // Act
    const main = await query('127.0.0.1', dns.port, 'www.example.com', 'A');
    const rivalAnswer = await query(dns.addressOf(rival.nameServers[0] ?? '') ?? '', dns.port, 'www.example.com', 'A');

    // Assess
    expect(dataOf(main.answers)).toEqual(['192.0.2.1']);
    expect(dataOf(rivalAnswer.answers)).toEqual(['198.51.100.1']);
  });

  it('sets TC over UDP when the answer exceeds 512 bytes, and answers in full over TCP', async () => {
    // Prepare
    const values = Array.from({ length: 60 }, (_, index) => `10.0.0.${index}`);
    state.putRecords(HUB, parent.id, [{ name: 'big.example.com', type: 'A', ttl: 60, values }]);

    // Act
    const udp = await query('127.0.0.1', dns.port, 'big.example.com', 'A', 'udp');
    const tcp = await query('127.0.0.1', dns.port, 'big.example.com', 'A', 'tcp');

    // Assess
    expect(udp.truncated).toBe(true);
    expect(udp.answers).toEqual([]);
    expect(tcp.answers).toHaveLength(60);
  });

  it('stops answering once the zone is deleted', async () => {
    // Prepare
    state.deleteZone(CHILD, child.id, { force: true });

    // Act
    const response = await query(dns.addressOf(child.nameServers[0] ?? '') ?? '', dns.port, 'foo.example.com', 'SOA');

    // Assess
    expect(response.rcode).toBe('REFUSED');
  });

  it('derives distinct loopback addresses from name-server numbers', () => {
    // Act
    const addresses = [0, 255, 256, 2047].map((serverNumber) => loopbackAddressOf(nameServerHost(serverNumber)));

    // Assess
    expect(addresses).toEqual(['127.53.1.0', '127.53.1.255', '127.53.2.0', '127.53.8.255']);
  });
});
