/**
 * Key-signing keys as Route 53 renders them: the `KeySigningKey` XML type of GetDNSSEC and
 * CreateKeySigningKey (https://docs.aws.amazon.com/Route53/latest/APIReference/API_KeySigningKey.html)
 * and its camelCased CloudTrail form (events/create-key-signing-key.json).
 */
import { toWireName } from '../dns/rdata';
import { cloudTrailDate } from './cloudtrail';
import type { DnssecView, KeySigningKey } from './dnssec';
import { DIGEST_ALGORITHM, dnskeyPresentation, dsDigest, dsPresentation, SIGNING_ALGORITHM } from './dnssec-keys';
import type { HostedZone } from './state';

/** GetDNSSEC's body. */
export function dnssecXml(view: DnssecView, zone: HostedZone): Record<string, unknown> {
  return {
    Status: { ServeSignature: view.signing ? 'SIGNING' : 'NOT_SIGNING' },
    KeySigningKeys: { member: view.keys.map((key) => keySigningKeyXml(key, zone)) },
  };
}

/** Every member of the `KeySigningKey` type. */
export function keySigningKeyXml(key: KeySigningKey, zone: HostedZone): Record<string, unknown> {
  const owner = toWireName(zone.name);
  return {
    Name: key.name,
    KmsArn: key.kmsArn,
    Flag: key.key.flags,
    SigningAlgorithmMnemonic: SIGNING_ALGORITHM.mnemonic,
    SigningAlgorithmType: SIGNING_ALGORITHM.type,
    DigestAlgorithmMnemonic: DIGEST_ALGORITHM.mnemonic,
    DigestAlgorithmType: DIGEST_ALGORITHM.type,
    KeyTag: key.key.keyTag,
    DigestValue: dsDigest(key.key, owner).toString('hex').toUpperCase(),
    PublicKey: key.key.publicKey.toString('base64'),
    DSRecord: dsPresentation(key.key, owner),
    DNSKEYRecord: dnskeyPresentation(key.key),
    Status: key.status,
    StatusMessage: '',
    CreatedDate: key.createdDate.toISOString(),
    LastModifiedDate: key.lastModifiedDate.toISOString(),
  };
}

/** CreateKeySigningKey's `responseElements.keySigningKey`, as in the CloudTrail sample. */
export function keySigningKeyEvent(key: KeySigningKey): Record<string, unknown> {
  return {
    name: key.name,
    kmsArn: key.kmsArn,
    flag: key.key.flags,
    signingAlgorithmMnemonic: SIGNING_ALGORITHM.mnemonic,
    signingAlgorithmType: SIGNING_ALGORITHM.type,
    digestAlgorithmMnemonic: DIGEST_ALGORITHM.mnemonic,
    digestAlgorithmType: DIGEST_ALGORITHM.type,
    keyTag: key.key.keyTag,
    status: key.status,
    createdDate: cloudTrailDate(key.createdDate),
    lastModifiedDate: cloudTrailDate(key.lastModifiedDate),
  };
}
