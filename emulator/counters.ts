/**
 * Call counters per account, service and operation, for tests and the benchmark.
 * Every request that reaches a service with a known account is counted, including the ones
 * a fault or the quota refused: they are calls the client made and paid for.
 */
import type { AccountId } from '../functions/core/types';
import type { ServiceName } from './types';

/** One counter line. `refused` counts calls answered by an injected fault or the quota. */
export interface CounterEntry {
  readonly account: AccountId;
  readonly service: ServiceName;
  readonly operation: string;
  readonly calls: number;
  readonly refused: number;
}

/** Which calls to add up; every field left out matches all. */
export interface CounterFilter {
  readonly account?: AccountId;
  readonly service?: ServiceName;
  readonly operation?: string;
}

interface MutableEntry {
  readonly account: AccountId;
  readonly service: ServiceName;
  readonly operation: string;
  calls: number;
  refused: number;
}

/** Counts calls; `reset()` starts again from zero. */
export class CallCounters {
  private readonly entries = new Map<string, MutableEntry>();

  /** Counts one call. */
  record(account: AccountId, service: ServiceName, operation: string): void {
    this.entry(account, service, operation).calls += 1;
  }

  /** Marks one counted call as refused (fault or quota). */
  recordRefusal(account: AccountId, service: ServiceName, operation: string): void {
    this.entry(account, service, operation).refused += 1;
  }

  /** The number of calls matching the filter. */
  count(filter: CounterFilter = {}): number {
    return this.select(filter).reduce((sum, entry) => sum + entry.calls, 0);
  }

  /** The number of refused calls matching the filter. */
  refusals(filter: CounterFilter = {}): number {
    return this.select(filter).reduce((sum, entry) => sum + entry.refused, 0);
  }

  /** Every counter line, ordered by account, service and operation. */
  snapshot(): CounterEntry[] {
    return [...this.entries.values()]
      .map((entry) => ({ ...entry }))
      .sort((a, b) => `${a.account} ${a.service} ${a.operation}`.localeCompare(`${b.account} ${b.service} ${b.operation}`));
  }

  reset(): void {
    this.entries.clear();
  }

  private select(filter: CounterFilter): MutableEntry[] {
    return [...this.entries.values()].filter(
      (entry) =>
        (filter.account === undefined || entry.account === filter.account) &&
        (filter.service === undefined || entry.service === filter.service) &&
        (filter.operation === undefined || entry.operation === filter.operation),
    );
  }

  private entry(account: AccountId, service: ServiceName, operation: string): MutableEntry {
    const key = `${account}\u0000${service}\u0000${operation}`;
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { account, service, operation, calls: 0, refused: 0 };
      this.entries.set(key, entry);
    }
    return entry;
  }
}
