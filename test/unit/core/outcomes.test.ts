import { entryEvent, freshEntry, outcomeFor } from '../../../functions/core/outcomes';
import type { Decision } from '../../../functions/core/policy';
import type { LedgerEntry, SpokeZone } from '../../../functions/core/types';
import {
  ACCOUNT_A,
  NOW,
  PARENT_ID,
  asRoute53Values,
  makeEntry,
  makeZone,
  minutesFrom,
  nameServersFor,
  nsRecordFor,
  recordSet,
} from '../../helpers/core-fixtures';

type Result = Parameters<typeof outcomeFor>[1];

const zone: SpokeZone = makeZone('foo.example.com');
const held: LedgerEntry = makeEntry(zone);
const found = nsRecordFor(zone);
const desired = { type: 'NS' as const, ttl: 3600, values: asRoute53Values(zone.nameServers) };
const earlier = minutesFrom(NOW, -90).toISOString();

const create: Decision = { kind: 'create', zone, parentZoneId: PARENT_ID, record: desired, base: undefined, reason: 'new-delegation' };
const adopt: Decision = {
  kind: 'adopt',
  zone,
  parentZoneId: PARENT_ID,
  found: recordSet('foo.example.com', 'NS', ['NS-1.EXAMPLE.NET.'], 172800),
  base: undefined,
  reason: 'matching-record',
};
const update: Decision = { kind: 'update', zone, entry: held, found, record: { ...desired, ttl: 300 }, reason: 'ttl-changed' };
const remove: Decision = { kind: 'remove', entry: held, found, reason: 'zone-deleted' };
const release: Decision = { kind: 'disown', entry: held, reason: 'opted-out' };
const keep: Decision = { kind: 'keep', entry: held, clearRemovable: false, reason: 'in-place' };
const wait: Decision = {
  kind: 'wait',
  entry: held,
  reason: 'opted-out',
  removableSince: NOW.toISOString(),
  removableAt: minutesFrom(NOW, 60).toISOString(),
};
const reject = (reason: 'not-allowlisted' | 'contested' | 'changed-outside-subzone'): Decision => ({
  kind: 'reject',
  zone,
  parentZoneId: PARENT_ID,
  base: undefined,
  reason,
  detail: 'why',
});
const forget: Decision = { kind: 'forget', entry: held, reason: 'zone-deleted' };
const ignore: Decision = { kind: 'ignore', zone, reason: 'not-opted-in' };
const heldDecision: Decision = { kind: 'frozen', name: zone.name, instead: remove };

describe('outcomeFor: applied decisions', () => {
  it('records a new delegation as written and emits Delegation Created', () => {
    // Prepare
    // Act
    const result = outcomeFor(create, 'applied', undefined, ACCOUNT_A, NOW);
    // Assess
    expect(result.entry).toEqual({
      account: ACCOUNT_A,
      zoneId: zone.zoneId,
      name: 'foo.example.com',
      parentZoneId: PARENT_ID,
      state: 'delegated',
      origin: 'written',
      records: [desired],
      nameServers: zone.nameServers,
      reason: 'new-delegation',
      version: 0,
      updatedAt: NOW.toISOString(),
    });
    expect(result.outcome).toEqual({
      detailType: 'Delegation Created',
      detail: {
        account: ACCOUNT_A,
        zoneId: zone.zoneId,
        name: 'foo.example.com',
        parentZoneId: PARENT_ID,
        reason: 'new-delegation',
        applied: true,
        time: NOW.toISOString(),
      },
    });
  });

  it('builds a created delegation on the stored entry, clearing its intent and doubts', () => {
    // Prepare
    const stored = makeEntry(zone, {
      state: 'creating',
      records: [],
      version: 7,
      intent: { changes: [], at: earlier },
      removableSince: earlier,
      suspectSince: earlier,
      notServingSince: earlier,
    });
    // Act
    const result = outcomeFor(create, 'applied', stored, ACCOUNT_A, NOW);
    // Assess
    expect(result.entry).toEqual({ ...makeEntry(zone, { version: 7, records: [desired] }), reason: 'new-delegation' });
  });

  it('records an adopted record exactly as found and emits Delegation Created, reason adopted', () => {
    // Prepare
    // Act
    const result = outcomeFor(adopt, 'applied', undefined, ACCOUNT_A, NOW);
    // Assess
    expect(result.entry).toMatchObject({
      state: 'delegated',
      origin: 'adopted',
      records: [{ type: 'NS', ttl: 172800, values: ['NS-1.EXAMPLE.NET.'] }],
      reason: 'adopted',
    });
    expect(result.outcome).toMatchObject({ detailType: 'Delegation Created', detail: { reason: 'adopted', applied: true } });
  });

  it.each<[string, LedgerEntry | undefined]>([
    ['the stored entry', { ...held, version: 9, removableSince: earlier }],
    ['the decision entry when none is stored', undefined],
  ])('records an update on %s and emits Delegation Updated', (_title, stored) => {
    // Prepare
    // Act
    const result = outcomeFor(update, 'applied', stored, ACCOUNT_A, NOW);
    // Assess
    expect(result.entry).toEqual({
      ...(stored ?? held),
      removableSince: undefined,
      records: [{ ...desired, ttl: 300 }],
      reason: 'ttl-changed',
    });
    expect(result.entry).not.toHaveProperty('removableSince');
    expect(result.outcome).toMatchObject({ detailType: 'Delegation Updated', detail: { reason: 'ttl-changed', applied: true } });
  });

  it.each<[string, Decision, string, boolean]>([
    ['deletes the entry of a removed delegation, emits it applied (its name is freed with it)', remove, 'zone-deleted', true],
    ['deletes the entry of a released delegation, emits it not applied (its name is freed with it)', release, 'released:opted-out', false],
  ])('%s', (_title, decision, reason, applied) => {
    // Prepare
    // Act
    const result = outcomeFor(decision, 'applied', held, ACCOUNT_A, NOW);
    // Assess
    expect(result.entry).toBe('delete');
    expect(result.outcome).toMatchObject({ detailType: 'Delegation Removed', detail: { reason, applied } });
  });

  it.each<[string, Partial<LedgerEntry>, boolean]>([
    ['writes nothing for a delegation that stays as it is', {}, false],
    ['clears the removableSince of a delegation whose zone opted back in', { removableSince: earlier }, true],
    ['clears the suspicion of a delegation whose account can be read again', { suspectSince: earlier, notServingSince: earlier }, true],
    ['clears a settled intent', { intent: { changes: [], at: earlier } }, true],
  ])('%s, with no event', (_title, extra, writes) => {
    // Prepare
    const stored = { ...held, ...extra };
    // Act
    const result = outcomeFor(keep, 'applied', stored, ACCOUNT_A, NOW);
    // Assess
    expect(result.outcome).toBeUndefined();
    expect(result.entry).toEqual(writes ? held : undefined);
  });

  it('keeps the decision entry when none is stored', () => {
    // Prepare
    // Act
    const result = outcomeFor({ ...keep, entry: { ...held, removableSince: earlier } }, 'applied', undefined, ACCOUNT_A, NOW);
    // Assess
    expect(result.entry).toEqual(held);
  });

  it.each<[string, LedgerEntry | undefined, LedgerEntry]>([
    ['starts the grace period on the first wait', held, { ...held, removableSince: NOW.toISOString() }],
    ['starts the grace period from the decision entry when none is stored', undefined, { ...held, removableSince: NOW.toISOString() }],
  ])('%s, with a Delegation Removal Pending event carrying removableAt', (_title, stored, expected) => {
    // Prepare
    // Act
    const result = outcomeFor(wait, 'applied', stored, ACCOUNT_A, NOW);
    // Assess
    expect(result.entry).toEqual(expected);
    expect(result.outcome).toEqual({
      detailType: 'Delegation Removal Pending',
      detail: {
        account: held.account,
        zoneId: held.zoneId,
        name: held.name,
        parentZoneId: held.parentZoneId,
        reason: 'opted-out',
        applied: true,
        time: NOW.toISOString(),
        removableAt: minutesFrom(NOW, 60).toISOString(),
      },
    });
  });

  it('writes nothing and emits nothing while the grace period runs', () => {
    // Prepare
    // Act
    const result = outcomeFor(wait, 'applied', { ...held, removableSince: earlier }, ACCOUNT_A, NOW);
    // Assess
    expect(result).toEqual({});
  });

  it.each<[string, Decision, LedgerEntry | undefined]>([
    ['ignores an ignored zone', ignore, undefined],
    ['ignores a held decision', heldDecision, held],
    ['ignores a forgotten zone the ledger never stored', forget, undefined],
  ])('%s: no entry, no event', (_title, decision, stored) => {
    // Prepare
    // Act
    const result = outcomeFor(decision, 'applied', stored, ACCOUNT_A, NOW);
    // Assess
    expect(result).toEqual({});
  });

  it('deletes a forgotten entry, with no event (its name is freed with it)', () => {
    // Prepare
    const stored = makeEntry(zone, { state: 'rejected', records: [], reason: 'contested' });
    // Act
    const result = outcomeFor(forget, 'applied', stored, ACCOUNT_A, NOW);
    // Assess
    expect(result).toEqual({ entry: 'delete' });
  });

  it('deletes a forgotten entry that never had a parent without releasing any name', () => {
    // Prepare
    const stored = makeEntry(zone, { state: 'rejected', records: [], parentZoneId: '', reason: 'outside-managed-parents' });
    // Act
    const result = outcomeFor(forget, 'applied', stored, ACCOUNT_A, NOW);
    // Assess
    expect(result).toEqual({ entry: 'delete' });
  });

  it.each<Result>(['failed'])('leaves everything as it is when the write %s (its intent settles it later)', (result) => {
    // Prepare
    const decisions = [create, adopt, update, remove, release, keep, wait, reject('contested'), forget, ignore, heldDecision];
    // Act
    const outcomes = decisions.map((decision) => outcomeFor(decision, result, held, ACCOUNT_A, NOW));
    // Assess
    expect(outcomes).toEqual(decisions.map(() => ({})));
  });
});

describe('outcomeFor: one event per state change', () => {
  it.each<[string, LedgerEntry | undefined, Decision, boolean]>([
    ['emits a rejection the first time', undefined, reject('not-allowlisted'), true],
    [
      'stays silent on a standing rejection with the same reason',
      makeEntry(zone, { state: 'rejected', records: [], reason: 'not-allowlisted' }),
      reject('not-allowlisted'),
      false,
    ],
    [
      'emits again when the rejection reason changed',
      makeEntry(zone, { state: 'rejected', records: [], reason: 'not-allowlisted' }),
      reject('contested'),
      true,
    ],
    ['emits when a held delegation turns into a rejection', held, reject('changed-outside-subzone'), true],
  ])('%s', (_title, stored, decision, emits) => {
    // Prepare
    // Act
    const result = outcomeFor(decision, 'applied', stored, ACCOUNT_A, NOW);
    // Assess
    expect(result.outcome !== undefined).toBe(emits);
    if (emits) {
      expect(result.outcome).toMatchObject({
        detailType: 'Delegation Rejected',
        detail: { reason: (decision as { reason: string }).reason },
      });
      expect(result.entry).toMatchObject({ state: 'rejected', records: [], reason: (decision as { reason: string }).reason });
    } else {
      expect(result.entry).toBeUndefined();
    }
  });

  it('records a rejection outside every parent without a parent zone id', () => {
    // Prepare
    // Act
    const outside: Decision = { ...reject('not-allowlisted'), parentZoneId: undefined } as Decision;
    const result = outcomeFor(outside, 'applied', undefined, ACCOUNT_A, NOW);
    // Assess
    expect(result.entry).toMatchObject({ parentZoneId: '', state: 'rejected' });
    expect(result.outcome?.detail).not.toHaveProperty('parentZoneId');
  });

  it.each<[string, Decision, Result, LedgerEntry | undefined]>([
    ['a rejection', reject('not-allowlisted'), 'applied', undefined],
    ['an observed create', create, 'observed', undefined],
    ['an observed adopt', adopt, 'observed', undefined],
    ['an observed update', update, 'observed', held],
    ['an observed removal', remove, 'observed', held],
    ['an observed release', release, 'observed', held],
    ['a removal over the budget', remove, 'budget', held],
  ])('emits %s once, however often it is decided again', (_title, decision, result, stored) => {
    // Prepare
    const first = outcomeFor(decision, result, stored, ACCOUNT_A, NOW);
    const storedAfter = first.entry === undefined || first.entry === 'delete' ? stored : first.entry;
    // Act
    const second = outcomeFor(decision, result, storedAfter, ACCOUNT_A, minutesFrom(NOW, 15));
    // Assess
    expect(first.outcome).toBeDefined();
    expect(second).toEqual({});
  });
});

describe('outcomeFor: decisions not applied (observe mode, paused writes, removal budget)', () => {
  it.each<[string, Decision, Result, LedgerEntry | undefined, string, string, string]>([
    ['an observed create', create, 'observed', undefined, 'Delegation Created', 'observed:create:new-delegation', 'observed'],
    ['an observed adopt', adopt, 'observed', undefined, 'Delegation Created', 'observed:adopt:matching-record', 'observed'],
    ['an observed update', update, 'observed', held, 'Delegation Updated', 'observed:update:ttl-changed', 'delegated'],
    ['an observed removal', remove, 'observed', held, 'Delegation Removed', 'observed:remove:zone-deleted', 'delegated'],
    ['a removal over the budget', remove, 'budget', held, 'Delegation Removed', 'removal-budget:remove:zone-deleted', 'delegated'],
  ])('reports %s as not applied and remembers it', (_title, decision, result, stored, detailType, reason, state) => {
    // Prepare
    // Act
    const outcome = outcomeFor(decision, result, stored, ACCOUNT_A, NOW);
    // Assess
    expect(outcome.outcome).toMatchObject({ detailType, detail: { reason, applied: false } });
    expect(outcome.entry).toMatchObject({ state, reason });
  });

  it('keeps the records of a delegation whose removal was only observed', () => {
    // Prepare
    // Act
    const outcome = outcomeFor(remove, 'budget', held, ACCOUNT_A, NOW);
    // Assess
    expect(outcome.entry).toMatchObject({ records: held.records, state: 'delegated' });
  });

  it.each<[string, Decision, LedgerEntry | undefined]>([
    ['a rejection', reject('not-allowlisted'), undefined],
    ['a wait', wait, held],
  ])('handles %s in observe mode as when applied, since it writes nothing', (_title, decision, stored) => {
    // Prepare
    const applied = outcomeFor(decision, 'applied', stored, ACCOUNT_A, NOW);
    // Act
    const observed = outcomeFor(decision, 'observed', stored, ACCOUNT_A, NOW);
    // Assess
    expect(observed).toEqual(applied);
  });

  it('delegates for real once enforce follows observe', () => {
    // Prepare
    const observed = outcomeFor(create, 'observed', undefined, ACCOUNT_A, NOW).entry as LedgerEntry;
    // Act
    const applied = outcomeFor(create, 'applied', observed, ACCOUNT_A, NOW);
    // Assess
    expect(applied.entry).toMatchObject({ state: 'delegated', reason: 'new-delegation', records: [desired] });
    expect(applied.outcome).toMatchObject({ detailType: 'Delegation Created', detail: { applied: true } });
  });
});

describe('freshEntry', () => {
  it.each<[Decision]>([[create], [adopt], [reject('contested')]])('starts a version-0 entry for a zone first seen (%#)', (decision) => {
    // Prepare
    // Act
    const entry = freshEntry(decision, ACCOUNT_A, NOW);
    // Assess
    expect(entry).toEqual({
      account: ACCOUNT_A,
      zoneId: zone.zoneId,
      name: zone.name,
      parentZoneId: PARENT_ID,
      state: 'rejected',
      origin: 'written',
      records: [],
      nameServers: zone.nameServers,
      version: 0,
      updatedAt: NOW.toISOString(),
    });
  });

  it.each<[Decision]>([[update], [remove], [release], [keep], [wait], [forget], [ignore], [heldDecision]])(
    'fails for a decision that needs a stored entry (%#)',
    (decision) => {
      // Prepare
      // Act
      const act = () => freshEntry(decision, ACCOUNT_A, NOW);
      // Assess
      expect(act).toThrow(`a ${decision.kind} decision needs a stored ledger entry`);
    },
  );
});

describe('entryEvent', () => {
  it.each<[string, string, object]>([
    ['with its parent zone', PARENT_ID, { parentZoneId: PARENT_ID }],
    ['without a parent zone when it has none', '', {}],
  ])('describes an entry %s', (_title, parentZoneId, extra) => {
    // Prepare
    const entry = { account: ACCOUNT_A, zoneId: 'ZONE1', name: 'foo.example.com', parentZoneId };
    // Act
    const event = entryEvent('Delegation Suspect', entry, 'account-unreadable', false, NOW);
    // Assess
    expect(event).toEqual({
      detailType: 'Delegation Suspect',
      detail: {
        account: ACCOUNT_A,
        zoneId: 'ZONE1',
        name: 'foo.example.com',
        ...extra,
        reason: 'account-unreadable',
        applied: false,
        time: NOW.toISOString(),
      },
    });
  });

  it('names servers nowhere but in the entry (events carry no record values)', () => {
    // Prepare
    const entry = makeEntry(makeZone('bar.example.com', { nameServers: nameServersFor(500) }));
    // Act
    const event = entryEvent('Delegation Created', entry, 'new-delegation', true, NOW);
    // Assess
    expect(Object.keys(event.detail).sort()).toEqual(['account', 'applied', 'name', 'parentZoneId', 'reason', 'time', 'zoneId']);
  });
});
