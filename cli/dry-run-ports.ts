/**
 * Write-nothing wrappers of the ports the reconcile writes through, so `subzone plan` runs the
 * worker's own code path (reconcileAccounts) and only watches what it would do. Reads pass
 * through to the real ports; writes land in memory: ledger items in an overlay that later
 * reads of the same run see, change batches and outcome events in lists. Every port the
 * reconcile can write through is wrapped here, in this one file. (The reconcile sends nothing to
 * the work queue: only a sweep's fan-out does, and a plan is no sweep.)
 */
import type { HeldCounts } from '../functions/core/held-counts';
import type {
  DelegationLedger,
  DelegationProbe,
  Lease,
  LedgerScan,
  NameKey,
  OutcomePublisher,
  ParentZoneStore,
} from '../functions/core/ports';
import type { AccountId, ChangeBatch, DnsName, LedgerEntry, NameOwner, OutcomeEvent, ParentView, ZoneId } from '../functions/core/types';

const entryKey = (account: AccountId, zoneId: ZoneId): string => `${account}\u0000${zoneId}`;
const ownerKey = (parentZoneId: ZoneId, name: DnsName): string => `${parentZoneId}\u0000${name}`;

/** The ledger as the real one reads, with every write kept in memory (`undefined`: deleted). */
export class DryRunLedger implements DelegationLedger {
  private readonly entries = new Map<string, LedgerEntry | undefined>();
  private readonly owners = new Map<string, NameOwner | undefined>();
  private readonly events = new Map<AccountId, string>();

  constructor(private readonly real: DelegationLedger) {}

  /** A lease is not taken: nothing is written, so nothing needs guarding. */
  async acquireLease(account: AccountId, holder: string, now: Date, ttlMs: number): Promise<Lease> {
    return { account, holder, expiresAt: new Date(now.getTime() + ttlMs).toISOString() };
  }

  async releaseLease(): Promise<void> {}

  async acquireParentLease(parentZoneId: ZoneId, holder: string, now: Date, ttlMs: number): Promise<Lease> {
    return { account: parentZoneId, holder, expiresAt: new Date(now.getTime() + ttlMs).toISOString() };
  }

  async releaseParentLease(): Promise<void> {}

  async listEntries(account: AccountId): Promise<LedgerEntry[]> {
    const stored = (await this.real.listEntries(account)).filter((entry) => !this.entries.has(entryKey(entry.account, entry.zoneId)));
    const written = [...this.entries.values()].filter((entry): entry is LedgerEntry => entry?.account === account);
    return [...stored, ...written];
  }

  async getEntry(account: AccountId, zoneId: ZoneId): Promise<LedgerEntry | undefined> {
    const key = entryKey(account, zoneId);
    return this.entries.has(key) ? this.entries.get(key) : this.real.getEntry(account, zoneId);
  }

  async putEntry(entry: LedgerEntry): Promise<void> {
    this.entries.set(entryKey(entry.account, entry.zoneId), entry);
  }

  async deleteEntry(account: AccountId, zoneId: ZoneId): Promise<void> {
    this.entries.set(entryKey(account, zoneId), undefined);
  }

  async getNameOwner(parentZoneId: ZoneId, name: DnsName): Promise<NameOwner | undefined> {
    const key = ownerKey(parentZoneId, name);
    return this.owners.has(key) ? this.owners.get(key) : this.real.getNameOwner(parentZoneId, name);
  }

  /** A plan is never a sweep, so no budget is counted; passed through for completeness. */
  async heldCounts(): Promise<HeldCounts> {
    return this.real.heldCounts();
  }

  async getNameOwners(names: readonly NameKey[]): Promise<NameOwner[]> {
    const unknown = names.filter(({ parentZoneId, name }) => !this.owners.has(ownerKey(parentZoneId, name)));
    const stored = unknown.length > 0 ? await this.real.getNameOwners(unknown) : [];
    const overlaid = names.flatMap(({ parentZoneId, name }) => this.owners.get(ownerKey(parentZoneId, name)) ?? []);
    return [...stored, ...overlaid];
  }

  async claimName(owner: NameOwner): Promise<NameOwner> {
    const current = await this.getNameOwner(owner.parentZoneId, owner.name);
    if (current !== undefined && current.zoneId !== owner.zoneId) return current;
    this.owners.set(ownerKey(owner.parentZoneId, owner.name), owner);
    return owner;
  }

  async freeName(owner: NameOwner): Promise<void> {
    const current = await this.getNameOwner(owner.parentZoneId, owner.name);
    if (current?.zoneId === owner.zoneId) this.owners.set(ownerKey(owner.parentZoneId, owner.name), undefined);
  }

  async scanLedger(): Promise<LedgerScan> {
    const scan = await this.real.scanLedger();
    const entries = scan.entries.filter((entry) => !this.entries.has(entryKey(entry.account, entry.zoneId)));
    const owners = scan.owners.filter((owner) => !this.owners.has(ownerKey(owner.parentZoneId, owner.name)));
    return {
      entries: [...entries, ...[...this.entries.values()].filter((entry): entry is LedgerEntry => entry !== undefined)],
      owners: [...owners, ...[...this.owners.values()].filter((owner): owner is NameOwner => owner !== undefined)],
    };
  }

  async noteEvent(account: AccountId, eventTime: string): Promise<void> {
    this.events.set(account, eventTime);
  }

  async lastEventAt(account: AccountId): Promise<string | undefined> {
    return this.events.get(account) ?? this.real.lastEventAt(account);
  }

  /** A plan is never a sweep: failed sweeps are neither counted nor cleared. */
  async countFailedSweep(): Promise<number> {
    return 0;
  }

  async clearFailedSweeps(): Promise<void> {}

  listAccounts(): Promise<AccountId[]> {
    return this.real.listAccounts();
  }

  /** A plan is never a sweep: sweeps are neither registered nor finished. */
  async startSweep(): Promise<void> {}

  async finishSweepAccount(): Promise<undefined> {
    return undefined;
  }

  async reserveRemovals(): Promise<boolean> {
    return true;
  }

  /** A plan is never a sweep: it reads no parent zone whole, and keeps no reading. */
  async saveReadingPart(): Promise<void> {}

  async loadReading(): Promise<undefined> {
    return undefined;
  }

  async dropReading(): Promise<void> {}

  async takeReadingStep(): Promise<boolean> {
    return false;
  }

  async finishReadingStep(): Promise<void> {}

  async releaseReadingStep(): Promise<void> {}
}

/** The parent zones as they are read; change batches are recorded, never sent. */
export class DryRunParentStore implements ParentZoneStore {
  readonly batches: ChangeBatch[] = [];

  constructor(private readonly real: ParentZoneStore) {}

  describeZone(parentZoneId: ZoneId): Promise<{ readonly name: DnsName; readonly privateZone: boolean }> {
    return this.real.describeZone(parentZoneId);
  }

  readAround(parentZoneId: ZoneId, apex: DnsName, names: readonly DnsName[]): Promise<ParentView> {
    return this.real.readAround(parentZoneId, apex, names);
  }

  async applyBatch(batch: ChangeBatch): Promise<undefined> {
    this.batches.push(batch);
    return undefined;
  }
}

/** Outcome events that would be published. */
export class RecordingPublisher implements OutcomePublisher {
  readonly events: OutcomeEvent[] = [];

  async publish(events: readonly OutcomeEvent[]): Promise<OutcomeEvent[]> {
    this.events.push(...events);
    return [];
  }
}

/** A plan never probes over DNS (only sweeps do); if asked, it concludes nothing. */
export const UNKNOWN_PROBE: DelegationProbe = {
  check: async () => 'unknown',
};
