/**
 * The vocabulary shared by the core, the adapters, the CLI and the emulator.
 * Every name in these types is in subzone's canonical form (see names.ts): lower case,
 * no trailing dot, IDN as punycode, and every byte outside [a-z0-9_-] written as
 * Route 53's three-digit octal escape. Zone ids are bare (no `/hostedzone/` prefix).
 */

/** A 12-digit AWS account id. */
export type AccountId = string;
/** A bare Route 53 hosted zone id, e.g. `Z0123456789ABCDEFGHIJ`. */
export type ZoneId = string;
/** A domain name in canonical form (names.ts `normaliseName`). */
export type DnsName = string;

/** A hosted zone in a child ("spoke") account, as read through the reader role. */
export interface SpokeZone {
  readonly zoneId: ZoneId;
  readonly name: DnsName;
  readonly privateZone: boolean;
  /** The opt-in tag is present with exactly the configured value. */
  readonly optedIn: boolean;
  /**
   * The zone's four name servers, canonical, sorted; empty for private zones, and for zones
   * not opted in whose name servers the ledger does not know (they are never read).
   */
  readonly nameServers: readonly DnsName[];
  /** Its signing and the team's DNSSEC tags; read only with DNSSEC on, for opted-in public zones. */
  readonly dnssec?: ZoneSigning;
}

/** A key-signing key that is ACTIVE, with the DS value a parent publishes for it. */
export interface ActiveSigningKey {
  readonly name: string;
  /** GetDNSSEC's `DSRecord`: `<key tag> <algorithm> <digest type> <digest>`. */
  readonly dsRecord: string;
}

/**
 * A child zone's DNSSEC as GetDNSSEC reports it, with the tags by which its team asks for a DS
 * to go (contract.ts DNSSEC_OFF_TAG, DS_RETIRE_TAG). GetDNSSEC does not tell when the signing change is
 * INSYNC: GetChange does, for the change id EnableHostedZoneDNSSEC's event carried (SigningChange).
 */
export interface ZoneSigning {
  /** `ServeSignature` is `SIGNING`. */
  readonly signing: boolean;
  readonly activeKeys: readonly ActiveSigningKey[];
  /** The zone carries `subzone:dnssec=off`: withdraw every DS, keep the NS. */
  readonly dsOff: boolean;
  /** The key named by `subzone:ds-retire`, whose DS the team asks to withdraw. */
  readonly retiredKey?: string;
}

/**
 * Where the change of EnableHostedZoneDNSSEC stands, asked of GetChange through the reader role:
 * `unknown` when Route 53 no longer knows the id (the wait alone then stands).
 */
export type SigningChangeStatus = 'PENDING' | 'INSYNC' | 'unknown';

/** A zone's signing change and its status. */
export interface SigningChange {
  readonly id: string;
  readonly status: SigningChangeStatus;
}

/** Which part of an account a reconcile reads. Zone ids only narrow the read inside the account. */
export type ZoneScope = { readonly kind: 'account' } | { readonly kind: 'zones'; readonly zoneIds: readonly ZoneId[] };

/**
 * A complete read of a scope: every zone of the scope that exists is in `zones`.
 * `coveredZoneIds` lists the zone ids known to be covered when the scope is `zones`
 * (the requested ids plus any same-name siblings read alongside them); an id in it
 * but not in `zones` is gone. For the `account` scope every zone id is covered.
 */
export interface SpokeSnapshot {
  readonly account: AccountId;
  readonly scope: ZoneScope;
  readonly zones: readonly SpokeZone[];
  readonly coveredZoneIds: readonly ZoneId[];
  /**
   * Zones that exist but could not be read (a name that cannot be normalised, say): unknown,
   * never absent. Nothing is decided about them, and the rest of the account still is.
   */
  readonly unknownZoneIds?: readonly ZoneId[];
}

/** A record set in a parent zone, with its values exactly as Route 53 returned them. */
export interface RecordSet {
  readonly name: DnsName;
  /** Upper-case record type: NS, DS, A, ... */
  readonly type: string;
  readonly ttl: number;
  /** Values exactly as read (needed verbatim for a compare-and-swap DELETE). */
  readonly values: readonly string[];
}

/** The records of one parent zone at, below and above (NS only) a set of names. */
export interface ParentView {
  readonly parentZoneId: ZoneId;
  readonly apex: DnsName;
  readonly records: readonly RecordSet[];
}

/**
 * One account's share of a sweep's reading of a parent zone (docs/concepts.md, the sweep):
 * every record at or below each of `names`, and the NS records at the names between the apex
 * and them, as the reading that began at the slice's `readAt` found them.
 */
export interface ParentSlice {
  readonly parentZoneId: ZoneId;
  readonly names: readonly DnsName[];
  readonly records: readonly RecordSet[];
}

/** What a sweep's reading holds for one account, carried by its sweep message. */
export interface SweepSlice {
  /** When the reading began (ISO 8601). */
  readonly readAt: string;
  readonly parents: readonly ParentSlice[];
}

/** Record types subzone ever writes (invariant 1). */
export type DelegationRecordType = 'NS' | 'DS';

/** A record exactly as subzone sent it (or found it, when adopted). */
export interface LedgerRecord {
  readonly type: DelegationRecordType;
  readonly ttl: number;
  readonly values: readonly string[];
}

/** One change of a change batch. Only CREATE and DELETE exist here: never UPSERT. */
export interface RecordChange {
  readonly action: 'CREATE' | 'DELETE';
  readonly record: RecordSet;
}

/** A change batch bound for one parent zone. */
export interface ChangeBatch {
  readonly parentZoneId: ZoneId;
  readonly changes: readonly RecordChange[];
}

/** Detail-types of the outcome events subzone publishes on the hub bus. */
export type OutcomeDetailType =
  | 'Delegation Created'
  | 'Delegation Updated'
  | 'Delegation Removed'
  | 'Delegation Rejected'
  | 'Delegation Suspect'
  | 'Delegation Occluded'
  /** A removal waits for its grace period; the detail carries `removableAt`. */
  | 'Delegation Removal Pending'
  | 'Sweep Completed';

export interface OutcomeEvent {
  readonly detailType: OutcomeDetailType;
  readonly detail: {
    /** The child account; absent on `Sweep Completed`, which is about every account of the sweep. */
    readonly account?: AccountId;
    readonly zoneId?: ZoneId;
    readonly name?: DnsName;
    readonly parentZoneId?: ZoneId;
    readonly reason: string;
    /** False in observe mode or when writes are paused: the decision was not applied. */
    readonly applied: boolean;
    readonly [extra: string]: unknown;
  };
}

/** What the ledger knows of a zone it has judged: name and name servers never change for the life of a zone id. */
export interface KnownZone {
  readonly name: DnsName;
  readonly nameServers: readonly DnsName[];
}

/** Lifecycle of a ledger entry (one per spoke hosted zone subzone has judged). */
export type EntryState =
  /** Intent recorded, write to Route 53 not yet confirmed. */
  | 'creating'
  /** Delegation in place in the parent. */
  | 'delegated'
  /** Intent to remove recorded, delete not yet confirmed. */
  | 'removing'
  /** A standing rejection: remembered so it is reported once, when it begins. */
  | 'rejected'
  /** Observe mode or paused writes: what would have been done, remembered to report it once. */
  | 'observed'
  /** Nothing held any more; kept only until its pending outcome event is published. */
  | 'retired';

/**
 * One item per spoke hosted zone, keyed account + zoneId.
 * `records` are what subzone holds in the parent for this zone, exactly as sent.
 */
export interface LedgerEntry {
  readonly account: AccountId;
  readonly zoneId: ZoneId;
  readonly name: DnsName;
  readonly parentZoneId: ZoneId;
  readonly state: EntryState;
  readonly origin: 'written' | 'adopted';
  /** Records held in the parent (empty while rejected). */
  readonly records: readonly LedgerRecord[];
  /** The zone's name servers: they never change for the life of a zone id. */
  readonly nameServers: readonly DnsName[];
  /** Pending write: what was about to be sent, kept until its outcome is known. */
  readonly intent?: {
    readonly changes: readonly RecordChange[];
    readonly at: string;
  };
  /** The reason of a standing rejection, or of the last decision. */
  readonly reason?: string;
  /** When a removal condition (opt-out, rule dropped) was first seen, for the grace period. */
  readonly removableSince?: string;
  /** When the account first could not be read while this delegation stood. */
  readonly suspectSince?: string;
  /** First DNS check (of a suspect) that found the name servers no longer serving the name. */
  readonly notServingSince?: string;
  /** When the delegation was first found occluded (a delegation above it, or records below it). */
  readonly occludedSince?: string;
  /**
   * When the zone was first seen signing with an active key (DNSSEC on) and its signing change, if
   * known, INSYNC: its first DS waits from here.
   */
  readonly signingSeenSince?: string;
  /** The signing change (EnableHostedZoneDNSSEC) not yet seen INSYNC: no first DS while it is PENDING. */
  readonly signingChangeId?: string;
  /** An outcome event not yet published. */
  readonly pendingOutcome?: OutcomeEvent;
  /** The Route 53 change that last wrote this delegation, so an operator can see it go INSYNC. */
  readonly lastChangeId?: string;
  /** Optimistic-concurrency version; every conditional write checks and bumps it. */
  readonly version: number;
  readonly updatedAt: string;
}

/** The one zone that holds a name in a parent zone (invariant 7). */
export interface NameOwner {
  readonly parentZoneId: ZoneId;
  readonly name: DnsName;
  readonly account: AccountId;
  readonly zoneId: ZoneId;
  /** When the claim was (last) made: a claim younger than a lease may have no entry yet. */
  readonly claimedAt?: string;
}

/** Operator controls, read on every reconcile (SSM parameter in AWS). */
export interface Controls {
  /** Stop every write. */
  readonly writesPaused: boolean;
  /** Names frozen: nothing creates, changes or removes them. */
  readonly holds: readonly DnsName[];
  /** Free-form "who and why", logged with every pause and hold. */
  readonly setBy?: string;
  /** One-time approvals to exceed the removal budget, by sweep id or `*`. */
  readonly approvedRemovals?: readonly string[];
}

/** A parent zone subzone manages in the hub account. */
export interface ParentZoneConfig {
  readonly name: DnsName;
  readonly hostedZoneId: ZoneId;
}

/**
 * An allowlist rule. `name` is canonical; a wildcard rule is `*.` + a canonical name, and
 * its `*` stands for exactly one label.
 */
export interface RuleConfig {
  readonly name: string;
  readonly accounts: readonly AccountId[];
  /** TTL of the NS records written for names of this rule; defaults to the config's nsTtl. */
  readonly nsTtl?: number;
  /** TTL of the DS records written for names of this rule; defaults to the config's dnssec.dsTtl. */
  readonly dsTtl?: number;
}

/** The validated config file (docs/configuration.md); parsed only by config-schema.ts `parseConfig`. */
export interface SubzoneConfig {
  readonly version: 1;
  readonly mode: 'enforce' | 'observe';
  readonly parentZones: readonly ParentZoneConfig[];
  readonly rules: readonly RuleConfig[];
  readonly optInTag: { readonly key: string; readonly value: string };
  readonly readerRoleName: string;
  readonly nsTtl: number;
  readonly graceMinutes: number;
  readonly removalBudget: { readonly records: number; readonly percent: number };
  /** DS records for signing child zones; when off, nothing about DS is read or written. */
  readonly dnssec: { readonly enabled: boolean; readonly dsTtl: number };
}
