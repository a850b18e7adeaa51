import type { ControlSource } from '../../../functions/core/ports';
import { KillSwitchWatch } from '../../chaos/kill-switch';

const WINDOW_MS = 5000;

/** A clock the test moves, and a controls source answering what the test says. */
function setUp() {
  let now = Date.parse('2026-12-01T09:00:00Z');
  let writesPaused = false;
  const clock = { now: () => new Date(now) };
  const source: ControlSource = { read: async () => ({ writesPaused, holds: [] }) };
  const watch = new KillSwitchWatch(clock, WINDOW_MS);
  return {
    watch,
    source,
    advance: (ms: number) => {
      now += ms;
    },
    answer: (paused: boolean) => {
      writesPaused = paused;
    },
  };
}

describe('chaos kill switch watch', () => {
  it('accepts a batch after the pause from an invocation that still saw "unpaused" within the cache window', async () => {
    // Prepare
    const { watch, source, advance } = setUp();
    const controls = watch.track('invocation-1', source);
    await controls.read();
    watch.set(true);
    advance(WINDOW_MS - 1);

    // Act
    await controls.read();
    watch.checkWrite('a batch');

    // Assess
    expect(watch.violations).toEqual([]);
  });

  it('rejects a batch while paused once every invocation saw the pause', async () => {
    // Prepare
    const { watch, source, answer } = setUp();
    const controls = watch.track('invocation-1', source);
    await controls.read();
    watch.set(true);
    answer(true);
    await controls.read();

    // Act
    watch.checkWrite('a batch');

    // Assess
    expect(watch.violations.map((violation) => violation.invariant)).toEqual(['kill switch: no change batch while writes are paused']);
  });

  it('rejects a look that says "unpaused" past the cache window after the pause', async () => {
    // Prepare
    const { watch, source, advance } = setUp();
    const controls = watch.track('invocation-1', source);
    watch.set(true);
    advance(WINDOW_MS);

    // Act
    await controls.read();

    // Assess
    expect(watch.violations.map((violation) => violation.invariant)).toEqual(['kill switch: a pause is seen within the cache window']);
  });

  it('forgets an invocation once it has stopped', async () => {
    // Prepare
    const { watch, source } = setUp();
    await watch.track('invocation-1', source).read();
    watch.set(true);

    // Act
    watch.ended('invocation-1');
    watch.checkWrite('a batch');

    // Assess
    expect(watch.violations.map((violation) => violation.invariant)).toEqual(['kill switch: no change batch while writes are paused']);
  });
});
