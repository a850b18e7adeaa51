/**
 * The same conditional semantics from the in-memory ledger the unit tests use and from the
 * DynamoDB ledger (on dynalite): what the fake lets a reconcile do, the table lets it do too.
 */
import { DynamoDbLedger } from '../../../functions/adapters/dynamodb-ledger';
import { LeaseBusyError, LedgerConflictError } from '../../../functions/core/errors';
import type { HeldCounts } from '../../../functions/core/held-counts';
import type { DelegationLedger } from '../../../functions/core/ports';
import type { LedgerEntry, NameOwner } from '../../../functions/core/types';
import { FakeLedger } from '../../fakes/fake-ledger';
import { type DynaliteLedger, startDynalite } from '../../helpers/dynalite';

let db: DynaliteLedger;
let sequence = 0;

beforeAll(async () => {
  db = await startDynalite('subzone-ledger-contract');
});

afterAll(async () => {
  await db.stop();
});

/** A fresh account per test, so the tests share one table without seeing each other. */
function freshAccount(): string {
  sequence += 1;
  return String(300000000000 + sequence);
}

function entry(account: string, version: number): LedgerEntry {
  return {
    account,
    zoneId: 'ZCONTRACT',
    name: `z${account}.example.com`,
    parentZoneId: 'ZPARENT',
    state: 'delegated',
    origin: 'written',
    records: [{ type: 'NS', ttl: 3600, values: ['ns-1.example.net.'] }],
    nameServers: ['ns-1.example.net'],
    version,
    updatedAt: '2026-01-01T00:00:00.000Z',
  };
}

const now = new Date('2026-01-01T00:00:00.000Z');
const later = new Date('2026-01-01T00:02:00.000Z');

describe.each<[string, () => DelegationLedger]>([
  ['FakeLedger', () => new FakeLedger()],
  ['DynamoDbLedger', () => new DynamoDbLedger(db.client, { tableName: db.tableName })],
])('%s', (_name, build) => {
  it('writes version 1 only over nothing, and each next version only over the one before', async () => {
    // Prepare
    const ledger = build();
    const account = freshAccount();
    await ledger.putEntry(entry(account, 1));

    // Act
    const again = ledger.putEntry(entry(account, 1));
    const skipped = ledger.putEntry(entry(account, 3));
    await expect(again).rejects.toThrow(LedgerConflictError);
    await expect(skipped).rejects.toThrow(LedgerConflictError);
    await ledger.putEntry(entry(account, 2));

    // Assess
    expect((await ledger.getEntry(account, 'ZCONTRACT'))?.version).toBe(2);
  });

  it('deletes an entry only at its stored version', async () => {
    // Prepare
    const ledger = build();
    const account = freshAccount();
    await ledger.putEntry(entry(account, 1));

    // Act
    await expect(ledger.deleteEntry(account, 'ZCONTRACT', 2)).rejects.toThrow(LedgerConflictError);
    await ledger.deleteEntry(account, 'ZCONTRACT', 1);

    // Assess
    expect(await ledger.listEntries(account)).toEqual([]);
  });

  it('refuses a live lease to another holder, and gives it once expired', async () => {
    // Prepare
    const ledger = build();
    const account = freshAccount();
    await ledger.acquireLease(account, 'one', now, 60_000);

    // Act
    await expect(ledger.acquireLease(account, 'two', now, 60_000)).rejects.toThrow(LeaseBusyError);
    const taken = await ledger.acquireLease(account, 'two', later, 60_000);

    // Assess
    expect(taken).toEqual({ account, holder: 'two', expiresAt: '2026-01-01T00:03:00.000Z' });
  });

  it('lets only the holder give a lease back', async () => {
    // Prepare
    const ledger = build();
    const account = freshAccount();
    const lease = await ledger.acquireLease(account, 'one', now, 60_000);

    // Act
    await ledger.releaseLease({ ...lease, holder: 'stale' });
    const stillBusy = ledger.acquireLease(account, 'two', now, 60_000);
    await expect(stillBusy).rejects.toThrow(LeaseBusyError);
    await ledger.releaseLease(lease);

    // Assess
    expect((await ledger.acquireLease(account, 'two', now, 60_000)).holder).toBe('two');
  });

  it('keeps a name for its first claimant and frees it only for its owner', async () => {
    // Prepare
    const ledger = build();
    const account = freshAccount();
    const first: NameOwner = { parentZoneId: 'ZPARENT', name: `n${account}.example.com`, account, zoneId: 'ZFIRST' };
    const second: NameOwner = { ...first, zoneId: 'ZSECOND' };
    await ledger.claimName(first);

    // Act
    const lost = await ledger.claimName(second);
    await ledger.freeName(second);
    const kept = await ledger.getNameOwner(first.parentZoneId, first.name);
    await ledger.freeName(first);

    // Assess
    expect([lost, kept]).toEqual([first, first]);
    expect(await ledger.claimName(second)).toEqual(second);
  });

  it('reads the owners of 250 names at once: the owned ones, whatever the duplicates', async () => {
    // Prepare
    const ledger = build();
    const account = freshAccount();
    const names = Array.from({ length: 250 }, (_, index) => ({ parentZoneId: 'ZPARENT', name: `o${index}.${account}.example.com` }));
    const owned = names.filter((_, index) => index % 3 === 0).map((key, index) => ({ ...key, account, zoneId: `ZOWN${index}` }));
    for (const owner of owned) await ledger.claimName(owner);

    // Act
    const read = await ledger.getNameOwners([...names, ...names.slice(0, 10)]);

    // Assess
    const byName = (a: NameOwner, b: NameOwner) => a.name.localeCompare(b.name);
    expect([...read].sort(byName)).toEqual([...owned].sort(byName));
  });

  it('keeps the held counts as entries are written, changed and deleted', async () => {
    // Prepare
    const ledger = build();
    const account = freshAccount();
    const before = await ledger.heldCounts();
    const second = { ...entry(account, 1), zoneId: 'ZSECOND', name: `s${account}.example.com` };

    // Act
    await ledger.putEntry(entry(account, 1));
    await ledger.putEntry(second);
    await ledger.putEntry({ ...entry(account, 2), removableSince: '2026-01-01T05:30:00.000Z' });
    await ledger.putEntry({ ...second, version: 2, state: 'rejected', records: [] });
    const during = await ledger.heldCounts();
    await ledger.deleteEntry(account, 'ZCONTRACT', 2);
    const after = await ledger.heldCounts();

    // Assess
    const change = (from: HeldCounts, to: HeldCounts) =>
      Object.fromEntries(
        Object.keys({ ...from, ...to }).flatMap((key) =>
          (to[key] ?? 0) - (from[key] ?? 0) !== 0 ? [[key, (to[key] ?? 0) - (from[key] ?? 0)]] : [],
        ),
      );
    expect(change(before, during)).toEqual({ held: 1, 'removable#2026-01-01T05': 1 });
    expect(change(before, after)).toEqual({});
  });

  it('finishes a sweep for the call that removes its last account, once', async () => {
    // Prepare
    const ledger = build();
    const sweepId = `sweep-${freshAccount()}`;
    await ledger.startSweep(sweepId, ['111111111111', '222222222222'], now);

    // Act
    const results = [
      await ledger.finishSweepAccount(sweepId, '111111111111'),
      await ledger.finishSweepAccount(sweepId, '111111111111'),
      await ledger.finishSweepAccount(sweepId, '222222222222'),
      await ledger.finishSweepAccount(sweepId, '222222222222'),
    ];

    // Assess
    expect(results).toEqual([undefined, undefined, { startedAt: now.toISOString() }, undefined]);
  });

  it('reserves removals within the budget of a known sweep only', async () => {
    // Prepare
    const ledger = build();
    const sweepId = `sweep-${freshAccount()}`;
    await ledger.startSweep(sweepId, ['111111111111'], now);

    // Act
    const reserved = [
      await ledger.reserveRemovals(sweepId, 3, 5),
      await ledger.reserveRemovals(sweepId, 3, 5),
      await ledger.reserveRemovals(sweepId, 2, 5),
      await ledger.reserveRemovals('unknown-sweep', 1, 5),
    ];

    // Assess
    expect(reserved).toEqual([true, false, true, false]);
  });
});
