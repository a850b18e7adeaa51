/**
 * The ledger in memory, with DynamoDB's conditional semantics: a versioned put or delete that
 * finds another version throws LedgerConflictError, a live lease of another holder throws
 * LeaseBusyError, a name owned by another zone stays theirs. `failNext` injects a fault into
 * the next call of one method, as a throttled or failing table would.
 */
import { LeaseBusyError, LedgerConflictError } from '../../functions/core/errors';
import { countHeld, type HeldCounts } from '../../functions/core/held-counts';
import type { DelegationLedger, Lease, LedgerScan, NameKey, ReadingPart } from '../../functions/core/ports';
import type { AccountId, DnsName, LedgerEntry, NameOwner, ZoneId } from '../../functions/core/types';
import { tick } from './fake-clock';

type Method = keyof DelegationLedger;

interface Sweep {
  readonly startedAt: string;
  readonly remaining: Set<AccountId>;
  removals: number;
}

/** One tick of the event loop: a fake call yields like a network call, so concurrent callers interleave. */

export class FakeLedger implements DelegationLedger {
  readonly entries = new Map<string, LedgerEntry>();
  readonly owners = new Map<string, NameOwner>();
  readonly leases = new Map<string, Lease>();
  readonly sweeps = new Map<string, Sweep>();
  readonly lastEvents = new Map<AccountId, string>();
  readonly failedSweeps = new Map<AccountId, Set<string>>();
  /** Parts of sweeps' readings of the parent zones, by `sweepId|index`. */
  readonly readings = new Map<string, ReadingPart>();
  /** Steps of sweeps' readings taken, by `sweepId|step`. */
  readonly readingSteps = new Map<string, { holder: string; expiresAt: string; done: boolean }>();
  /** How many times each method was called. */
  readonly calls = new Map<Method, number>();
  private readonly faults = new Map<Method, Error[]>();

  /** Makes the next call of `method` throw `error` (queued: several calls fail in turn). */
  failNext(method: Method, error: Error): void {
    this.faults.set(method, [...(this.faults.get(method) ?? []), error]);
  }

  /** Stores entries as they would be after earlier reconciles. */
  seed(...entries: LedgerEntry[]): void {
    for (const entry of entries) this.entries.set(entryKey(entry.account, entry.zoneId), entry);
  }

  entry(account: AccountId, zoneId: ZoneId): LedgerEntry | undefined {
    return this.entries.get(entryKey(account, zoneId));
  }

  owner(parentZoneId: ZoneId, name: DnsName): NameOwner | undefined {
    return this.owners.get(ownerKey(parentZoneId, name));
  }

  callCount(method: Method): number {
    return this.calls.get(method) ?? 0;
  }

  async acquireLease(account: AccountId, holder: string, now: Date, ttlMs: number): Promise<Lease> {
    await this.enter('acquireLease');
    return this.take(`ACCOUNT#${account}`, account, holder, now, ttlMs);
  }

  async releaseLease(lease: Lease): Promise<void> {
    await this.enter('releaseLease');
    this.give(`ACCOUNT#${lease.account}`, lease);
  }

  async acquireParentLease(parentZoneId: ZoneId, holder: string, now: Date, ttlMs: number): Promise<Lease> {
    await this.enter('acquireParentLease');
    return this.take(`PARENT#${parentZoneId}`, parentZoneId, holder, now, ttlMs);
  }

  async releaseParentLease(lease: Lease): Promise<void> {
    await this.enter('releaseParentLease');
    this.give(`PARENT#${lease.account}`, lease);
  }

  async listEntries(account: AccountId): Promise<LedgerEntry[]> {
    await this.enter('listEntries');
    return [...this.entries.values()].filter((entry) => entry.account === account);
  }

  async getEntry(account: AccountId, zoneId: ZoneId): Promise<LedgerEntry | undefined> {
    await this.enter('getEntry');
    return this.entry(account, zoneId);
  }

  async putEntry(entry: LedgerEntry): Promise<void> {
    await this.enter('putEntry');
    const stored = this.entry(entry.account, entry.zoneId);
    const expected = entry.version - 1;
    if ((entry.version === 1 && stored !== undefined) || (entry.version !== 1 && stored?.version !== expected)) {
      throw new LedgerConflictError(`delegation ${entry.account}/${entry.zoneId}: expected version ${expected}`);
    }
    this.entries.set(entryKey(entry.account, entry.zoneId), structuredClone(entry));
  }

  async deleteEntry(account: AccountId, zoneId: ZoneId, expectedVersion: number): Promise<void> {
    await this.enter('deleteEntry');
    if (this.entry(account, zoneId)?.version !== expectedVersion) {
      throw new LedgerConflictError(`delegation ${account}/${zoneId}: expected version ${expectedVersion}`);
    }
    this.entries.delete(entryKey(account, zoneId));
  }

  async listAccounts(): Promise<AccountId[]> {
    await this.enter('listAccounts');
    return [...new Set([...this.entries.values()].map((entry) => entry.account))].sort();
  }

  async getNameOwner(parentZoneId: ZoneId, name: DnsName): Promise<NameOwner | undefined> {
    await this.enter('getNameOwner');
    return this.owner(parentZoneId, name);
  }

  /** Counted from the entries as they stand: what the table's counters must always equal. */
  async heldCounts(): Promise<HeldCounts> {
    await this.enter('heldCounts');
    return countHeld(this.entries.values());
  }

  async getNameOwners(names: readonly NameKey[]): Promise<NameOwner[]> {
    await this.enter('getNameOwners');
    const keys = new Set(names.map(({ parentZoneId, name }) => ownerKey(parentZoneId, name)));
    return [...keys].flatMap((key) => this.owners.get(key) ?? []);
  }

  async claimName(owner: NameOwner): Promise<NameOwner> {
    await this.enter('claimName');
    const key = ownerKey(owner.parentZoneId, owner.name);
    const current = this.owners.get(key);
    if (current !== undefined && !(current.zoneId === owner.zoneId && current.account === owner.account)) return current;
    this.owners.set(key, { ...owner });
    return { ...owner };
  }

  async freeName(owner: NameOwner): Promise<void> {
    await this.enter('freeName');
    const key = ownerKey(owner.parentZoneId, owner.name);
    const current = this.owners.get(key);
    if (current?.zoneId === owner.zoneId && current.account === owner.account) this.owners.delete(key);
  }

  async scanLedger(): Promise<LedgerScan> {
    await this.enter('scanLedger');
    return { entries: structuredClone([...this.entries.values()]), owners: [...this.owners.values()] };
  }

  async saveReadingPart(sweepId: string, index: number, part: ReadingPart): Promise<void> {
    await this.enter('saveReadingPart');
    this.readings.set(`${sweepId}|${index}`, structuredClone(part));
  }

  async loadReading(sweepId: string, count: number): Promise<ReadingPart[] | undefined> {
    await this.enter('loadReading');
    const parts = Array.from({ length: count }, (_, index) => this.readings.get(`${sweepId}|${index}`));
    return parts.every((part): part is ReadingPart => part !== undefined) ? structuredClone(parts) : undefined;
  }

  async dropReading(sweepId: string): Promise<void> {
    await this.enter('dropReading');
    for (const key of [...this.readings.keys()]) if (key.startsWith(`${sweepId}|`)) this.readings.delete(key);
  }

  async takeReadingStep(sweepId: string, step: number, holder: string, now: Date, ttlMs: number): Promise<boolean> {
    await this.enter('takeReadingStep');
    const key = `${sweepId}|${step}`;
    const current = this.readingSteps.get(key);
    if (current !== undefined && (current.done || (current.holder !== holder && current.expiresAt >= now.toISOString()))) return false;
    this.readingSteps.set(key, { holder, expiresAt: new Date(now.getTime() + ttlMs).toISOString(), done: false });
    return true;
  }

  async releaseReadingStep(sweepId: string, step: number, holder: string): Promise<void> {
    await this.enter('releaseReadingStep');
    const key = `${sweepId}|${step}`;
    const current = this.readingSteps.get(key);
    if (current?.holder === holder && !current.done) this.readingSteps.delete(key);
  }

  async finishReadingStep(sweepId: string, step: number): Promise<void> {
    await this.enter('finishReadingStep');
    const current = this.readingSteps.get(`${sweepId}|${step}`);
    if (current !== undefined) current.done = true;
  }

  async noteEvent(account: AccountId, eventTime: string): Promise<void> {
    await this.enter('noteEvent');
    const last = this.lastEvents.get(account);
    if (last === undefined || last < eventTime) this.lastEvents.set(account, eventTime);
  }

  async lastEventAt(account: AccountId): Promise<string | undefined> {
    await this.enter('lastEventAt');
    return this.lastEvents.get(account);
  }

  async countFailedSweep(account: AccountId, sweepId: string): Promise<number> {
    await this.enter('countFailedSweep');
    const sweeps = (this.failedSweeps.get(account) ?? new Set<string>()).add(sweepId);
    this.failedSweeps.set(account, sweeps);
    return sweeps.size;
  }

  async clearFailedSweeps(account: AccountId): Promise<void> {
    await this.enter('clearFailedSweeps');
    this.failedSweeps.delete(account);
  }

  async startSweep(sweepId: string, accounts: readonly AccountId[], now: Date): Promise<void> {
    await this.enter('startSweep');
    if (!this.sweeps.has(sweepId)) this.sweeps.set(sweepId, { startedAt: now.toISOString(), remaining: new Set(accounts), removals: 0 });
  }

  async finishSweepAccount(sweepId: string, account: AccountId): Promise<{ readonly startedAt: string } | undefined> {
    await this.enter('finishSweepAccount');
    const sweep = this.sweeps.get(sweepId);
    if (sweep === undefined || !sweep.remaining.delete(account)) return undefined;
    return sweep.remaining.size === 0 ? { startedAt: sweep.startedAt } : undefined;
  }

  async reserveRemovals(sweepId: string, count: number, budget: number): Promise<boolean> {
    await this.enter('reserveRemovals');
    const sweep = this.sweeps.get(sweepId);
    if (sweep === undefined || sweep.removals + count > budget) return false;
    sweep.removals += count;
    return true;
  }

  private take(key: string, subject: string, holder: string, now: Date, ttlMs: number): Lease {
    const current = this.leases.get(key);
    if (current !== undefined && current.holder !== holder && current.expiresAt >= now.toISOString()) {
      throw new LeaseBusyError(subject, current.expiresAt);
    }
    const lease: Lease = { account: subject, holder, expiresAt: new Date(now.getTime() + ttlMs).toISOString() };
    this.leases.set(key, lease);
    return lease;
  }

  private give(key: string, lease: Lease): void {
    if (this.leases.get(key)?.holder === lease.holder) this.leases.delete(key);
  }

  private async enter(method: Method): Promise<void> {
    this.calls.set(method, this.callCount(method) + 1);
    await tick();
    const fault = this.faults.get(method)?.shift();
    if (fault !== undefined) throw fault;
  }
}

function entryKey(account: AccountId, zoneId: ZoneId): string {
  return `${account}|${zoneId}`;
}

function ownerKey(parentZoneId: ZoneId, name: DnsName): string {
  return `${parentZoneId}|${name}`;
}
