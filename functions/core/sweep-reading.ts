/**
 * A sweep reads every managed parent zone once, in full, by pages, before it fans out
 * (docs/concepts.md, the sweep). A big parent at a few hub requests a second takes longer than
 * one invocation may run, so the reading stops at a deadline well before the worker's timeout,
 * and the sweep request's continuation carries on from where it stopped.
 */
import type { Clock, ParentZonePages, ReadingPart, ZonePageCursor } from './ports';
import type { ParentZoneConfig, RecordSet, ZoneId } from './types';

/** Where a reading continues: a parent zone, and the page of it to read next (its first when absent). */
export interface ReadingPosition {
  readonly parentZoneId: ZoneId;
  readonly next?: ZonePageCursor;
}

/** What one invocation read: its parts, and where the reading continues (undefined: every parent is read). */
export interface ReadingStep {
  readonly parts: readonly ReadingPart[];
  readonly at: ReadingPosition | undefined;
}

/**
 * Reads the parents, in the config's order, from `from` (the first page of the first parent when
 * undefined) until every page is read or the clock passes `deadline`. At least one page is read,
 * so every invocation moves the reading on. A parent dropped from the config since the reading
 * began ends it: the names it held are then read narrowly, as an event's are.
 */
export async function readParentsOnward(
  parents: readonly ParentZoneConfig[],
  store: ParentZonePages,
  clock: Clock,
  deadline: Date,
  from: ReadingPosition | undefined,
): Promise<ReadingStep> {
  const first = from === undefined ? 0 : parents.findIndex((parent) => parent.hostedZoneId === from.parentZoneId);
  if (first < 0) return { parts: [], at: undefined };
  const parts: ReadingPart[] = [];
  let next = from?.next;
  let pages = 0;
  for (const parent of parents.slice(first)) {
    const records: RecordSet[] = [];
    do {
      if (pages > 0 && clock.now() >= deadline) {
        if (records.length > 0) parts.push({ parentZoneId: parent.hostedZoneId, records });
        return { parts, at: { parentZoneId: parent.hostedZoneId, ...(next !== undefined && { next }) } };
      }
      const page = await store.readPage(parent.hostedZoneId, next);
      pages += 1;
      records.push(...page.records);
      next = page.next;
    } while (next !== undefined);
    parts.push({ parentZoneId: parent.hostedZoneId, records });
  }
  return { parts, at: undefined };
}

/** Each parent's records, the parts of a reading put back together in order. */
export function recordsByParent(parts: readonly ReadingPart[]): Map<ZoneId, RecordSet[]> {
  const byParent = new Map<ZoneId, RecordSet[]>();
  for (const part of parts) {
    const records = byParent.get(part.parentZoneId) ?? [];
    for (const record of part.records) records.push(record);
    byParent.set(part.parentZoneId, records);
  }
  return byParent;
}
