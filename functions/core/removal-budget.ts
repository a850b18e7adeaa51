/**
 * The removal budget (docs/concepts.md): a sweep may not remove more than `removalBudget` records
 * (or that percentage of what subzone holds, whichever is larger) unless an operator approved
 * it. A sweep fans out over many invocations, so the count covers the whole ledger: this
 * invocation's removals, plus the delegations of every other account that are due to go
 * (grace period or DNS confirmation over), against everything subzone holds, both from the
 * ledger's counters (held-counts.ts), never a scan. Removals the ledger cannot foresee (zones
 * found gone in other accounts) are capped by a reservation on the sweep item: once the sweep
 * has spent its budget, later invocations remove nothing.
 */
import { HELD_COUNTER, countHeld, dueIn } from './held-counts';
import type { DelegationEntries, SweepProgress } from './ports';
import type { AccountId, Controls, LedgerEntry, SubzoneConfig } from './types';

/** The minutes between two DNS checks before a suspect is declared dangling (docs/concepts.md). */
export const DANGLING_CONFIRMATION_MS = 60 * 60_000;

/** The removals one account of a sweep is about to make. */
export interface PlannedRemovals {
  readonly account: AccountId;
  readonly sweepIds: readonly string[];
  /** Everything the account holds, as read by this reconcile. */
  readonly held: readonly LedgerEntry[];
  readonly removals: number;
}

/** True when the sweep's removals must be held back; reserves them on the sweep otherwise. */
export async function removalBudgetExceeded(
  planned: readonly PlannedRemovals[],
  ledger: DelegationEntries & SweepProgress,
  config: SubzoneConfig,
  controls: Controls,
  now: Date,
): Promise<boolean> {
  const sweeping = planned.filter((account) => account.sweepIds.length > 0);
  const sweeps = [...new Set(sweeping.flatMap((account) => account.sweepIds))];
  const removals = sweeping.reduce((sum, account) => sum + account.removals, 0);
  if (sweeps.length === 0 || removals === 0) return false;
  const approved = controls.approvedRemovals ?? [];
  if (approved.includes('*') || sweeps.every((id) => approved.includes(id))) return false;

  const counts = await ledger.heldCounts();
  const here = countHeld(planned.flatMap((account) => account.held));
  const graceMs = config.graceMinutes * 60_000;
  const dueElsewhere = Math.max(
    0,
    dueIn(counts, graceMs, DANGLING_CONFIRMATION_MS, now) - dueIn(here, graceMs, DANGLING_CONFIRMATION_MS, now),
  );
  const budget = removalBudgetFor(config, counts[HELD_COUNTER] ?? 0);
  if (removals + dueElsewhere > budget) return true;

  // Each sweep pays for the removals of its own accounts.
  const reserved = await Promise.all(
    sweeps.map((sweepId) => {
      const count = sweeping.filter((account) => account.sweepIds.includes(sweepId)).reduce((sum, account) => sum + account.removals, 0);
      return count === 0 ? true : ledger.reserveRemovals(sweepId, count, budget);
    }),
  );
  return reserved.includes(false);
}

/** The most removals a sweep may make unapproved: `records`, or `percent` of those held if larger. */
export function removalBudgetFor(config: SubzoneConfig, held: number): number {
  const { records, percent } = config.removalBudget;
  return Math.max(records, Math.ceil((held * percent) / 100));
}
