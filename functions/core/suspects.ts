/**
 * Delegations of an account that cannot be read are suspects (docs/safety-rails.md): nothing is
 * removed on the basis of a failed read (invariant 3). Only DNS can confirm the zone is gone:
 * its name servers no longer serve the name, on two checks at least an hour apart.
 */
import type { LedgerEntry } from './types';

export interface SuspectVerdict {
  /** The entry as it should be stored (the same object when nothing changed). */
  readonly entry: LedgerEntry;
  /** The delegation became a suspect just now: report it once. */
  readonly newSuspect: boolean;
  /** Confirmed gone twice, far enough apart: remove it. */
  readonly dangling: boolean;
}

/** Judges one delegation of an unreadable account, given the DNS check (sweeps only). */
export function judgeSuspect(
  entry: LedgerEntry,
  probe: 'serving' | 'not-serving' | 'unknown' | undefined,
  now: Date,
  confirmationMs: number,
): SuspectVerdict {
  if (entry.suspectSince === undefined) {
    return { entry: { ...entry, suspectSince: now.toISOString() }, newSuspect: true, dangling: false };
  }
  if (probe === 'serving' && entry.notServingSince !== undefined) {
    const { notServingSince: _cleared, ...rest } = entry;
    return { entry: rest, newSuspect: false, dangling: false };
  }
  if (probe === 'not-serving') {
    if (entry.notServingSince === undefined) {
      return { entry: { ...entry, notServingSince: now.toISOString() }, newSuspect: false, dangling: false };
    }
    const dangling = now.getTime() - Date.parse(entry.notServingSince) >= confirmationMs;
    return { entry, newSuspect: false, dangling };
  }
  return { entry, newSuspect: false, dangling: false };
}
