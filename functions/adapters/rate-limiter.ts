/**
 * The client-side token bucket every hub-account Route 53 request passes (docs/concepts.md): it
 * leaves room in the account's request quota for other tools in the DNS account. The SDK's
 * retry quota is not a rate limiter, so this is separate from retries.
 */
import type { FinalizeRequestMiddleware, Pluggable, RelativeMiddlewareOptions } from '@smithy/types';
import { TokenBucket } from 'limiter';
import { ConfigError, type FieldIssue } from '../core/errors';

/** How fast requests may leave the client. */
export interface RequestRateLimit {
  /** Sustained rate. @default 5 */
  readonly requestsPerSecond: number;
  /** Requests that may leave at once after a quiet spell. @default 5 */
  readonly burst: number;
}

/** 5 requests per second with a burst of 5: half of Route 53's current account quota of 10/s. */
export const DEFAULT_HUB_RATE_LIMIT: RequestRateLimit = { requestsPerSecond: 5, burst: 5 };

/** Anything that can make a request wait for its turn. */
export interface RequestGate {
  /** Resolves when one more request may be sent. */
  acquire(): Promise<void>;
}

/** A token bucket over `limiter`'s TokenBucket, started full so a quiet client never waits. */
export class RequestRateLimiter implements RequestGate {
  private readonly bucket: TokenBucket;

  constructor(limit: Partial<RequestRateLimit> = {}) {
    const requestsPerSecond = limit.requestsPerSecond ?? DEFAULT_HUB_RATE_LIMIT.requestsPerSecond;
    const burst = limit.burst ?? DEFAULT_HUB_RATE_LIMIT.burst;
    const issues: FieldIssue[] = [];
    if (!Number.isFinite(requestsPerSecond) || requestsPerSecond <= 0) {
      issues.push({ path: 'requestsPerSecond', message: `expected a positive number, got ${requestsPerSecond}` });
    }
    if (!Number.isInteger(burst) || burst < 1) {
      issues.push({ path: 'burst', message: `expected an integer of at least 1, got ${burst}` });
    }
    if (issues.length > 0) throw new ConfigError(issues);
    this.bucket = new TokenBucket({ bucketSize: burst, tokensPerInterval: requestsPerSecond, interval: 1000 });
    this.bucket.content = burst;
  }

  async acquire(): Promise<void> {
    await this.bucket.removeTokens(1);
  }
}

const rateLimitMiddlewareOptions: RelativeMiddlewareOptions = {
  name: 'subzoneRateLimitMiddleware',
  // After the retry middleware, so every attempt (retries included) takes a token; before
  // signing, so a request that waited is signed with a fresh timestamp.
  relation: 'before',
  toMiddleware: 'httpSigningMiddleware',
  override: true,
};

function rateLimitMiddleware<Input extends object, Output extends object>(
  gate: RequestGate,
): FinalizeRequestMiddleware<Input, Output> {
  return (next) => async (args) => {
    await gate.acquire();
    return next(args);
  };
}

/**
 * An SDK plugin that makes every HTTP request of a client wait for `gate`; add it with
 * `client.middlewareStack.use(...)` (clients.ts does this for the hub Route 53 client).
 */
export function rateLimitPlugin<Input extends object, Output extends object>(gate: RequestGate): Pluggable<Input, Output> {
  return {
    applyToStack: (stack) => {
      stack.addRelativeTo(rateLimitMiddleware<Input, Output>(gate), rateLimitMiddlewareOptions);
    },
  };
}
