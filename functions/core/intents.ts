/**
 * An intent is written before a change is sent (invariant 6). If the worker died before it
 * recorded the outcome, the next holder of the account's lease resolves the intent against
 * what the parent zone really holds: the write happened, or it did not.
 */
import type { ProjectedParents } from './parent-view';
import { sameDsValues } from './ds-policy';
import type { LedgerEntry, LedgerRecord, OutcomeEvent, RecordChange } from './types';
import { entryEvent, withSigningWait } from './outcomes';

/** An entry to store, with the outcome event to publish before it. */
export interface EntryChange {
  readonly entry: LedgerEntry;
  readonly outcome?: OutcomeEvent;
  /** The entry stands for nothing any more: delete it (and free its name) once its outcome is published. */
  readonly retire?: boolean;
}

/** Resolves an entry's stale intent; the result carries no intent. */
export function resolveIntent(entry: LedgerEntry, parents: ProjectedParents, now: Date): EntryChange {
  const { intent: _intent, ...rest } = entry;
  const changes = entry.intent?.changes ?? [];
  if (changes.length > 0 && changes.every((change) => change.record.type === 'DS')) return resolveDsIntent(rest, changes, parents, now);
  const created = changes.find((change) => change.action === 'CREATE')?.record;
  const current = parents.nsAt(entry.parentZoneId, entry.name);

  if (created !== undefined) {
    if (current !== undefined && current.ttl === created.ttl && parents.nsHolds(entry.parentZoneId, entry.name, created.values)) {
      const record: LedgerRecord = { type: 'NS', ttl: created.ttl, values: created.values };
      const written: LedgerEntry = { ...rest, state: 'delegated', origin: 'written', records: [record] };
      const detailType = entry.state === 'creating' ? 'Delegation Created' : 'Delegation Updated';
      // `intent-settled` is the event's reason, a published contract.
      return { entry: written, outcome: entryEvent(detailType, written, 'intent-settled', true, now) };
    }
    // The write never happened: a fresh claim stands for nothing; an update keeps the old record.
    if (entry.state === 'creating') return { entry: { ...rest, state: 'retired', records: [] } };
    return { entry: { ...rest, state: 'delegated' } };
  }

  if (current === undefined) {
    const removed: LedgerEntry = { ...rest, state: 'retired', records: [] };
    return { entry: removed, outcome: entryEvent('Delegation Removed', removed, 'intent-settled', true, now), retire: true };
  }
  return { entry: { ...rest, state: 'delegated' } };
}

/** A DS write (publish, change or withdrawal) whose outcome was not recorded: the parent's DS says which it was. */
function resolveDsIntent(entry: LedgerEntry, changes: readonly RecordChange[], parents: ProjectedParents, now: Date): EntryChange {
  const created = changes.find((change) => change.action === 'CREATE')?.record;
  const current = parents.at(entry.parentZoneId, entry.name).find((record) => record.type === 'DS');
  const landed =
    created === undefined
      ? current === undefined
      : current !== undefined && current.ttl === created.ttl && sameDsValues(current.values, created.values);
  if (!landed) return { entry: { ...entry, state: 'delegated' } };
  const ns = entry.records.filter((record) => record.type !== 'DS');
  const ds: LedgerRecord[] = created === undefined ? [] : [{ type: 'DS', ttl: created.ttl, values: created.values }];
  // A withdrawal forgets the signing wait, as a recorded one does: a later first DS waits again.
  const base = created === undefined ? withSigningWait(entry, undefined, undefined) : entry;
  const settled: LedgerEntry = { ...base, state: 'delegated', records: [...ns, ...ds] };
  return { entry: settled, outcome: entryEvent('Delegation Updated', settled, 'intent-settled', true, now) };
}
