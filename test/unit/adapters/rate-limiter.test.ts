import { ConfigError } from '../../../functions/core/errors';
import { RequestRateLimiter } from '../../../functions/adapters/rate-limiter';

/** Starts `count` acquisitions and returns a live count of those that went through. */
function startRequests(limiter: RequestRateLimiter, count: number): { readonly passed: () => number } {
  let passed = 0;
  for (let i = 0; i < count; i += 1) {
    void limiter.acquire().then(() => {
      passed += 1;
    });
  }
  return { passed: () => passed };
}

describe('RequestRateLimiter', () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  it.each([
    // rate/s, burst, requests, [fake ms elapsed, requests through by then]...
    { rate: 5, burst: 5, requests: 12, checkpoints: [[0, 5], [199, 5], [200, 6], [1000, 10], [1400, 12]] },
    { rate: 2, burst: 1, requests: 4, checkpoints: [[0, 1], [499, 1], [500, 2], [1500, 4]] },
    { rate: 10, burst: 3, requests: 5, checkpoints: [[0, 3], [100, 4], [200, 5]] },
  ])('lets $burst requests through at once, then $rate per second ($requests requests)', async ({ rate, burst, requests, checkpoints }) => {
    // Prepare
    const limiter = new RequestRateLimiter({ requestsPerSecond: rate, burst });
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

  it('refills while idle, up to the burst only', async () => {
    // Prepare
    const limiter = new RequestRateLimiter({ requestsPerSecond: 5, burst: 5 });
    const first = startRequests(limiter, 5);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(first.passed()).toBe(5);

    // Act
    const progress = startRequests(limiter, 7);
    await jest.advanceTimersByTimeAsync(0);

    // Assess
    expect(progress.passed()).toBe(5);
  });

  it.each([
    { limit: undefined },
    { limit: { requestsPerSecond: undefined, burst: undefined } },
  ])('defaults to 5 requests per second with a burst of 5 given $limit', async ({ limit }) => {
    // Prepare
    const limiter = new RequestRateLimiter(limit);

    // Act
    const progress = startRequests(limiter, 11);
    await jest.advanceTimersByTimeAsync(999);

    // Assess
    expect(progress.passed()).toBe(9);
    await jest.advanceTimersByTimeAsync(201);
    expect(progress.passed()).toBe(11);
  });

  it.each([
    { limit: { requestsPerSecond: 0 }, message: 'requestsPerSecond: expected a positive number, got 0' },
    { limit: { requestsPerSecond: Number.NaN }, message: 'requestsPerSecond: expected a positive number, got NaN' },
    { limit: { burst: 0 }, message: 'burst: expected an integer of at least 1, got 0' },
    { limit: { burst: 2.5 }, message: 'burst: expected an integer of at least 1, got 2.5' },
  ])('rejects $limit with a message naming the field', ({ limit, message }) => {
    // Prepare
    const build = (): RequestRateLimiter => new RequestRateLimiter(limit);

    // Act
    let caught: unknown;
    try {
      build();
    } catch (error) {
      caught = error;
    }

    // Assess
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).message).toContain(message);
  });
});
