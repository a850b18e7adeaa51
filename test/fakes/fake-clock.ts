/**
 * A clock that only moves when told to, or when someone sleeps on it: `sleep` advances the
 * time by the amount slept and yields one turn of the event loop, so a test never waits.
 */
import type { Clock, IdSource } from '../../functions/core/ports';

export class FakeClock implements Clock {
  /** Every sleep asked for, in milliseconds. */
  readonly slept: number[] = [];

  constructor(private current: Date) {}

  now(): Date {
    return new Date(this.current);
  }

  advanceMinutes(minutes: number): void {
    this.advance(minutes * 60_000);
  }

  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }

  async sleep(ms: number): Promise<void> {
    this.slept.push(ms);
    this.advance(ms);
    await tick();
  }
}

/** Ids `id-1`, `id-2`, ... */
export class CountingIds implements IdSource {
  private count = 0;
  next(): string {
    this.count += 1;
    return `id-${this.count}`;
  }
}

/** Yields to the event loop once, as a real I/O call would, so concurrent callers interleave. */
export const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
