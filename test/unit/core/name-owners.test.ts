import { freeOrphanedOwners } from '../../../functions/core/name-owners';
import { ACCOUNT_A, ACCOUNT_B, NOW, PARENT_ID, makeEntry, makeZone, minutesFrom, ownerOf } from '../../helpers/core-fixtures';
import { FakeLedger } from '../../fakes/fake-ledger';

const LEASE_TTL_MS = 180_000;

describe('freeOrphanedOwners', () => {
  it('frees the owners whose entry is gone or names another name, and keeps the others', async () => {
    // Prepare
    const ledger = new FakeLedger();
    const live = makeZone('foo.example.com');
    const gone = makeZone('bar.example.com');
    const renamed = makeZone('baz.example.com');
    ledger.seed(makeEntry(live), makeEntry(renamed, { name: 'other.example.com' }, ACCOUNT_B));
    for (const owner of [ownerOf(live), ownerOf(gone), ownerOf(renamed, ACCOUNT_B)])
      ledger.owners.set(`${owner.parentZoneId}|${owner.name}`, owner);

    // Act
    const freed = await freeOrphanedOwners(ledger, await ledger.scanLedger(), NOW, LEASE_TTL_MS);

    // Assess
    expect(freed.map((owner) => owner.name).sort()).toEqual([gone.name, renamed.name].sort());
    expect([...ledger.owners.values()]).toEqual([ownerOf(live)]);
    expect(ledger.owner(PARENT_ID, live.name)).toEqual(ownerOf(live, ACCOUNT_A));
  });

  it('keeps an owner claimed within a lease lifetime whose entry is not written yet (a claim in flight)', async () => {
    // Prepare
    const ledger = new FakeLedger();
    const fresh = makeZone('new.example.com');
    const stale = makeZone('old.example.com');
    const inFlight = { ...ownerOf(fresh), claimedAt: minutesFrom(NOW, -1).toISOString() };
    const abandoned = { ...ownerOf(stale), claimedAt: minutesFrom(NOW, -10).toISOString() };
    for (const owner of [inFlight, abandoned]) ledger.owners.set(`${owner.parentZoneId}|${owner.name}`, owner);

    // Act
    const freed = await freeOrphanedOwners(ledger, await ledger.scanLedger(), NOW, LEASE_TTL_MS);

    // Assess
    expect(freed.map((owner) => owner.name)).toEqual([stale.name]);
    expect(ledger.owner(PARENT_ID, fresh.name)).toEqual(inFlight);
  });

  it('frees the owner of a zone rejected because it cannot claim its name, kept by an older version, and keeps one rejected for what the parent holds', async () => {
    // Prepare
    const ledger = new FakeLedger();
    const dropped = makeZone('foo.example.com');
    const blocked = makeZone('bar.example.com');
    ledger.seed(
      makeEntry(dropped, { state: 'rejected', records: [], reason: 'not-allowlisted' }),
      makeEntry(blocked, { state: 'rejected', records: [], reason: 'delegated-elsewhere' }),
    );
    for (const owner of [ownerOf(dropped), ownerOf(blocked)]) ledger.owners.set(`${owner.parentZoneId}|${owner.name}`, owner);

    // Act
    const freed = await freeOrphanedOwners(ledger, await ledger.scanLedger(), NOW, LEASE_TTL_MS);

    // Assess
    expect(freed.map((owner) => owner.name)).toEqual([dropped.name]);
    expect(ledger.owner(PARENT_ID, blocked.name)).toEqual(ownerOf(blocked));
  });
});
