/**
 * The chain-of-trust checks of `subzone verify`, on a signed zone's records that BIND's `delv`
 * fully validated (docs/dnssec.md): key tags, the DS digest, and RRSIGs over the DNSKEY RRset and
 * an A record, as well as the ways each check fails.
 */
import type { Answer, DnskeyAnswer, RrsigAnswer } from 'dns-packet';
import { dsMatchesKey, keyTagOf, rrsigProblem, validatedBy } from '../../../cli/dnssec-chain';

const OWNER = 'foo.example.com';
const KSK = 'LZBe4lYlAvlJnSasofROFdk3RSXs/Hw/xthOLekZ9nGnOLT0iO5mhJ2rlUMtyu2DknnmBQJNTIzollo9DJbChg==';
const ZSK = 'EmzZF8y1uY62WX8D/cdQSbsI5Fgz9+DmvTd7dC69JmlhMfnbnKXb4by7FNSh0XtOOmbcg8eDM6gGDMC4Klc75g==';
const DS_DIGEST = '433C128231D8A888A08385872E7DDF498C0CBCB24E8742A32D1459DDD67E0C2E';
/** Within both signatures' validity. */
const NOW = new Date('2026-12-05T00:00:00Z');

function dnskey(flags: number, key: string): DnskeyAnswer {
  return { type: 'DNSKEY', name: OWNER, ttl: 3600, data: { flags, algorithm: 13, key: Buffer.from(key, 'base64') } };
}

/** `YYYYMMDDHHmmSS` as RRSIG seconds. */
function seconds(time: string): number {
  const [, y, mo, d, h, mi, s] = /^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)$/.exec(time)!;
  return Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)) / 1000;
}

function rrsig(name: string, fields: string, signature: string): RrsigAnswer {
  const [typeCovered, algorithm, labels, originalTTL, expiration, inception, keyTag, signersName] = fields.split(' ') as string[];
  return {
    type: 'RRSIG',
    name,
    ttl: Number(originalTTL),
    data: {
      typeCovered: typeCovered!,
      algorithm: Number(algorithm),
      labels: Number(labels),
      originalTTL: Number(originalTTL),
      expiration: seconds(expiration!),
      inception: seconds(inception!),
      keyTag: Number(keyTag),
      signersName: signersName!,
      signature: Buffer.from(signature, 'base64'),
    },
  };
}

const KEYS = [dnskey(257, KSK), dnskey(256, ZSK)];
const KEYS_SIG = rrsig(
  OWNER,
  'DNSKEY 13 3 3600 20261216175640 20261202165640 14661 foo.example.com.',
  'jSUw5sm8HkPWW2yrVlm9HWKox+4XtyT4v9L1Q96cEHBR99chBLA4e6ydzbJUgKK8mYd5nu5zlLlm+3adP58TTw==',
);
const A: Answer = { type: 'A', name: 'www.foo.example.com', ttl: 300, data: '192.0.2.10' };
const A_SIG = rrsig(
  'www.foo.example.com',
  'A 13 4 300 20261216175653 20261202165653 15539 foo.example.com.',
  'pbcWnYViGx9mdmPnGWk6M4NMcDRsTC82rzGtsByfh4JJOfz5lbFZ3uzlwwfDE7LO/6aIXA/7Vtv25yKpnwXixQ==',
);

describe('keyTagOf', () => {
  it('computes the key tags dig prints for the key-signing and zone-signing keys', () => {
    // Act
    const tags = KEYS.map((key) => keyTagOf(key.data));

    // Assess
    expect(tags).toEqual([14661, 15539]);
  });
});

describe('dsMatchesKey', () => {
  it.each([
    ['the DS of the key-signing key', { keyTag: 14661, digest: DS_DIGEST }, KEYS[0]!, OWNER, true],
    ['the same DS at an owner in upper case', { keyTag: 14661, digest: DS_DIGEST }, KEYS[0]!, 'FOO.Example.com.', true],
    ['the DS against the zone-signing key', { keyTag: 14661, digest: DS_DIGEST }, KEYS[1]!, OWNER, false],
    ['a DS whose digest is another', { keyTag: 14661, digest: 'AB'.repeat(32) }, KEYS[0]!, OWNER, false],
    ['a DS whose key tag is another', { keyTag: 14662, digest: DS_DIGEST }, KEYS[0]!, OWNER, false],
    ['the DS at another owner', { keyTag: 14661, digest: DS_DIGEST }, KEYS[0]!, 'bar.example.com', false],
  ])('%s', (_case, ds, key, owner, expected) => {
    // Act
    const matches = dsMatchesKey(
      owner,
      { keyTag: ds.keyTag, algorithm: 13, digestType: 2, digest: Buffer.from(ds.digest, 'hex') },
      key.data,
    );

    // Assess
    expect(matches).toBe(expected);
  });
});

describe('validatedBy and rrsigProblem', () => {
  it('validates the DNSKEY RRset with the key-signing key, in any order of the set', () => {
    // Act
    const result = validatedBy(
      [...KEYS].reverse(),
      [KEYS_SIG],
      KEYS.map((key) => key.data),
      NOW,
    );

    // Assess
    expect(result).toEqual({ keyTag: 14661 });
  });

  it('validates an A record with the zone-signing key', () => {
    // Act
    const result = validatedBy([A], [A_SIG], [KEYS[1]!.data], NOW);

    // Assess
    expect(result).toEqual({ keyTag: 15539 });
  });

  it.each([
    ['a changed record', [{ ...A, data: '192.0.2.11' } as Answer], [A_SIG], NOW, /^the RRSIG by key 15539 over A does not validate$/],
    ['an expired signature', [A], [A_SIG], new Date('2026-12-17T00:00:00Z'), /^the RRSIG by key 15539 expired at 20261216175653$/],
    [
      'a signature not yet valid',
      [A],
      [A_SIG],
      new Date('2026-12-01T00:00:00Z'),
      /^the RRSIG by key 15539 is not valid before 20261202165653$/,
    ],
    ['no signature', [A], [], NOW, /^no RRSIG covers A$/],
    ['a signature by a key the set lacks', [A], [KEYS_SIG], NOW, /^no RRSIG covers A$/],
  ])('reports %s', (_case, rrset, sigs, now, problem) => {
    // Act
    const result = validatedBy(rrset, sigs, [KEYS[1]!.data], now);

    // Assess
    expect(result).toEqual({ problem: expect.stringMatching(problem) });
  });

  it('reports a signature whose key is not in the set it is checked against', () => {
    // Act
    const result = validatedBy([A], [A_SIG], [KEYS[0]!.data], NOW);

    // Assess
    expect(result).toEqual({ problem: 'the RRSIG by key 15539 names no DNSKEY of the set' });
  });

  it('reports an algorithm it does not check', () => {
    // Act
    const problem = rrsigProblem([A], A_SIG, { ...KEYS[1]!.data, algorithm: 5 }, NOW);

    // Assess
    expect(problem).toBe('algorithm 5 of key 15539 is not one verify checks');
  });
});
