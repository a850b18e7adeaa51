import { createSocket, type Socket } from 'node:dgram';
import { createServer, type Server } from 'node:net';
import * as dnsPacket from 'dns-packet';
import { DnsDelegationProbe } from '../../../functions/adapters/dns-delegation-probe';

const ZONE = 'foo.example.com';
const TIMEOUT_MS = 300;
const RCODE = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3, REFUSED: 5 } as const;

/** How the test server answers a SOA query: a packet to send, or nothing at all. */
type SoaBehaviour = (query: dnsPacket.DecodedPacket, transport: 'udp' | 'tcp') => dnsPacket.Packet | 'silent';

interface TestDnsServer {
  readonly port: number;
  readonly soaQueries: dnsPacket.DecodedPacket[];
  close(): Promise<void>;
}

/**
 * One loopback server playing both parts: the resolver for the name servers' addresses
 * (`ns*.probe.test` are 127.0.0.1, `gone.probe.test` does not exist), and the name
 * servers themselves, answering SOA queries as `soa` says, over UDP and TCP on one port.
 */
async function startDnsServer(soa: SoaBehaviour, options: { silentResolver?: boolean } = {}): Promise<TestDnsServer> {
  const soaQueries: dnsPacket.DecodedPacket[] = [];
  const answer = (query: dnsPacket.DecodedPacket, transport: 'udp' | 'tcp'): dnsPacket.Packet | 'silent' => {
    const question = query.questions?.[0];
    if (!question) return 'silent';
    if (question.type === 'SOA') {
      soaQueries.push(query);
      return soa(query, transport);
    }
    if (options.silentResolver) return 'silent';
    const exists = question.name.startsWith('ns');
    return {
      ...reply(query, exists ? RCODE.NOERROR : RCODE.NXDOMAIN),
      answers: exists && question.type === 'A' ? [{ type: 'A', name: question.name, ttl: 60, data: '127.0.0.1' }] : [],
    };
  };
  for (let attempt = 0; ; attempt += 1) {
    const udp = createSocket('udp4');
    await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve));
    const { port } = udp.address();
    const tcp = createServer((connection) => {
      connection.on('data', (data: Buffer) => {
        const query = dnsPacket.decode(data.subarray(2));
        const response = answer(query, 'tcp');
        if (response !== 'silent') connection.end(dnsPacket.streamEncode(response));
      });
    });
    const listening = await new Promise<boolean>((resolve) => {
      tcp.once('error', () => resolve(false));
      tcp.listen(port, '127.0.0.1', () => resolve(true));
    });
    if (!listening && attempt < 5) {
      udp.close();
      continue;
    }
    serveUdp(udp, answer);
    return { port, soaQueries, close: () => closeBoth(udp, tcp) };
  }
}

function serveUdp(udp: Socket, answer: (query: dnsPacket.DecodedPacket, transport: 'udp') => dnsPacket.Packet | 'silent') {
  udp.on('message', (message, remote) => {
    const response = answer(dnsPacket.decode(message), 'udp');
    if (response !== 'silent') udp.send(dnsPacket.encode(response), remote.port, remote.address);
  });
}

async function closeBoth(udp: Socket, tcp: Server): Promise<void> {
  await new Promise<void>((resolve) => udp.close(() => resolve()));
  await new Promise<void>((resolve) => tcp.close(() => resolve()));
}

function reply(query: dnsPacket.DecodedPacket, rcode: number, authoritative = true): dnsPacket.Packet {
  return {
    type: 'response',
    id: query.id ?? 0,
    flags: (authoritative ? dnsPacket.AUTHORITATIVE_ANSWER : 0) | rcode,
    questions: query.questions ?? [],
  };
}

function soaRecord(name: string): dnsPacket.Answer {
  return {
    type: 'SOA',
    name,
    ttl: 900,
    data: {
      mname: 'ns1.probe.test',
      rname: 'hostmaster.probe.test',
      serial: 1,
      refresh: 7200,
      retry: 900,
      expire: 1209600,
      minimum: 86400,
    },
  };
}

const serves: SoaBehaviour = (query) => ({ ...reply(query, RCODE.NOERROR), answers: [soaRecord(ZONE)] });
const refuses: SoaBehaviour = (query) => reply(query, RCODE.REFUSED, false);
const silent: SoaBehaviour = () => 'silent';

let server: TestDnsServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function probeWith(soa: SoaBehaviour, options: { silentResolver?: boolean } = {}): Promise<DnsDelegationProbe> {
  server = await startDnsServer(soa, options);
  return new DnsDelegationProbe({ resolverServers: [`127.0.0.1:${server.port}`], port: server.port, timeoutMs: TIMEOUT_MS });
}

describe('DnsDelegationProbe', () => {
  it('finds a name served when its name server answers authoritatively with its SOA', async () => {
    // Prepare
    const probe = await probeWith(serves);

    // Act
    const verdict = await probe.check(ZONE, ['ns1.probe.test']);

    // Assess
    expect(verdict).toBe('serving');
    expect(server?.soaQueries).toHaveLength(1);
    expect(server?.soaQueries[0]).toMatchObject({ flag_rd: false, questions: [{ type: 'SOA', class: 'IN', name: ZONE }] });
  });

  it.each<[string, SoaBehaviour]>([
    ['REFUSED', refuses],
    ['SERVFAIL', (query) => reply(query, RCODE.SERVFAIL, false)],
    ['NXDOMAIN', (query) => ({ ...reply(query, RCODE.NXDOMAIN), authorities: [soaRecord('example.com')] })],
    [
      'a referral',
      (query) => ({
        ...reply(query, RCODE.NOERROR, false),
        authorities: [{ type: 'NS', name: ZONE, ttl: 3600, data: 'ns-elsewhere.example.net' }],
      }),
    ],
    ['a non-authoritative answer with the SOA', (query) => ({ ...reply(query, RCODE.NOERROR, false), answers: [soaRecord(ZONE)] })],
    [
      "an authoritative answer with another name's SOA",
      (query) => ({ ...reply(query, RCODE.NOERROR), answers: [soaRecord('example.com')] }),
    ],
  ])('finds a name not served when every name server answers %s', async (_case, soa) => {
    // Prepare
    const probe = await probeWith(soa);

    // Act
    const verdict = await probe.check(ZONE, ['ns1.probe.test', 'ns2.probe.test']);

    // Assess
    expect(verdict).toBe('not-serving');
    expect(server?.soaQueries).toHaveLength(2);
  });

  it("finds a name not served when its name servers' names no longer resolve, without asking them", async () => {
    // Prepare
    const probe = await probeWith(serves);

    // Act
    const verdict = await probe.check(ZONE, ['gone.probe.test']);

    // Assess
    expect(verdict).toBe('not-serving');
    expect(server?.soaQueries).toHaveLength(0);
  });

  it('concludes nothing when the name server stays silent, within the timeout', async () => {
    // Prepare
    const probe = await probeWith(silent);
    const started = Date.now();

    // Act
    const verdict = await probe.check(ZONE, ['ns1.probe.test']);

    // Assess
    expect(verdict).toBe('unknown');
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS * 4);
  });

  it("concludes nothing when the name servers' addresses cannot be looked up", async () => {
    // Prepare
    const probe = await probeWith(serves, { silentResolver: true });

    // Act
    const verdict = await probe.check(ZONE, ['ns1.probe.test']);

    // Assess
    expect(verdict).toBe('unknown');
    expect(server?.soaQueries).toHaveLength(0);
  });

  it('ignores an answer to another query id and concludes nothing', async () => {
    // Prepare
    const probe = await probeWith((query) => ({
      ...reply(query, RCODE.NOERROR),
      id: ((query.id ?? 0) + 1) % 0x10000,
      answers: [soaRecord(ZONE)],
    }));

    // Act
    const verdict = await probe.check(ZONE, ['ns1.probe.test']);

    // Assess
    expect(verdict).toBe('unknown');
  });

  it.each<[string, 'serving' | 'unknown', SoaBehaviour]>([
    ['one serves and one is silent', 'serving', firstQueries(1, serves, silent)],
    ['one refuses and one is silent', 'unknown', firstQueries(1, refuses, silent)],
    ['one serves and one refuses', 'serving', firstQueries(1, serves, refuses)],
  ])('judges mixed name servers where %s as %s', async (_case, expected, soa) => {
    // Prepare
    const probe = await probeWith(soa);

    // Act
    const verdict = await probe.check(ZONE, ['ns1.probe.test', 'ns2.probe.test']);

    // Assess
    expect(verdict).toBe(expected);
  });

  it('asks again over TCP when the UDP answer is truncated', async () => {
    // Prepare
    const probe = await probeWith((query, transport) =>
      transport === 'udp'
        ? { ...reply(query, RCODE.NOERROR), flags: dnsPacket.AUTHORITATIVE_ANSWER | dnsPacket.TRUNCATED_RESPONSE }
        : serves(query, transport),
    );

    // Act
    const verdict = await probe.check(ZONE, ['ns1.probe.test']);

    // Assess
    expect(verdict).toBe('serving');
    expect(server?.soaQueries).toHaveLength(2);
  });

  it('concludes nothing from an empty list of name servers', async () => {
    // Prepare
    const probe = new DnsDelegationProbe({ resolverServers: ['127.0.0.1:9'], timeoutMs: TIMEOUT_MS });

    // Act
    const verdict = await probe.check(ZONE, []);

    // Assess
    expect(verdict).toBe('unknown');
  });

  it.each([
    ['a zero timeout', { timeoutMs: 0 }, 'timeoutMs must be a positive integer, got 0'],
    ['a port out of range', { port: 70000 }, 'port must be an integer from 1 to 65535, got 70000'],
  ])('rejects %s', (_case, options, message) => {
    // Act
    const build = () => new DnsDelegationProbe(options);

    // Assess
    expect(build).toThrow(message);
  });
});

/** Answers the first `count` SOA queries with `first`, the rest with `rest`. */
function firstQueries(count: number, first: SoaBehaviour, rest: SoaBehaviour): SoaBehaviour {
  let seen = 0;
  return (query, transport) => {
    seen += 1;
    return seen <= count ? first(query, transport) : rest(query, transport);
  };
}
