/**
 * Time and death for the chaos harness: the clock the worker reads, which the harness moves,
 * and the life of one invocation, which can crash after some calls or time out.
 */
/** A clock the harness moves; the worker takes its time from it. */
export class DrivenClock {
  private current = Date.parse('2026-12-01T09:00:00Z');
  now(): Date {
    return new Date(this.current);
  }
  advanceMinutes(minutes: number): void {
    this.current += minutes * 60_000;
  }
  /** Waiting passes driven time; a short real pause lets the other invocations move meanwhile. */
  async sleep(ms: number): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, Math.min(ms, 20)));
    this.current += ms;
  }
}

/** The invocation was abandoned: it crashed or timed out. */
export class InvocationKilledError extends Error {
  constructor(reason: string) {
    super(`invocation killed: ${reason}`);
    this.name = 'InvocationKilledError';
  }
}

/**
 * One invocation's life. After it dies no port call of it starts, and a call in flight
 * completes on the server but its answer is never seen, as when Lambda stops a process.
 */
export class InvocationLife {
  private calls = 0;
  private dead: string | undefined;
  private onDeath: (error: Error) => void = () => undefined;
  readonly death = new Promise<never>((_, reject) => {
    this.onDeath = reject;
  });
  private readonly deadline: number;

  constructor(
    private readonly crashAfterCalls: number | undefined,
    timeoutMs: number,
    /** Told of every completed port call (the harness flips the kill switch mid-invocation). */
    private readonly onCall: () => void = () => undefined,
  ) {
    this.deadline = timeoutMs > 0 ? Date.now() + timeoutMs : Number.POSITIVE_INFINITY;
    void this.death.catch(() => undefined);
  }

  guard<T extends object>(port: T): T {
    return new Proxy(port, {
      get: (target, property, receiver) => {
        const value: unknown = Reflect.get(target, property, receiver);
        if (typeof value !== 'function') return value;
        return async (...args: unknown[]) => {
          this.check();
          const result: unknown = await (value as (...inner: unknown[]) => unknown).apply(target, args);
          this.calls += 1;
          this.onCall();
          if (this.crashAfterCalls !== undefined && this.calls >= this.crashAfterCalls) this.kill(`crashed after ${this.calls} calls`);
          this.check();
          return result;
        };
      },
    });
  }

  private check(): void {
    if (this.dead === undefined && Date.now() > this.deadline) this.kill('timed out');
    if (this.dead !== undefined) throw new InvocationKilledError(this.dead);
  }

  private kill(reason: string): void {
    if (this.dead !== undefined) return;
    this.dead = reason;
    this.onDeath(new InvocationKilledError(reason));
  }
}
