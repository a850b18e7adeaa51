/**
 * DNSSEC signing of the emulated Route 53's hosted zones: key-signing keys, signing on and
 * off, with Route 53's checks and error codes. The API reference of each call lists its
 * errors (https://docs.aws.amazon.com/Route53/latest/APIReference/API_<Operation>.html); the
 * conditions come from the DNSSEC chapter of the developer guide, cited where they apply.
 *
 * KMS is not emulated: a key-signing key takes any well-formed KMS key ARN in us-east-1 and
 * gets a P-256 key pair generated here (dnssec-keys.ts) instead of the KMS key's.
 */
import type { AccountId, ZoneId } from '../../functions/core/types';
import { type ZoneSigner, zoneSigner } from '../dns/signer';
import { toWireName } from '../dns/rdata';
import { EmulatedServiceError } from '../types';
import { delegatesTo, parentViewOf } from './delegation';
import { DIGEST_ALGORITHM, dsDigest, generateSigningKey, KSK_FLAGS, SIGNING_ALGORITHM, type SigningKey, ZSK_FLAGS } from './dnssec-keys';
import { constraintViolation, invalidInput } from './errors';
import type { ChangeRecord, HostedZone, Route53State } from './state';

export const KEY_STATUSES = ['ACTIVE', 'INACTIVE'] as const;
export type KeyStatus = (typeof KEY_STATUSES)[number];

/** Route 53 allows two key-signing keys per zone, for rollovers. */
export const MAX_KEY_SIGNING_KEYS = 2;
const KEY_NAME = /^[A-Za-z0-9_]{3,128}$/;
/** A KMS key ARN; Route 53 needs the key in us-east-1. */
const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:us-east-1:\d{12}:key\/[A-Za-z0-9-]+$/;
const MAX_CALLER_REFERENCE = 128;

/** A key-signing key as stored. */
export interface KeySigningKey {
  readonly name: string;
  readonly kmsArn: string;
  readonly key: SigningKey;
  status: KeyStatus;
  readonly createdDate: Date;
  lastModifiedDate: Date;
}

/** What CreateKeySigningKey takes, unvalidated. */
export interface CreateKeyInput {
  readonly hostedZoneId: string;
  readonly name: string;
  readonly kmsArn: string;
  readonly status: string;
  readonly callerReference: string;
}

/** A zone's signing state; a zone without one has never had a key. */
interface ZoneDnssec {
  readonly keys: Map<string, KeySigningKey>;
  /** Route 53 manages the zone-signing key; it exists while the zone signs. */
  zoneSigningKey: SigningKey | undefined;
}

/** GetDNSSEC's answer. */
export interface DnssecView {
  readonly signing: boolean;
  readonly keys: readonly KeySigningKey[];
}

/** Signing state of every zone, beside the zones in Route53State. */
export class DnssecState {
  private readonly zones = new Map<ZoneId, ZoneDnssec>();

  constructor(
    private readonly route53: Route53State,
    private readonly now: () => Date = () => new Date(),
  ) {
    route53.subscribe((change) => {
      if (change.kind === 'zone-deleted') this.zones.delete(change.zone.id);
    });
  }

  /** GetDNSSEC. */
  getDnssec(account: AccountId, zoneId: string): DnssecView {
    const zone = this.route53.getHostedZone(account, zoneId);
    const keys = [...(this.zones.get(zone.id)?.keys.values() ?? [])];
    return { signing: zone.dnssecSigning, keys: keys.sort((a, b) => a.createdDate.getTime() - b.createdDate.getTime()) };
  }

  /** CreateKeySigningKey (https://docs.aws.amazon.com/Route53/latest/APIReference/API_CreateKeySigningKey.html). */
  createKeySigningKey(account: AccountId, input: CreateKeyInput): { key: KeySigningKey; change: ChangeRecord } {
    if (input.callerReference.length < 1 || input.callerReference.length > MAX_CALLER_REFERENCE) {
      throw constraintViolation(input.callerReference, 'callerReference', `Member must have length between 1 and ${MAX_CALLER_REFERENCE}`);
    }
    const zone = this.route53.getHostedZone(account, input.hostedZoneId);
    if (!KEY_NAME.test(input.name)) {
      throw error(
        'InvalidKeySigningKeyName',
        `The key-signing key (KSK) name ${input.name} isn't valid: use 3 to 128 letters, digits and underscores.`,
      );
    }
    const status = keyStatusOf(input.status);
    if (!KMS_KEY_ARN.test(input.kmsArn)) {
      throw error(
        'InvalidKMSArn',
        `The KeyManagementServiceArn ${input.kmsArn} isn't valid to use with DNSSEC signing: use the ARN of a key in us-east-1.`,
      );
    }
    if (zone.privateZone) {
      // Public zones only: https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-configuring-dnssec.html
      // (code and wording chosen here).
      throw invalidInput('DNSSEC signing is supported only for public hosted zones.');
    }
    const dnssec = this.zoneDnssec(zone);
    const existing = [...dnssec.keys.values()];
    if (existing.some((key) => key.name === input.name || key.kmsArn === input.kmsArn)) {
      throw error(
        'KeySigningKeyAlreadyExists',
        "You've already created a key-signing key (KSK) with this name or with the same customer managed key ARN.",
        409,
      );
    }
    if (existing.length >= MAX_KEY_SIGNING_KEYS) {
      throw error(
        'TooManyKeySigningKeys',
        "You've reached the limit for the number of key-signing keys (KSKs). Remove at least one KSK, and then try again.",
      );
    }
    const createdDate = this.now();
    const key: KeySigningKey = {
      name: input.name,
      kmsArn: input.kmsArn,
      key: generateSigningKey(KSK_FLAGS),
      status,
      createdDate,
      lastModifiedDate: createdDate,
    };
    dnssec.keys.set(key.name, key);
    return { key, change: this.changed(zone) };
  }

  /** ActivateKeySigningKey (https://docs.aws.amazon.com/Route53/latest/APIReference/API_ActivateKeySigningKey.html). */
  activateKeySigningKey(account: AccountId, zoneId: string, name: string): ChangeRecord {
    const { zone, key } = this.keyOf(account, zoneId, name);
    // Activating an active key is refused rather than ignored (choice made here).
    if (key.status === 'ACTIVE') throw invalidStatus(`The key-signing key (KSK) ${name} is already ACTIVE.`);
    this.setStatus(key, 'ACTIVE');
    return this.changed(zone);
  }

  /**
   * DeactivateKeySigningKey (https://docs.aws.amazon.com/Route53/latest/APIReference/API_DeactivateKeySigningKey.html):
   * refused while the parent's DS names the key, then while it is the last active key of a signing zone.
   */
  deactivateKeySigningKey(account: AccountId, zoneId: string, name: string): ChangeRecord {
    const { zone, key } = this.keyOf(account, zoneId, name);
    if (key.status === 'INACTIVE') throw invalidStatus(`The key-signing key (KSK) ${name} is already INACTIVE.`);
    // https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-configuring-dnssec-ksk.html: remove the DS first.
    // The parent is checked before the last-active-key rule (order chosen here).
    if (this.keysInParentDs(zone, [key]).length > 0) throw inParentDs(name);
    const otherActive = [...this.zoneDnssec(zone).keys.values()].some((other) => other !== key && other.status === 'ACTIVE');
    if (zone.dnssecSigning && !otherActive) {
      throw error(
        'KeySigningKeyInUse',
        `The key-signing key (KSK) ${name} can't be deactivated because it's the only KSK for a currently-enabled DNSSEC. ` +
          'Disable DNSSEC signing, or add or enable another KSK.',
      );
    }
    this.setStatus(key, 'INACTIVE');
    return this.changed(zone);
  }

  /** DeleteKeySigningKey (https://docs.aws.amazon.com/Route53/latest/APIReference/API_DeleteKeySigningKey.html): inactive keys only. */
  deleteKeySigningKey(account: AccountId, zoneId: string, name: string): ChangeRecord {
    const { zone, key } = this.keyOf(account, zoneId, name);
    if (key.status !== 'INACTIVE') throw invalidStatus(`The key-signing key (KSK) ${name} must be INACTIVE before you delete it.`);
    this.zoneDnssec(zone).keys.delete(name);
    return this.changed(zone);
  }

  /**
   * EnableHostedZoneDNSSEC (https://docs.aws.amazon.com/Route53/latest/APIReference/API_EnableHostedZoneDNSSEC.html):
   * needs an active key and a parent whose NS match the zone's name servers
   * (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-configuring-dnssec-enable-signing.html).
   */
  enableHostedZoneDnssec(account: AccountId, zoneId: string): ChangeRecord {
    const zone = this.route53.getHostedZone(account, zoneId);
    const keys = [...(this.zones.get(zone.id)?.keys.values() ?? [])];
    if (keys.length === 0) throw dnssecNotFound();
    if (!keys.some((key) => key.status === 'ACTIVE')) {
      throw error('KeySigningKeyWithActiveStatusNotFound', "A key-signing key (KSK) with ACTIVE status wasn't found.");
    }
    if (!delegatesTo(parentViewOf(zone, this.route53.publicZones()), zone)) {
      throw error(
        'HostedZonePartiallyDelegated',
        `The hosted zone nameservers don't match the parent nameservers. The hosted zone and parent must have the same nameservers.`,
      );
    }
    const dnssec = this.zoneDnssec(zone);
    dnssec.zoneSigningKey ??= generateSigningKey(ZSK_FLAGS);
    zone.dnssecSigning = true;
    return this.changed(zone);
  }

  /**
   * DisableHostedZoneDNSSEC (https://docs.aws.amazon.com/Route53/latest/APIReference/API_DisableHostedZoneDNSSEC.html):
   * refused while the parent's DS names one of the zone's keys
   * (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-configuring-dnssec-disable.html).
   * Keys stay as they are.
   */
  disableHostedZoneDnssec(account: AccountId, zoneId: string): ChangeRecord {
    const zone = this.route53.getHostedZone(account, zoneId);
    const dnssec = this.zones.get(zone.id);
    if (!dnssec && !zone.dnssecSigning) throw dnssecNotFound();
    const held = this.keysInParentDs(zone, [...(dnssec?.keys.values() ?? [])]);
    if (held[0]) throw inParentDs(held[0].name);
    zone.dnssecSigning = false;
    if (dnssec) dnssec.zoneSigningKey = undefined;
    return this.changed(zone);
  }

  /** What the name servers sign a zone with, or undefined while it does not sign. */
  signerOf(zone: HostedZone): ZoneSigner | undefined {
    const dnssec = this.zones.get(zone.id);
    if (!zone.dnssecSigning || !dnssec?.zoneSigningKey) return undefined;
    const active = [...dnssec.keys.values()].filter((key) => key.status === 'ACTIVE').map((key) => key.key);
    return zoneSigner({ apex: toWireName(zone.name), keySigningKeys: active, zoneSigningKey: dnssec.zoneSigningKey }, this.now);
  }

  private keyOf(account: AccountId, zoneId: string, name: string): { zone: HostedZone; key: KeySigningKey } {
    const zone = this.route53.getHostedZone(account, zoneId);
    const key = this.zones.get(zone.id)?.keys.get(name);
    if (!key) throw error('NoSuchKeySigningKey', `The specified key-signing key (KSK) ${name} doesn't exist.`, 404);
    return { zone, key };
  }

  private zoneDnssec(zone: HostedZone): ZoneDnssec {
    let dnssec = this.zones.get(zone.id);
    if (!dnssec) {
      dnssec = { keys: new Map(), zoneSigningKey: undefined };
      this.zones.set(zone.id, dnssec);
    }
    return dnssec;
  }

  /** The keys among `keys` whose DS the zone's parent publishes. */
  private keysInParentDs(zone: HostedZone, keys: readonly KeySigningKey[]): KeySigningKey[] {
    const view = parentViewOf(zone, this.route53.publicZones());
    if (view.kind !== 'delegated') return [];
    const owner = toWireName(zone.name);
    return keys.filter((key) => view.ds.some((value) => dsNamesKey(value, key.key, owner)));
  }

  private setStatus(key: KeySigningKey, status: KeyStatus): void {
    key.status = status;
    key.lastModifiedDate = this.now();
  }

  /** Signing changes go INSYNC like record changes (the change sync delay). */
  private changed(zone: HostedZone): ChangeRecord {
    return this.route53.recordChange(zone.account, undefined);
  }
}

/** True when the DS value `<tag> <algorithm> <digest type> <digest>` is the key's. */
function dsNamesKey(value: string, key: SigningKey, owner: string): boolean {
  const [tag, algorithm, digestType, ...digest] = value.trim().split(/\s+/);
  return (
    Number(tag) === key.keyTag &&
    Number(algorithm) === SIGNING_ALGORITHM.type &&
    Number(digestType) === DIGEST_ALGORITHM.type &&
    digest.join('').toLowerCase() === dsDigest(key, owner).toString('hex')
  );
}

function keyStatusOf(status: string): KeyStatus {
  const known = KEY_STATUSES.find((candidate) => candidate === status);
  if (!known) throw invalidStatus(`The key-signing key (KSK) status ${status} isn't valid: use ACTIVE or INACTIVE.`);
  return known;
}

function error(code: string, message: string, status = 400): EmulatedServiceError {
  return new EmulatedServiceError(code, message, status);
}

function invalidStatus(message: string): EmulatedServiceError {
  return error('InvalidKeySigningKeyStatus', message);
}

function inParentDs(name: string): EmulatedServiceError {
  return error('KeySigningKeyInParentDSRecord', `The key-signing key (KSK) ${name} is specified in a parent DS record.`);
}

function dnssecNotFound(): EmulatedServiceError {
  return error('DNSSECNotFound', "The hosted zone doesn't have any DNSSEC resources.");
}
