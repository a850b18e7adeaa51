import { freeOrphanedOwners } from '../../../functions/core/name-owners';
import { ACCOUNT_A, ACCOUNT_B, PARENT_ID, makeEntry, makeZone, ownerOf } from '../../helpers/core-fixtures';
import { FakeLedger } from '../../fakes/fake-ledger';

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
    const freed = await freeOrphanedOwners(ledger);

    // Assess
    expect(freed.map((owner) => owner.name).sort()).toEqual([gone.name, renamed.name].sort());
    expect([...ledger.owners.values()]).toEqual([ownerOf(live)]);
    expect(ledger.owner(PARENT_ID, live.name)).toEqual(ownerOf(live, ACCOUNT_A));
  });
});
