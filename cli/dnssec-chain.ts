/**
 * Checks one link of DNSSEC's chain of trust, as a validating resolver does: a DS at the parent
 * names a DNSKEY of the child (key tag, algorithm, digest over the owner and the DNSKEY, RFC 4034
 * §5.1.4), and RRSIGs over an RRset validate with a DNSKEY (the signed data of RFC 4034 §3.1.8.1,
 * the RRset in canonical form and order, §6). Signatures are checked with node:crypto.
 */
import { createHash, createPublicKey, type JsonWebKey, type KeyObject, verify } from 'node:crypto';
import { type Answer, type DnskeyData, type DsData, encode, type RrsigAnswer, type RrsigData } from 'dns-packet';

const HEADER_BYTES = 12;
/** Type, class, TTL and RDLENGTH after a record's owner name. */
const FIXED_RECORD_BYTES = 10;
const QUESTION_TAIL_BYTES = 4;

/** DS digest types (RFC 4034, 4509, 6605) and the hash each names. */
const DIGESTS: Record<number, string> = { 1: 'sha1', 2: 'sha256', 4: 'sha384' };

/** A record's wire form as dns-packet writes it (it never compresses names): owner to RDATA. */
function recordWire(record: Answer): Buffer {
  return encode({ type: 'response', id: 0, flags: 0, answers: [record] }).subarray(HEADER_BYTES);
}

/** A record's RDATA alone: written under the root (one byte), then cut. */
function rdataWire(record: Answer): Buffer {
  return recordWire({ ...record, name: '.' } as Answer).subarray(1 + FIXED_RECORD_BYTES);
}

/** A name in wire form, lower case (the canonical form of RFC 4034 §6.2). */
function nameWire(name: string): Buffer {
  const message = encode({ type: 'query', id: 0, flags: 0, questions: [{ type: 'A', name: name.toLowerCase() }] });
  return message.subarray(HEADER_BYTES, message.length - QUESTION_TAIL_BYTES);
}

/** The same name in either spelling (case, trailing dot). */
export function sameName(a: string, b: string): boolean {
  return a.toLowerCase().replace(/\.$/, '') === b.toLowerCase().replace(/\.$/, '');
}

function dnskeyRdata(key: DnskeyData): Buffer {
  return rdataWire({ type: 'DNSKEY', name: '.', data: key });
}

/** The key tag of a DNSKEY (RFC 4034 Appendix B). */
export function keyTagOf(key: DnskeyData): number {
  const rdata = dnskeyRdata(key);
  let sum = 0;
  for (let i = 0; i < rdata.length; i += 1) sum += i % 2 === 0 ? (rdata[i] ?? 0) << 8 : (rdata[i] ?? 0);
  sum += (sum >> 16) & 0xffff;
  return sum & 0xffff;
}

/** True when the DS at `owner` names `key`: same key tag and algorithm, and its digest over owner and DNSKEY. */
export function dsMatchesKey(owner: string, ds: DsData, key: DnskeyData): boolean {
  const hash = DIGESTS[ds.digestType];
  if (hash === undefined || ds.algorithm !== key.algorithm || ds.keyTag !== keyTagOf(key)) return false;
  const digest = createHash(hash).update(nameWire(owner)).update(dnskeyRdata(key)).digest();
  return digest.equals(Buffer.from(ds.digest));
}

/** Names inside RDATA are lower-cased too, for the types RFC 4034 §6.2 lists that Route 53 serves. */
function canonicalData(record: Answer): Answer {
  const lower = { ...record, name: record.name.toLowerCase() } as Answer;
  switch (lower.type) {
    case 'NS':
    case 'CNAME':
    case 'PTR':
      return { ...lower, data: lower.data.toLowerCase() };
    case 'SOA':
      return { ...lower, data: { ...lower.data, mname: lower.data.mname.toLowerCase(), rname: lower.data.rname.toLowerCase() } };
    case 'MX':
      return { ...lower, data: { ...lower.data, exchange: lower.data.exchange.toLowerCase() } };
    default:
      return lower;
  }
}

/** What RRSIG signs: its own RDATA without the signature, then the RRset in canonical form and order. */
function signedData(rrset: readonly Answer[], sig: RrsigData): Buffer {
  const prefix = rdataWire({
    type: 'RRSIG',
    name: '.',
    data: { ...sig, signersName: sig.signersName.toLowerCase(), signature: Buffer.alloc(0) },
  });
  const byRdata = new Map<string, { rdata: Buffer; wire: Buffer }>();
  for (const record of rrset) {
    const canonical = { ...canonicalData(record), ttl: sig.originalTTL, class: 'IN' } as Answer;
    const rdata = rdataWire(canonical);
    byRdata.set(rdata.toString('hex'), { rdata, wire: recordWire(canonical) });
  }
  const ordered = [...byRdata.values()].sort((a, b) => Buffer.compare(a.rdata, b.rdata));
  return Buffer.concat([prefix, ...ordered.map((item) => item.wire)]);
}

function base64url(bytes: Buffer): string {
  return bytes.toString('base64url');
}

/** The public key of a DNSKEY, and the hash its algorithm signs with; undefined for an algorithm not checked here. */
function publicKeyOf(key: DnskeyData): { key: KeyObject; hash: string | null; ecdsa: boolean } | undefined {
  const bytes = Buffer.from(key.key);
  const jwk = (value: JsonWebKey) => createPublicKey({ key: value, format: 'jwk' });
  switch (key.algorithm) {
    case 13:
    case 14: {
      // ECDSA P-256 / P-384 (RFC 6605): the point's X and Y, each half the key.
      const half = bytes.length / 2;
      const curve = key.algorithm === 13 ? 'P-256' : 'P-384';
      const ec = jwk({ kty: 'EC', crv: curve, x: base64url(bytes.subarray(0, half)), y: base64url(bytes.subarray(half)) });
      return { key: ec, hash: key.algorithm === 13 ? 'sha256' : 'sha384', ecdsa: true };
    }
    case 8:
    case 10: {
      // RSA (RFC 3110): exponent length (one byte, or zero then two), exponent, modulus.
      const long = bytes[0] === 0;
      const exponentLength = long ? bytes.readUInt16BE(1) : (bytes[0] ?? 0);
      const start = long ? 3 : 1;
      const e = bytes.subarray(start, start + exponentLength);
      const n = bytes.subarray(start + exponentLength);
      return { key: jwk({ kty: 'RSA', e: base64url(e), n: base64url(n) }), hash: key.algorithm === 8 ? 'sha256' : 'sha512', ecdsa: false };
    }
    case 15:
      return { key: jwk({ kty: 'OKP', crv: 'Ed25519', x: base64url(bytes) }), hash: null, ecdsa: false };
    default:
      return undefined;
  }
}

/** Why an RRSIG does not validate, or undefined when it does. */
export function rrsigProblem(rrset: readonly Answer[], rrsig: RrsigAnswer, key: DnskeyData, now: Date): string | undefined {
  const sig = rrsig.data;
  const seconds = Math.floor(now.getTime() / 1000);
  if (seconds < sig.inception) return `the RRSIG by key ${sig.keyTag} is not valid before ${rrsigTime(sig.inception)}`;
  if (seconds > sig.expiration) return `the RRSIG by key ${sig.keyTag} expired at ${rrsigTime(sig.expiration)}`;
  const publicKey = publicKeyOf(key);
  if (publicKey === undefined) return `algorithm ${key.algorithm} of key ${sig.keyTag} is not one verify checks`;
  try {
    const options = publicKey.ecdsa ? { key: publicKey.key, dsaEncoding: 'ieee-p1363' as const } : publicKey.key;
    const valid = verify(publicKey.hash, signedData(rrset, sig), options, Buffer.from(sig.signature));
    return valid ? undefined : `the RRSIG by key ${sig.keyTag} over ${sig.typeCovered} does not validate`;
  } catch (error) {
    return `the RRSIG by key ${sig.keyTag} cannot be checked: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/**
 * The first of `rrsigs` over `rrset` that validates with one of `keys` (matched by key tag and
 * algorithm): its key tag, or the reason none does.
 */
export function validatedBy(
  rrset: readonly Answer[],
  rrsigs: readonly RrsigAnswer[],
  keys: readonly DnskeyData[],
  now: Date,
): { readonly keyTag: number } | { readonly problem: string } {
  const first = rrset[0];
  const covering = rrsigs.filter((sig) => first !== undefined && sig.data.typeCovered === first.type);
  if (first === undefined || covering.length === 0) return { problem: `no RRSIG covers ${first?.type ?? 'the RRset'}` };
  const problems: string[] = [];
  for (const sig of covering) {
    const candidates = keys.filter((key) => keyTagOf(key) === sig.data.keyTag && key.algorithm === sig.data.algorithm);
    if (candidates.length === 0) problems.push(`the RRSIG by key ${sig.data.keyTag} names no DNSKEY of the set`);
    for (const key of candidates) {
      const problem = rrsigProblem(rrset, sig, key, now);
      if (problem === undefined) return { keyTag: sig.data.keyTag };
      problems.push(problem);
    }
  }
  return { problem: problems.join('; ') };
}

/** A DS's data as zone files (and GetDNSSEC's DSRecord) write it: `<key tag> <algorithm> <digest type> <DIGEST>`. */
export function dsText(ds: DsData): string {
  return `${ds.keyTag} ${ds.algorithm} ${ds.digestType} ${Buffer.from(ds.digest).toString('hex').toUpperCase()}`;
}

/** RRSIG times as zone files write them: YYYYMMDDHHmmSS, UTC. */
export function rrsigTime(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(/[-:T]/g, '').slice(0, 14);
}
