/**
 * `subzone ledger`: what subzone holds, per delegation (one ledger entry per child zone) and
 * name owner, read from the ledger table.
 */
import type { AccountId, LedgerEntry, NameOwner } from '../../functions/core/types';
import type { CommandContext } from '../command-context';

/** One delegation entry with the owner of its name. */
export interface LedgerRow {
  readonly entry: LedgerEntry;
  /** The name's owner in its parent zone (this zone, another one, or none). */
  readonly owner: NameOwner | undefined;
}

/** Reads the entries of `accounts` (every account the ledger names when empty), with their names' owners. */
export async function readLedger(context: CommandContext, accounts: readonly AccountId[]): Promise<LedgerRow[]> {
  const { ledger } = context.readers;
  const wanted = accounts.length > 0 ? [...new Set(accounts)].sort() : (await ledger.listAccounts()).sort();
  const rows: LedgerRow[] = [];
  for (const account of wanted) {
    context.out.progress(`reading the ledger of account ${account}...`);
    for (const entry of await ledger.listEntries(account)) {
      const owner = entry.parentZoneId ? await ledger.getNameOwner(entry.parentZoneId, entry.name) : undefined;
      rows.push({ entry, owner });
    }
  }
  return rows.sort((a, b) => a.entry.name.localeCompare(b.entry.name) || a.entry.account.localeCompare(b.entry.account));
}

/** Who owns the name, as the table says it. */
function ownerText(row: LedgerRow): string {
  if (row.owner === undefined) return '-';
  return row.owner.zoneId === row.entry.zoneId ? 'this zone' : `${row.owner.zoneId} (${row.owner.account})`;
}

/** Prints the ledger; always exit 0. */
export function reportLedger(context: CommandContext, rows: readonly LedgerRow[]): number {
  const { out } = context;
  if (context.json) {
    out.json({
      delegations: rows.map(({ entry, owner }) => ({ ...entry, owner: owner ?? null })),
    });
    return 0;
  }
  if (rows.length === 0) {
    out.line('The ledger holds nothing.');
    return 0;
  }
  out.table(
    ['NAME', 'ACCOUNT', 'ZONE', 'STATE', 'ORIGIN', 'RECORD', 'OWNER', 'REASON', 'UPDATED'],
    rows.map(({ entry }, index) => [
      entry.name,
      entry.account,
      entry.zoneId,
      entry.state,
      entry.origin,
      entry.records.map((record) => `${record.type} ${record.ttl}`).join(', ') || '-',
      ownerText(rows[index]!),
      entry.reason ?? '-',
      entry.updatedAt,
    ]),
  );
  return 0;
}
