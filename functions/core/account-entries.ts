/**
 * One account's ledger entries as a reconcile sees them, and every write to them. Each write
 * bumps the version the ledger's conditional put checks; an outcome event is published before
 * the state it reports is recorded, and one that could not be published stays flagged on its
 * entry until a later reconcile publishes it. An entry that goes frees its name first, so a
 * name is never left owned by a zone the ledger no longer knows.
 */
import type { EntryChange } from './intents';
import { freshEntry, outcomeFor, type DecisionOutcome, type DecisionResult } from './outcomes';
import { changesOf, subjectOf, type Decision } from './policy';
import type { Clock, DelegationEntries, NameOwners, OutcomePublisher } from './ports';
import type { AccountId, KnownZone, LedgerEntry, NameOwner, OutcomeEvent, ZoneId } from './types';

/** The ports the entries are written through. */
export interface EntryStores {
  readonly ledger: DelegationEntries & NameOwners;
  readonly publisher: OutcomePublisher;
  readonly clock: Clock;
}

/** Decisions whose entries wait for their outcome events to be published. */
export interface PreparedOutcomes {
  readonly reported: readonly EntryChange[];
  /** Per decision, in order: it changed state and so is reported. */
  readonly flags: readonly boolean[];
}

/** Publishes the outcome events of entry changes; returns the ones that could not be. */
export async function publishAll(publisher: OutcomePublisher, changes: readonly EntryChange[]): Promise<Set<OutcomeEvent>> {
  const outcomes = changes.flatMap((item) => (item.outcome ? [item.outcome] : []));
  return new Set(outcomes.length > 0 ? await publisher.publish(outcomes) : []);
}

/** The name owner item an entry's claim wrote. */
export function ownerOfEntry(entry: LedgerEntry): NameOwner {
  return { parentZoneId: entry.parentZoneId, name: entry.name, account: entry.account, zoneId: entry.zoneId };
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

  /** The zones the ledger knows: their name servers spare a GetHostedZone each, their names find same-name siblings. */
  knownZones(): Map<ZoneId, KnownZone> {
    return new Map(this.all().map((entry) => [entry.zoneId, { name: entry.name, nameServers: entry.nameServers }]));
  }

  /** Writes an entry with the next version. */
  async write(entry: LedgerEntry): Promise<LedgerEntry> {
    const stored = this.byZone.get(entry.zoneId);
    const next: LedgerEntry = { ...entry, version: (stored?.version ?? 0) + 1, updatedAt: this.stores.clock.now().toISOString() };
    await this.stores.ledger.putEntry(next);
    this.byZone.set(next.zoneId, next);
    return next;
  }

  /** Frees the entry's name (if this zone still owns it), then deletes the entry. */
  async delete(entry: LedgerEntry): Promise<void> {
    const stored = this.byZone.get(entry.zoneId);
    if (stored === undefined) return;
    if (stored.parentZoneId) await this.stores.ledger.freeName(ownerOfEntry(stored));
    await this.stores.ledger.deleteEntry(stored.account, stored.zoneId, stored.version);
    this.byZone.delete(entry.zoneId);
  }

  /** Writes the intent before the change is sent (invariant 6). */
  async recordIntent(decision: Decision, now: Date): Promise<void> {
    const base = this.get(subjectOf(decision).zoneId) ?? freshEntry(decision, this.account, now);
    const state = decision.kind === 'remove' ? 'removing' : decision.kind === 'update' || decision.kind === 'ds' ? 'delegated' : 'creating';
    await this.write({ ...base, state, intent: { changes: changesOf(decision), at: now.toISOString() } });
  }

  /**
   * First half of recording what became of decisions (one per zone): stores the changes that
   * report nothing, and returns those whose outcome events must be published first. The
   * caller publishes every account's events together, then calls `finish`.
   */
  async prepare(
    items: ReadonlyArray<{ readonly decision: Decision; readonly result: DecisionResult; readonly changeId?: string }>,
    now: Date,
  ): Promise<PreparedOutcomes> {
    const reported: EntryChange[] = [];
    const flags: boolean[] = [];
    for (const { decision, result, changeId } of items) {
      const base = this.get(subjectOf(decision).zoneId);
      const change = withChangeId(outcomeFor(decision, result, base, this.account, now), changeId);
      if (change.freeName && base?.parentZoneId) await this.stores.ledger.freeName(ownerOfEntry(base));
      if (change.entry === 'delete' && base !== undefined) {
        if (change.outcome)
          reported.push({ entry: { ...base, state: 'retired', records: [], intent: undefined }, outcome: change.outcome, retire: true });
        else await this.delete(base);
      } else if (change.entry !== undefined && change.entry !== 'delete') {
        if (change.outcome) reported.push({ entry: change.entry, outcome: change.outcome });
        else await this.write(change.entry);
      }
      flags.push(change.outcome !== undefined);
    }
    return { reported, flags };
  }

  /** Second half: stores the reported entries, flagging the events that could not be published. */
  async finish(prepared: PreparedOutcomes, unpublished: ReadonlySet<OutcomeEvent>): Promise<void> {
    await this.store(prepared.reported, unpublished);
  }

  /** Publishes the outcomes, then stores the entries; an unpublished outcome stays flagged. */
  async record(changes: readonly EntryChange[]): Promise<void> {
    await this.store(changes, await publishAll(this.stores.publisher, changes));
  }

  private async store(changes: readonly EntryChange[], failed: ReadonlySet<OutcomeEvent>): Promise<void> {
    for (const item of changes) {
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

/** Remembers the Route 53 change that carried a write on the entry it leaves behind. */
function withChangeId(change: DecisionOutcome, changeId: string | undefined): DecisionOutcome {
  if (changeId === undefined || change.entry === undefined || change.entry === 'delete') return change;
  return { ...change, entry: { ...change.entry, lastChangeId: changeId } };
}
