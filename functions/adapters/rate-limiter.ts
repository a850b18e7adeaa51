/**
 * The client-side limiter every hub-account Route 53 request passes (docs/concepts.md). Route 53's
 * quota is per account, shared by every execution environment of the worker and by other
 * tools in the DNS account, so the worker has one budget (requests per second) for all its
 * environments together: each takes `requestsPerEnvironment(budget, maxConcurrency)` and
 * never sends more than that in any one-second window. Lambda runs at most maxConcurrency
 * invocations at once; only when it replaces an environment within the same second can a
 * window briefly hold one share more than the budget. A token bucket would not do: a full
 * bucket plus a second's refill lets twice the rate through within one second. The SDK's
 * retry quota is not a rate limiter, so this is separate from retries.
 */
import type { FinalizeRequestMiddleware, Pluggable, RelativeMiddlewareOptions } from '@smithy/types';
import { ConfigError } from '../core/errors';
import { systemClock } from './system-clock';

/** How fast requests may leave the client. */
export interface RequestRateLimit {
  /** Requests in any one-second window; a whole number of at least 1. @default 5 */
  readonly requestsPerSecond: number;
}

/** 5 requests in any second: half of Route 53's current account quota of 10/s. */
export const DEFAULT_HUB_RATE_LIMIT: RequestRateLimit = { requestsPerSecond: 5 };

const WINDOW_MS = 1000;

/**
 * The whole number of requests per second one execution environment may send so that
 * `maxConcurrency` environments together stay within `budget`: rounded down, since a
 * fraction of a request cannot be sent. 0 means the budget is too small to share.
 */
export function requestsPerEnvironment(budget: number, maxConcurrency: number): number {
  return Math.floor(budget / maxConcurrency);
}

/** Anything that can make a request wait for its turn. */
export interface RequestGate {
  /** Resolves when one more request may be sent. */
  acquire(): Promise<void>;
}

/** Time as the limiter sees it; tests drive it with fake timers. */
export interface LimiterClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const limiterClock: LimiterClock = { now: () => systemClock.now().getTime(), sleep: systemClock.sleep };

/**
 * A sliding-window limiter: a request goes when fewer than `requestsPerSecond` went in the
 * last second, so no one-second window ever holds more. Requests wait their turn in order.
 */
export class RequestRateLimiter implements RequestGate {
  private readonly limit: number;
  /** When each request of the last second went, oldest first. */
  private readonly sent: number[] = [];
  private queue: Promise<void> = Promise.resolve();

  constructor(
    limit: Partial<RequestRateLimit> = {},
    private readonly clock: LimiterClock = limiterClock,
  ) {
    this.limit = limit.requestsPerSecond ?? DEFAULT_HUB_RATE_LIMIT.requestsPerSecond;
    if (!Number.isInteger(this.limit) || this.limit < 1) {
      throw new ConfigError([{ path: 'requestsPerSecond', message: `expected a whole number of at least 1, got ${this.limit}` }]);
    }
  }

  acquire(): Promise<void> {
    const turn = this.queue.then(() => this.take());
    this.queue = turn;
    return turn;
  }

  private async take(): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      while (this.sent.length > 0 && (this.sent[0] ?? now) <= now - WINDOW_MS) this.sent.shift();
      const oldest = this.sent[0];
      if (oldest === undefined || this.sent.length < this.limit) {
        this.sent.push(now);
        return;
      }
      await this.clock.sleep(oldest + WINDOW_MS - now);
    }
  }
}

const pacedMiddlewareOptions: RelativeMiddlewareOptions = {
  name: 'subzoneRateLimitMiddleware',
  // After the retry middleware, so every attempt (retries included) takes a turn; before
  // signing, so a request that waited its turn is signed with a fresh timestamp.
  relation: 'before',
  toMiddleware: 'httpSigningMiddleware',
  override: true,
};

/** The name of the limiter's last gate, after signing: what follows it sees the requests as they leave. */
export const SENT_RATE_MIDDLEWARE = 'subzoneSentRateMiddleware';

const sentMiddlewareOptions: RelativeMiddlewareOptions = {
  name: SENT_RATE_MIDDLEWARE,
  // Signing takes a varying time (hashing, a busy event loop), so requests paced before it can
  // bunch up after it: this last check holds a signed request back until the window as sent allows it.
  relation: 'after',
  toMiddleware: 'httpSigningMiddleware',
  override: true,
};

function gateMiddleware<Input extends object, Output extends object>(gate: RequestGate): FinalizeRequestMiddleware<Input, Output> {
  return (next) => async (args) => {
    await gate.acquire();
    return next(args);
  };
}

/**
 * An SDK plugin that makes every HTTP request of a client wait for `paced` before it is signed,
 * then (when given) for `sent` once it is signed, just before it leaves; add it with
 * `client.middlewareStack.use(...)` (clients.ts does this for the hub Route 53 client). Two
 * limiters of one rate keep any one-second window within the rate as the requests leave, and
 * a request waits after signing only for the little time signing took.
 */
export function rateLimitPlugin<Input extends object, Output extends object>(
  paced: RequestGate,
  sent?: RequestGate,
): Pluggable<Input, Output> {
  return {
    applyToStack: (stack) => {
      stack.addRelativeTo(gateMiddleware<Input, Output>(paced), pacedMiddlewareOptions);
      if (sent) stack.addRelativeTo(gateMiddleware<Input, Output>(sent), sentMiddlewareOptions);
    },
  };
}
