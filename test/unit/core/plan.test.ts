import { MAX_CHANGES_PER_BATCH, MAX_VALUE_CHARS_PER_BATCH, MAX_VALUES_PER_BATCH } from '../../../functions/core/change-limits';
import { type ChangeUnit, type PlannedBatch, isDeleteOnly, planBatches, splitBatch } from '../../../functions/core/plan';
import type { RecordChange, ZoneId } from '../../../functions/core/types';
import { ORG_PARENT_ID, PARENT_ID, change, recordSet } from '../../helpers/core-fixtures';

/** `count` NS values of exactly `length` characters each. */
function values(count: number, length = 20): string[] {
  return Array.from({ length: count }, (_, index) => {
    const head = `ns-${index}.`;
    return head + 'a'.repeat(Math.max(0, length - head.length - 1)) + '.';
  });
}

function createUnit(id: number, parentZoneId: ZoneId = PARENT_ID, valueList = values(4)): ChangeUnit<number> {
  return { parentZoneId, changes: [change('CREATE', recordSet(`z${id}.example.com`, 'NS', valueList))], tag: id };
}

function deleteUnit(id: number, parentZoneId: ZoneId = PARENT_ID, valueList = values(4)): ChangeUnit<number> {
  return { parentZoneId, changes: [change('DELETE', recordSet(`z${id}.example.com`, 'NS', valueList))], tag: id };
}

function updateUnit(id: number, parentZoneId: ZoneId = PARENT_ID): ChangeUnit<number> {
  const name = `z${id}.example.com`;
  return {
    parentZoneId,
    changes: [change('DELETE', recordSet(name, 'NS', values(4), 300)), change('CREATE', recordSet(name, 'NS', values(4), 3600))],
    tag: id,
  };
}

function sizeOf(batch: PlannedBatch<unknown>): { changes: number; values: number; chars: number } {
  const changes: RecordChange[] = batch.units.flatMap((unit) => unit.changes);
  const all = changes.flatMap((item) => item.record.values);
  return { changes: changes.length, values: all.length, chars: all.reduce((sum, value) => sum + value.length, 0) };
}

const tags = (batch: PlannedBatch<number>): number[] => batch.units.map((unit) => unit.tag);

describe('planBatches', () => {
  it('plans nothing for no units, nor for units without changes', () => {
    // Prepare
    const empty: ChangeUnit<number> = { parentZoneId: PARENT_ID, changes: [], tag: 1 };
    // Act
    const none = planBatches([]);
    const onlyEmpty = planBatches([empty]);
    // Assess
    expect(none).toEqual([]);
    expect(onlyEmpty).toEqual([]);
  });

  it('pools the creates and updates of one parent zone into one batch, in order', () => {
    // Prepare
    const units = [createUnit(1), updateUnit(2), createUnit(3)];
    // Act
    const batches = planBatches(units);
    // Assess
    expect(batches).toEqual([{ parentZoneId: PARENT_ID, units }]);
  });

  it('sends DELETE-only units in batches apart from the others, and first', () => {
    // Prepare
    const units = [createUnit(1), deleteUnit(2), updateUnit(3), deleteUnit(4)];
    // Act
    const batches = planBatches(units);
    // Assess
    expect(batches.map(tags)).toEqual([
      [2, 4],
      [1, 3],
    ]);
    expect(batches.map((batch) => batch.units.every(isDeleteOnly))).toEqual([true, false]);
  });

  it('keeps the batches of each parent zone apart', () => {
    // Prepare
    const units = [createUnit(1, PARENT_ID), createUnit(2, ORG_PARENT_ID), createUnit(3, PARENT_ID)];
    // Act
    const batches = planBatches(units);
    // Assess
    expect(batches.map((batch) => [batch.parentZoneId, tags(batch)])).toEqual([
      [PARENT_ID, [1, 3]],
      [ORG_PARENT_ID, [2]],
    ]);
  });

  it.each<[string, () => ChangeUnit<number>[], number[]]>([
    ['fits exactly 100 changes in one batch', () => Array.from({ length: 100 }, (_, i) => createUnit(i)), [100]],
    ['starts a second batch at the 101st change', () => Array.from({ length: 101 }, (_, i) => createUnit(i)), [100, 1]],
    ['packs 250 creates into three batches', () => Array.from({ length: 250 }, (_, i) => createUnit(i)), [100, 100, 50]],
    ['packs 60 updates (two changes each) into 50 and 10', () => Array.from({ length: 60 }, (_, i) => updateUnit(i)), [50, 10]],
    ['fits exactly 1,000 values in one batch', () => Array.from({ length: 4 }, (_, i) => createUnit(i, PARENT_ID, values(250))), [4]],
    [
      'starts a new batch before the 1,001st value',
      () => Array.from({ length: 3 }, (_, i) => createUnit(i, PARENT_ID, values(400))),
      [2, 1],
    ],
    [
      'fits exactly 32,000 value characters in one batch',
      () => Array.from({ length: 4 }, (_, i) => createUnit(i, PARENT_ID, values(10, 800))),
      [4],
    ],
    [
      'starts a new batch before the 32,001st value character',
      () => Array.from({ length: 4 }, (_, i) => createUnit(i, PARENT_ID, values(10, 1000))),
      [3, 1],
    ],
  ])('%s', (_title, build, unitsPerBatch) => {
    // Prepare
    const units = build();
    // Act
    const batches = planBatches(units);
    // Assess
    expect(batches.map((batch) => batch.units.length)).toEqual(unitsPerBatch);
    for (const batch of batches) {
      const size = sizeOf(batch);
      expect(size.changes).toBeLessThanOrEqual(MAX_CHANGES_PER_BATCH);
      expect(size.values).toBeLessThanOrEqual(MAX_VALUES_PER_BATCH);
      expect(size.chars).toBeLessThanOrEqual(MAX_VALUE_CHARS_PER_BATCH);
    }
  });

  it('never splits a DELETE + CREATE pair across batches', () => {
    // Prepare
    const units = [...Array.from({ length: 99 }, (_, i) => createUnit(i)), updateUnit(99), createUnit(100)];
    // Act
    const batches = planBatches(units);
    // Assess
    expect(batches.map((batch) => sizeOf(batch).changes)).toEqual([99, 3]);
    expect(batches[1]!.units[0]!.changes.map((item) => item.action)).toEqual(['DELETE', 'CREATE']);
  });

  it.each<[string, ChangeUnit<number>]>([
    [
      'more than 100 changes',
      {
        parentZoneId: PARENT_ID,
        changes: Array.from({ length: 101 }, (_, i) => change('DELETE', recordSet(`z${i}.example.com`, 'NS', values(1)))),
        tag: 1,
      },
    ],
    ['more than 1,000 values', createUnit(1, PARENT_ID, values(1001))],
    ['more than 32,000 value characters', createUnit(1, PARENT_ID, values(33, 1000))],
  ])('fails on a unit of %s, which no batch could carry', (_title, unit) => {
    // Prepare
    // Act
    const act = () => planBatches([unit]);
    // Assess
    expect(act).toThrow(`a change unit for ${PARENT_ID} exceeds Route 53's batch limits on its own`);
  });

  it.each(Array.from({ length: 40 }, (_, index) => [index + 1]))(
    'keeps every unit whole, once, within the limits, in generated case %i',
    (seed) => {
      // Prepare
      let state = seed;
      const next = (): number => {
        state = (state * 1103515245 + 12345) % 2147483648;
        return state / 2147483648;
      };
      const units = Array.from({ length: 1 + Math.floor(next() * 400) }, (_, id) => {
        const parent = next() < 0.7 ? PARENT_ID : ORG_PARENT_ID;
        const shape = next();
        if (shape < 0.4) return createUnit(id, parent, values(1 + Math.floor(next() * 13), 10 + Math.floor(next() * 250)));
        if (shape < 0.7) return deleteUnit(id, parent, values(1 + Math.floor(next() * 13), 10 + Math.floor(next() * 250)));
        return updateUnit(id, parent);
      });
      // Act
      const batches = planBatches(units);
      // Assess
      expect(batches.flatMap(tags).sort((a, b) => a - b)).toEqual(units.map((unit) => unit.tag));
      for (const batch of batches) {
        const size = sizeOf(batch);
        expect(size.changes).toBeLessThanOrEqual(MAX_CHANGES_PER_BATCH);
        expect(size.values).toBeLessThanOrEqual(MAX_VALUES_PER_BATCH);
        expect(size.chars).toBeLessThanOrEqual(MAX_VALUE_CHARS_PER_BATCH);
        expect(batch.units.every((unit) => unit.parentZoneId === batch.parentZoneId)).toBe(true);
        expect(new Set(batch.units.map(isDeleteOnly)).size).toBe(1);
        for (const unit of batch.units) expect(unit.changes).toBe(units[unit.tag]!.changes);
        const actions = batch.units.flatMap((unit) => unit.changes.map((item) => item.action));
        expect(actions.every((action) => action === 'CREATE' || action === 'DELETE')).toBe(true);
      }
      // Greedy packing: a batch is cut only when its successor's first unit would not fit.
      for (let i = 1; i < batches.length; i += 1) {
        const previous = batches[i - 1]!;
        const first = batches[i]!.units[0]!;
        if (previous.parentZoneId !== batches[i]!.parentZoneId || isDeleteOnly(previous.units[0]!) !== isDeleteOnly(first)) continue;
        const joined = sizeOf({ parentZoneId: previous.parentZoneId, units: [...previous.units, first] });
        const over =
          joined.changes > MAX_CHANGES_PER_BATCH || joined.values > MAX_VALUES_PER_BATCH || joined.chars > MAX_VALUE_CHARS_PER_BATCH;
        expect(over).toBe(true);
      }
    },
  );
});

describe('isDeleteOnly', () => {
  it.each<[string, ChangeUnit<number>, boolean]>([
    ['a removal', deleteUnit(1), true],
    ['a creation', createUnit(1), false],
    ['an update (DELETE + CREATE)', updateUnit(1), false],
  ])('says whether %s is DELETE-only: %s', (_title, unit, expected) => {
    // Prepare
    // Act
    const deleteOnly = isDeleteOnly(unit);
    // Assess
    expect(deleteOnly).toBe(expected);
  });
});

describe('splitBatch', () => {
  it.each<[number, number, number]>([
    [1, 1, 0],
    [2, 1, 1],
    [5, 3, 2],
    [100, 50, 50],
  ])('halves a batch of %i units into %i and %i, in order', (count, left, right) => {
    // Prepare
    const batch: PlannedBatch<number> = { parentZoneId: PARENT_ID, units: Array.from({ length: count }, (_, i) => createUnit(i)) };
    // Act
    const [first, second] = splitBatch(batch);
    // Assess
    expect([first.units.length, second.units.length]).toEqual([left, right]);
    expect([...tags(first), ...tags(second)]).toEqual(tags(batch));
    expect([first.parentZoneId, second.parentZoneId]).toEqual([PARENT_ID, PARENT_ID]);
  });
});
