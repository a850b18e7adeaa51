/**
 * The DS record next to a delegation, reconciled on the in-memory fakes: published after the NS
 * and the wait, following the child's keys, withdrawn before the NS, never overwritten.
 */
import type { ActiveSigningKey, LedgerEntry, RecordSet, SpokeZone } from '../../../functions/core/types';
import {
  ACCOUNT_A,
  NOW,
  PARENT_ID,
  makeConfig,
  makeEntry,
  makeZone,
  minutesFrom,
  nsRecordFor,
  recordSet,
} from '../../helpers/core-fixtures';
import { accountJob, fakeWorld, type FakeWorld, verdicts, zonesJob } from '../../fakes/fake-world';
import { SpokeReadError } from '../../../functions/core/errors';

const OLD_KEY: ActiveSigningKey = { name: 'old_key', dsRecord: '11111 13 2 aaaa1111' };
const NEW_KEY: ActiveSigningKey = { name: 'new_key', dsRecord: '22222 13 2 BBBB2222' };
const DNSSEC_ON = { dnssec: { enabled: true, dsTtl: 300 } };

function signing(keys: readonly ActiveSigningKey[], tags: { dsOff?: boolean; retiredKey?: string } = {}): SpokeZone['dnssec'] {
  return {
    signing: true,
    activeKeys: keys,
    dsOff: tags.dsOff ?? false,
    ...(tags.retiredKey !== undefined && { retiredKey: tags.retiredKey }),
  };
}

/** A world with one delegated zone whose NS stands in the parent; `entry` overrides its ledger entry. */
function delegatedWorld(zoneSigning: SpokeZone['dnssec'], entry: Partial<LedgerEntry> = {}, config: Record<string, unknown> = DNSSEC_ON) {
  const world = fakeWorld({ config: makeConfig(config) });
  const zone = makeZone('foo.example.com', zoneSigning === undefined ? {} : { dnssec: zoneSigning });
  world.reader.set(ACCOUNT_A, [zone]);
  world.ledger.seed(makeEntry(zone, entry));
  world.parents.put(PARENT_ID, nsRecordFor(zone));
  return { world, zone };
}

/** An entry holding the NS and the DS of `keys`, as subzone wrote them. */
function withDs(zone: SpokeZone, keys: readonly ActiveSigningKey[], ttl = 300): Partial<LedgerEntry> {
  const ns = makeEntry(zone).records[0]!;
  return { records: [ns, { type: 'DS', ttl, values: keys.map((key) => key.dsRecord.toUpperCase()) }] };
}

function putDs(world: FakeWorld, zone: SpokeZone, keys: readonly ActiveSigningKey[], ttl = 300): void {
  world.parents.put(
    PARENT_ID,
    recordSet(
      zone.name,
      'DS',
      keys.map((key) => key.dsRecord.toUpperCase()),
      ttl,
    ),
  );
}

describe('reconcileAccounts: DS publishing', () => {
  it('publishes no DS until the NS TTL has passed since signing was first seen, then the DS of the active key', async () => {
    // Prepare
    const { world, zone } = delegatedWorld(signing([OLD_KEY]));

    // Act
    const [first] = await world.run(accountJob(ACCOUNT_A));
    world.clock.advanceMinutes(59);
    const [early] = await world.run(accountJob(ACCOUNT_A));
    world.clock.advanceMinutes(1);
    const [due] = await world.run(accountJob(ACCOUNT_A));

    // Assess
    expect(verdicts(first)).toEqual(['keep:in-place:applied']);
    expect(world.ledger.entry(ACCOUNT_A, zone.zoneId)?.signingSeenSince).toBe(NOW.toISOString());
    expect(verdicts(early)).toEqual(['keep:in-place:applied']);
    expect(verdicts(due)).toEqual(['ds:ds-published:applied']);
    expect(world.parents.find(PARENT_ID, zone.name, 'DS')).toEqual(recordSet(zone.name, 'DS', ['11111 13 2 AAAA1111'], 300));
    expect(world.ledger.entry(ACCOUNT_A, zone.zoneId)?.records).toEqual([
      expect.objectContaining({ type: 'NS' }),
      { type: 'DS', ttl: 300, values: ['11111 13 2 AAAA1111'] },
    ]);
    expect(world.publisher.ofType('Delegation Updated').map((event) => [event.detail.reason, event.detail.dsValues])).toEqual([
      ['ds-published', ['11111 13 2 AAAA1111']],
    ]);
  });

  it('records the DS intent on the ledger entry before the DS is written', async () => {
    // Prepare
    const { world, zone } = delegatedWorld(signing([OLD_KEY]), { signingSeenSince: minutesFrom(NOW, -120).toISOString() });
    const intents: unknown[] = [];
    world.parents.beforeApply = () => intents.push(world.ledger.entry(ACCOUNT_A, zone.zoneId)?.intent?.changes);

    // Act
    await world.run(accountJob(ACCOUNT_A));

    // Assess
    expect(intents).toEqual([[{ action: 'CREATE', record: recordSet(zone.name, 'DS', ['11111 13 2 AAAA1111'], 300) }]]);
  });

  it('writes no DS for a signing zone while DNSSEC is off in the config', async () => {
    // Prepare
    const { world, zone } = delegatedWorld(signing([OLD_KEY]), { signingSeenSince: minutesFrom(NOW, -120).toISOString() }, {});

    // Act
    const [result] = await world.run(accountJob(ACCOUNT_A));

    // Assess
    expect(verdicts(result)).toEqual(['keep:in-place:applied']);
    expect(world.parents.find(PARENT_ID, zone.name, 'DS')).toBeUndefined();
    expect(world.parents.applied).toEqual([]);
  });

  it('publishes no DS for a zone that signs without an active key', async () => {
    // Prepare
    const { world, zone } = delegatedWorld(signing([]), { signingSeenSince: minutesFrom(NOW, -120).toISOString() });

    // Act
    const [result] = await world.run(accountJob(ACCOUNT_A));

    // Assess
    expect(verdicts(result)).toEqual(['keep:in-place:applied']);
    expect(world.parents.find(PARENT_ID, zone.name, 'DS')).toBeUndefined();
  });
});

describe('reconcileAccounts: the signing change goes INSYNC before the first DS', () => {
  /** The job of the EnableHostedZoneDNSSEC event: the zone and the change its record carried. */
  function enableJob(zone: SpokeZone, changeId: string) {
    return { ...zonesJob(ACCOUNT_A, zone.zoneId), signingChanges: new Map([[zone.zoneId, changeId]]) };
  }

  it('writes no DS while the change is PENDING, then waits the NS TTL from when it is seen INSYNC', async () => {
    // Prepare
    const { world, zone } = delegatedWorld(signing([OLD_KEY]));
    world.reader.changes.set('C1', 'PENDING');

    // Act
    const [event] = await world.run(enableJob(zone, 'C1'));
    const afterEvent = world.ledger.entry(ACCOUNT_A, zone.zoneId);
    world.clock.advanceMinutes(120);
    const [stillPending] = await world.run(accountJob(ACCOUNT_A, 'sweep-1'));
    world.reader.changes.set('C1', 'INSYNC');
    const [insync] = await world.run(accountJob(ACCOUNT_A, 'sweep-2'));
    const afterInsync = world.ledger.entry(ACCOUNT_A, zone.zoneId);
    world.clock.advanceMinutes(59);
    const [early] = await world.run(accountJob(ACCOUNT_A, 'sweep-3'));
    world.clock.advanceMinutes(1);
    const [due] = await world.run(accountJob(ACCOUNT_A, 'sweep-4'));

    // Assess
    expect(verdicts(event)).toEqual(['keep:in-place:applied']);
    expect(afterEvent?.signingChangeId).toBe('C1');
    expect(afterEvent?.signingSeenSince).toBeUndefined();
    expect(verdicts(stillPending)).toEqual(['keep:in-place:applied']);
    expect(verdicts(insync)).toEqual(['keep:in-place:applied']);
    expect(afterInsync?.signingChangeId).toBeUndefined();
    expect(afterInsync?.signingSeenSince).toBe(minutesFrom(NOW, 120).toISOString());
    expect(verdicts(early)).toEqual(['keep:in-place:applied']);
    expect(verdicts(due)).toEqual(['ds:ds-published:applied']);
    expect(world.reader.changeReads).toEqual(['C1', 'C1', 'C1']);
    expect(world.parents.applied.map((batch) => batch.changes.map((change) => `${change.action} ${change.record.type}`))).toEqual([
      ['CREATE DS'],
    ]);
  });

  it('starts the wait again when the change is PENDING although signing was seen long before', async () => {
    // Prepare
    const { world, zone } = delegatedWorld(signing([OLD_KEY]), { signingSeenSince: minutesFrom(NOW, -120).toISOString() });
    world.reader.changes.set('C2', 'PENDING');

    // Act
    const [result] = await world.run(enableJob(zone, 'C2'));

    // Assess
    expect(verdicts(result)).toEqual(['keep:in-place:applied']);
    expect(world.parents.find(PARENT_ID, zone.name, 'DS')).toBeUndefined();
    expect(world.ledger.entry(ACCOUNT_A, zone.zoneId)?.signingSeenSince).toBeUndefined();
  });

  it('asks about a PENDING change, and writes no DS, when a withdrawal of the DS landed but was never recorded', async () => {
    // Prepare: the DS was withdrawn by a worker that died before recording it; the zone signs again, its change PENDING
    const { world, zone } = delegatedWorld(signing([NEW_KEY]));
    const withdrawn = withDs(zone, [OLD_KEY]);
    const ds = withdrawn.records![1]!;
    world.ledger.seed(
      makeEntry(zone, {
        ...withdrawn,
        signingSeenSince: minutesFrom(NOW, -600).toISOString(),
        intent: {
          changes: [{ action: 'DELETE', record: { name: zone.name, type: 'DS', ttl: ds.ttl, values: ds.values } }],
          at: NOW.toISOString(),
        },
      }),
    );
    world.reader.changes.set('C9', 'PENDING');

    // Act
    const [result] = await world.run(enableJob(zone, 'C9'));

    // Assess
    expect(world.reader.changeReads).toEqual(['C9']);
    expect(world.parents.find(PARENT_ID, zone.name, 'DS')).toBeUndefined();
    expect(verdicts(result)).not.toContain('ds:ds-published:applied');
  });

  it('lets the wait alone decide when Route 53 no longer knows the change, and forgets the id', async () => {
    // Prepare
    const { world, zone } = delegatedWorld(signing([OLD_KEY]), {
      signingSeenSince: minutesFrom(NOW, -120).toISOString(),
      signingChangeId: 'C-GONE',
    });

    // Act
    const [result] = await world.run(accountJob(ACCOUNT_A));

    // Assess
    expect(verdicts(result)).toEqual(['ds:ds-published:applied']);
    expect(world.reader.changeReads).toEqual(['C-GONE']);
    expect(world.ledger.entry(ACCOUNT_A, zone.zoneId)?.signingChangeId).toBeUndefined();
  });

  it('asks no GetChange once a DS stands: a new key joins it at once', async () => {
    // Prepare
    const { world, zone } = delegatedWorld(signing([OLD_KEY, NEW_KEY]));
    world.ledger.seed(makeEntry(zone, withDs(zone, [OLD_KEY])));
    putDs(world, zone, [OLD_KEY]);
    world.reader.changes.set('C3', 'PENDING');

    // Act
    const [result] = await world.run(enableJob(zone, 'C3'));

    // Assess
    expect(verdicts(result)).toEqual(['ds:ds-updated:applied']);
    expect(world.reader.changeReads).toEqual([]);
  });

  it('decides nothing for an account whose signing change cannot be read, and writes nothing', async () => {
    // Prepare
    const { world, zone } = delegatedWorld(signing([OLD_KEY]), { signingSeenSince: minutesFrom(NOW, -120).toISOString() });
    world.reader.changes.set('C4', 'PENDING');
    world.reader.signingChangeStatus = async (account) => {
      throw new SpokeReadError(account, 'throttled');
    };

    // Act
    const [result] = await world.run(enableJob(zone, 'C4'));

    // Assess
    expect(result).toMatchObject({ status: 'failed', error: expect.any(SpokeReadError) });
    expect(world.parents.applied).toEqual([]);
    expect(world.ledger.entry(ACCOUNT_A, zone.zoneId)?.signingSeenSince).toBe(minutesFrom(NOW, -120).toISOString());
  });
});

describe('reconcileAccounts: key rollover', () => {
  it('publishes the DS of both active keys, then withdraws the one the team retires', async () => {
    // Prepare
    const { world, zone } = delegatedWorld(signing([OLD_KEY, NEW_KEY]));
    world.ledger.seed(makeEntry(zone, withDs(zone, [OLD_KEY])));
    putDs(world, zone, [OLD_KEY]);

    // Act
    const [both] = await world.run(accountJob(ACCOUNT_A));
    world.reader.set(ACCOUNT_A, [{ ...zone, dnssec: signing([OLD_KEY, NEW_KEY], { retiredKey: OLD_KEY.name }) }]);
    const [retired] = await world.run(accountJob(ACCOUNT_A));

    // Assess
    expect(verdicts(both)).toEqual(['ds:ds-updated:applied']);
    expect(verdicts(retired)).toEqual(['ds:ds-updated:applied']);
    expect(
      world.parents.applied.map((batch) => batch.changes.map((change) => `${change.action} ${change.record.values.join(',')}`)),
    ).toEqual([
      ['DELETE 11111 13 2 AAAA1111', 'CREATE 11111 13 2 AAAA1111,22222 13 2 BBBB2222'],
      ['DELETE 11111 13 2 AAAA1111,22222 13 2 BBBB2222', 'CREATE 22222 13 2 BBBB2222'],
    ]);
  });
});

describe('reconcileAccounts: DS withdrawal', () => {
  it('withdraws every DS on subzone:dnssec=off, keeps the NS, and says when it is safe to stop signing', async () => {
    // Prepare
    const { world, zone } = delegatedWorld(signing([OLD_KEY], { dsOff: true }));
    world.ledger.seed(makeEntry(zone, withDs(zone, [OLD_KEY])));
    putDs(world, zone, [OLD_KEY]);

    // Act
    const [result] = await world.run(accountJob(ACCOUNT_A));

    // Assess
    expect(verdicts(result)).toEqual(['ds:ds-withdrawn:applied']);
    expect(world.parents.find(PARENT_ID, zone.name, 'DS')).toBeUndefined();
    expect(world.parents.find(PARENT_ID, zone.name, 'NS')).toBeDefined();
    expect(world.publisher.ofType('Delegation Updated').map((event) => [event.detail.reason, event.detail.safeAfter])).toEqual([
      ['ds-withdrawn', minutesFrom(NOW, 5).toISOString()],
    ]);
  });

  it('withdraws the DS when the child stops signing', async () => {
    // Prepare
    const { world, zone } = delegatedWorld({ signing: false, activeKeys: [], dsOff: false });
    world.ledger.seed(makeEntry(zone, withDs(zone, [OLD_KEY])));
    putDs(world, zone, [OLD_KEY]);

    // Act
    const [result] = await world.run(accountJob(ACCOUNT_A));

    // Assess
    expect(verdicts(result)).toEqual(['ds:ds-withdrawn:applied']);
    expect(world.ledger.entry(ACCOUNT_A, zone.zoneId)?.records.map((record) => record.type)).toEqual(['NS']);
  });

  it('on opt-out removes the DS in its own batch and the NS only on the next reconcile', async () => {
    // Prepare
    const { world, zone } = delegatedWorld(undefined);
    world.reader.set(ACCOUNT_A, [{ ...zone, optedIn: false }]);
    world.ledger.seed(makeEntry(zone, { ...withDs(zone, [OLD_KEY]), removableSince: minutesFrom(NOW, -120).toISOString() }));
    putDs(world, zone, [OLD_KEY]);

    // Act
    const [first] = await world.run(accountJob(ACCOUNT_A));
    const dsGoneNsStays =
      world.parents.find(PARENT_ID, zone.name, 'NS') !== undefined && world.parents.find(PARENT_ID, zone.name, 'DS') === undefined;
    const [second] = await world.run(accountJob(ACCOUNT_A));

    // Assess
    expect(verdicts(first)).toEqual(['ds:ds-withdrawn:applied']);
    expect(dsGoneNsStays).toBe(true);
    expect(verdicts(second)).toEqual(['remove:opted-out:applied']);
    expect(world.parents.applied.map((batch) => batch.changes.map((change) => `${change.action} ${change.record.type}`))).toEqual([
      ['DELETE DS'],
      ['DELETE NS'],
    ]);
  });

  it('removes the DS and the NS of a deleted zone in one batch, the DS first', async () => {
    // Prepare
    const { world, zone } = delegatedWorld(undefined);
    world.reader.set(ACCOUNT_A, []);
    world.ledger.seed(makeEntry(zone, withDs(zone, [OLD_KEY])));
    putDs(world, zone, [OLD_KEY]);

    // Act
    const [result] = await world.run(accountJob(ACCOUNT_A));

    // Assess
    expect(verdicts(result)).toEqual(['remove:zone-deleted:applied']);
    expect(world.parents.applied.map((batch) => batch.changes.map((change) => `${change.action} ${change.record.type}`))).toEqual([
      ['DELETE DS', 'DELETE NS'],
    ]);
    expect(world.parents.records(PARENT_ID)).toEqual([]);
  });
});

describe('reconcileAccounts: a DS write whose outcome was lost', () => {
  it('settles a DS intent the parent shows written, recording the DS as sent', async () => {
    // Prepare
    const { world, zone } = delegatedWorld(signing([OLD_KEY]));
    const ds = recordSet(zone.name, 'DS', ['11111 13 2 AAAA1111'], 300);
    world.ledger.seed(makeEntry(zone, { intent: { changes: [{ action: 'CREATE', record: ds }], at: NOW.toISOString() } }));
    world.parents.put(PARENT_ID, ds);

    // Act
    const [result] = await world.run(accountJob(ACCOUNT_A));

    // Assess
    expect(verdicts(result)).toEqual(['keep:in-place:applied']);
    expect(world.ledger.entry(ACCOUNT_A, zone.zoneId)?.records).toEqual([
      expect.objectContaining({ type: 'NS' }),
      { type: 'DS', ttl: 300, values: ds.values },
    ]);
    expect(world.publisher.ofType('Delegation Updated').map((event) => event.detail.reason)).toEqual(['intent-settled']);
  });

  it('keeps the recorded DS when a withdrawal never reached the parent', async () => {
    // Prepare
    const { world, zone } = delegatedWorld(signing([OLD_KEY]));
    const ds = recordSet(zone.name, 'DS', ['11111 13 2 AAAA1111'], 300);
    world.ledger.seed(
      makeEntry(zone, { ...withDs(zone, [OLD_KEY]), intent: { changes: [{ action: 'DELETE', record: ds }], at: NOW.toISOString() } }),
    );
    world.parents.put(PARENT_ID, ds);

    // Act
    const [result] = await world.run(accountJob(ACCOUNT_A));

    // Assess
    expect(verdicts(result)).toEqual(['keep:in-place:applied']);
    expect(world.ledger.entry(ACCOUNT_A, zone.zoneId)?.records.map((record) => record.type)).toEqual(['NS', 'DS']);
  });
});

describe('reconcileAccounts: a DS changed by hand', () => {
  it('rejects a DS changed outside subzone and leaves it as it is', async () => {
    // Prepare
    const { world, zone } = delegatedWorld(signing([OLD_KEY, NEW_KEY]));
    world.ledger.seed(makeEntry(zone, withDs(zone, [OLD_KEY])));
    putDs(world, zone, [NEW_KEY]);

    // Act
    const [result] = await world.run(accountJob(ACCOUNT_A));

    // Assess
    expect(verdicts(result)).toEqual(['reject:changed-outside-subzone:applied']);
    expect(world.parents.applied).toEqual([]);
    expect(world.parents.find(PARENT_ID, zone.name, 'DS')?.values).toEqual(['22222 13 2 BBBB2222']);
  });

  it('leaves a DS it never wrote as it is and keeps standing for the NS, reconcile after reconcile', async () => {
    // Prepare
    const { world, zone } = delegatedWorld(signing([NEW_KEY]), { signingSeenSince: minutesFrom(NOW, -120).toISOString() });
    putDs(world, zone, [OLD_KEY]);

    // Act
    const [first] = await world.run(accountJob(ACCOUNT_A));
    const [second] = await world.run(accountJob(ACCOUNT_A));

    // Assess
    expect([...verdicts(first), ...verdicts(second)]).toEqual(['keep:in-place:applied', 'keep:in-place:applied']);
    expect(world.parents.applied).toEqual([]);
    expect(world.ledger.entry(ACCOUNT_A, zone.zoneId)?.state).toBe('delegated');
  });

  it("leaves a deleted zone's NS in place while a DS it did not write remains", async () => {
    // Prepare
    const { world, zone } = delegatedWorld(undefined);
    world.reader.set(ACCOUNT_A, []);
    putDs(world, zone, [NEW_KEY]);

    // Act
    const [result] = await world.run(accountJob(ACCOUNT_A));

    // Assess
    expect(verdicts(result)).toEqual(['disown:zone-deleted:applied']);
    expect(world.parents.applied).toEqual([]);
  });
});

describe('reconcileAccounts: the DS of an occluded delegation', () => {
  /** A delegated zone with an address record below it in the parent, which the delegation hides. */
  function occludedWorld(zoneSigning: SpokeZone['dnssec'], entry: Partial<LedgerEntry> = {}) {
    const found = delegatedWorld(zoneSigning, entry);
    found.world.parents.put(PARENT_ID, recordSet(`y.${found.zone.name}`, 'A', ['192.0.2.10'], 300));
    return found;
  }

  it('reports the occlusion once, waits the NS TTL and then publishes the DS, since the NS stays', async () => {
    // Prepare
    const { world, zone } = occludedWorld(signing([OLD_KEY]));

    // Act
    const [first] = await world.run(accountJob(ACCOUNT_A));
    const [again] = await world.run(accountJob(ACCOUNT_A));
    world.clock.advanceMinutes(60);
    const [due] = await world.run(accountJob(ACCOUNT_A));

    // Assess
    expect([...verdicts(first), ...verdicts(again)]).toEqual(['occluded:occluded:applied', 'occluded:occluded:applied']);
    expect(world.publisher.ofType('Delegation Occluded')).toHaveLength(1);
    expect(verdicts(due)).toEqual(['ds:ds-published:applied']);
    expect(world.parents.find(PARENT_ID, zone.name, 'DS')).toEqual(recordSet(zone.name, 'DS', ['11111 13 2 AAAA1111'], 300));
  });

  /** A delegation of `name` holding the DS of OLD_KEY as subzone wrote it, occluded by an address below it or an NS above it. */
  function occludedWithDs(
    name: string,
    zoneSigning: SpokeZone['dnssec'],
    occluder: RecordSet,
    entry: Partial<LedgerEntry> = {},
    config: Record<string, unknown> = {},
  ) {
    const world = fakeWorld({ config: makeConfig({ ...DNSSEC_ON, ...config }) });
    const zone = makeZone(name, zoneSigning === undefined ? {} : { dnssec: zoneSigning });
    world.reader.set(ACCOUNT_A, [zone]);
    world.ledger.seed(makeEntry(zone, { ...withDs(zone, [OLD_KEY]), ...entry }));
    world.parents.put(PARENT_ID, nsRecordFor(zone));
    putDs(world, zone, [OLD_KEY]);
    world.parents.put(PARENT_ID, occluder);
    return { world, zone };
  }
  const ADDRESS_BELOW = recordSet('y.foo.example.com', 'A', ['192.0.2.10'], 300);
  const DELEGATION_ABOVE = recordSet('foo.example.com', 'NS', ['ns1.elsewhere.net.'], 300);

  it('reports the occlusion first, then withdraws the DS of a child that stopped signing, so no stale DS breaks its validation', async () => {
    // Prepare
    const { world, zone } = occludedWithDs('foo.example.com', undefined, ADDRESS_BELOW);

    // Act
    const [first] = await world.run(accountJob(ACCOUNT_A));
    const [second] = await world.run(accountJob(ACCOUNT_A));

    // Assess
    expect([...verdicts(first), ...verdicts(second)]).toEqual(['occluded:occluded:applied', 'ds:ds-withdrawn:applied']);
    expect(world.parents.find(PARENT_ID, zone.name, 'DS')).toBeUndefined();
    expect(world.parents.find(PARENT_ID, zone.name, 'NS')).toBeDefined();
  });

  it('below a delegation above it, withdraws the DS but never publishes or changes one: that NS is not served', async () => {
    // Prepare
    const reported = { occludedSince: NOW.toISOString() };
    const stopped = occludedWithDs('a.foo.example.com', undefined, DELEGATION_ABOVE, reported);
    const rolled = occludedWithDs('a.foo.example.com', signing([NEW_KEY]), DELEGATION_ABOVE, reported);

    // Act
    const [withdrawn] = await stopped.world.run(accountJob(ACCOUNT_A));
    const [kept] = await rolled.world.run(accountJob(ACCOUNT_A));

    // Assess
    expect(verdicts(withdrawn)).toEqual(['ds:ds-withdrawn:applied']);
    expect(verdicts(kept)).toEqual(['occluded:occluded:applied']);
    expect(rolled.world.parents.applied).toEqual([]);
  });

  it.each([
    ['in observe mode', { mode: 'observe' }, undefined],
    ['when the name is held', {}, 'hold'],
  ] as const)('still reports the occlusion %s, while the DS change waits', async (_title, config, hold) => {
    // Prepare
    const { world, zone } = occludedWithDs('foo.example.com', signing([NEW_KEY]), ADDRESS_BELOW, {}, config);
    if (hold) world.controls.controls = { writesPaused: false, holds: [zone.name] };

    // Act
    await world.run(accountJob(ACCOUNT_A));

    // Assess
    expect(world.publisher.ofType('Delegation Occluded')).toHaveLength(1);
    expect(world.parents.applied).toEqual([]);
  });
});
