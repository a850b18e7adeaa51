/**
 * RRSIGs over the records a signing zone serves (RFC 4034 §3.1.8.1, RFC 6605 for ECDSA).
 * As in Route 53, the key-signing keys sign the DNSKEY RRset and a zone-signing key signs
 * everything else, see
 * https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-configuring-dnssec-zsk-management.html
 */
import { sign } from 'node:crypto';
import type { Answer, RrsigAnswer } from 'dns-packet';
import { dnskeyRecord, SIGNING_ALGORITHM, type SigningKey } from '../route53/dnssec-keys';
import { rdataWire, recordWire } from './wire';

/** Route 53 serves the DNSKEY RRset with this TTL. */
export const DNSKEY_TTL = 3600;
/** Signatures are valid from an hour before they are made (clock skew) to two weeks after. */
const INCEPTION_SKEW_SECONDS = 3600;
const VALIDITY_SECONDS = 14 * 86400;

/** What the name server needs to answer for a signing zone. */
export interface ZoneSigner {
  /** The zone's DNSKEY RRset (its active key-signing keys and its zone-signing key). */
  readonly dnskeys: readonly Answer[];
  /** The RRSIGs over `records`, one RRset in canonical form (lower-case names), owned by `owner`. */
  sign(records: readonly Answer[], owner: string): Answer[];
}

/** Keys of a signing zone; `apex` as dns-packet writes names. */
export interface ZoneKeys {
  readonly apex: string;
  readonly keySigningKeys: readonly SigningKey[];
  readonly zoneSigningKey: SigningKey;
}

/** A signer for `keys`; signatures take their validity period from `now`. */
export function zoneSigner(keys: ZoneKeys, now: () => Date): ZoneSigner {
  const signer = keys.apex.toLowerCase();
  const dnskeys = [...keys.keySigningKeys, keys.zoneSigningKey].map((key) => dnskeyRecord(key, signer, DNSKEY_TTL));
  return {
    dnskeys,
    sign: (records, owner) => {
      const first = records[0];
      if (!first) return [];
      const signingKeys = first.type === 'DNSKEY' ? keys.keySigningKeys : [keys.zoneSigningKey];
      return signingKeys.map((key) => rrsig(records, owner, key, signer, now()));
    },
  };
}

function rrsig(records: readonly Answer[], owner: string, key: SigningKey, signer: string, now: Date): RrsigAnswer {
  const first = records[0] as Answer & { ttl?: number };
  const originalTTL = first.ttl ?? 0;
  const inception = Math.floor(now.getTime() / 1000) - INCEPTION_SKEW_SECONDS;
  const unsigned = {
    typeCovered: first.type,
    algorithm: SIGNING_ALGORITHM.type,
    labels: labelCount(first.name),
    originalTTL,
    expiration: inception + INCEPTION_SKEW_SECONDS + VALIDITY_SECONDS,
    inception,
    keyTag: key.keyTag,
    signersName: signer,
  };
  const prefix = rdataWire({ type: 'RRSIG', name: '.', data: { ...unsigned, signature: Buffer.alloc(0) } });
  const signed = Buffer.concat([prefix, ...canonicalRRset(records, originalTTL)]);
  const signature = sign('sha256', signed, { key: key.privateKey, dsaEncoding: 'ieee-p1363' });
  return { type: 'RRSIG', name: owner, ttl: originalTTL, data: { ...unsigned, signature } };
}

/** The RRset's records in wire form, sorted by RDATA, duplicates dropped (RFC 4034 §6.3). */
function canonicalRRset(records: readonly Answer[], ttl: number): Buffer[] {
  const byRdata = new Map<string, Buffer>();
  for (const record of records) {
    const canonical = { ...record, name: record.name.toLowerCase(), ttl } as Answer;
    byRdata.set(rdataWire(canonical).toString('hex'), recordWire(canonical));
  }
  return [...byRdata.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, wire]) => wire);
}

/** RRSIG Labels: the owner's labels, less the root and a leading wildcard (RFC 4034 §3.1.3). */
function labelCount(owner: string): number {
  const labels = owner.split('.').filter((label) => label !== '');
  return labels[0] === '*' ? labels.length - 1 : labels.length;
}
