/**
 * DNSSEC key material as Route 53 uses it: ECDSA P-256 keys (algorithm 13,
 * ECDSAP256SHA256) and SHA-256 DS digests (digest type 2), see
 * https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-configuring-dnssec-enable-signing.html
 *
 * Route 53 keeps a key-signing key's private half in KMS; the emulator generates a real
 * P-256 pair with node:crypto instead, so every signature it serves verifies.
 */
import { createHash, generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { Answer } from 'dns-packet';
import { nameWire, rdataWire } from '../dns/wire';

export const SIGNING_ALGORITHM = { mnemonic: 'ECDSAP256SHA256', type: 13 } as const;
export const DIGEST_ALGORITHM = { mnemonic: 'SHA-256', type: 2 } as const;
/** DNSKEY flags: zone key + secure entry point (a KSK, RFC 4034 §2.1.1), and zone key alone (a ZSK). */
export const KSK_FLAGS = 257;
export const ZSK_FLAGS = 256;
const DNSSEC_PROTOCOL = 3;

/** One signing key: its private half and its DNSKEY identity. */
export interface SigningKey {
  readonly flags: typeof KSK_FLAGS | typeof ZSK_FLAGS;
  readonly privateKey: KeyObject;
  /** The DNSKEY public key field: the curve point's x and y, 32 bytes each (RFC 6605 §4). */
  readonly publicKey: Buffer;
  readonly keyTag: number;
}

/** A fresh P-256 key with the given DNSKEY flags. */
export function generateSigningKey(flags: SigningKey['flags']): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = publicKey.export({ format: 'jwk' });
  const point = Buffer.concat([Buffer.from(jwk.x ?? '', 'base64url'), Buffer.from(jwk.y ?? '', 'base64url')]);
  const keyTag = keyTagOf(dnskeyRdata(flags, point));
  return { flags, privateKey, publicKey: point, keyTag };
}

/** The key's DNSKEY record at `owner` (as dns-packet writes names). */
export function dnskeyRecord(key: SigningKey, owner: string, ttl: number): Answer {
  return { type: 'DNSKEY', name: owner, ttl, data: { flags: key.flags, algorithm: SIGNING_ALGORITHM.type, key: key.publicKey } };
}

/** GetDNSSEC's `DNSKEYRecord`: the presentation form of the key's DNSKEY RDATA. */
export function dnskeyPresentation(key: SigningKey): string {
  return `${key.flags} ${DNSSEC_PROTOCOL} ${SIGNING_ALGORITHM.type} ${key.publicKey.toString('base64')}`;
}

/** The DS digest: SHA-256 over the owner name's wire form then the DNSKEY RDATA (RFC 4034 §5.1.4). */
export function dsDigest(key: SigningKey, zoneOwner: string): Buffer {
  const rdata = rdataWire(dnskeyRecord(key, zoneOwner, 0));
  return createHash('sha256').update(nameWire(zoneOwner.toLowerCase())).update(rdata).digest();
}

/** GetDNSSEC's `DSRecord`: `<key tag> <algorithm> <digest type> <digest>`, the value a parent publishes. */
export function dsPresentation(key: SigningKey, zoneOwner: string): string {
  return `${key.keyTag} ${SIGNING_ALGORITHM.type} ${DIGEST_ALGORITHM.type} ${dsDigest(key, zoneOwner).toString('hex').toUpperCase()}`;
}

function dnskeyRdata(flags: number, publicKey: Buffer): Buffer {
  return rdataWire({ type: 'DNSKEY', name: '.', data: { flags, algorithm: SIGNING_ALGORITHM.type, key: publicKey } });
}

/** RFC 4034 Appendix B: the 16-bit checksum of the DNSKEY RDATA. */
function keyTagOf(rdata: Buffer): number {
  let sum = 0;
  rdata.forEach((byte, index) => {
    sum += index % 2 === 0 ? byte << 8 : byte;
  });
  sum += (sum >> 16) & 0xffff;
  return sum & 0xffff;
}
