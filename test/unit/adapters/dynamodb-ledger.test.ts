import {
  type AttributeValue,
  BatchGetItemCommand,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  QueryCommand,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDbLedger } from '../../../functions/adapters/dynamodb-ledger';
import { ledgerKeys } from '../../../functions/adapters/ledger-table';
import { LeaseBusyError, LedgerConflictError } from '../../../functions/core/errors';
import type { LedgerEntry, NameOwner } from '../../../functions/core/types';
import { type DynaliteLedger, startDynalite } from '../../helpers/dynalite';

let db: DynaliteLedger;
let ledger: DynamoDbLedger;
let accountSeq = 0;

/** A fresh account per test, so tests share one table without seeing each other. */
function freshAccount(): string {
  accountSeq += 1;
  return String(200000000000 + accountSeq);
}

function entry(account: string, zoneId: string, overrides: Partial<LedgerEntry> = {}): LedgerEntry {
  return {
    account,
    zoneId,
    name: 'foo.example.com',
    parentZoneId: 'Z0PARENT',
    state: 'delegated',
    origin: 'written',
    records: [{ type: 'NS', ttl: 3600, values: ['ns-1.awsdns-01.com', 'ns-2.awsdns-02.net'] }],
    nameServers: ['ns-1.awsdns-01.com', 'ns-2.awsdns-02.net'],
    version: 1,
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

beforeAll(async () => {
  db = await startDynalite();
  ledger = new DynamoDbLedger(db.client, { tableName: db.tableName });
});

afterAll(async () => {
  await db.stop();
});

describe('DynamoDbLedger entries', () => {
  it('preserves every LedgerEntry field through a put and list round trip', async () => {
    // Prepare
    const account = freshAccount();
    const full = entry(account, 'ZFULL', {
      state: 'creating',
      origin: 'adopted',
      records: [
        { type: 'NS', ttl: 300, values: ['ns-1.awsdns-01.com', 'ns-2.awsdns-02.net'] },
        { type: 'DS', ttl: 300, values: ['12345 13 2 ABCDEF'] },
      ],
      intent: {
        changes: [{ action: 'CREATE', record: { name: 'foo.example.com', type: 'NS', ttl: 300, values: ['a', 'b'] } }],
        at: '2026-01-01T00:00:01.000Z',
      },
      reason: 'allowed by rule foo.example.com',
      removableSince: '2026-01-01T00:00:02.000Z',
      suspectSince: '2026-01-01T00:00:03.000Z',
      pendingOutcome: {
        detailType: 'Delegation Created',
        detail: { account, zoneId: 'ZFULL', name: 'foo.example.com', reason: 'created', applied: true, extra: { n: 1 } },
      },
    });

    // Act
    await ledger.putEntry(full);
    const listed = await ledger.listEntries(account);

    // Assess
    expect(listed).toEqual([full]);
  });

  it('lists only the delegations of the account, across pages, never its lease', async () => {
    // Prepare
    const account = freshAccount();
    const other = freshAccount();
    const zoneIds = Array.from({ length: 40 }, (_, i) => `Z${String(i).padStart(3, '0')}`);
    // ~33 KB per item pushes the query past DynamoDB's 1 MB page, so paging is exercised.
    const bulky = Array.from({ length: 300 }, (_, i) => `ns-${i}.${'x'.repeat(90)}.example.net`);
    for (const zoneId of zoneIds) await ledger.putEntry(entry(account, zoneId, { nameServers: bulky }));
    await ledger.putEntry(entry(other, 'ZOTHER'));
    await ledger.acquireLease(account, 'worker-1', new Date('2026-01-01T00:00:00Z'), 60_000);
    const send = jest.spyOn(db.client, 'send');

    // Act
    const listed = await ledger.listEntries(account);

    // Assess
    expect(listed.map((e) => e.zoneId).sort()).toEqual(zoneIds);
    const queries = send.mock.calls.map(([command]) => command).filter((c) => c instanceof QueryCommand);
    expect(queries.length).toBeGreaterThan(1);
    expect(queries.every((q) => q.input.ConsistentRead === true)).toBe(true);
    send.mockRestore();
  });

  it('writes a new version over the previous one', async () => {
    // Prepare
    const account = freshAccount();
    await ledger.putEntry(entry(account, 'ZA'));

    // Act
    await ledger.putEntry(entry(account, 'ZA', { version: 2, state: 'removing' }));

    // Assess
    expect(await ledger.listEntries(account)).toEqual([entry(account, 'ZA', { version: 2, state: 'removing' })]);
  });

  it.each([
    ['a version 1 entry over an existing item', 1, 1],
    ['a version 3 entry over version 1 (a version was skipped)', 1, 3],
    ['a version 2 entry over version 2 (a concurrent writer won)', 2, 2],
  ])('rejects %s with LedgerConflictError', async (_case, stored, attempted) => {
    // Prepare
    const account = freshAccount();
    for (let v = 1; v <= stored; v += 1) await ledger.putEntry(entry(account, 'ZA', { version: v }));

    // Act
    const put = ledger.putEntry(entry(account, 'ZA', { version: attempted, reason: 'loser' }));

    // Assess
    await expect(put).rejects.toBeInstanceOf(LedgerConflictError);
    expect((await ledger.listEntries(account))[0]).toEqual(entry(account, 'ZA', { version: stored }));
  });

  it('rejects a version 2 entry when no item exists', async () => {
    // Prepare
    const account = freshAccount();

    // Act
    const put = ledger.putEntry(entry(account, 'ZA', { version: 2 }));

    // Assess
    await expect(put).rejects.toThrow(/ledger item changed concurrently: delegation \d+\/ZA: expected version 1/);
  });

  it('deletes an entry at the expected version', async () => {
    // Prepare
    const account = freshAccount();
    await ledger.putEntry(entry(account, 'ZA'));
    await ledger.putEntry(entry(account, 'ZB'));

    // Act
    await ledger.deleteEntry(account, 'ZA', 1);

    // Assess
    expect((await ledger.listEntries(account)).map((e) => e.zoneId)).toEqual(['ZB']);
  });

  it('rejects a delete at a stale version and keeps the entry', async () => {
    // Prepare
    const account = freshAccount();
    await ledger.putEntry(entry(account, 'ZA'));
    await ledger.putEntry(entry(account, 'ZA', { version: 2 }));

    // Act
    const deletion = ledger.deleteEntry(account, 'ZA', 1);

    // Assess
    await expect(deletion).rejects.toBeInstanceOf(LedgerConflictError);
    expect(await ledger.listEntries(account)).toHaveLength(1);
  });
});

describe('DynamoDbLedger leases', () => {
  const now = new Date('2026-01-01T00:00:00.000Z');

  it('grants a free lease with its expiry', async () => {
    // Prepare
    const account = freshAccount();

    // Act
    const lease = await ledger.acquireLease(account, 'worker-1', now, 90_000);

    // Assess
    expect(lease).toEqual({ account, holder: 'worker-1', expiresAt: '2026-01-01T00:01:30.000Z' });
  });

  it('rejects a second holder while the lease is live, naming its expiry', async () => {
    // Prepare
    const account = freshAccount();
    await ledger.acquireLease(account, 'worker-1', now, 90_000);

    // Act
    const second = ledger.acquireLease(account, 'worker-2', new Date(now.getTime() + 89_000), 90_000);

    // Assess
    await expect(second).rejects.toBeInstanceOf(LeaseBusyError);
    await expect(second).rejects.toThrow('until 2026-01-01T00:01:30.000Z');
  });

  it('grants the lease to another holder once it has expired', async () => {
    // Prepare
    const account = freshAccount();
    await ledger.acquireLease(account, 'worker-1', now, 90_000);

    // Act
    const lease = await ledger.acquireLease(account, 'worker-2', new Date(now.getTime() + 91_000), 90_000);

    // Assess
    expect(lease.holder).toBe('worker-2');
  });

  it('lets the holder take its live lease again and extends it', async () => {
    // Prepare
    const account = freshAccount();
    await ledger.acquireLease(account, 'worker-1', now, 90_000);

    // Act
    const again = await ledger.acquireLease(account, 'worker-1', new Date(now.getTime() + 10_000), 90_000);

    // Assess
    expect(again.expiresAt).toBe('2026-01-01T00:01:40.000Z');
    await expect(ledger.acquireLease(account, 'worker-2', new Date(now.getTime() + 95_000), 1000)).rejects.toBeInstanceOf(LeaseBusyError);
  });

  it('frees the lease when its holder releases it', async () => {
    // Prepare
    const account = freshAccount();
    const lease = await ledger.acquireLease(account, 'worker-1', now, 90_000);

    // Act
    await ledger.releaseLease(lease);

    // Assess
    await expect(ledger.acquireLease(account, 'worker-2', now, 90_000)).resolves.toMatchObject({ holder: 'worker-2' });
  });

  it("leaves another holder's lease in place when a stale holder releases", async () => {
    // Prepare
    const account = freshAccount();
    const stale = await ledger.acquireLease(account, 'worker-1', now, 1000);
    await ledger.acquireLease(account, 'worker-2', new Date(now.getTime() + 2000), 90_000);

    // Act
    await ledger.releaseLease(stale);

    // Assess
    await expect(ledger.acquireLease(account, 'worker-3', new Date(now.getTime() + 3000), 1000)).rejects.toBeInstanceOf(LeaseBusyError);
  });

  it('grants exactly one of many concurrent acquisitions', async () => {
    // Prepare
    const account = freshAccount();
    const holders = Array.from({ length: 8 }, (_, i) => `worker-${i}`);

    // Act
    const results = await Promise.allSettled(holders.map((h) => ledger.acquireLease(account, h, now, 90_000)));

    // Assess
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason)).toEqual(
      Array(7).fill(expect.any(LeaseBusyError)),
    );
  });
});

describe('DynamoDbLedger name owners', () => {
  function owner(account: string, zoneId: string, name = 'race.example.com'): NameOwner {
    return { parentZoneId: 'Z0PARENT', name, account, zoneId };
  }

  it('claims an unowned name and reads it back', async () => {
    // Prepare
    const claim = owner(freshAccount(), 'ZA', 'fresh-1.example.com');

    // Act
    const result = await ledger.claimName(claim);

    // Assess
    expect(result).toEqual(claim);
    expect(await ledger.getNameOwner('Z0PARENT', 'fresh-1.example.com')).toEqual(claim);
  });

  it('returns undefined for a name no one owns', async () => {
    // Act
    const result = await ledger.getNameOwner('Z0PARENT', 'nobody.example.com');

    // Assess
    expect(result).toBeUndefined();
  });

  it('confirms a claim by the zone that already owns the name', async () => {
    // Prepare
    const claim = owner(freshAccount(), 'ZA', 'fresh-2.example.com');
    await ledger.claimName(claim);

    // Act
    const again = await ledger.claimName(claim);

    // Assess
    expect(again).toEqual(claim);
  });

  it.each([
    ['another account', (a: string) => owner(freshAccount(), 'ZA', a)],
    ['another zone of the same account', (a: string, account: string) => owner(account, 'ZB', a)],
  ])('returns the current owner to a claim by %s', async (_case, rival) => {
    // Prepare
    const account = freshAccount();
    const name = `taken-${account}.example.com`;
    const first = owner(account, 'ZA', name);
    await ledger.claimName(first);

    // Act
    const result = await ledger.claimName(rival(name, account));

    // Assess
    expect(result).toEqual(first);
    expect(await ledger.getNameOwner('Z0PARENT', name)).toEqual(first);
  });

  it('lets exactly one of two zones racing for one name win, and gives the loser the winner', async () => {
    // Prepare
    const a = owner(freshAccount(), 'ZA');
    const b = owner(freshAccount(), 'ZB');

    // Act
    const [resultA, resultB] = await Promise.all([ledger.claimName(a), ledger.claimName(b)]);

    // Assess
    expect(resultA).toEqual(resultB);
    expect([a, b]).toContainEqual(resultA);
    expect(await ledger.getNameOwner('Z0PARENT', 'race.example.com')).toEqual(resultA);
  });

  it('keeps the name when a non-owner releases it', async () => {
    // Prepare
    const account = freshAccount();
    const name = `kept-${account}.example.com`;
    const first = owner(account, 'ZA', name);
    await ledger.claimName(first);

    // Act
    await ledger.freeName(owner(freshAccount(), 'ZA', name));

    // Assess
    expect(await ledger.getNameOwner('Z0PARENT', name)).toEqual(first);
  });

  it('frees the name when its owner releases it, so another zone can claim it', async () => {
    // Prepare
    const account = freshAccount();
    const name = `freed-${account}.example.com`;
    await ledger.claimName(owner(account, 'ZA', name));
    const next = owner(freshAccount(), 'ZB', name);

    // Act
    await ledger.freeName(owner(account, 'ZA', name));

    // Assess
    expect(await ledger.getNameOwner('Z0PARENT', name)).toBeUndefined();
    expect(await ledger.claimName(next)).toEqual(next);
  });
});

describe('DynamoDbLedger accounts and sweeps', () => {
  const now = new Date('2026-01-01T00:00:00.000Z');

  it('lists every account holding an entry once, and no account that only held a lease', async () => {
    // Prepare
    const withEntries = [freshAccount(), freshAccount()];
    const leaseOnly = freshAccount();
    for (const account of withEntries) {
      await ledger.putEntry(entry(account, 'Z1'));
      await ledger.putEntry(entry(account, 'Z2'));
    }
    await ledger.acquireLease(leaseOnly, 'worker-1', now, 1000);

    // Act
    const accounts = await ledger.listAccounts();

    // Assess
    expect(accounts).toEqual(expect.arrayContaining(withEntries));
    expect(accounts).not.toContain(leaseOnly);
    expect(new Set(accounts).size).toBe(accounts.length);
  });

  it('reports completion only to the call that finishes the last account', async () => {
    // Prepare
    await ledger.startSweep('sweep-seq', ['111111111111', '222222222222'], now);

    // Act
    const first = await ledger.finishSweepAccount('sweep-seq', '111111111111');
    const duplicate = await ledger.finishSweepAccount('sweep-seq', '111111111111');
    const last = await ledger.finishSweepAccount('sweep-seq', '222222222222');
    const afterwards = await ledger.finishSweepAccount('sweep-seq', '222222222222');

    // Assess
    expect([first, duplicate, last, afterwards]).toEqual([undefined, undefined, { startedAt: now.toISOString() }, undefined]);
  });

  it('shows completion exactly once under concurrent and duplicate finishes', async () => {
    // Prepare
    const accounts = Array.from({ length: 12 }, (_, i) => String(300000000000 + i));
    await ledger.startSweep('sweep-race', accounts, now);

    // Act
    const results = await Promise.all([...accounts, ...accounts].map((a) => ledger.finishSweepAccount('sweep-race', a)));

    // Assess
    expect(results.filter((result) => result !== undefined)).toHaveLength(1);
  });

  it('keeps the progress of a sweep whose start is repeated', async () => {
    // Prepare
    await ledger.startSweep('sweep-redelivered', ['111111111111', '222222222222'], now);
    await ledger.finishSweepAccount('sweep-redelivered', '111111111111');

    // Act
    await ledger.startSweep('sweep-redelivered', ['111111111111', '222222222222'], now);
    const replayed = await ledger.finishSweepAccount('sweep-redelivered', '111111111111');
    const last = await ledger.finishSweepAccount('sweep-redelivered', '222222222222');

    // Assess
    expect([replayed, last]).toEqual([undefined, { startedAt: now.toISOString() }]);
  });

  it('stores the sweep with its count, start and expiry', async () => {
    // Prepare
    const accounts = ['111111111111', '222222222222', '111111111111'];

    // Act
    await ledger.startSweep('sweep-stored', accounts, now);

    // Assess
    const { Item } = await db.client.send(
      new GetItemCommand({ TableName: db.tableName, Key: { pk: { S: ledgerKeys.sweep('sweep-stored').pk }, sk: { S: 'SWEEP' } } }),
    );
    expect(unmarshall(Item ?? {})).toEqual({
      ...ledgerKeys.sweep('sweep-stored'),
      sweepId: 'sweep-stored',
      total: 2,
      remainingCount: 2,
      remaining: new Set(['111111111111', '222222222222']),
      startedAt: '2026-01-01T00:00:00.000Z',
      expiresAtEpoch: Math.floor(now.getTime() / 1000) + 7 * 24 * 3600,
    });
  });

  it('reports no completion for an unknown sweep', async () => {
    // Act
    const result = await ledger.finishSweepAccount('sweep-unknown', '111111111111');

    // Assess
    expect(result).toBeUndefined();
  });

  it.each([
    ['within the budget', [3, 2], 5, [true, true]],
    ['past the budget', [3, 3], 5, [true, false]],
    ['larger than the budget at once', [6], 5, [false]],
  ])('reserves removals on a sweep %s', async (_case, counts, budget, expected) => {
    // Prepare
    const sweepId = `sweep-budget-${counts.join('-')}`;
    await ledger.startSweep(sweepId, ['111111111111'], now);

    // Act
    const results: boolean[] = [];
    for (const count of counts) results.push(await ledger.reserveRemovals(sweepId, count, budget));

    // Assess
    expect(results).toEqual(expected);
  });

  it('reserves no removal under an unknown sweep', async () => {
    // Act
    const result = await ledger.reserveRemovals('sweep-never-started', 1, 5);

    // Assess
    expect(result).toBe(false);
  });
});

describe('DynamoDbLedger event arrivals', () => {
  it('keeps the newest event time of an account, whatever order the events arrive in', async () => {
    // Prepare
    const account = freshAccount();

    // Act
    const before = await ledger.lastEventAt(account);
    await ledger.noteEvent(account, '2026-11-27T10:00:00.000Z');
    await ledger.noteEvent(account, '2026-11-27T09:00:00.000Z');
    const after = await ledger.lastEventAt(account);

    // Assess
    expect(before).toBeUndefined();
    expect(after).toBe('2026-11-27T10:00:00.000Z');
    expect(await ledger.listEntries(account)).toEqual([]);
  });
});

describe('DynamoDbLedger parent leases', () => {
  const now = new Date('2026-01-01T00:00:00.000Z');

  it("rejects a second holder of a parent zone's lease until its holder gives it back", async () => {
    // Prepare
    const parentZoneId = `ZPARENT${freshAccount()}`;
    const lease = await ledger.acquireParentLease(parentZoneId, 'invocation-1', now, 60_000);

    // Act
    const busy = ledger.acquireParentLease(parentZoneId, 'invocation-2', now, 60_000);
    await expect(busy).rejects.toThrow(LeaseBusyError);
    await ledger.releaseParentLease(lease);
    const next = await ledger.acquireParentLease(parentZoneId, 'invocation-2', now, 60_000);

    // Assess
    expect(next).toEqual({ account: parentZoneId, holder: 'invocation-2', expiresAt: '2026-01-01T00:01:00.000Z' });
  });

  it('keeps a parent lease apart from an account lease and from the account list', async () => {
    // Prepare
    const account = freshAccount();

    // Act
    await ledger.acquireParentLease(account, 'invocation-1', now, 60_000);
    const accountLease = await ledger.acquireLease(account, 'invocation-2', now, 60_000);

    // Assess
    expect(accountLease.holder).toBe('invocation-2');
    expect(await ledger.listAccounts()).not.toContain(account);
  });

  it('stores a lease with the expiry DynamoDB removes it at, so a lease no one gives back does not stay', async () => {
    // Prepare
    const account = freshAccount();

    // Act
    await ledger.acquireLease(account, 'worker-1', now, 90_000);

    // Assess
    const { Item } = await db.client.send(
      new GetItemCommand({ TableName: db.tableName, Key: { pk: { S: ledgerKeys.lease(account).pk }, sk: { S: 'LEASE' } } }),
    );
    expect(unmarshall(Item ?? {}).expiresAtEpoch).toBe(Math.ceil(now.getTime() / 1000) + 90);
  });
});

describe('DynamoDbLedger entries and owners for the engine', () => {
  it('reads one entry, strongly consistent, or undefined', async () => {
    // Prepare
    const account = freshAccount();
    await ledger.putEntry(entry(account, 'ZONE1'));

    // Act
    const found = await ledger.getEntry(account, 'ZONE1');
    const missing = await ledger.getEntry(account, 'ZNONE');

    // Assess
    expect(found).toEqual(entry(account, 'ZONE1'));
    expect(missing).toBeUndefined();
  });

  it('scans every entry and every name owner in one pass, and nothing else', async () => {
    // Prepare
    const account = freshAccount();
    const owner: NameOwner = { parentZoneId: 'Z0PARENT', name: `n${account}.example.com`, account, zoneId: 'ZOWNER' };
    await ledger.claimName(owner);
    await ledger.putEntry(entry(account, 'ZSCANNED'));
    await ledger.acquireLease(account, 'worker-1', new Date(), 60_000);
    await ledger.saveReadingPart(`scan-${account}`, 0, { parentZoneId: 'Z0PARENT', records: [] }, new Date());

    // Act
    const scan = await ledger.scanLedger();

    // Assess
    expect(scan.owners).toContainEqual(owner);
    expect(scan.entries).toContainEqual(entry(account, 'ZSCANNED'));
    expect(scan.entries.every((item) => item.zoneId !== undefined && item.version !== undefined)).toBe(true);
    expect(scan.owners.every((item) => item.parentZoneId !== undefined && item.zoneId !== undefined)).toBe(true);
  });

  it('runs a sweep step for one delivery at a time, never again once finished, and again once given back', async () => {
    // Prepare
    const sweepId = `steps-${freshAccount()}`;
    const now = new Date();

    // Act
    const first = await ledger.takeReadingStep(sweepId, 0, 'delivery-1', now, 60_000);
    const concurrent = await ledger.takeReadingStep(sweepId, 0, 'delivery-2', now, 60_000);
    await ledger.releaseReadingStep(sweepId, 0, 'delivery-2');
    const stillHeld = await ledger.takeReadingStep(sweepId, 0, 'delivery-2', now, 60_000);
    await ledger.releaseReadingStep(sweepId, 0, 'delivery-1');
    const afterRelease = await ledger.takeReadingStep(sweepId, 0, 'delivery-3', now, 60_000);
    await ledger.finishReadingStep(sweepId, 0);
    const afterFinish = await ledger.takeReadingStep(sweepId, 0, 'delivery-4', new Date(now.getTime() + 120_000), 60_000);
    await ledger.finishReadingStep(sweepId, 1);
    const neverTaken = await ledger.takeReadingStep(sweepId, 1, 'delivery-5', now, 60_000);

    // Assess
    expect([first, concurrent, stillHeld, afterRelease, afterFinish, neverTaken]).toEqual([true, false, false, true, false, true]);
  });

  it('keeps a sweep reading in compressed chunks, loads it back in order, and drops it', async () => {
    // Prepare: names that do not repeat, so the records of one part need several 400 KB items.
    const sweepId = `reading-${freshAccount()}`;
    const records = Array.from({ length: 9_000 }, (_, index) => ({
      name: `${index.toString(36)}-${(index * 7919).toString(36)}.example.com`,
      type: 'TXT',
      ttl: 300,
      values: [`"${(index * 104_729).toString(36).repeat(6)}"`],
    }));
    const parts = [
      { parentZoneId: 'Z0PARENT', records },
      { parentZoneId: 'Z0OTHER', records: records.slice(0, 2) },
    ];

    // Act
    for (const [index, part] of parts.entries()) await ledger.saveReadingPart(sweepId, index, part, new Date());
    const loaded = await ledger.loadReading(sweepId, 2);
    const tooMany = await ledger.loadReading(sweepId, 3);
    const items = await db.client.send(
      new QueryCommand({
        TableName: db.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: `READING#${sweepId}` } },
      }),
    );
    await ledger.dropReading(sweepId);
    const dropped = await ledger.loadReading(sweepId, 1);

    // Assess
    expect(loaded).toEqual(parts);
    expect(tooMany).toBeUndefined();
    expect(items.Items?.length).toBeGreaterThan(2);
    expect(items.Items?.every((item) => Number(item.expiresAtEpoch?.N) > Date.now() / 1000)).toBe(true);
    expect(dropped).toBeUndefined();
  });

  it('keeps the steps of a sweep reading when it drops the reading, so a finished step is still refused', async () => {
    // Prepare
    const sweepId = `reading-steps-${freshAccount()}`;
    const now = new Date();
    await ledger.takeReadingStep(sweepId, 0, 'first-delivery', now, 60_000);
    await ledger.saveReadingPart(sweepId, 0, { parentZoneId: 'Z0PARENT', records: [] }, now);
    await ledger.finishReadingStep(sweepId, 0);

    // Act
    await ledger.dropReading(sweepId);
    const lateDuplicate = await ledger.takeReadingStep(sweepId, 0, 'late-delivery', now, 60_000);

    // Assess
    expect(lateDuplicate).toBe(false);
    expect(await ledger.loadReading(sweepId, 1)).toBeUndefined();
  });

  it('counts the sweeps in a row that could not read an account, each sweep once, until cleared', async () => {
    // Prepare
    const account = freshAccount();

    // Act
    const counts = [
      await ledger.countFailedSweep(account, 's1'),
      await ledger.countFailedSweep(account, 's1'),
      await ledger.countFailedSweep(account, 's2'),
    ];
    await ledger.clearFailedSweeps(account);
    await ledger.clearFailedSweeps(account);
    const afterClear = await ledger.countFailedSweep(account, 's3');

    // Assess
    expect(counts).toEqual([1, 1, 2]);
    expect(afterClear).toBe(1);
  });
});

describe('DynamoDbLedger name owners in batches', () => {
  const client = new DynamoDBClient({ region: 'us-east-1' });
  const dynamo = mockClient(client);
  const batched = new DynamoDbLedger(client, { tableName: 'ledger', unprocessedBackoffMs: 0 });
  const ownerItem = (name: string) =>
    marshall({ ...ledgerKeys.nameOwner('ZP', name), parentZoneId: 'ZP', name, account: '1', zoneId: 'Z1' });

  beforeEach(() => dynamo.reset());

  it('asks 100 keys a call, strongly consistent, and asks again for the keys DynamoDB left unprocessed', async () => {
    // Prepare: the first call of the second chunk leaves one key unprocessed
    const names = Array.from({ length: 150 }, (_, index) => `n${index}.example.com`);
    const leftOver = marshall(ledgerKeys.nameOwner('ZP', 'n149.example.com'));
    dynamo
      .on(BatchGetItemCommand)
      .resolvesOnce({ Responses: { ledger: [ownerItem('n0.example.com')] } })
      .resolvesOnce({ Responses: { ledger: [] }, UnprocessedKeys: { ledger: { Keys: [leftOver], ConsistentRead: true } } })
      .resolvesOnce({ Responses: { ledger: [ownerItem('n149.example.com')] } });

    // Act
    const owners = await batched.getNameOwners(names.map((name) => ({ parentZoneId: 'ZP', name })));

    // Assess
    const inputs = dynamo.commandCalls(BatchGetItemCommand).map((call) => call.args[0].input.RequestItems?.ledger);
    expect(inputs.map((input) => [input?.Keys?.length, input?.ConsistentRead])).toEqual([
      [100, true],
      [50, true],
      [1, true],
    ]);
    expect(inputs[2]?.Keys).toEqual([leftOver]);
    expect(owners.map((owner) => owner.name)).toEqual(['n0.example.com', 'n149.example.com']);
  });

  it('fails the read when keys stay unprocessed call after call', async () => {
    // Prepare
    const key = marshall(ledgerKeys.nameOwner('ZP', 'busy.example.com'));
    dynamo.on(BatchGetItemCommand).resolves({ Responses: { ledger: [] }, UnprocessedKeys: { ledger: { Keys: [key] } } });

    // Act
    const read = batched.getNameOwners([{ parentZoneId: 'ZP', name: 'busy.example.com' }]);

    // Assess
    await expect(read).rejects.toThrow('BatchGetItem left 1 keys unprocessed after 8 calls');
  });
});

describe('DynamoDbLedger held counts', () => {
  it('starts the counts from the entries already in the table, once, then keeps them from the writes', async () => {
    // Prepare: entries written, then the counts item taken away (a table from before the counts)
    const account = freshAccount();
    await ledger.putEntry(entry(account, 'ZHELD1'));
    await ledger.putEntry(entry(account, 'ZHELD2', { removableSince: '2026-01-01T07:15:00.000Z' }));
    await db.client.send(new DeleteItemCommand({ TableName: db.tableName, Key: marshall(ledgerKeys.heldCounts()) }));
    const items: Record<string, AttributeValue>[] = [];
    let startKey: Record<string, AttributeValue> | undefined;
    do {
      const page = await db.client.send(new ScanCommand({ TableName: db.tableName, ConsistentRead: true, ExclusiveStartKey: startKey }));
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    const standing = items
      .map((item) => unmarshall(item))
      .filter((item) => String(item.sk).startsWith('ZONE#') && ['delegated', 'removing'].includes(item.state) && item.records.length > 0);

    // Act
    const counted = await ledger.heldCounts();
    await ledger.putEntry(entry(account, 'ZHELD3'));
    const kept = await ledger.heldCounts();

    // Assess
    expect(counted.held).toBe(standing.length);
    expect(counted['removable#2026-01-01T07']).toBe(1);
    expect(kept.held).toBe(standing.length + 1);
  });

  it("drops an hour's counter once it is back at zero, so the counts item does not grow with every hour", async () => {
    // Prepare: an hour no other test uses, counted by one entry that then goes.
    const account = freshAccount();
    const removable = entry(account, 'ZHOUR1', { removableSince: '2025-03-04T05:06:00.000Z' });
    await ledger.heldCounts();
    await ledger.putEntry(removable);
    const whileHeld = await ledger.heldCounts();

    // Act
    await ledger.deleteEntry(account, 'ZHOUR1', removable.version);
    const item = await db.client.send(
      new GetItemCommand({ TableName: db.tableName, Key: marshall(ledgerKeys.heldCounts()), ConsistentRead: true }),
    );

    // Assess
    expect(whileHeld['removable#2025-03-04T05']).toBe(1);
    expect(item.Item?.['removable#2025-03-04T05']).toBeUndefined();
    expect(item.Item?.held).toBeDefined();
  });
});
