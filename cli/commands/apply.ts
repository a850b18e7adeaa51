/**
 * `subzone apply`: the same reconcile as `plan`, carried out by the worker. The plan is shown,
 * confirmed on a terminal (or with `--yes`), and one `reconcile-account` message (reason `cli`)
 * per account with pending changes goes to the work queue: every write then passes the
 * worker's IAM, lease and ledger. Reconciles asked for by the CLI are not budgeted by the
 * worker, so the removal budget is checked here: more removals than it allows need
 * `--approve-removals`. Exit 0 sent (or nothing to do), 1 refused, declined or failed.
 */
import { SqsWorkQueue } from '../../functions/adapters/sqs-work-queue';
import { standsInParent } from '../../functions/core/policy';
import { removalBudgetFor } from '../../functions/core/removal-budget';
import { accountMessage } from '../../functions/core/sweep-messages';
import type { AccountId } from '../../functions/core/types';
import type { CommandContext } from '../command-context';
import { queueClient } from '../hub-access';
import { makePlan, printPlan, type Plan } from './plan';

/** The flags of `subzone apply`. */
export interface ApplyOptions {
  readonly yes?: boolean;
  readonly approveRemovals?: boolean;
}

/** The most removals the config's budget allows, given how many delegations subzone holds. */
async function removalBudget(context: CommandContext): Promise<number> {
  const { ledger } = context.readers;
  const entries = await Promise.all((await ledger.listAccounts()).map((account) => ledger.listEntries(account)));
  return removalBudgetFor(context.loaded.config, entries.flat().filter(standsInParent).length);
}

/** Plans, confirms and sends; returns the exit code. */
export async function runApply(
  context: CommandContext,
  accounts: readonly AccountId[],
  queueUrl: string,
  options: ApplyOptions,
): Promise<number> {
  const { out, io } = context;
  const plan: Plan = await makePlan(context, accounts);
  const pending = plan.changes.filter((change) => change.pending && change.action !== 'wait');
  const targets = [...new Set(pending.map((change) => change.account))].sort();
  const report = (sent: readonly AccountId[], refused?: string): void => {
    if (context.json) out.json({ changes: plan.changes, errors: plan.errors, sent, ...(refused ? { refused } : {}) });
    else if (refused) io.err(`subzone: ${refused}`);
  };
  if (!context.json) printPlan(context, plan);
  if (plan.errors.length > 0) {
    report([], 'some accounts could not be planned: nothing sent');
    return 1;
  }
  if (targets.length === 0) {
    report([]);
    return 0;
  }
  const removals = pending.filter((change) => change.action === 'remove').length;
  const budget = await removalBudget(context);
  if (removals > budget && options.approveRemovals !== true) {
    report([], `${removals} removals exceed the removal budget of ${budget}: check the plan, then pass --approve-removals`);
    return 1;
  }
  if (options.yes !== true) {
    if (io.confirm === undefined) {
      report([], 'not on a terminal: pass --yes to send without asking');
      return 1;
    }
    if (!(await io.confirm(`Send ${targets.length} reconcile request(s) to the worker (accounts ${targets.join(', ')})?`))) {
      report([], 'declined: nothing sent');
      return 1;
    }
  }
  await new SqsWorkQueue(queueClient(), { queueUrl }).send(targets.map((account) => accountMessage(account, 'cli')));
  if (context.json) report(targets);
  else out.line(`Sent ${targets.length} reconcile request(s) to the work queue (accounts ${targets.join(', ')}); the worker applies them.`);
  return 0;
}
