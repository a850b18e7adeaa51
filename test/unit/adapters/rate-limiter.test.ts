import fc from 'fast-check';
import { ConfigError } from '../../../functions/core/errors';
import { RequestRateLimiter, requestsPerEnvironment } from '../../../functions/adapters/rate-limiter';

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
