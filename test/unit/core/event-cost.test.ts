/**
 * What an event costs does not grow with what else its account holds: the parent is read
 * around the names the event judges (its zones, and entries with an unresolved intent), and
 * the owners of the names claimed are read in one batch.
 */
import { ACCOUNTS_AT_ONCE } from '../../../functions/core/bounded';
import type { LedgerEntry, NameOwner, SpokeZone } from '../../../functions/core/types';
import { ACCOUNT_A, NOW, PROD_PARENT_ID, makeConfig, makeEntry, makeZone, nsRecordFor } from '../../helpers/core-fixtures';
import { accountJob, fakeWorld, type FakeWorld, verdicts, zonesJob } from '../../fakes/fake-world';

/** An account holding `count` delegations under prod.example.com, each with its NS in the parent. */
function accountHolding(world: FakeWorld, count: number): SpokeZone[] {
  const zones = Array.from({ length: count }, (_, index) => makeZone(`team-${index}.prod.example.com`));
  for (const zone of zones) {
    world.ledger.seed(makeEntry(zone, { parentZoneId: PROD_PARENT_ID }));
    world.parents.put(PROD_PARENT_ID, nsRecordFor(zone));
  }
  return zones;
}

/** One opt-in event for a new zone in an account that already holds `held` delegations. */
async function optInWith(held: number) {
  const world = fakeWorld();
  const standing = accountHolding(world, held);
  const fresh = makeZone('new.prod.example.com');
  world.reader.set(ACCOUNT_A, [...standing, fresh]);
  const [result] = await world.run(zonesJob(ACCOUNT_A, fresh.zoneId));
  return { world, result };
}

describe('the cost of one event', () => {
  it('reads the parent around the same names in an account holding 100 delegations as in an empty one', async () => {
    // Prepare / Act
    const empty = await optInWith(0);
    const full = await optInWith(100);

    // Assess
    expect(verdicts(full.result)).toEqual(['create:new-delegation:applied']);
    expect(full.world.parents.reads).toEqual(empty.world.parents.reads);
    expect(full.world.parents.reads).toEqual([{ parentZoneId: PROD_PARENT_ID, names: ['new.prod.example.com'] }]);
    expect(full.world.parents.applied).toHaveLength(1);
  });

  it('reads the owners of the names it claims in one batch, however many zones it judges', async () => {
    // Prepare
    const world = fakeWorld();
    const zones = Array.from({ length: 10 }, (_, index) => makeZone(`svc-${index}.prod.example.com`));
    world.reader.set(ACCOUNT_A, zones);

    // Act
    const [result] = await world.run(zonesJob(ACCOUNT_A, ...zones.map((zone) => zone.zoneId)));

    // Assess
    expect(verdicts(result)).toHaveLength(10);
    expect(world.ledger.callCount('getNameOwners')).toBe(1);
    expect(world.ledger.callCount('getNameOwner')).toBe(0);
    expect(world.parents.reads).toHaveLength(1);
  });

  it('also reads around an entry with an unresolved intent, and resolves it', async () => {
    // Prepare: a delegation whose write crashed after its intent, its lease long gone
    const world = fakeWorld();
    const standing = accountHolding(world, 5);
    const crashed = standing[2]!;
    const intent: LedgerEntry['intent'] = {
      changes: [{ action: 'CREATE', record: nsRecordFor(crashed) }],
      at: new Date(NOW.getTime() - 3_600_000).toISOString(),
    };
    world.ledger.seed(makeEntry(crashed, { parentZoneId: PROD_PARENT_ID, state: 'creating', intent }));
    const fresh = makeZone('new.prod.example.com');
    world.reader.set(ACCOUNT_A, [...standing, fresh]);

    // Act
    await world.run(zonesJob(ACCOUNT_A, fresh.zoneId));

    // Assess
    expect(world.parents.reads.map((read) => [...read.names].sort())).toEqual([['new.prod.example.com', crashed.name]]);
    expect(world.ledger.entry(ACCOUNT_A, crashed.zoneId)?.intent).toBeUndefined();
  });
});

describe('child accounts of one invocation', () => {
  it('claim their names and record their outcomes a few at a time, each account in order', async () => {
    // Prepare: ten accounts of two new zones each, the ledger's writes counted while in flight
    const accounts = Array.from({ length: 10 }, (_, index) => String(500000000000 + index));
    const world = fakeWorld({ config: makeConfig({ rules: [{ name: '*.prod.example.com', accounts }] }) });
    for (const [index, account] of accounts.entries()) {
      world.reader.set(account, [makeZone(`a-${index}.prod.example.com`), makeZone(`b-${index}.prod.example.com`)]);
    }
    let inFlight = 0;
    let most = 0;
    const perAccount = new Map<string, string[]>();
    const counted =
      <A extends unknown[], R>(call: (...args: A) => Promise<R>, account: (...args: A) => string, what: (...args: A) => string) =>
      async (...args: A): Promise<R> => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        perAccount.set(account(...args), [...(perAccount.get(account(...args)) ?? []), what(...args)]);
        try {
          return await call(...args);
        } finally {
          inFlight -= 1;
        }
      };
    world.ledger.claimName = counted<[NameOwner], NameOwner>(
      world.ledger.claimName.bind(world.ledger),
      (owner) => owner.account,
      () => 'claim',
    );
    world.ledger.putEntry = counted<[LedgerEntry], void>(
      world.ledger.putEntry.bind(world.ledger),
      (entry) => entry.account,
      (entry) => entry.state,
    );

    // Act
    const results = await world.run(...accounts.map((account) => accountJob(account)));

    // Assess
    expect(results.every((result) => verdicts(result).every((verdict) => verdict === 'create:new-delegation:applied'))).toBe(true);
    expect(most).toBeGreaterThan(1);
    expect(most).toBeLessThanOrEqual(ACCOUNTS_AT_ONCE);
    expect([...perAccount.values()]).toEqual(accounts.map(() => ['claim', 'claim', 'creating', 'creating', 'delegated', 'delegated']));
  });

  it('are read a few at a time: more than one at once, never more than the limit', async () => {
    // Prepare: ten accounts, each read counted while in flight
    const accounts = Array.from({ length: 10 }, (_, index) => String(500000000000 + index));
    const world = fakeWorld({ config: makeConfig({ rules: [{ name: '*.prod.example.com', accounts }] }) });
    for (const [index, account] of accounts.entries()) world.reader.set(account, [makeZone(`svc-${index}.prod.example.com`)]);
    let inFlight = 0;
    let most = 0;
    const read = world.reader.readZones.bind(world.reader);
    world.reader.readZones = async (...args) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      try {
        return await read(...args);
      } finally {
        inFlight -= 1;
      }
    };

    // Act
    const results = await world.run(...accounts.map((account) => accountJob(account)));

    // Assess
    expect(results.map((result) => verdicts(result))).toEqual(accounts.map(() => ['create:new-delegation:applied']));
    expect(most).toBeGreaterThan(1);
    expect(most).toBeLessThanOrEqual(ACCOUNTS_AT_ONCE);
  });
});
