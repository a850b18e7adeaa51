/**
 * What became of decisions, gathered across the accounts of the invocation so that their
 * outcome events are published together: one PutEvents for up to ten, not one a decision.
 */
import { publishAll, type PreparedOutcomes } from './account-entries';
import type { AccountRun } from './account-run';
import { ACCOUNTS_AT_ONCE, mapBounded } from './bounded';
import type { DecisionResult } from './outcomes';
import type { Decision } from './policy';
import type { OutcomePublisher } from './ports';

export class OutcomeBatch {
  private readonly byAccount = new Map<AccountRun, Array<{ decision: Decision; result: DecisionResult; changeId?: string }>>();

  constructor(private readonly publisher: OutcomePublisher) {}

  /** `changeId`: Route 53's change that carried an applied write. */
  add(run: AccountRun, decision: Decision, result: DecisionResult, changeId?: string): void {
    this.byAccount.set(run, [...(this.byAccount.get(run) ?? []), { decision, result, ...(changeId ? { changeId } : {}) }]);
  }

  /** Records every account's decisions in its ledger and its report, with whether each was reported. */
  async flush(now: Date): Promise<void> {
    // Accounts record a few at a time; the events of all are published together, in account order.
    const attempts = await mapBounded([...this.byAccount], ACCOUNTS_AT_ONCE, async ([run, items]) => {
      // In the report even if recording fails: the log then shows what the retry will redo.
      const records = items.map(({ decision, result }) => ({ decision, result, reported: false }));
      run.decisions.push(...records);
      let outcomes: PreparedOutcomes | undefined;
      await run.attempt(async () => {
        outcomes = await run.entries.prepare(items, now);
        outcomes.flags.forEach((flag, index) => (records[index]!.reported = flag));
      });
      return outcomes === undefined ? [] : [[run, outcomes] as const];
    });
    const prepared = attempts.flat();
    const unpublished = await publishAll(
      this.publisher,
      prepared.flatMap(([, outcomes]) => outcomes.reported),
    );
    await mapBounded(prepared, ACCOUNTS_AT_ONCE, ([run, outcomes]) => run.attempt(() => run.entries.finish(outcomes, unpublished)));
  }
}
