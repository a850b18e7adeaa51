/**
 * `subzone plan`: the worker's reconcile (reconcileAccounts, the one code path) run over
 * write-nothing ports, so it shows what the worker would do now and writes nowhere.
 * Exit 0 nothing would change, 2 changes are pending, 1 an account could not be planned.
 */
import { sentenceFor } from '../../functions/core/outcome-sentences';
import type { Decision } from '../../functions/core/policy';
import { reconcileAccounts, type AccountResult } from '../../functions/core/reconcile';
import { accountsInAllowlist } from '../../functions/core/rules';
import type { AccountId, SubzoneConfig } from '../../functions/core/types';
import type { CommandContext } from '../command-context';
import { DryRunLedger, DryRunParentStore, RecordingPublisher, UNKNOWN_PROBE } from '../dry-run-ports';

/** One line of a plan (the JSON contract: action, name, account, zoneId, reason). */
export interface PlannedChange {
  readonly action: 'create' | 'update' | 'remove' | 'adopt' | 'release' | 'reject' | 'wait';
  readonly name: string;
  readonly account: AccountId;
  readonly zoneId: string;
  readonly reason: string;
  readonly parentZoneId?: string;
  /** The reason in words. */
  readonly sentence: string;
  /** For `wait`: when the removal will happen. */
  readonly removableAt?: string;
  /** Whether this line is a change (a standing rejection is listed but is not one). */
  readonly pending: boolean;
}

/** An account the plan could not judge. */
export interface PlanError {
  readonly account: AccountId;
  readonly error: string;
}

/** A whole plan. */
export interface Plan {
  readonly changes: readonly PlannedChange[];
  readonly errors: readonly PlanError[];
}

/** Every allowlisted account and every account the ledger names (as a sweep), or those asked for. */
export async function accountsToPlan(
  config: SubzoneConfig,
  ledgerAccounts: () => Promise<AccountId[]>,
  asked: readonly AccountId[],
): Promise<AccountId[]> {
  if (asked.length > 0) return [...new Set(asked)].sort();
  return [...new Set([...accountsInAllowlist(config), ...(await ledgerAccounts())])].sort();
}

/** Runs the reconcile for `accounts` over dry-run ports. */
export async function makePlan(context: CommandContext, accounts: readonly AccountId[], now = new Date()): Promise<Plan> {
  const { config } = context.loaded;
  const { readers } = context;
  const ledger = new DryRunLedger(readers.ledger);
  const parents = new DryRunParentStore(readers.parents);
  const publisher = new RecordingPublisher();
  const results = await reconcileAccounts(
    accounts.map((account) => ({ account, scope: { kind: 'account' }, sweepIds: [] })),
    {
      config,
      reader: readers.reader,
      parents,
      ledger,
      publisher,
      controls: readers.controls(),
      probe: UNKNOWN_PROBE,
      clock: { now: () => now, sleep: async () => undefined },
      ids: { next: () => 'subzone-plan' },
      holder: 'subzone-plan',
      leaseTtlMs: 60_000,
      leaseWaitMs: 0,
    },
  );
  return {
    changes: results.flatMap((result) => changesOf(result, config)),
    errors: results.flatMap((result) =>
      result.status === 'failed' ? [{ account: result.account, error: result.error?.message ?? 'failed' }] : [],
    ),
  };
}

function changesOf(result: AccountResult, config: SubzoneConfig): PlannedChange[] {
  if (result.status === 'ignored') return [];
  return result.decisions.flatMap(({ decision, reported }) => {
    const change = describe(decision, result.account, reported, config);
    return change === undefined ? [] : [change];
  });
}

function describe(decision: Decision, account: AccountId, reported: boolean, config: SubzoneConfig): PlannedChange | undefined {
  switch (decision.kind) {
    case 'create':
    case 'adopt':
    case 'reject': {
      const { zone } = decision;
      const detail = decision.kind === 'reject' ? decision.detail : undefined;
      return {
        action: decision.kind,
        name: zone.name,
        account,
        zoneId: zone.zoneId,
        reason: decision.reason,
        ...(decision.parentZoneId ? { parentZoneId: decision.parentZoneId } : {}),
        sentence: sentenceFor(
          { kind: decision.kind, reason: decision.reason, account, name: zone.name, ...(detail ? { detail } : {}) },
          config,
        ),
        pending: decision.kind !== 'reject' || reported,
      };
    }
    case 'update':
    case 'remove':
    case 'disown':
    case 'wait': {
      const { entry } = decision;
      const removableAt = decision.kind === 'wait' ? decision.removableAt : undefined;
      return {
        // `release` is the plan's published word for forgetting a record subzone did not write.
        action: decision.kind === 'disown' ? 'release' : decision.kind,
        name: entry.name,
        account,
        zoneId: entry.zoneId,
        reason: decision.reason,
        parentZoneId: entry.parentZoneId,
        sentence: sentenceFor(
          { kind: decision.kind, reason: decision.reason, account, name: entry.name, ...(removableAt ? { removableAt } : {}) },
          config,
        ),
        ...(removableAt ? { removableAt } : {}),
        pending: true,
      };
    }
    default:
      return undefined;
  }
}

/** The plan as a table for people, with its summary line. */
export function printPlan(context: CommandContext, plan: Plan): void {
  const { out } = context;
  const pending = plan.changes.filter((change) => change.pending);
  if (plan.changes.length > 0) {
    out.table(
      ['ACTION', 'NAME', 'ACCOUNT', 'ZONE', 'REASON'],
      plan.changes.map((change) => [
        change.pending ? change.action : `${change.action} (standing)`,
        change.name,
        change.account,
        change.zoneId,
        change.sentence,
      ]),
    );
    out.line();
  }
  for (const error of plan.errors) out.line(out.style('red', `account ${error.account} could not be planned: ${error.error}`));
  out.line(
    pending.length === 0
      ? 'No changes: the parent zones and the ledger are as the config wants.'
      : `${pending.length} change(s) pending. \`subzone apply\` has the worker carry them out.`,
  );
}

/** Prints the plan and returns the exit code. */
export function reportPlan(context: CommandContext, plan: Plan): number {
  if (context.json) context.out.json({ changes: plan.changes, errors: plan.errors });
  else printPlan(context, plan);
  if (plan.errors.length > 0) return 1;
  return plan.changes.some((change) => change.pending) ? 2 : 0;
}
