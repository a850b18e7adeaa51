import fc from 'fast-check';
import { ConfigError } from '../../../functions/core/errors';
import type { FinalizeHandler, FinalizeRequestMiddleware, MiddlewareStack, RelativeMiddlewareOptions } from '@smithy/types';
import { RequestRateLimiter, rateLimitPlugin, requestsPerEnvironment } from '../../../functions/adapters/rate-limiter';

/** Starts `count` acquisitions and records the fake time at which each went through. */
function startRequests(limiter: RequestRateLimiter, count: number, grants: number[] = []): { readonly passed: () => number } {
  for (let i = 0; i < count; i += 1) {
    void limiter.acquire().then(() => {
      grants.push(Date.now());
    });
  }
  return { passed: () => grants.length };
}

/** The most grants any one-second window [t, t + 1000) holds. */
function busiestSecond(grants: readonly number[]): number {
  const sorted = [...grants].sort((a, b) => a - b);
  let busiest = 0;
  let first = 0;
  sorted.forEach((time, last) => {
    while ((sorted[first] ?? time) <= time - 1000) first += 1;
    busiest = Math.max(busiest, last - first + 1);
  });
  return busiest;
}

describe('RequestRateLimiter', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: 0 });
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  it.each([
    // requests per second, requests, [fake ms elapsed, requests through by then]...
    {
      rate: 5,
      requests: 12,
      checkpoints: [
        [0, 5],
        [999, 5],
        [1000, 10],
        [1999, 10],
        [2000, 12],
      ],
    },
    {
      rate: 2,
      requests: 4,
      checkpoints: [
        [0, 2],
        [999, 2],
        [1000, 4],
      ],
    },
    {
      rate: 1,
      requests: 3,
      checkpoints: [
        [0, 1],
        [999, 1],
        [1000, 2],
        [2000, 3],
      ],
    },
  ])('lets $rate requests through in any second ($requests requests)', async ({ rate, requests, checkpoints }) => {
    // Prepare
    const limiter = new RequestRateLimiter({ requestsPerSecond: rate });
    let elapsed = 0;

    // Act
    const progress = startRequests(limiter, requests);

    // Assess
    for (const [at, expected] of checkpoints as [number, number][]) {
      await jest.advanceTimersByTimeAsync(at - elapsed);
      elapsed = at;
      expect(progress.passed()).toBe(expected);
    }
  });

  it('counts the second before a request, not a bucket refilled while idle', async () => {
    // Prepare
    const limiter = new RequestRateLimiter({ requestsPerSecond: 5 });
    const grants: number[] = [];
    startRequests(limiter, 3, grants);
    await jest.advanceTimersByTimeAsync(600);

    // Act
    startRequests(limiter, 5, grants);
    await jest.advanceTimersByTimeAsync(3000);

    // Assess
    expect(grants).toEqual([0, 0, 0, 600, 600, 1000, 1000, 1000]);
    expect(busiestSecond(grants)).toBe(5);
  });

  it('defaults to 5 requests in any second', async () => {
    // Prepare
    const limiter = new RequestRateLimiter();

    // Act
    const progress = startRequests(limiter, 11);
    await jest.advanceTimersByTimeAsync(999);

    // Assess
    expect(progress.passed()).toBe(5);
    await jest.advanceTimersByTimeAsync(1001);
    expect(progress.passed()).toBe(11);
  });

  it('keeps several execution environments, each with its share, within the whole budget in every second', async () => {
    // Prepare
    const scenario = fc.record({
      budget: fc.integer({ min: 1, max: 20 }),
      environments: fc.integer({ min: 1, max: 6 }),
      // Per environment: bursts of requests, each started some milliseconds after the previous one.
      bursts: fc.array(
        fc.array(fc.record({ after: fc.integer({ min: 0, max: 1500 }), count: fc.integer({ min: 1, max: 12 }) }), { maxLength: 5 }),
        {
          minLength: 6,
          maxLength: 6,
        },
      ),
    });

    // Act
    const property = fc.asyncProperty(
      scenario.filter(({ budget, environments }) => requestsPerEnvironment(budget, environments) >= 1),
      async ({ budget, environments, bursts }) => {
        jest.setSystemTime(0);
        const grants: number[] = [];
        const limiters = Array.from(
          { length: environments },
          () => new RequestRateLimiter({ requestsPerSecond: requestsPerEnvironment(budget, environments) }),
        );
        const starts = limiters.flatMap((limiter, index) => {
          let at = 0;
          return (bursts[index] ?? []).map(({ after, count }) => {
            at += after;
            return { at, start: () => startRequests(limiter, count, grants) };
          });
        });
        for (const { at, start } of starts.sort((a, b) => a.at - b.at)) {
          await jest.advanceTimersByTimeAsync(at - Date.now());
          start();
        }
        await jest.advanceTimersByTimeAsync(60_000);

        // Assess
        const requested =
          starts.length === 0
            ? 0
            : bursts
                .slice(0, environments)
                .flat()
                .reduce((sum, burst) => sum + burst.count, 0);
        expect(grants).toHaveLength(requested);
        expect(busiestSecond(grants)).toBeLessThanOrEqual(budget);
      },
    );

    // Assess
    await fc.assert(property, { numRuns: 100 });
  });

  it.each([
    { limit: { requestsPerSecond: 0 }, message: 'requestsPerSecond: expected a whole number of at least 1, got 0' },
    { limit: { requestsPerSecond: 2.5 }, message: 'requestsPerSecond: expected a whole number of at least 1, got 2.5' },
    { limit: { requestsPerSecond: Number.NaN }, message: 'requestsPerSecond: expected a whole number of at least 1, got NaN' },
  ])('rejects $limit with a message naming the field', ({ limit, message }) => {
    // Act
    const build = (): RequestRateLimiter => new RequestRateLimiter(limit);

    // Assess
    expect(build).toThrow(ConfigError);
    expect(build).toThrow(message);
  });
});

/**
 * The plugin's two middlewares around a signing step that takes `signingMs[i]` for the i-th
 * request, as the SDK's stack runs them; returns when each request left (after both gates).
 */
function pluginChain(limit: number, signingMs: readonly number[]): { send: () => void; readonly sentAt: number[] } {
  const added = new Map<string, FinalizeRequestMiddleware<object, object>>();
  const stack = {
    addRelativeTo: (middleware: FinalizeRequestMiddleware<object, object>, options: RelativeMiddlewareOptions) => {
      added.set(`${options.relation} ${options.toMiddleware}`, middleware);
    },
  } as unknown as MiddlewareStack<object, object>;
  rateLimitPlugin(new RequestRateLimiter({ requestsPerSecond: limit }), new RequestRateLimiter({ requestsPerSecond: limit })).applyToStack(
    stack,
  );
  const before = added.get('before httpSigningMiddleware');
  const after = added.get('after httpSigningMiddleware');
  if (!before || !after) throw new Error('the plugin adds a middleware before signing and one after it');
  const sentAt: number[] = [];
  const wire: FinalizeHandler<object, object> = async () => {
    sentAt.push(Date.now());
    return { output: {}, response: {} } as never;
  };
  let signed = 0;
  const signing: FinalizeHandler<object, object> = async (args) => {
    const ms = signingMs[signed] ?? 0;
    signed += 1;
    await new Promise((resolve) => setTimeout(resolve, ms));
    return after(wire, {} as never)(args);
  };
  const chain = before(signing, {} as never);
  return { send: () => void chain({ input: {}, request: {} }), sentAt };
}

describe('rateLimitPlugin', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: 0 });
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  it('holds a signed request back when a slow signing bunched it with the next one', async () => {
    // Prepare
    const { send, sentAt } = pluginChain(1, [900, 0, 0]);

    // Act
    for (let i = 0; i < 3; i += 1) send();
    await jest.advanceTimersByTimeAsync(10_000);

    // Assess
    expect(sentAt).toEqual([900, 1900, 2900]);
  });

  it('keeps every one-second window within the limit as the requests leave, whatever signing takes', async () => {
    // Prepare
    const scenario = fc.record({
      limit: fc.integer({ min: 1, max: 6 }),
      signingMs: fc.array(fc.integer({ min: 0, max: 1500 }), { minLength: 1, maxLength: 20 }),
    });

    // Act
    const property = fc.asyncProperty(scenario, async ({ limit, signingMs }) => {
      jest.setSystemTime(0);
      const { send, sentAt } = pluginChain(limit, signingMs);
      for (const _ of signingMs) send();
      await jest.advanceTimersByTimeAsync(120_000);

      // Assess
      expect(sentAt).toHaveLength(signingMs.length);
      expect(busiestSecond(sentAt)).toBeLessThanOrEqual(limit);
    });
    await fc.assert(property, { numRuns: 100 });
  });
});

describe('requestsPerEnvironment', () => {
  it.each([
    [10, 2, 5],
    [5, 2, 2],
    [5, 5, 1],
    [5, 6, 0],
    [2.5, 2, 1],
  ])('shares a budget of %d among %d environments as %d each', (budget, environments, share) => {
    // Act
    const result = requestsPerEnvironment(budget, environments);

    // Assess
    expect(result).toBe(share);
    expect(result * environments).toBeLessThanOrEqual(budget);
  });
});
