/**
 * What subzone holds across the whole ledger, as counters kept up to date by every entry
 * write, so the removal budget of a sweep needs no scan of the ledger: `held` counts the
 * delegations that stand in a parent, and one counter per hour counts those whose removal
 * became possible (`removable#<hour>`, grace period started) or whose zone DNS first found
 * no longer served (`notServing#<hour>`) in that hour.
 */
import { standsInParent } from './policy';
import type { LedgerEntry } from './types';

/** Counter name to count. */
export type HeldCounts = Readonly<Record<string, number>>;

export const HELD_COUNTER = 'held';
const REMOVABLE = 'removable#';
const NOT_SERVING = 'notServing#';

/** The UTC hour of an ISO 8601 time, as `YYYY-MM-DDTHH`. */
function hourOf(at: string): string {
  return new Date(at).toISOString().slice(0, 13);
}

/** The counters one entry adds to. */
function countersOf(entry: LedgerEntry | undefined): string[] {
  if (entry === undefined || !standsInParent(entry)) return [];
  return [
    HELD_COUNTER,
    ...(entry.removableSince !== undefined ? [`${REMOVABLE}${hourOf(entry.removableSince)}`] : []),
    ...(entry.notServingSince !== undefined ? [`${NOT_SERVING}${hourOf(entry.notServingSince)}`] : []),
  ];
}

/** The counts of some entries. */
export function countHeld(entries: Iterable<LedgerEntry>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const entry of entries) for (const counter of countersOf(entry)) counts[counter] = (counts[counter] ?? 0) + 1;
  return counts;
}

/** What writing `after` over `before` (undefined: none, or deleted) changes in the counts; zeros left out. */
export function heldDelta(before: LedgerEntry | undefined, after: LedgerEntry | undefined): Record<string, number> {
  const delta: Record<string, number> = {};
  for (const counter of countersOf(after)) delta[counter] = (delta[counter] ?? 0) + 1;
  for (const counter of countersOf(before)) delta[counter] = (delta[counter] ?? 0) - 1;
  return Object.fromEntries(Object.entries(delta).filter(([, change]) => change !== 0));
}

/**
 * The delegations counted that may be due to go at `now`: a whole hour counts as soon as its
 * first instant is due, so the count errs towards holding removals back, never towards letting
 * them through.
 */
export function dueIn(counts: HeldCounts, graceMs: number, confirmationMs: number, now: Date): number {
  let due = 0;
  for (const [counter, count] of Object.entries(counts)) {
    const wait = counter.startsWith(REMOVABLE) ? graceMs : counter.startsWith(NOT_SERVING) ? confirmationMs : undefined;
    if (wait === undefined) continue;
    const hourStart = Date.parse(`${counter.slice(counter.indexOf('#') + 1)}:00:00.000Z`);
    if (now.getTime() - hourStart >= wait) due += count;
  }
  return due;
}
