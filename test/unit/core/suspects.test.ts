import { judgeSuspect } from '../../../functions/core/suspects';
import type { LedgerEntry } from '../../../functions/core/types';
import { NOW, makeEntry, makeZone, minutesFrom } from '../../helpers/core-fixtures';

type Probe = Parameters<typeof judgeSuspect>[1];

const HOUR_MS = 60 * 60_000;
const entry = makeEntry(makeZone('foo.example.com'));
const since = (minutes: number): string => minutesFrom(NOW, -minutes).toISOString();
const suspect = (extra: Partial<LedgerEntry> = {}): LedgerEntry => ({ ...entry, suspectSince: since(300), ...extra });

describe('judgeSuspect', () => {
  it.each<[Probe]>([[undefined], ['serving'], ['not-serving'], ['unknown']])(
    'marks a delegation a new suspect the first time its account cannot be read (probe %s)',
    (probe) => {
      // Prepare
      // Act
      const verdict = judgeSuspect(entry, probe, NOW, HOUR_MS);
      // Assess
      expect(verdict).toEqual({ entry: { ...entry, suspectSince: NOW.toISOString() }, newSuspect: true, dangling: false });
    },
  );

  it.each<[string, Partial<LedgerEntry>, Probe, Partial<LedgerEntry> | 'same', boolean]>([
    ['never declares a serving delegation dangling', {}, 'serving', 'same', false],
    [
      'forgets an earlier not-serving check once the name servers serve again',
      { notServingSince: since(120) },
      'serving',
      { notServingSince: undefined },
      false,
    ],
    ['notes the first not-serving check without declaring it dangling', {}, 'not-serving', { notServingSince: NOW.toISOString() }, false],
    ['declares it dangling on a second not-serving check an hour later', { notServingSince: since(60) }, 'not-serving', 'same', true],
    ['declares it dangling on a second not-serving check hours later', { notServingSince: since(600) }, 'not-serving', 'same', true],
    ['waits on a second not-serving check less than an hour later', { notServingSince: since(59) }, 'not-serving', 'same', false],
    ['concludes nothing from an unknown check', { notServingSince: since(120) }, 'unknown', 'same', false],
    ['concludes nothing without a check (an event, not a sweep)', { notServingSince: since(120) }, undefined, 'same', false],
  ])('%s', (_title, extra, probe, expected, dangling) => {
    // Prepare
    const stored = suspect(extra);
    // Act
    const verdict = judgeSuspect(stored, probe, NOW, HOUR_MS);
    // Assess
    expect(verdict.newSuspect).toBe(false);
    expect(verdict.dangling).toBe(dangling);
    if (expected === 'same') expect(verdict.entry).toBe(stored);
    else expect(verdict.entry).toEqual({ ...stored, ...expected });
  });

  it('drops the notServingSince field itself when the name servers serve again', () => {
    // Prepare
    const stored = suspect({ notServingSince: since(120) });
    // Act
    const verdict = judgeSuspect(stored, 'serving', NOW, HOUR_MS);
    // Assess
    expect(verdict.entry).not.toHaveProperty('notServingSince');
    expect(verdict.entry.suspectSince).toBe(stored.suspectSince);
  });

  it('needs a fresh hour of not-serving checks after the name servers served in between', () => {
    // Prepare
    const first = judgeSuspect(suspect(), 'not-serving', minutesFrom(NOW, -120), HOUR_MS).entry;
    const served = judgeSuspect(first, 'serving', minutesFrom(NOW, -90), HOUR_MS).entry;
    const again = judgeSuspect(served, 'not-serving', minutesFrom(NOW, -30), HOUR_MS).entry;
    // Act
    const early = judgeSuspect(again, 'not-serving', NOW, HOUR_MS);
    const late = judgeSuspect(again, 'not-serving', minutesFrom(NOW, 30), HOUR_MS);
    // Assess
    expect(early.dangling).toBe(false);
    expect(late.dangling).toBe(true);
  });
});
