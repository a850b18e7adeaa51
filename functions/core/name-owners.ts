/**
 * Name owner items whose delegation entry is gone. An owner is written before its entry and
 * freed before its entry is deleted, so an orphan only remains after a crash between the two
 * (or from a version that did not free it): it would make every later claim `contested`. A
 * claim that meets one, and the sweep, free it.
 */
import type { DelegationEntries, NameOwners } from './ports';
import type { NameOwner } from './types';

/**
 * True when no entry of the owning zone stands behind the owner item, nor is about to: a claim
 * made less than `claimWindowMs` ago (a lease's lifetime) may still be on its way to its entry.
 */
export async function isOrphaned(owner: NameOwner, ledger: DelegationEntries, now: Date, claimWindowMs: number): Promise<boolean> {
  if (owner.claimedAt !== undefined && now.getTime() - Date.parse(owner.claimedAt) < claimWindowMs) return false;
  const entry = await ledger.getEntry(owner.account, owner.zoneId);
  return entry === undefined || entry.name !== owner.name || entry.parentZoneId !== owner.parentZoneId;
}

/** Frees every orphaned owner item; returns the ones freed. */
export async function freeOrphanedOwners(ledger: DelegationEntries & NameOwners, now: Date, claimWindowMs: number): Promise<NameOwner[]> {
  const freed: NameOwner[] = [];
  for (const owner of await ledger.listNameOwners()) {
    if (!(await isOrphaned(owner, ledger, now, claimWindowMs))) continue;
    await ledger.freeName(owner);
    freed.push(owner);
  }
  return freed;
}
