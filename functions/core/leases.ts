/**
 * The leases one invocation takes: every account's first (in one global order), then the
 * parent zones it may create in. A busy lease is polled until the invocation's deadline, with
 * the time read afresh on every attempt, so a lease that expires during the wait is taken.
 * Leases are given back quietly: one that cannot be released expires on its own.
 */
import { LeaseBusyError, assertIsError } from './errors';
import type { Clock, Lease, LeaseStore } from './ports';
import type { AccountId, ZoneId } from './types';

/** Between two attempts at a busy lease. */
export const LEASE_POLL_MS = 200;

export interface LeaseTerms {
  readonly ledger: LeaseStore;
  readonly clock: Clock;
  readonly holder: string;
  readonly ttlMs: number;
  /** When to stop waiting for busy leases (epoch milliseconds on the clock). */
  readonly deadline: number;
}

/** A lease that could not be given back, and why. */
export interface LeaseReleaseFailure {
  readonly lease: Lease;
  readonly error: Error;
}

export class InvocationLeases {
  private readonly accountLeases: Lease[] = [];
  private readonly parentLeases: Lease[] = [];
  private readonly failures: LeaseReleaseFailure[] = [];

  constructor(private readonly terms: LeaseTerms) {}

  /** Takes an account's lease, waiting for it until the deadline; throws LeaseBusyError after. */
  async takeAccount(account: AccountId): Promise<Lease> {
    const lease = await this.waitFor((now) => this.terms.ledger.acquireLease(account, this.terms.holder, now, this.terms.ttlMs));
    this.accountLeases.push(lease);
    return lease;
  }

  /** Takes a parent zone's lease, waiting for it until the deadline; throws LeaseBusyError after. */
  async takeParent(parentZoneId: ZoneId): Promise<Lease> {
    const lease = await this.waitFor((now) => this.terms.ledger.acquireParentLease(parentZoneId, this.terms.holder, now, this.terms.ttlMs));
    this.parentLeases.push(lease);
    return lease;
  }

  /** Gives the parent zones' leases back as soon as the writes are done: other invocations wait for them. */
  async giveBackParents(): Promise<void> {
    const released = await Promise.all(this.parentLeases.map((lease) => quietly(lease, () => this.terms.ledger.releaseParentLease(lease))));
    this.parentLeases.length = 0;
    this.failures.push(...released.filter((failure) => failure !== undefined));
  }

  /**
   * Gives back the leases of accounts whose reconcile is over before the invocation's is (all
   * their decisions recorded, nothing left to write), so another invocation waiting for them
   * need not wait for this one's writes.
   */
  async giveBackAccounts(accounts: ReadonlySet<AccountId>): Promise<void> {
    const done = this.accountLeases.filter((lease) => accounts.has(lease.account));
    if (done.length === 0) return;
    const released = await Promise.all(done.map((lease) => quietly(lease, () => this.terms.ledger.releaseLease(lease))));
    this.accountLeases.splice(0, this.accountLeases.length, ...this.accountLeases.filter((lease) => !accounts.has(lease.account)));
    this.failures.push(...released.filter((failure) => failure !== undefined));
  }

  /** Gives every lease back, parents first; returns every release that failed during the invocation. */
  async giveBackAll(): Promise<LeaseReleaseFailure[]> {
    await this.giveBackParents();
    const released = await Promise.all(this.accountLeases.map((lease) => quietly(lease, () => this.terms.ledger.releaseLease(lease))));
    this.accountLeases.length = 0;
    this.failures.push(...released.filter((failure) => failure !== undefined));
    return [...this.failures];
  }

  private async waitFor(acquire: (now: Date) => Promise<Lease>): Promise<Lease> {
    for (;;) {
      try {
        return await acquire(this.terms.clock.now());
      } catch (error) {
        if (!(error instanceof LeaseBusyError) || this.terms.clock.now().getTime() >= this.terms.deadline) throw error;
        await this.terms.clock.sleep(LEASE_POLL_MS);
      }
    }
  }
}

async function quietly(lease: Lease, release: () => Promise<void>): Promise<LeaseReleaseFailure | undefined> {
  try {
    await release();
    return undefined;
  } catch (error) {
    assertIsError(error);
    return { lease, error };
  }
}
