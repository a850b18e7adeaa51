/**
 * What became of decisions, gathered across the accounts of the invocation so that their
 * outcome events are published together: one PutEvents for up to ten, not one a decision.
 */
import { publishAll, type PreparedOutcomes } from './account-entries';
import type { AccountRun } from './account-run';
import type { DecisionResult } from './outcomes';
import type { Decision } from './policy';
import type { OutcomePublisher } from './ports';

export class OutcomeBatch {
  private readonly byAccount = new Map<AccountRun, Array<{ decision: Decision; result: DecisionResult }>>();

  constructor(private readonly publisher: OutcomePublisher) {}

  add(run: AccountRun, decision: Decision, result: DecisionResult): void {
    this.byAccount.set(run, [...(this.byAccount.get(run) ?? []), { decision, result }]);
  }

  /** Records every account's decisions in its ledger and its report, with whether each was reported. */
  async flush(now: Date): Promise<void> {
    const prepared: Array<[AccountRun, PreparedOutcomes]> = [];
    for (const [run, items] of this.byAccount) {
      // In the report even if recording fails: the log then shows what the retry will redo.
      const records = items.map((item) => ({ ...item, reported: false }));
      run.decisions.push(...records);
      await run.attempt(async () => {
        const outcomes = await run.entries.prepare(items, now);
        outcomes.flags.forEach((flag, index) => (records[index]!.reported = flag));
        prepared.push([run, outcomes]);
      });
    }
    const unpublished = await publishAll(
      this.publisher,
      prepared.flatMap(([, outcomes]) => outcomes.reported),
    );
    for (const [run, outcomes] of prepared) await run.attempt(() => run.entries.finish(outcomes, unpublished));
  }
}
