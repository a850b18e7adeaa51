/**
 * Name owner items whose delegation entry is gone. An owner is written before its entry and
 * freed before its entry is deleted, so an orphan only remains after a crash between the two
 * (or from a version that did not free it): it would make every later claim `contested`. A
 * claim that meets one, and the sweep, free it.
 */
import type { DelegationEntries, LedgerScan, NameOwners } from './ports';
import { isUnclaimableReason } from './policy';
import type { LedgerEntry, NameOwner } from './types';

/**
 * True when no entry of the owning zone stands behind the owner item, nor is about to: a claim
 * made less than `claimWindowMs` ago (a lease's lifetime) may still be on its way to its entry.
 * An entry rejected because its zone cannot claim the name at all stands behind nothing either.
 */
export async function isOrphaned(owner: NameOwner, ledger: DelegationEntries, now: Date, claimWindowMs: number): Promise<boolean> {
  if (owner.claimedAt !== undefined && now.getTime() - Date.parse(owner.claimedAt) < claimWindowMs) return false;
  const entry = await ledger.getEntry(owner.account, owner.zoneId);
  return entry === undefined || entry.name !== owner.name || entry.parentZoneId !== owner.parentZoneId || gaveUpName(entry);
}

/** The entry's zone was rejected for a reason that means it cannot claim its name at all. */
function gaveUpName(entry: LedgerEntry): boolean {
  return entry.state === 'rejected' && entry.reason !== undefined && isUnclaimableReason(entry.reason);
}

/**
 * Frees every orphaned owner item of a scan of the ledger; returns the ones freed. An owner the
 * scan pairs with its entry is kept without another read; one it does not is read again,
 * strongly consistent, before it is freed (the scan may predate its entry).
 */
export async function freeOrphanedOwners(
  ledger: DelegationEntries & NameOwners,
  scan: LedgerScan,
  now: Date,
  claimWindowMs: number,
): Promise<NameOwner[]> {
  const standing = new Set(
    scan.entries
      .filter((entry) => !gaveUpName(entry))
      .map((entry) => claimKey(entry.parentZoneId, entry.name, entry.account, entry.zoneId)),
  );
  const freed: NameOwner[] = [];
  for (const owner of scan.owners) {
    if (standing.has(claimKey(owner.parentZoneId, owner.name, owner.account, owner.zoneId))) continue;
    if (!(await isOrphaned(owner, ledger, now, claimWindowMs))) continue;
    await ledger.freeName(owner);
    freed.push(owner);
  }
  return freed;
}

function claimKey(...parts: readonly string[]): string {
  return parts.join('|');
}
