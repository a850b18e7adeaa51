/**
 * What the reconcile needs from the world, named for its role. Adapters in
 * functions/adapters implement these over AWS; unit tests use in-memory fakes (test/fakes),
 * integration tests the adapters against the emulator.
 * A port that cannot read completely throws (SpokeReadError, ParentReadError): a failed
 * read is unknown, never absent.
 */
import type { HeldCounts } from './held-counts';
import type {
  AccountId,
  ChangeBatch,
  Controls,
  DnsName,
  KnownZone,
  LedgerEntry,
  NameOwner,
  OutcomeEvent,
  ParentView,
  SigningChangeStatus,
  RecordSet,
  SpokeSnapshot,
  ZoneId,
  ZoneScope,
} from './types';

/** Reads hosted zones in a child account through its read-only reader role. */
export interface SpokeZoneReader {
  /**
   * Reads the scope completely or throws SpokeReadError.
   * `known` (the ledger's zones of the account) spares a GetHostedZone per zone whose name
   * servers it holds. For a `zones` scope the reader also reads the zones `known` names like a
   * requested public zone (same-name siblings the ledger knows), and lists them in
   * `coveredZoneIds`; a same-name zone the ledger has never seen is not looked for.
   */
  readZones(account: AccountId, scope: ZoneScope, known: ReadonlyMap<ZoneId, KnownZone>): Promise<SpokeSnapshot>;
  /** GetChange of a zone's signing change (a bare id), in the child account; throws SpokeReadError. */
  signingChangeStatus(account: AccountId, changeId: string): Promise<SigningChangeStatus>;
}

/** Reads and writes the parent zones in the hub account. */
export interface ParentZoneStore {
  /** The zone's name and visibility, for the start-up check of the config. */
  describeZone(parentZoneId: ZoneId): Promise<{ readonly name: DnsName; readonly privateZone: boolean }>;
  /**
   * Every record at each of `names`, every record below each of them, and the NS records
   * at each name between the apex and them. Throws ParentReadError if any page fails.
   */
  readAround(parentZoneId: ZoneId, apex: DnsName, names: readonly DnsName[]): Promise<ParentView>;
  /**
   * Applies one atomic batch and returns the id of Route 53's change (for `subzone verify`), if
   * there was one; throws ChangeConflictError when Route 53 refuses it as invalid.
   */
  applyBatch(batch: ChangeBatch): Promise<string | undefined>;
}

/** Reads parent zones whole, page by page: a sweep's reading (sweep-reading.ts). */
export interface ParentZonePages {
  /**
   * One page of the whole zone, in Route 53's order, from `from` (the zone's start when
   * undefined). Throws ParentReadError if the page cannot be read.
   */
  readPage(parentZoneId: ZoneId, from: ZonePageCursor | undefined): Promise<ZonePage>;
}

/** Where a listing of a zone continues: Route 53's `Next*` values, sent back verbatim. */
export interface ZonePageCursor {
  readonly name: string;
  readonly type?: string;
  readonly identifier?: string;
}

/** One page of a zone's record sets. */
export interface ZonePage {
  readonly records: readonly RecordSet[];
  /** Undefined when this page is the zone's last. */
  readonly next?: ZonePageCursor;
}

/** A lease: one holder at a time works on what it names, until it expires. */
export interface Lease {
  /** An account id, or a parent zone id for a parent lease. */
  readonly account: AccountId;
  readonly holder: string;
  readonly expiresAt: string;
}

/** Short leases that serialise work: one per account, and one per parent zone for invocations that create. */
export interface LeaseStore {
  /** Takes the account's lease, or throws LeaseBusyError if another holder's lease is live at `now`. */
  acquireLease(account: AccountId, holder: string, now: Date, ttlMs: number): Promise<Lease>;
  /** Gives the lease back if still held by `holder`; a no-op otherwise. */
  releaseLease(lease: Lease): Promise<void>;
  /** Takes the parent zone's lease (the same rules as an account's), held around read, judge and write. */
  acquireParentLease(parentZoneId: ZoneId, holder: string, now: Date, ttlMs: number): Promise<Lease>;
  /** Gives a parent zone's lease back if still held by its holder. */
  releaseParentLease(lease: Lease): Promise<void>;
}

/** The delegation entries: one per spoke hosted zone subzone has judged. */
export interface DelegationEntries {
  /** All entries of one account, strongly consistent. */
  listEntries(account: AccountId): Promise<LedgerEntry[]>;
  /** One entry, strongly consistent. */
  getEntry(account: AccountId, zoneId: ZoneId): Promise<LedgerEntry | undefined>;
  /**
   * Writes an entry if the stored version equals `entry.version - 1` (or the item does not
   * exist when `entry.version` is 1). Throws LedgerConflictError otherwise.
   */
  putEntry(entry: LedgerEntry): Promise<void>;
  /** Deletes an entry if its stored version equals `expectedVersion`; throws LedgerConflictError otherwise. */
  deleteEntry(account: AccountId, zoneId: ZoneId, expectedVersion: number): Promise<void>;
  /** Every account that has at least one entry (for the sweep). */
  listAccounts(): Promise<AccountId[]>;
  /** What the entries hold across the ledger (held-counts.ts), kept up to date by every write: no scan. */
  heldCounts(): Promise<HeldCounts>;
}

/** A name in a parent zone, as name owners are keyed. */
export interface NameKey {
  readonly parentZoneId: ZoneId;
  readonly name: DnsName;
}

/** Which zone owns each name in a parent zone (invariant 7). */
export interface NameOwners {
  /** The owner of a name in a parent zone, strongly consistent. */
  getNameOwner(parentZoneId: ZoneId, name: DnsName): Promise<NameOwner | undefined>;
  /** The owners of many names at once (the ones that have one), strongly consistent. */
  getNameOwners(names: readonly NameKey[]): Promise<NameOwner[]>;
  /**
   * Claims a name for a zone: succeeds if no one owns it or the same zone does.
   * Returns the owner after the attempt (the caller's own, or the other one's).
   */
  claimName(owner: NameOwner): Promise<NameOwner>;
  /** Frees a name if (and only if) it is still owned by that zone. */
  freeName(owner: NameOwner): Promise<void>;
}

/** What the ledger remembers about each account between reconciles. */
export interface AccountActivity {
  /** Remembers the time of an account's newest CloudTrail event (an older one changes nothing). */
  noteEvent(account: AccountId, eventTime: string): Promise<void>;
  /** The time of the account's newest event seen, if any. */
  lastEventAt(account: AccountId): Promise<string | undefined>;
  /**
   * Remembers that sweep `sweepId` could not read the account; returns how many sweeps in a
   * row could not (a retried message of the same sweep counts once).
   */
  countFailedSweep(account: AccountId, sweepId: string): Promise<number>;
  /** A sweep read the account: the count of failed sweeps starts again from zero. */
  clearFailedSweeps(account: AccountId): Promise<void>;
}

/** The progress of sweeps that fan out over many invocations. */
export interface SweepProgress {
  /** Registers a sweep that fans out to `accounts`. */
  startSweep(sweepId: string, accounts: readonly AccountId[], now: Date): Promise<void>;
  /**
   * Marks one account of a sweep done. The call that finishes the sweep gets the time the
   * sweep started (for its duration); every other call gets undefined.
   */
  finishSweepAccount(sweepId: string, account: AccountId): Promise<{ readonly startedAt: string } | undefined>;
  /**
   * Adds `count` to the removals a sweep has made, if the total stays within `budget`;
   * returns false (and adds nothing) otherwise, or when the sweep is unknown.
   */
  reserveRemovals(sweepId: string, count: number, budget: number): Promise<boolean>;
}

/** Every delegation entry and name owner, as one pass over the ledger sees them (eventually consistent). */
export interface LedgerScan {
  readonly entries: readonly LedgerEntry[];
  readonly owners: readonly NameOwner[];
}

/** One piece of a sweep's reading of the parent zones: records of one parent, in Route 53's order. */
export interface ReadingPart {
  readonly parentZoneId: ZoneId;
  readonly records: readonly RecordSet[];
}

/**
 * What a sweep needs of the whole ledger, and its reading of the parent zones kept between the
 * invocations that read it (a big parent takes more than one).
 */
export interface SweepStore {
  /** Every entry and owner, in one pass: the sweep's accounts, its slices and its orphaned owners. */
  scanLedger(): Promise<LedgerScan>;
  /** Keeps part `index` of a sweep's reading; saving the same index again replaces it. */
  saveReadingPart(sweepId: string, index: number, part: ReadingPart, now: Date): Promise<void>;
  /** Parts 0 to count - 1 of a sweep's reading, or undefined when one is missing (expired). */
  loadReading(sweepId: string, count: number): Promise<ReadingPart[] | undefined>;
  /**
   * Deletes every part of a sweep's reading. Its steps stay until they expire, so a late
   * duplicate of a step already run is still refused.
   */
  dropReading(sweepId: string): Promise<void>;
  /**
   * Takes step `step` of a sweep's reading (numbered by the parts kept before it) for `holder`
   * until `ttlMs` after `now`: false when another delivery of the same message holds it or has
   * finished it (SQS delivers at least once; a step must not run twice at once).
   */
  takeReadingStep(sweepId: string, step: number, holder: string, now: Date, ttlMs: number): Promise<boolean>;
  /** Marks a step finished: no other delivery of it runs. */
  finishReadingStep(sweepId: string, step: number): Promise<void>;
  /** Gives a step back if `holder` still holds it (it failed: the message's retry runs it). */
  releaseReadingStep(sweepId: string, step: number, holder: string): Promise<void>;
}

/** The ownership ledger (DynamoDB in AWS), every role at once. Single-item conditional writes only. */
export type DelegationLedger = LeaseStore & DelegationEntries & NameOwners & AccountActivity & SweepProgress & SweepStore;

/** Publishes outcome events on the hub bus. */
export interface OutcomePublisher {
  /** Publishes all events (batches of 10); returns the ones that could not be published. */
  publish(events: readonly OutcomeEvent[]): Promise<OutcomeEvent[]>;
}

/** Sends messages to the worker's own queue (sweep fan-out, CLI requests). */
export interface WorkQueue {
  send(messages: readonly object[]): Promise<void>;
}

/** Reads the operator controls (kill switch, holds), cached for a few seconds at most. */
export interface ControlSource {
  read(): Promise<Controls>;
}

/** Asks a name's delegated name servers over DNS whether they still serve it (issue: safety rails). */
export interface DelegationProbe {
  /**
   * `serving`: at least one name server answered authoritatively with the name's SOA;
   * `not-serving`: every name server answered, none authoritatively for the name;
   * `unknown`: some name server could not be asked (timeouts): nothing may be concluded.
   */
  check(name: DnsName, nameServers: readonly DnsName[]): Promise<'serving' | 'not-serving' | 'unknown'>;
}

/** Wall-clock time and waiting, injectable for tests of grace periods and leases. */
export interface Clock {
  now(): Date;
  /** Resolves once `ms` milliseconds have passed on this clock. */
  sleep(ms: number): Promise<void>;
}

/** Unique ids (for the holder of an invocation's leases). */
export interface IdSource {
  next(): string;
}
