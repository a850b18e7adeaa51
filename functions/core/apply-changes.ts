/**
 * Sends the accepted decisions to the parent zones: pooled into as few change batches as
 * Route 53 allows, each preceded by a fresh look at the kill switch (a pause set while the
 * invocation runs stops the next write) and by the intents of its changes (invariant 6).
 */
import type { AccountRun } from './account-run';
import { ACCOUNTS_AT_ONCE, mapBounded } from './bounded';
import { ChangeRefusedError, assertIsError } from './errors';
import type { OutcomeBatch } from './outcome-batch';
import { planBatches, splitBatch, type ChangeUnit, type PlannedBatch } from './plan';
import type { Decision } from './policy';
import type { ControlSource, ParentZoneStore } from './ports';

/** A decision that writes, and the account it belongs to. */
export interface PendingWrite {
  readonly run: AccountRun;
  readonly decision: Decision;
}

export async function applyChanges(
  units: readonly ChangeUnit<PendingWrite>[],
  ports: { readonly parents: ParentZoneStore; readonly controls: ControlSource },
  fates: OutcomeBatch,
  now: Date,
): Promise<void> {
  for (const batch of planBatches(units)) {
    if ((await ports.controls.read()).writesPaused) {
      for (const { tag } of batch.units) fates.add(tag.run, tag.decision, 'observed');
      continue;
    }
    const ready = await recordIntents(batch.units, now);
    if (ready.length === 0) continue;
    for (const [unit, result] of await applyWithSplit({ parentZoneId: batch.parentZoneId, units: ready }, ports.parents)) {
      if (result instanceof Error) {
        unit.tag.run.fail(result);
        fates.add(unit.tag.run, unit.tag.decision, 'failed');
      } else {
        fates.add(unit.tag.run, unit.tag.decision, 'applied', result.changeId);
      }
    }
  }
}

/** Records the intent of each unit, a few accounts at a time; returns the units recorded, in order. */
async function recordIntents(units: readonly ChangeUnit<PendingWrite>[], now: Date): Promise<ChangeUnit<PendingWrite>[]> {
  const byRun = new Map<AccountRun, ChangeUnit<PendingWrite>[]>();
  for (const unit of units) {
    const own = byRun.get(unit.tag.run);
    if (own) own.push(unit);
    else byRun.set(unit.tag.run, [unit]);
  }
  const recorded = new Set<ChangeUnit<PendingWrite>>();
  await mapBounded([...byRun], ACCOUNTS_AT_ONCE, async ([run, own]) => {
    for (const unit of own) if (await run.attempt(() => run.entries.recordIntent(unit.tag.decision, now))) recorded.add(unit);
  });
  return units.filter((unit) => recorded.has(unit));
}

/** Applies a batch; a refusal (conflict, denial) splits it in halves until the refused units are isolated. */
async function applyWithSplit<T>(
  batch: PlannedBatch<T>,
  parents: ParentZoneStore,
): Promise<Array<[ChangeUnit<T>, { readonly changeId: string | undefined } | Error]>> {
  try {
    const changeId = await parents.applyBatch({ parentZoneId: batch.parentZoneId, changes: batch.units.flatMap((unit) => unit.changes) });
    return batch.units.map((unit) => [unit, { changeId }]);
  } catch (error) {
    assertIsError(error);
    if (!(error instanceof ChangeRefusedError)) return batch.units.map((unit) => [unit, error]);
    if (batch.units.length === 1) return [[batch.units[0]!, error]];
    const [left, right] = splitBatch(batch);
    return [...(await applyWithSplit(left, parents)), ...(await applyWithSplit(right, parents))];
  }
}
