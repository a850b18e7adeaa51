import { resolveIntent } from '../../../functions/core/intents';
import type { LedgerEntry, LedgerRecord, RecordSet } from '../../../functions/core/types';
import {
  NOW,
  PARENT_ID,
  asRoute53Values,
  change,
  makeEntry,
  makeZone,
  minutesFrom,
  nameServersFor,
  projected,
  recordSet,
} from '../../helpers/core-fixtures';

const zone = makeZone('foo.example.com');
const at = minutesFrom(NOW, -20).toISOString();
const oldRecord: LedgerRecord = { type: 'NS', ttl: 300, values: asRoute53Values(zone.nameServers) };
const newRecord: LedgerRecord = { type: 'NS', ttl: 3600, values: asRoute53Values(zone.nameServers) };
const asSet = (record: LedgerRecord): RecordSet => ({ name: zone.name, ...record });

/** An entry left with an intent by a worker that died before recording the outcome. */
const createIntent: LedgerEntry = makeEntry(zone, {
  state: 'creating',
  records: [],
  intent: { changes: [change('CREATE', asSet(newRecord))], at },
});
const updateIntent: LedgerEntry = makeEntry(zone, {
  state: 'delegated',
  records: [oldRecord],
  intent: { changes: [change('DELETE', asSet(oldRecord)), change('CREATE', asSet(newRecord))], at },
});
const removeIntent: LedgerEntry = makeEntry(zone, {
  state: 'removing',
  records: [newRecord],
  intent: { changes: [change('DELETE', asSet(newRecord))], at },
});

describe('resolveIntent', () => {
  it.each<[string, LedgerEntry, readonly RecordSet[], Partial<LedgerEntry>, string | undefined, boolean]>([
    [
      'settles a create that happened as delegated',
      createIntent,
      [asSet(newRecord)],
      { state: 'delegated', origin: 'written', records: [newRecord] },
      'Delegation Created',
      false,
    ],
    ['settles a create that never happened as holding nothing', createIntent, [], { state: 'retired', records: [] }, undefined, false],
    [
      'settles a create as never happened when the parent holds other values',
      createIntent,
      [recordSet(zone.name, 'NS', asRoute53Values(nameServersFor(900)))],
      { state: 'retired', records: [] },
      undefined,
      false,
    ],
    [
      'settles a create as never happened when the parent holds the values with another TTL',
      createIntent,
      [asSet({ ...newRecord, ttl: 60 })],
      { state: 'retired', records: [] },
      undefined,
      false,
    ],
    [
      'settles an update that happened with the new record',
      updateIntent,
      [asSet(newRecord)],
      { state: 'delegated', records: [newRecord] },
      'Delegation Updated',
      false,
    ],
    [
      'settles an update that never happened with the old record',
      updateIntent,
      [asSet(oldRecord)],
      { state: 'delegated', records: [oldRecord] },
      undefined,
      false,
    ],
    [
      'settles a removal that happened as retired, to delete once published',
      removeIntent,
      [],
      { state: 'retired', records: [] },
      'Delegation Removed',
      true,
    ],
    [
      'settles a removal that never happened as still delegated',
      removeIntent,
      [asSet(newRecord)],
      { state: 'delegated', records: [newRecord] },
      undefined,
      false,
    ],
  ])('%s', (_title, entry, records, expected, detailType, retire) => {
    // Prepare
    const parents = projected({ [PARENT_ID]: records });
    // Act
    const settled = resolveIntent(entry, parents, NOW);
    // Assess
    expect(settled.entry).toMatchObject(expected);
    expect(settled.entry).not.toHaveProperty('intent');
    expect(settled.outcome?.detailType).toBe(detailType);
    expect(settled.retire ?? false).toBe(retire);
    if (detailType !== undefined) {
      expect(settled.outcome?.detail).toMatchObject({
        account: entry.account,
        zoneId: entry.zoneId,
        reason: 'intent-settled',
        applied: true,
      });
    }
  });

  it('recognises a created record Route 53 returns in another case and order', () => {
    // Prepare
    const asRead = recordSet(
      zone.name,
      'NS',
      [...asRoute53Values(zone.nameServers)].reverse().map((value) => value.toUpperCase()),
      3600,
    );
    // Act
    const settled = resolveIntent(createIntent, projected({ [PARENT_ID]: [asRead] }), NOW);
    // Assess
    expect(settled.entry).toMatchObject({ state: 'delegated', records: [newRecord] });
  });

  it('keeps what the entry knew besides the intent', () => {
    // Prepare
    const entry = { ...createIntent, version: 12, reason: 'new-delegation' };
    // Act
    const settled = resolveIntent(entry, projected({ [PARENT_ID]: [asSet(newRecord)] }), NOW);
    // Assess
    expect(settled.entry).toEqual({ ...entry, intent: undefined, state: 'delegated', origin: 'written', records: [newRecord] });
  });

  it('never changes the parent projection it reads', () => {
    // Prepare
    const parents = projected({ [PARENT_ID]: [asSet(oldRecord)] });
    // Act
    resolveIntent(updateIntent, parents, NOW);
    // Assess
    expect(parents.at(PARENT_ID, zone.name)).toEqual([asSet(oldRecord)]);
  });
});

describe('resolveIntent: DS writes', () => {
  const ds: LedgerRecord = { type: 'DS', ttl: 300, values: ['11111 13 2 AAAA1111'] };
  const withdrawal: LedgerEntry = makeEntry(zone, {
    state: 'delegated',
    records: [newRecord, ds],
    signingSeenSince: minutesFrom(NOW, -600).toISOString(),
    signingChangeId: 'C-OLD',
    intent: { changes: [change('DELETE', asSet(ds))], at },
  });

  it('forgets the signing wait with a withdrawal that landed, as a recorded withdrawal does: a new first DS waits again', () => {
    // Act
    const settled = resolveIntent(withdrawal, projected({ [PARENT_ID]: [asSet(newRecord)] }), NOW);

    // Assess
    expect(settled.entry.records).toEqual([newRecord]);
    expect(settled.entry).not.toHaveProperty('signingSeenSince');
    expect(settled.entry).not.toHaveProperty('signingChangeId');
  });

  it('keeps the DS and the signing wait when the withdrawal never happened', () => {
    // Act
    const settled = resolveIntent(withdrawal, projected({ [PARENT_ID]: [asSet(newRecord), asSet(ds)] }), NOW);

    // Assess
    expect(settled.entry.records).toEqual([newRecord, ds]);
    expect(settled.entry.signingSeenSince).toBe(withdrawal.signingSeenSince);
  });
});
