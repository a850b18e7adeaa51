import { countHeld, dueIn, heldDelta } from '../../../functions/core/held-counts';
import { makeEntry, makeZone } from '../../helpers/core-fixtures';

const HOUR = 60 * 60_000;

describe('held counts', () => {
  it('counts the delegations that stand, and the hour each became removable or was found not served', () => {
    // Prepare
    const standing = makeEntry(makeZone('a.example.com'));
    const optedOut = makeEntry(makeZone('b.example.com'), { removableSince: '2026-12-03T03:59:59.000Z' });
    const suspect = makeEntry(makeZone('c.example.com'), { notServingSince: '2026-12-03T01:00:00.000Z' });
    const rejected = makeEntry(makeZone('d.example.com'), { state: 'rejected', records: [], removableSince: '2026-12-03T03:00:00.000Z' });

    // Act
    const counts = countHeld([standing, optedOut, suspect, rejected]);

    // Assess
    expect(counts).toEqual({ held: 3, 'removable#2026-12-03T03': 1, 'notServing#2026-12-03T01': 1 });
  });

  it('changes by what one write changes, and by nothing when nothing counted changes', () => {
    // Prepare
    const before = makeEntry(makeZone('a.example.com'));
    const after = { ...before, removableSince: '2026-12-03T03:10:00.000Z', version: before.version + 1 };

    // Act / Assess
    expect(heldDelta(undefined, before)).toEqual({ held: 1 });
    expect(heldDelta(before, after)).toEqual({ 'removable#2026-12-03T03': 1 });
    expect(heldDelta(after, { ...after, version: after.version + 1 })).toEqual({});
    expect(heldDelta(after, undefined)).toEqual({ held: -1, 'removable#2026-12-03T03': -1 });
  });

  it('counts a whole hour as due as soon as its first instant is: it errs towards holding removals back', () => {
    // Prepare: grace of one hour; removable since 10:00, 10:30 and 11:00; now 11:15
    const now = new Date('2026-12-03T11:15:00.000Z');
    const counts = { held: 9, 'removable#2026-12-03T10': 2, 'removable#2026-12-03T11': 1, 'notServing#2026-12-03T10': 4 };

    // Act
    const due = dueIn(counts, HOUR, 2 * HOUR, now);

    // Assess: the 10:00 hour is due (both, though 10:30 is not quite), 11:00 is not, DNS waits two hours
    expect(due).toBe(2);
    expect(dueIn(counts, HOUR, HOUR, now)).toBe(6);
  });
});
