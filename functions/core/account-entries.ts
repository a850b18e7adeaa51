/**
 * One account's ledger entries as a reconcile sees them, and every write to them. Each write
 * bumps the version the ledger's conditional put checks; an outcome event is published before
 * the state it reports is recorded, and one that could not be published stays flagged on its
 * entry until a later reconcile publishes it (docs/concepts.md).
 */
import type { SettledIntent } from './intents';
import { freshEntry, outcomeFor } from './outcomes';
import { changesOf, subjectOf, type Decision } from './policy';
import type { Clock, DelegationLedger, OutcomePublisher } from './ports';
import type { AccountId, DnsName, LedgerEntry, NameOwner, OutcomeEvent, ZoneId } from './types';

/** What became of a decision (see reconcile.ts DecisionRecord). */
export type DecisionResult = 'applied' | 'observed' | 'failed' | 'budget';

/** The ports the entries are written through. */
export interface EntryStores {
  readonly ledger: DelegationLedger;
  readonly publisher: OutcomePublisher;
  readonly clock: Clock;
}

/** Decisions whose entries wait for their outcome events to be published. */
export interface PreparedSettlement {
  readonly reported: readonly SettledIntent[];
  readonly released: readonly NameOwner[];
  /** Per decision, in order: it changed state and so is reported. */
  readonly flags: readonly boolean[];
}

/** Publishes the outcome events of settled entries; returns the ones that could not be. */
export async function publishAll(publisher: OutcomePublisher, settled: readonly SettledIntent[]): Promise<Set<OutcomeEvent>> {
  const outcomes = settled.flatMap((item) => (item.outcome ? [item.outcome] : []));
  return new Set(outcomes.length > 0 ? await publisher.publish(outcomes) : []);
}

export class AccountEntries {
  private readonly byZone: Map<ZoneId, LedgerEntry>;

  constructor(
    readonly account: AccountId,
    entries: readonly LedgerEntry[],
    private readonly stores: EntryStores,
  ) {
    this.byZone = new Map(entries.map((entry) => [entry.zoneId, entry]));
  }

  /** Every entry, as last read or written. */
  all(): LedgerEntry[] {
    return [...this.byZone.values()];
  }

  get(zoneId: ZoneId): LedgerEntry | undefined {
    return this.byZone.get(zoneId);
  }

  /** The name servers the ledger knows, which spare a GetHostedZone each. */
  knownNameServers(): Map<ZoneId, readonly DnsName[]> {
    return new Map(this.all().map((entry) => [entry.zoneId, entry.nameServers]));
  }

  /** Writes an entry with the next version. */
  async write(entry: LedgerEntry): Promise<LedgerEntry> {
    const stored = this.byZone.get(entry.zoneId);
    const next: LedgerEntry = { ...entry, version: (stored?.version ?? 0) + 1, updatedAt: this.stores.clock.now().toISOString() };
    await this.stores.ledger.putEntry(next);
    this.byZone.set(next.zoneId, next);
    return next;
  }

  async delete(entry: LedgerEntry): Promise<void> {
    const stored = this.byZone.get(entry.zoneId);
    if (stored === undefined) return;
    await this.stores.ledger.deleteEntry(stored.account, stored.zoneId, stored.version);
    this.byZone.delete(entry.zoneId);
  }

  /** Writes the intent before the change is sent (invariant 6). */
  async recordIntent(decision: Decision, now: Date): Promise<void> {
    const base = this.get(subjectOf(decision).zoneId) ?? freshEntry(decision, this.account, now);
    const state = decision.kind === 'remove' ? 'removing' : decision.kind === 'update' ? 'delegated' : 'creating';
    await this.write({ ...base, state, intent: { changes: changesOf(decision), at: now.toISOString() } });
  }

  /**
   * First half of recording what became of decisions (one per zone): stores the changes that
   * report nothing, and returns those whose outcome events must be published first. The
   * caller publishes every account's events together, then calls `finish`.
   */
  async prepare(items: ReadonlyArray<{ readonly decision: Decision; readonly result: DecisionResult }>, now: Date): Promise<PreparedSettlement> {
    const reported: SettledIntent[] = [];
    const released: NameOwner[] = [];
    const flags: boolean[] = [];
    for (const { decision, result } of items) {
      const base = this.get(subjectOf(decision).zoneId);
      const change = outcomeFor(decision, result, base, this.account, now);
      if (change.entry === 'delete' && base !== undefined) {
        if (change.outcome) reported.push({ entry: { ...base, state: 'retired', records: [], intent: undefined }, outcome: change.outcome, retire: true });
        else await this.delete(base);
      } else if (change.entry !== undefined && change.entry !== 'delete') {
        if (change.outcome) reported.push({ entry: change.entry, outcome: change.outcome });
        else await this.write(change.entry);
      }
      if (change.releaseOwner) released.push(change.releaseOwner);
      flags.push(change.outcome !== undefined);
    }
    return { reported, released, flags };
  }

  /** Second half: stores the reported entries (flagging unpublished events) and releases names. */
  async finish(prepared: PreparedSettlement, unpublished: ReadonlySet<OutcomeEvent>): Promise<void> {
    await this.store(prepared.reported, unpublished);
    for (const owner of prepared.released) await this.stores.ledger.releaseName(owner);
  }

  /** Publishes the outcomes, then stores the entries; an unpublished outcome stays flagged. */
  async record(settled: readonly SettledIntent[]): Promise<void> {
    await this.store(settled, await publishAll(this.stores.publisher, settled));
  }

  private async store(settled: readonly SettledIntent[], failed: ReadonlySet<OutcomeEvent>): Promise<void> {
    for (const item of settled) {
      const unpublished = item.outcome !== undefined && failed.has(item.outcome);
      if (item.retire && !unpublished) {
        await this.delete(item.entry);
        continue;
      }
      const { pendingOutcome: _previous, ...rest } = item.entry;
      await this.write(unpublished ? { ...rest, pendingOutcome: item.outcome } : rest);
    }
  }

  /** Publishes the outcomes earlier reconciles could not. */
  async publishPending(): Promise<void> {
    const flagged = this.all().filter((entry) => entry.pendingOutcome !== undefined);
    if (flagged.length === 0) return;
    await this.record(flagged.map((entry) => ({ entry, outcome: entry.pendingOutcome!, retire: entry.state === 'retired' })));
  }
}
