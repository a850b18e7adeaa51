/**
 * `subzone explain NAME`: why a name is or is not delegated, in words a child team
 * understands: the winning rule, the owner, every claimant, what the parent holds, the last
 * decision with its reason, and what the worker would decide now (from `plan`), with when a
 * waiting removal will happen.
 */
import { SpokeReadError } from '../../functions/core/errors';
import { normaliseName } from '../../functions/core/names';
import { reasonInWords } from '../../functions/core/outcome-sentences';
import { parentFor, winningRule } from '../../functions/core/rules';
import type { AccountId, LedgerEntry, NameOwner, RecordSet } from '../../functions/core/types';
import type { CommandContext } from '../command-context';
import { UsageError } from '../usage-error';
import { accountsToPlan, makePlan, type PlannedChange } from './plan';

/** A zone of that name in a child account. */
export interface Claimant {
  readonly account: AccountId;
  readonly zoneId: string;
  readonly optedIn: boolean;
  /** The winning rule lists the account. */
  readonly allowed: boolean;
}

/** Everything explain found about one name. */
export interface Explanation {
  readonly name: string;
  readonly parentZone: string | null;
  readonly parentZoneId: string | null;
  readonly rule: { readonly name: string; readonly accounts: readonly AccountId[] } | null;
  readonly owner: NameOwner | null;
  /** The records the parent holds at the name. */
  readonly records: readonly RecordSet[];
  readonly claimants: readonly Claimant[];
  readonly unreadableAccounts: readonly AccountId[];
  /** The ledger's entries for the name: the last decision and its reason. */
  readonly ledger: ReadonlyArray<Pick<LedgerEntry, 'account' | 'zoneId' | 'state' | 'origin' | 'reason' | 'updatedAt' | 'removableSince'>>;
  /** What the worker would decide now. */
  readonly next: readonly PlannedChange[];
  /** The answer in one sentence. */
  readonly summary: string;
}

/** Reads what decides `input` and explains it. */
export async function explainName(context: CommandContext, input: string, now = new Date()): Promise<Explanation> {
  let name: string;
  try {
    name = normaliseName(input);
  } catch (error) {
    throw new UsageError(`NAME ${JSON.stringify(input)} is not a domain name: ${error instanceof Error ? error.message : String(error)}`);
  }
  const { config } = context.loaded;
  const { readers } = context;
  const parent = parentFor(config, name);
  const rule = winningRule(config, name) ?? null;
  const accounts = await accountsToPlan(config, () => readers.ledger.listAccounts(), []);
  const claimants: Claimant[] = [];
  const unreadableAccounts: AccountId[] = [];
  const ledger: Explanation['ledger'][number][] = [];
  for (const account of accounts) {
    context.out.progress(`reading account ${account}...`);
    for (const entry of await readers.ledger.listEntries(account)) {
      if (entry.name !== name) continue;
      const { zoneId, state, origin, reason, updatedAt, removableSince } = entry;
      ledger.push({
        account,
        zoneId,
        state,
        origin,
        updatedAt,
        ...(reason ? { reason } : {}),
        ...(removableSince ? { removableSince } : {}),
      });
    }
    try {
      const snapshot = await readers.reader.readZones(account, { kind: 'account' }, new Map());
      for (const zone of snapshot.zones.filter((candidate) => candidate.name === name && !candidate.privateZone)) {
        claimants.push({ account, zoneId: zone.zoneId, optedIn: zone.optedIn, allowed: rule?.accounts.includes(account) ?? false });
      }
    } catch (error) {
      if (!(error instanceof SpokeReadError)) throw error;
      unreadableAccounts.push(account);
    }
  }
  const owner = parent ? ((await readers.ledger.getNameOwner(parent.hostedZoneId, name)) ?? null) : null;
  const records = parent
    ? (await readers.parents.readAround(parent.hostedZoneId, parent.name, [name])).records.filter((record) => record.name === name)
    : [];
  const involved = [...new Set([...claimants.map((claimant) => claimant.account), ...ledger.map((entry) => entry.account)])];
  const next = involved.length > 0 ? (await makePlan(context, involved, now)).changes.filter((change) => change.name === name) : [];
  const explanation = {
    name,
    parentZone: parent?.name ?? null,
    parentZoneId: parent?.hostedZoneId ?? null,
    rule: rule && { name: rule.name, accounts: rule.accounts },
    owner,
    records,
    claimants,
    unreadableAccounts,
    ledger,
    next,
  };
  return { ...explanation, summary: summarise(explanation) };
}

function summarise(facts: Omit<Explanation, 'summary'>): string {
  const { name } = facts;
  if (facts.parentZone === null) return 'under none of the parent zones subzone manages.';
  const first = facts.next[0];
  if (first !== undefined) return first.sentence;
  const delegated = facts.ledger.find((entry) => entry.state === 'delegated');
  if (delegated)
    return `delegated to zone ${delegated.zoneId} in account ${delegated.account} (${reasonInWords(delegated.reason ?? 'in-place')}).`;
  if (facts.rule === null) return `no rule allows ${name}: no account may claim it.`;
  if (facts.claimants.length === 0)
    return `no account holds a zone named ${name}; accounts ${facts.rule.accounts.join(', ')} may create one and tag it.`;
  const optedIn = facts.claimants.filter((claimant) => claimant.optedIn);
  if (optedIn.length === 0) return `the zone(s) named ${name} are not tagged for delegation.`;
  return 'not delegated; nothing would change now.';
}

/** Prints the explanation; exit 0. */
export function reportExplanation(context: CommandContext, explanation: Explanation): number {
  const { out } = context;
  if (context.json) {
    out.json(explanation);
    return 0;
  }
  const rows: Array<[string, string]> = [
    ['parent zone', explanation.parentZone === null ? 'none' : `${explanation.parentZone} (${explanation.parentZoneId})`],
    ['rule', explanation.rule === null ? 'none allows it' : `${explanation.rule.name}: accounts ${explanation.rule.accounts.join(', ')}`],
    ['owner', explanation.owner === null ? 'none' : `zone ${explanation.owner.zoneId} in account ${explanation.owner.account}`],
    ...explanation.records.map((record): [string, string] => ['in parent', `${record.type} ${record.ttl} ${record.values.join(' ')}`]),
    ...explanation.claimants.map((claimant): [string, string] => [
      'claimant',
      `zone ${claimant.zoneId} in account ${claimant.account}: ${claimant.optedIn ? 'opted in' : 'not opted in'}, ${claimant.allowed ? 'allowed' : 'not allowed by the rules'}`,
    ]),
    ...explanation.unreadableAccounts.map((account): [string, string] => ['unreadable', `account ${account} could not be read`]),
    ...explanation.ledger.map((entry): [string, string] => [
      'last decision',
      `${entry.state} (${entry.origin}) for zone ${entry.zoneId} in account ${entry.account}: ${reasonInWords(entry.reason ?? entry.state)}, at ${entry.updatedAt}`,
    ]),
    ...explanation.next.map((change): [string, string] => ['next', `${change.action}: ${change.sentence}`]),
  ];
  out.line(`${explanation.name}: ${explanation.summary}`);
  out.pairs(rows);
  return 0;
}
