/**
 * Bounded concurrency within one invocation: accounts are read, and their ledger items written,
 * a few at a time, so an invocation of many accounts is not one account's latency times their
 * number, and no child's quota, the ledger or the worker's sockets see a burst. One account's
 * steps stay in order.
 */

/** Accounts worked on at once within an invocation. */
export const ACCOUNTS_AT_ONCE = 4;

/** Maps `items` with at most `limit` calls in flight; the results keep the order of `items`. */
export async function mapBounded<T, R>(items: readonly T[], limit: number, map: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await map(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}
