/**
 * An account that cannot be read: nothing is removed on the basis of a failed read
 * (invariant 3). A denied reader role makes its delegations suspects at once; any other read
 * failure (throttled beyond retries, 5xx) does so once it has failed several sweeps in a row.
 * Only DNS can then confirm a suspect gone: its name servers no longer serve the name, on two
 * checks at least an hour apart (sweeps only).
 */
import type { AccountRun } from './account-run';
import type { ProjectedParents } from './parent-view';
import { freezeHeldNames, removeGoneZone, standsInParent, type Decision } from './policy';
import type { AccountActivity, DelegationProbe } from './ports';
import { DANGLING_CONFIRMATION_MS } from './removal-budget';
import { judgeSuspect } from './suspects';
import type { Controls, LedgerEntry, OutcomeEvent } from './types';

/** Sweeps in a row that cannot read an account before its delegations become suspects. */
export const FAILED_SWEEPS_BEFORE_SUSPECT = 3;

/** True when the account's delegations are to be judged as suspects now (false: retry the read). */
export async function isUnreachable(run: AccountRun, ledger: AccountActivity): Promise<boolean> {
  if (!('readError' in run.read)) return false;
  if (run.read.readError.failure === 'access-denied') return true;
  if (!run.sweeping) return false;
  let count = 0;
  for (const sweepId of run.job.sweepIds) count = await ledger.countFailedSweep(run.account, sweepId);
  return count >= FAILED_SWEEPS_BEFORE_SUSPECT;
}

/** Judges the delegations of an unreachable account; returns the removals DNS has confirmed. */
export async function judgeUnreachable(
  run: AccountRun,
  probe: DelegationProbe,
  projected: ProjectedParents,
  controls: Controls,
  now: Date,
): Promise<Decision[]> {
  const standing = run.entries.all().filter(standsInParent);
  // Probes run side by side: each may wait for silent name servers.
  const probes = await Promise.all(
    standing.map((entry) => (run.sweeping && entry.suspectSince !== undefined ? probe.check(entry.name, entry.nameServers) : undefined)),
  );
  const decisions: Decision[] = [];
  for (const [index, entry] of standing.entries()) {
    const verdict = judgeSuspect(entry, probes[index], now, DANGLING_CONFIRMATION_MS);
    run.suspects.push(verdict.entry);
    if (verdict.newSuspect) await run.entries.record([{ entry: verdict.entry, outcome: suspectEvent(verdict.entry) }]);
    else if (verdict.entry !== entry) await run.entries.write(verdict.entry);
    if (!verdict.dangling || !projected.has(entry.parentZoneId)) continue;
    const removal = removeGoneZone(run.entries.get(entry.zoneId) ?? verdict.entry, projected, 'dangling');
    if (removal !== undefined) decisions.push(freezeHeldNames(removal, controls));
  }
  return decisions;
}

function suspectEvent(entry: LedgerEntry): OutcomeEvent {
  return {
    detailType: 'Delegation Suspect',
    detail: {
      account: entry.account,
      zoneId: entry.zoneId,
      name: entry.name,
      parentZoneId: entry.parentZoneId,
      reason: 'account-unreadable',
      applied: false,
    },
  };
}
