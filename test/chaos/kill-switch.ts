/**
 * The kill switch as the harness sets it, and what each invocation has seen of it. The worker
 * looks at the controls before every change batch, through a source that reuses a value for
 * its cache window (DEFAULT_CONTROLS_MAX_AGE_MS on the worker's clock). So while writes are
 * paused, a change batch is allowed only while some invocation's last look still said
 * "unpaused", and a look may say so only within the cache window after the pause was set.
 */
import type { ControlSource } from '../../functions/core/ports';
import type { Violation } from './monitor';

export class KillSwitchWatch {
  readonly violations: Violation[] = [];
  /** When writes were paused (the worker's clock, epoch ms), or undefined while they are not. */
  private pausedAt: number | undefined;
  /** Invocations whose last look at the controls said "unpaused". */
  private readonly unpausedReaders = new Set<string>();

  constructor(
    private readonly clock: { now(): Date },
    private readonly cacheWindowMs: number,
  ) {}

  get paused(): boolean {
    return this.pausedAt !== undefined;
  }

  /** The harness has just set the switch. */
  set(paused: boolean): void {
    if (!paused) this.pausedAt = undefined;
    else this.pausedAt ??= this.clock.now().getTime();
  }

  /** `source`, telling the watch what `invocation` reads from it. */
  track(invocation: string, source: ControlSource): ControlSource {
    return {
      read: async () => {
        const controls = await source.read();
        this.saw(invocation, controls.writesPaused);
        return controls;
      },
    };
  }

  /** The invocation has stopped: no call of it is in flight any more. */
  ended(invocation: string): void {
    this.unpausedReaders.delete(invocation);
  }

  /** Called for every change batch subzone applies. */
  checkWrite(described: string): void {
    if (this.pausedAt !== undefined && this.unpausedReaders.size === 0) {
      this.flag('kill switch: no change batch while writes are paused', `${described}, though every invocation saw the pause`);
    }
  }

  private saw(invocation: string, writesPaused: boolean): void {
    if (writesPaused) {
      this.unpausedReaders.delete(invocation);
      return;
    }
    this.unpausedReaders.add(invocation);
    const sincePause = this.pausedAt === undefined ? undefined : this.clock.now().getTime() - this.pausedAt;
    if (sincePause !== undefined && sincePause >= this.cacheWindowMs) {
      this.flag('kill switch: a pause is seen within the cache window', `${invocation} read "unpaused" ${sincePause} ms after the pause`);
    }
  }

  private flag(invariant: string, message: string): void {
    this.violations.push({ invariant, message });
  }
}
