/**
 * Every port of the reconcile over its in-memory fake, wired as the worker wires its adapters.
 * Defaults: the fixtures' config (parents example.com, example.org, prod.example.com), the
 * clock at the fixtures' NOW, no controls set.
 */
import { reconcileAccounts, type AccountJob, type AccountResult, type ReconcileDeps } from '../../functions/core/reconcile';
import type { AccountId, SubzoneConfig, ZoneId } from '../../functions/core/types';
import {
  NOW,
  ORG_PARENT_ID,
  ORG_PARENT_NAME,
  PARENT_ID,
  PARENT_NAME,
  PROD_PARENT_ID,
  PROD_PARENT_NAME,
  makeConfig,
} from '../helpers/core-fixtures';
import { CountingIds, FakeClock } from './fake-clock';
import { FakeControlSource } from './fake-control-source';
import { FakeDelegationProbe } from './fake-delegation-probe';
import { FakeLedger } from './fake-ledger';
import { FakeOutcomePublisher } from './fake-outcome-publisher';
import { FakeParentStore } from './fake-parent-store';
import { FakeSpokeReader } from './fake-spoke-reader';

export interface FakeWorld {
  readonly config: SubzoneConfig;
  readonly reader: FakeSpokeReader;
  readonly parents: FakeParentStore;
  readonly ledger: FakeLedger;
  readonly publisher: FakeOutcomePublisher;
  readonly controls: FakeControlSource;
  readonly probe: FakeDelegationProbe;
  readonly clock: FakeClock;
  readonly deps: ReconcileDeps;
  /** Reconciles jobs as one invocation. */
  run(...jobs: AccountJob[]): Promise<AccountResult[]>;
}

export function fakeWorld(options: { readonly config?: SubzoneConfig; readonly deps?: Partial<ReconcileDeps> } = {}): FakeWorld {
  const config = options.config ?? makeConfig();
  const parts = {
    config,
    reader: new FakeSpokeReader(),
    parents: new FakeParentStore([
      { parentZoneId: PARENT_ID, apex: PARENT_NAME },
      { parentZoneId: ORG_PARENT_ID, apex: ORG_PARENT_NAME },
      { parentZoneId: PROD_PARENT_ID, apex: PROD_PARENT_NAME },
    ]),
    ledger: new FakeLedger(),
    publisher: new FakeOutcomePublisher(),
    controls: new FakeControlSource(),
    probe: new FakeDelegationProbe(),
    clock: new FakeClock(NOW),
  };
  const deps: ReconcileDeps = {
    ...parts,
    ids: new CountingIds(),
    holder: 'worker',
    leaseTtlMs: 60_000,
    leaseWaitMs: 2_000,
    ...options.deps,
  };
  return { ...parts, deps, run: (...jobs) => reconcileAccounts(jobs, deps) };
}

/** A job for an account event about some zones. */
export function zonesJob(account: AccountId, ...zoneIds: ZoneId[]): AccountJob {
  return { account, scope: { kind: 'zones', zoneIds }, sweepIds: [] };
}

/** A job reading the whole account, for an event or for sweeps. */
export function accountJob(account: AccountId, ...sweepIds: string[]): AccountJob {
  return { account, scope: { kind: 'account' }, sweepIds };
}

/** Each decision of an account's result as `kind:reason:result`, for compact assertions. */
export function verdicts(result: AccountResult | undefined): string[] {
  if (result === undefined || result.status === 'ignored') return [];
  return result.decisions.map((item) => `${item.decision.kind}:${'reason' in item.decision ? item.decision.reason : ''}:${item.result}`);
}
