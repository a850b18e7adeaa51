/**
 * What the reconcile needs from the world, named for its role. Adapters in
 * functions/adapters implement these over AWS; tests implement them over the emulator.
 * A port that cannot read completely throws (SpokeReadError, ParentReadError): a failed
 * read is unknown, never absent.
 */
import type {
  AccountId,
  ChangeBatch,
  Controls,
  DnsName,
  LedgerEntry,
  NameOwner,
  OutcomeEvent,
  ParentView,
  SpokeSnapshot,
  ZoneId,
  ZoneScope,
} from './types';

/** Reads hosted zones in a child account through its read-only reader role. */
export interface SpokeZoneReader {
  /**
   * Reads the scope completely or throws SpokeReadError.
   * `knownNameServers` (from the ledger) spares a GetHostedZone per zone already known.
   * For a `zones` scope the reader also reads the other public zones of the same names
   * (same-name siblings), and lists them in `coveredZoneIds`.
   */
  readZones(
    account: AccountId,
    scope: ZoneScope,
    knownNameServers: ReadonlyMap<ZoneId, readonly DnsName[]>,
  ): Promise<SpokeSnapshot>;
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
  /** Applies one atomic batch; throws ChangeConflictError when Route 53 refuses it as invalid. */
  applyBatch(batch: ChangeBatch): Promise<void>;
}

/** The lease held while an account is reconciled. */
export interface Lease {
  readonly account: AccountId;
  readonly holder: string;
  readonly expiresAt: string;
}

/** The ownership ledger (DynamoDB in AWS). Single-item conditional writes only. */
export interface DelegationLedger {
  /** Takes the account's lease, or throws LeaseBusyError if another holder's lease is live. */
  acquireLease(account: AccountId, holder: string, now: Date, ttlMs: number): Promise<Lease>;
  /** Gives the lease back if still held by `holder`; a no-op otherwise. */
  releaseLease(lease: Lease): Promise<void>;
  /** All entries of one account, strongly consistent. */
  listEntries(account: AccountId): Promise<LedgerEntry[]>;
  /**
   * Writes an entry if the stored version equals `entry.version - 1` (or the item does not
   * exist when `entry.version` is 1). Throws LedgerConflictError otherwise.
   */
  putEntry(entry: LedgerEntry): Promise<void>;
  /** Deletes an entry if its stored version equals `expectedVersion`. */
  deleteEntry(account: AccountId, zoneId: ZoneId, expectedVersion: number): Promise<void>;
  /** The owner of a name in a parent zone, strongly consistent. */
  getNameOwner(parentZoneId: ZoneId, name: DnsName): Promise<NameOwner | undefined>;
  /**
   * Claims a name for a zone: succeeds if no one owns it or the same zone does.
   * Returns the owner after the attempt (the caller's own, or the other one's).
   */
  claimName(owner: NameOwner): Promise<NameOwner>;
  /** Releases a name if (and only if) it is still owned by that zone. */
  releaseName(owner: NameOwner): Promise<void>;
  /** Remembers the time of an account's newest CloudTrail event (an older one changes nothing). */
  noteEvent(account: AccountId, eventTime: string): Promise<void>;
  /** The time of the account's newest event seen, if any. */
  lastEventAt(account: AccountId): Promise<string | undefined>;
  /** Every account that has at least one entry (for the sweep). */
  listAccounts(): Promise<AccountId[]>;
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

/** Wall-clock time, injectable for tests of grace periods and leases. */
export interface Clock {
  now(): Date;
}
