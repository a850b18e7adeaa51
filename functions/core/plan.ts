/**
 * Turns the changes of many decisions into as few change batches as Route 53's limits allow.
 * A unit is the changes of one decision (a DELETE + CREATE pair must stay atomic); units are
 * never split across batches. Removals travel in DELETE-only batches, so they stay within the
 * IAM statement that allows DELETE anywhere below the apex even after a rule is dropped.
 */
import { MAX_CHANGES_PER_BATCH, MAX_VALUE_CHARS_PER_BATCH, MAX_VALUES_PER_BATCH } from './change-limits';
import type { RecordChange, ZoneId } from './types';

/** The changes of one decision, applied all together or not at all. */
export interface ChangeUnit<T> {
  readonly parentZoneId: ZoneId;
  readonly changes: readonly RecordChange[];
  /** What the caller needs back to record what became of the unit (its decision). */
  readonly tag: T;
}

/** A batch of whole units bound for one parent zone. */
export interface PlannedBatch<T> {
  readonly parentZoneId: ZoneId;
  readonly units: readonly ChangeUnit<T>[];
}

interface Size {
  changes: number;
  values: number;
  chars: number;
}

function sizeOf(changes: readonly RecordChange[]): Size {
  let values = 0;
  let chars = 0;
  for (const change of changes) {
    values += change.record.values.length;
    chars += change.record.values.reduce((sum, value) => sum + value.length, 0);
  }
  return { changes: changes.length, values, chars };
}

function fits(total: Size, next: Size): boolean {
  return (
    total.changes + next.changes <= MAX_CHANGES_PER_BATCH &&
    total.values + next.values <= MAX_VALUES_PER_BATCH &&
    total.chars + next.chars <= MAX_VALUE_CHARS_PER_BATCH
  );
}

/** True when every change of the unit is a DELETE. */
export function isDeleteOnly(unit: ChangeUnit<unknown>): boolean {
  return unit.changes.every((change) => change.action === 'DELETE');
}

/**
 * Packs units into batches: per parent zone, DELETE-only units apart from the others, each
 * batch filled greedily up to the limits. A unit too large for any batch is an error.
 */
export function planBatches<T>(units: readonly ChangeUnit<T>[]): PlannedBatch<T>[] {
  const groups = new Map<string, ChangeUnit<T>[]>();
  for (const unit of units) {
    if (unit.changes.length === 0) continue;
    const key = `${unit.parentZoneId}|${isDeleteOnly(unit) ? 'delete' : 'write'}`;
    groups.set(key, [...(groups.get(key) ?? []), unit]);
  }
  const batches: PlannedBatch<T>[] = [];
  // DELETE-only batches go first: a CREATE may have been judged against a parent already
  // cleared by a removal, and must not land if that removal is refused.
  const ordered = [...groups.entries()].sort(([a], [b]) => Number(b.endsWith('|delete')) - Number(a.endsWith('|delete')));
  for (const [, group] of ordered) {
    let current: ChangeUnit<T>[] = [];
    let total: Size = { changes: 0, values: 0, chars: 0 };
    for (const unit of group) {
      const size = sizeOf(unit.changes);
      if (!fits({ changes: 0, values: 0, chars: 0 }, size)) {
        throw new Error(`a change unit for ${unit.parentZoneId} exceeds Route 53's batch limits on its own`);
      }
      if (!fits(total, size)) {
        batches.push({ parentZoneId: unit.parentZoneId, units: current });
        current = [];
        total = { changes: 0, values: 0, chars: 0 };
      }
      current.push(unit);
      total = { changes: total.changes + size.changes, values: total.values + size.values, chars: total.chars + size.chars };
    }
    if (current.length > 0) batches.push({ parentZoneId: group[0]!.parentZoneId, units: current });
  }
  return batches;
}

/** Splits a refused batch in two halves to find the units that conflict (binary search). */
export function splitBatch<T>(batch: PlannedBatch<T>): [PlannedBatch<T>, PlannedBatch<T>] {
  const middle = Math.ceil(batch.units.length / 2);
  return [
    { parentZoneId: batch.parentZoneId, units: batch.units.slice(0, middle) },
    { parentZoneId: batch.parentZoneId, units: batch.units.slice(middle) },
  ];
}
