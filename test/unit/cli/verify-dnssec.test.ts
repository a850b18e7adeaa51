/**
 * The chain-of-trust walk of `subzone verify` on hand-made trace steps: no DS means nothing to
 * follow (and nothing asked), a child server that does not answer the DNSKEY query is a finding.
 */
import { createSocket } from 'node:dgram';
import type { Answer } from 'dns-packet';
import type { DnsServerAddress, TraceStep } from '../../../cli/dig';
import { followChainOfTrust } from '../../../cli/verify-dnssec';

const NAME = 'foo.example.com';
const DS: Answer = {
  type: 'DS',
  name: NAME,
  ttl: 300,
  data: {
    keyTag: 14661,
    algorithm: 13,
    digestType: 2,
    digest: Buffer.from('433C128231D8A888A08385872E7DDF498C0CBCB24E8742A32D1459DDD67E0C2E', 'hex'),
  },
};
const NS: Answer = { type: 'NS', name: NAME, ttl: 3600, data: 'ns-1.awsdns-01.com' };

function step(server: DnsServerAddress, parts: Partial<Pick<TraceStep, 'answers' | 'authorities' | 'authoritative'>>): TraceStep {
  return {
    server,
    rcode: 'NOERROR',
    authoritative: parts.authoritative ?? false,
    answers: parts.answers ?? [],
    authorities: parts.authorities ?? [],
    additionals: [],
    bytes: 0,
    elapsedMs: 0,
    transport: 'udp',
  };
}

/** A loopback UDP port nothing listens on (bound, then closed). */
async function silentPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

describe('followChainOfTrust', () => {
  it('finds nothing to follow, and asks nothing, when the referral holds no DS', async () => {
    // Prepare: servers that could not be asked
    const nowhere = { address: '192.0.2.1', port: 1, label: 'nowhere' };
    const steps = [step(nowhere, { authorities: [NS] }), step(nowhere, { authoritative: true })];

    // Act
    const chain = await followChainOfTrust(NAME, 'example.com', steps, new Date());

    // Assess
    expect(chain).toEqual({ verification: { status: 'unsigned', ds: [], dsSigned: false, matchedKeyTags: [], findings: [] } });
  });

  it('reports a child name server that does not answer the DNSKEY query as a broken chain', async () => {
    // Prepare
    const child = { address: '127.0.0.1', port: await silentPort(), label: 'ns-1.awsdns-01.com' };
    const parent = { address: '127.0.0.1', port: 53, label: '127.0.0.1' };
    const steps = [step(parent, { authorities: [NS, DS] }), step(child, { authoritative: true })];

    // Act
    const chain = await followChainOfTrust(NAME, 'example.com', steps, new Date());

    // Assess
    expect(chain.verification).toEqual({
      status: 'broken',
      ds: ['14661 13 2 433C128231D8A888A08385872E7DDF498C0CBCB24E8742A32D1459DDD67E0C2E'],
      dsSigned: false,
      matchedKeyTags: [],
      findings: [
        { code: 'dnskey-unanswered', message: expect.stringMatching(/^no reply from ns-1\.awsdns-01\.com for foo\.example\.com DNSKEY: /) },
      ],
    });
    expect(chain.ds?.kind).toBe('ds');
    expect(chain.dnskey).toBeUndefined();
  });
});
