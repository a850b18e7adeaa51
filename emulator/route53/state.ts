/**
 * The emulated Route 53's memory: hosted zones per account, their record sets, tags and
 * changes. Every method is synchronous, so each call is atomic. Errors are
 * EmulatedServiceErrors in Route 53's codes; the HTTP layer renders them.
 *
 * Also the in-process API that tests, the walk-through and the benchmark use to set up
 * zones and records directly (no HTTP, no CloudTrail event).
 */
import { randomBytes } from 'node:crypto';
import BTree from 'sorted-btree';
import type { AccountId, DnsName, ZoneId } from '../../functions/core/types';
import { labelsOf, orderKey, parseName, toFqdn } from '../domain-names';
import { EmulatedServiceError } from '../types';
import { constraintViolation, invalidInput, noSuchHostedZone } from './errors';
import { allocateNameServers } from './name-servers';
import { RecordSetStore, type RecordType, recordKey, type StoredRecordSet } from './records';
import { applyChangeBatch, type ChangeRequest } from './validation';

/** Route 53's TTLs for a new zone's apex NS and SOA (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/SOA-NSrecords.html). */
export const APEX_NS_TTL = 172800;
export const SOA_TTL = 900;
/** The default quota of hosted zones per account. */
export const DEFAULT_MAX_ZONES_PER_ACCOUNT = 500;
/** A private zone has no delegation set; its apex NS holds Route 53's fixed placeholders. */
const PRIVATE_ZONE_APEX_NAME_SERVERS = ['ns-1536.awsdns-00.co.uk', 'ns-0.awsdns-00.com', 'ns-1024.awsdns-00.org', 'ns-512.awsdns-00.net'];
const MAX_CALLER_REFERENCE = 128;
const MAX_COMMENT = 256;
const MAX_TAGS_PER_CALL = 10;
const MAX_TAGS_PER_ZONE = 50;

export interface Vpc {
  readonly region: string;
  readonly id: string;
}

/** A hosted zone as stored. `records` is replaced, never mutated, by a change batch. */
export interface HostedZone {
  readonly id: ZoneId;
  readonly account: AccountId;
  readonly name: DnsName;
  readonly callerReference: string;
  readonly comment: string | undefined;
  readonly privateZone: boolean;
  readonly vpcs: readonly Vpc[];
  /** Four host names without trailing dot; empty for a private zone. */
  readonly nameServers: readonly string[];
  records: RecordSetStore;
  readonly tags: Map<string, string>;
  /** Set by the DNSSEC calls (dnssec.ts); DeleteHostedZone refuses while true. */
  dnssecSigning: boolean;
  /** Creation sequence, for stable "oldest first" choices. */
  readonly sequence: number;
}

/** A submitted change; PENDING until `insyncAt`. */
export interface ChangeRecord {
  readonly id: string;
  readonly account: AccountId;
  readonly submittedAt: Date;
  readonly insyncAt: Date;
  readonly comment: string | undefined;
}

/** What CreateHostedZone takes. */
export interface CreateZoneInput {
  /** As the caller typed it. */
  readonly name: string;
  readonly callerReference: string;
  readonly comment?: string | undefined;
  /** `HostedZoneConfig.PrivateZone`; must agree with `vpc`. */
  readonly privateZone?: boolean | undefined;
  readonly vpc?: Vpc | undefined;
}

/** A record set as the in-process API takes it (names in any accepted form). */
export interface RecordSetInput {
  readonly name: string;
  readonly type: RecordType;
  readonly ttl: number;
  readonly values: readonly string[];
}

/** Something happened to the zones; the DNS listener follows these. */
export type StateChange =
  | { readonly kind: 'zone-created'; readonly zone: HostedZone }
  | { readonly kind: 'zone-deleted'; readonly zone: HostedZone }
  | { readonly kind: 'records-changed'; readonly zone: HostedZone };

export interface Route53StateOptions {
  /** How long a change stays PENDING before GetChange reports INSYNC. @default 0 */
  readonly changeSyncDelayMs?: number;
  /** @default 500 */
  readonly maxZonesPerAccount?: number;
  /** @default the system clock */
  readonly now?: () => Date;
}

/** All accounts' hosted zones. Accounts never see each other's zones; zone ids are global. */
export class Route53State {
  private readonly zones = new Map<ZoneId, HostedZone>();
  /** Each account's zones, so that per-account calls do not walk every account's. */
  private readonly zonesByAccount = new Map<AccountId, Map<ZoneId, HostedZone>>();
  /** Every zone by name in listing order (key: name's order key, NUL, id), to find a name's relatives. */
  private readonly zonesByName = new BTree<string, HostedZone>();
  private readonly changes = new Map<string, ChangeRecord>();
  /** Caller references ever used, per account: never reusable, even after a delete. */
  private readonly callerReferences = new Map<AccountId, Set<string>>();
  private readonly listeners = new Set<(change: StateChange) => void>();
  private readonly now: () => Date;
  private sequence = 0;
  /** Change sync delay in ms; may be changed at any time (walk-through vs tests). */
  changeSyncDelayMs: number;
  private readonly maxZonesPerAccount: number;

  constructor(options: Route53StateOptions = {}) {
    this.changeSyncDelayMs = options.changeSyncDelayMs ?? 0;
    this.maxZonesPerAccount = options.maxZonesPerAccount ?? DEFAULT_MAX_ZONES_PER_ACCOUNT;
    this.now = options.now ?? (() => new Date());
  }

  /** Follows zone creations, deletions and record changes; returns the unsubscribe. */
  subscribe(listener: (change: StateChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** CreateHostedZone. Returns the zone and its change. */
  createHostedZone(account: AccountId, input: CreateZoneInput, zoneId?: ZoneId): { zone: HostedZone; change: ChangeRecord } {
    const name = zoneNameOf(input.name);
    checkCallerReference(input.callerReference);
    if (input.comment !== undefined && input.comment.length > MAX_COMMENT) {
      throw constraintViolation(input.comment, 'hostedZoneConfig.comment', `Member must have length less than or equal to ${MAX_COMMENT}`);
    }
    const privateZone = input.vpc !== undefined;
    if (input.privateZone === true && !privateZone) {
      // Wording chosen here: a private zone needs a VPC at creation.
      throw invalidInput('A private hosted zone must be created with a VPC (VPCRegion and VPCId).');
    }
    if (input.vpc) checkVpc(input.vpc);
    const used = this.callerReferences.get(account) ?? new Set<string>();
    if (used.has(input.callerReference)) {
      throw new EmulatedServiceError(
        'HostedZoneAlreadyExists',
        'A hosted zone has already been created with the specified caller reference.',
        409,
      );
    }
    if ((this.zonesByAccount.get(account)?.size ?? 0) >= this.maxZonesPerAccount) {
      throw new EmulatedServiceError(
        'TooManyHostedZones',
        `This operation would exceed the limit of ${this.maxZonesPerAccount} hosted zones for the account.`,
      );
    }
    const nameServers = privateZone ? [] : this.allocateFor(name);
    const apexServers = privateZone ? PRIVATE_ZONE_APEX_NAME_SERVERS : nameServers;
    const records = RecordSetStore.of([
      { name, type: 'NS', ttl: APEX_NS_TTL, values: apexServers.map(toFqdn) },
      { name, type: 'SOA', ttl: SOA_TTL, values: [`${apexServers[0]}. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400`] },
    ]);
    const zone: HostedZone = {
      id: zoneId ?? this.newZoneId(),
      account,
      name,
      callerReference: input.callerReference,
      comment: input.comment,
      privateZone,
      vpcs: input.vpc ? [input.vpc] : [],
      nameServers,
      records,
      tags: new Map(),
      dnssecSigning: false,
      sequence: (this.sequence += 1),
    };
    used.add(input.callerReference);
    this.callerReferences.set(account, used);
    this.index(zone);
    const change = this.recordChange(account, undefined);
    this.notify({ kind: 'zone-created', zone });
    return { zone, change };
  }

  /** GetHostedZone: the account's zone, or NoSuchHostedZone. */
  getHostedZone(account: AccountId, zoneId: string): HostedZone {
    const zone = this.zones.get(zoneId);
    if (!zone || zone.account !== account) throw noSuchHostedZone(zoneId);
    return zone;
  }

  /** DeleteHostedZone: only a zone holding nothing but its apex SOA and NS, not signing. */
  deleteHostedZone(account: AccountId, zoneId: string): { zone: HostedZone; change: ChangeRecord } {
    const zone = this.getHostedZone(account, zoneId);
    const required = ['SOA', 'NS'].filter((type) => zone.records.has(recordKey(zone.name, type))).length;
    if (zone.records.size > required) {
      throw new EmulatedServiceError(
        'HostedZoneNotEmpty',
        'The specified hosted zone contains non-required resource record sets and so cannot be deleted.',
      );
    }
    if (zone.dnssecSigning) {
      // Wording chosen here: Route 53 answers HostedZoneNotEmpty while DNSSEC signs.
      throw new EmulatedServiceError(
        'HostedZoneNotEmpty',
        'The specified hosted zone has DNSSEC signing enabled and so cannot be deleted; disable DNSSEC signing first.',
      );
    }
    this.unindex(zone);
    const change = this.recordChange(account, undefined);
    this.notify({ kind: 'zone-deleted', zone });
    return { zone, change };
  }

  /** The account's zones, ordered by id (ListHostedZones' order). */
  zonesOf(account: AccountId): HostedZone[] {
    return [...(this.zonesByAccount.get(account)?.values() ?? [])].sort((a, b) => compareText(a.id, b.id));
  }

  /** ChangeResourceRecordSets: all or nothing (see validation.ts). */
  changeResourceRecordSets(account: AccountId, zoneId: string, changes: readonly ChangeRequest[], comment?: string): ChangeRecord {
    const zone = this.getHostedZone(account, zoneId);
    zone.records = applyChangeBatch(zone, changes);
    const change = this.recordChange(account, comment);
    this.notify({ kind: 'records-changed', zone });
    return change;
  }

  /** The zone's record sets in Route 53's listing order. */
  recordSetsOf(zone: HostedZone): StoredRecordSet[] {
    return [...zone.records.values()];
  }

  /** GetChange: NoSuchChange for an unknown id or another account's change. */
  getChange(account: AccountId, changeId: string): { change: ChangeRecord; status: 'PENDING' | 'INSYNC' } {
    const change = this.changes.get(changeId);
    if (!change || change.account !== account) {
      throw new EmulatedServiceError('NoSuchChange', `A change with the specified change ID does not exist: ${changeId}`, 404);
    }
    return { change, status: this.now().getTime() >= change.insyncAt.getTime() ? 'INSYNC' : 'PENDING' };
  }

  /** ChangeTagsForResource on a hosted zone. */
  changeTags(
    account: AccountId,
    zoneId: string,
    addTags: readonly { readonly key: string; readonly value: string }[],
    removeTagKeys: readonly string[],
  ): HostedZone {
    const zone = this.getHostedZone(account, zoneId);
    if (addTags.length > MAX_TAGS_PER_CALL) {
      throw constraintViolation(`${addTags.length} tags`, 'addTags', `Member must have length less than or equal to ${MAX_TAGS_PER_CALL}`);
    }
    if (removeTagKeys.length > MAX_TAGS_PER_CALL) {
      throw constraintViolation(
        `${removeTagKeys.length} keys`,
        'removeTagKeys',
        `Member must have length less than or equal to ${MAX_TAGS_PER_CALL}`,
      );
    }
    for (const tag of addTags) {
      if (tag.key.length < 1 || tag.key.length > 128) {
        throw constraintViolation(tag.key, 'addTags.member.key', 'Member must have length between 1 and 128');
      }
      if (tag.value.length > 256) {
        throw constraintViolation(tag.value, 'addTags.member.value', 'Member must have length less than or equal to 256');
      }
    }
    const tags = new Map(zone.tags);
    for (const key of removeTagKeys) tags.delete(key);
    for (const tag of addTags) tags.set(tag.key, tag.value);
    if (tags.size > MAX_TAGS_PER_ZONE) {
      throw new EmulatedServiceError('InvalidInput', `A resource can have at most ${MAX_TAGS_PER_ZONE} tags.`);
    }
    zone.tags.clear();
    for (const [key, value] of tags) zone.tags.set(key, value);
    return zone;
  }

  /** Every public zone of every account, oldest first (the DNS listener serves these). */
  publicZones(): HostedZone[] {
    // A Map iterates in insertion order, and zones are inserted as they are created.
    return [...this.zones.values()].filter((zone) => !zone.privateZone);
  }

  // ---- in-process API (tests, walk-through, benchmark) ----

  /** Creates a zone directly; `callerReference` defaults to a fresh one. */
  createZone(account: AccountId, name: string, options: Partial<CreateZoneInput> & { readonly id?: ZoneId } = {}): HostedZone {
    const { id, ...input } = options;
    const callerReference = input.callerReference ?? `in-process-${randomBytes(8).toString('hex')}`;
    // An id given in-process lets a committed config (and a worker bundled with it) run unchanged.
    if (id !== undefined && this.zones.has(id)) throw new Error(`zone id ${id} is already taken`);
    return this.createHostedZone(account, { ...input, name, callerReference }, id).zone;
  }

  /** UPSERTs record sets directly, through the same validation as the API. */
  putRecords(account: AccountId, zoneId: ZoneId, records: readonly RecordSetInput[]): void {
    this.changeResourceRecordSets(
      account,
      zoneId,
      records.map((record) => toChange('UPSERT', record)),
    );
  }

  /** DELETEs record sets directly; they must match exactly, as over the API. */
  deleteRecords(account: AccountId, zoneId: ZoneId, records: readonly RecordSetInput[]): void {
    this.changeResourceRecordSets(
      account,
      zoneId,
      records.map((record) => toChange('DELETE', record)),
    );
  }

  /** A zone's record sets, names with trailing dots as the API returns them. */
  listRecords(account: AccountId, zoneId: ZoneId): { name: string; type: RecordType; ttl: number; values: string[] }[] {
    return this.recordSetsOf(this.getHostedZone(account, zoneId)).map((set) => ({
      name: toFqdn(set.name),
      type: set.type,
      ttl: set.ttl,
      values: [...set.values],
    }));
  }

  /** Zones of a name (any accepted form), in one account or all, oldest first. */
  findZones(name: string, account?: AccountId): HostedZone[] {
    const parsed = parseName(name);
    if (!parsed.ok) throw new Error(`${name} is not a valid domain name: ${parsed.reason}`);
    return this.zonesNamed(parsed.name)
      .filter((zone) => account === undefined || zone.account === account)
      .sort((a, b) => a.sequence - b.sequence);
  }

  /** Deletes a zone; with `force`, its non-apex records first (as a person would). */
  deleteZone(account: AccountId, zoneId: ZoneId, options: { readonly force?: boolean } = {}): void {
    const zone = this.getHostedZone(account, zoneId);
    if (options.force) {
      zone.records = RecordSetStore.of(zone.records.setsNamed(zone.name).filter((set) => set.type === 'SOA' || set.type === 'NS'));
      zone.dnssecSigning = false;
    }
    this.deleteHostedZone(account, zoneId);
  }

  private allocateFor(name: DnsName): string[] {
    // Same-name zones never share a name server, nor do a zone and its parent or child zones,
    // so every name server answers for one zone of a name and referrals stay visible.
    const avoid = new Set<string>();
    const relatives = [...this.zonesAtOrBelow(name), ...ancestorsOf(name).flatMap((ancestor) => this.zonesNamed(ancestor))];
    for (const zone of relatives) {
      for (const host of zone.nameServers) avoid.add(host);
    }
    const nameServers = allocateNameServers(avoid);
    if (!nameServers) {
      throw new EmulatedServiceError(
        'DelegationSetNotAvailable',
        `Amazon Route 53 allows some duplication, but Amazon Route 53 has a maximum threshold of duplicated domains. This error is generated when you reach that threshold. In this case, the error indicates that too many hosted zones with the given domain name exist: ${toFqdn(name)}`,
      );
    }
    return nameServers;
  }

  private index(zone: HostedZone): void {
    this.zones.set(zone.id, zone);
    const own = this.zonesByAccount.get(zone.account) ?? new Map<ZoneId, HostedZone>();
    own.set(zone.id, zone);
    this.zonesByAccount.set(zone.account, own);
    this.zonesByName.set(zoneNameKey(zone.name, zone.id), zone);
  }

  private unindex(zone: HostedZone): void {
    this.zones.delete(zone.id);
    this.zonesByAccount.get(zone.account)?.delete(zone.id);
    this.zonesByName.delete(zoneNameKey(zone.name, zone.id));
  }

  /** Zones of exactly this name. */
  private zonesNamed(name: DnsName): HostedZone[] {
    return this.zonesFrom(zoneNameKey(name, ''));
  }

  /** Zones of this name or below it: their keys all start with the name's order key. */
  private zonesAtOrBelow(name: DnsName): HostedZone[] {
    return this.zonesFrom(orderKey(name));
  }

  private zonesFrom(prefix: string): HostedZone[] {
    const zones: HostedZone[] = [];
    for (const [key, zone] of this.zonesByName.entries(prefix)) {
      if (!key.startsWith(prefix)) break;
      zones.push(zone);
    }
    return zones;
  }

  private newZoneId(): ZoneId {
    for (;;) {
      const id = `Z${randomAlphanumeric(20)}`;
      if (!this.zones.has(id)) return id;
    }
  }

  /** A new change, PENDING for the change sync delay; for calls that change what the zone serves. */
  recordChange(account: AccountId, comment: string | undefined): ChangeRecord {
    const submittedAt = this.now();
    const change: ChangeRecord = {
      id: `C${randomAlphanumeric(20)}`,
      account,
      submittedAt,
      insyncAt: new Date(submittedAt.getTime() + this.changeSyncDelayMs),
      comment,
    };
    this.changes.set(change.id, change);
    return change;
  }

  private notify(change: StateChange): void {
    for (const listener of this.listeners) listener(change);
  }
}

function toChange(action: string, record: RecordSetInput): ChangeRequest {
  return { action, name: record.name, type: record.type, ttl: String(record.ttl), values: record.values, unsupported: [] };
}

/** The key of a zone in the by-name index: its name's order key, NUL, its id. */
function zoneNameKey(name: DnsName, id: ZoneId): string {
  return `${orderKey(name)}\u0000${id}`;
}

/** The names above `name`, nearest first (`b.c` and `c` for `a.b.c`). */
function ancestorsOf(name: DnsName): DnsName[] {
  const labels = labelsOf(name);
  return labels.slice(1).map((_label, index) => labels.slice(index + 1).join('.'));
}

/**
 * A hosted zone's name: a valid name, not a TLD, no `*` in the leftmost label ("You can't
 * include an * in the leftmost label", DomainNameFormat.html, "Using an asterisk").
 */
function zoneNameOf(input: string): DnsName {
  const parsed = parseName(input);
  if (!parsed.ok) {
    throw new EmulatedServiceError('InvalidDomainName', `${input} is not a valid domain name: ${parsed.reason}`);
  }
  const name = parsed.name;
  if ((labelsOf(name)[0] ?? '').includes('\\052')) {
    throw new EmulatedServiceError(
      'InvalidDomainName',
      `${toFqdn(name)} is not a valid hosted zone name: its leftmost label cannot hold a "*"`,
    );
  }
  if (!name.includes('.')) {
    throw new EmulatedServiceError('InvalidDomainName', `${toFqdn(name)} is a top-level domain; you cannot create a hosted zone for a TLD`);
  }
  return name;
}

function checkCallerReference(callerReference: string): void {
  if (callerReference.length < 1 || callerReference.length > MAX_CALLER_REFERENCE) {
    throw constraintViolation(callerReference, 'callerReference', `Member must have length between 1 and ${MAX_CALLER_REFERENCE}`);
  }
}

function checkVpc(vpc: Vpc): void {
  if (!/^vpc-[0-9a-f]{8,17}$/.test(vpc.id)) {
    throw new EmulatedServiceError('InvalidVPCId', `The VPC ID '${vpc.id}' is not valid.`);
  }
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(vpc.region)) {
    throw constraintViolation(vpc.region, 'vPC.vPCRegion', 'Member must be an AWS Region name, such as us-east-1');
  }
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

function randomAlphanumeric(length: number): string {
  return Array.from(randomBytes(length), (byte) => ALPHANUMERIC[byte % ALPHANUMERIC.length]).join('');
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
