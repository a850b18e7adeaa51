/**
 * One account's reconcile within an invocation: its job, its ledger entries, what was read of
 * its zones, and what became of each decision. A step that fails fails this account only (its
 * messages are retried) and leaves the other accounts of the invocation to finish; whatever
 * the step left half done is an intent the retry resolves.
 */
import type { AccountEntries } from './account-entries';
import { assertIsError, type SpokeReadError } from './errors';
import type { DecisionResult } from './outcomes';
import type { Decision } from './policy';
import type { AccountId, LedgerEntry, SpokeSnapshot, SweepSlice, ZoneId, ZoneScope } from './types';

/** One account to reconcile, and why. */
export interface AccountJob {
  readonly account: AccountId;
  readonly scope: ZoneScope;
  /**
   * The sweeps this reconcile serves (several when a backlog holds more than one): suspects are
   * probed over DNS and the removal budget applies. Empty for events and the CLI.
   */
  readonly sweepIds: readonly string[];
  /** Signing changes events named (EnableHostedZoneDNSSEC), by zone: each is asked of GetChange before a first DS. */
  readonly signingChanges?: ReadonlyMap<ZoneId, string>;
  /** The account's slice of its sweep's reading of the parent zones, if its message carried one. */
  readonly slice?: SweepSlice;
}

/** A decision and what became of it. */
export interface DecisionRecord {
  readonly decision: Decision;
  /** `applied` written (or nothing to write), `observed` not written (observe mode or paused), `failed` refused. */
  readonly result: DecisionResult;
  /** The decision changed state and its outcome event was emitted (a standing one was not). */
  readonly reported: boolean;
}

export type AccountResult = (
  | { readonly account: AccountId; readonly status: 'ignored'; readonly reason: 'unknown-account' }
  | {
      readonly account: AccountId;
      /** `failed`: the account's messages are retried. */
      readonly status: 'done' | 'failed';
      readonly decisions: readonly DecisionRecord[];
      readonly suspects: readonly LedgerEntry[];
      /** Why the account failed, or the read failure its suspects stand for (acknowledged). */
      readonly error?: Error;
    }
) & {
  /** Sweeps this account was the last to finish, with when each started. */
  readonly sweepsCompleted?: ReadonlyArray<{ readonly sweepId: string; readonly startedAt: string }>;
  /** Leases the invocation could not give back (each expires on its own). */
  readonly leaseErrors?: readonly Error[];
};

/** What was read of the account's zones. */
export type SpokeRead = { readonly snapshot: SpokeSnapshot } | { readonly readError: SpokeReadError };

export class AccountRun {
  readonly decisions: DecisionRecord[] = [];
  readonly suspects: LedgerEntry[] = [];
  private failure: Error | undefined;
  /** A read failure whose suspects carry the account: reported, but the messages are not retried. */
  private acknowledged: Error | undefined;

  constructor(
    readonly job: AccountJob,
    readonly entries: AccountEntries,
    readonly read: SpokeRead,
  ) {}

  get account(): AccountId {
    return this.job.account;
  }

  get sweeping(): boolean {
    return this.job.sweepIds.length > 0;
  }

  get snapshot(): SpokeSnapshot | undefined {
    return 'snapshot' in this.read ? this.read.snapshot : undefined;
  }

  get failed(): boolean {
    return this.failure !== undefined;
  }

  /** Fails the account (the first failure is the one reported). */
  fail(error: Error): void {
    this.failure ??= error;
  }

  /** The account could not be read, and its suspect state and the sweep carry it. */
  acknowledge(error: Error): void {
    this.acknowledged = error;
  }

  /** Runs one step of this account; returns false (and fails the account) if it throws. */
  async attempt(step: () => Promise<unknown>): Promise<boolean> {
    try {
      await step();
      return true;
    } catch (error) {
      assertIsError(error);
      this.fail(error);
      return false;
    }
  }

  result(leaseErrors: readonly Error[]): AccountResult {
    const error = this.failure ?? this.acknowledged;
    return {
      account: this.account,
      status: this.failure === undefined ? 'done' : 'failed',
      decisions: this.decisions,
      suspects: this.suspects,
      ...(error ? { error } : {}),
      ...(leaseErrors.length > 0 ? { leaseErrors } : {}),
    };
  }
}
