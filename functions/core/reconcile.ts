/**
 * The one code path (docs/concepts.md): events, the sweep and the CLI all end here.
 *
 * Primary course, for the accounts of one invocation:
 * 1. take each account's lease, read its ledger entries and its zones through the reader role;
 * 2. read each parent zone once, around every name involved, and settle stale intents;
 * 3. judge each account with the pure policy against the projected parents;
 * 4. claim names, record intents, then apply the pooled change batches (compare-and-swap);
 * 5. publish the outcome events, record the outcomes, give the leases back.
 */
import { randomUUID } from 'node:crypto';
import { SpokeReadError, ChangeRefusedError, LeaseBusyError, assertIsError } from './errors';
import { ProjectedParents } from './parent-view';
import { AccountEntries, publishAll, type DecisionResult, type PreparedSettlement } from './account-entries';
import { planBatches, splitBatch, type ChangeUnit, type PlannedBatch } from './plan';
import { changesOf, decideAccount, holdsRecords, nsValues, ownerKey, type Decision } from './policy';
import type {
  Clock,
  ControlSource,
  DelegationLedger,
  DelegationProbe,
  Lease,
  OutcomePublisher,
  ParentZoneStore,
  SpokeZoneReader,
} from './ports';
import { accountsInAllowlist, parentFor } from './rules';
import { settleIntent } from './intents';
import { DANGLING_CONFIRMATION_MS, removalBudgetExceeded } from './removal-budget';
import { judgeSuspect } from './suspects';
import type {
  AccountId,
  Controls,
  DnsName,
  LedgerEntry,
  NameOwner,
  OutcomeEvent,
  ParentView,
  SpokeSnapshot,
  SubzoneConfig,
  ZoneId,
  ZoneScope,
} from './types';

/** What the reconcile needs; every member is a port or plain data. */
export interface ReconcileDeps {
  readonly config: SubzoneConfig;
  readonly reader: SpokeZoneReader;
  readonly parents: ParentZoneStore;
  readonly ledger: DelegationLedger;
  readonly publisher: OutcomePublisher;
  readonly controls: ControlSource;
  readonly probe: DelegationProbe;
  readonly clock: Clock;
  /** Identifies this worker in leases. */
  readonly holder: string;
  /** Lease lifetime: longer than the worker's timeout. */
  readonly leaseTtlMs: number;
  /**
   * How long to wait for a lease another invocation holds before giving the account's
   * messages back to the queue: concurrent batches often share accounts, and a lease is
   * usually free again within seconds, whereas a retried message waits a visibility timeout.
   */
  readonly leaseWaitMs: number;
}

/** One account to reconcile, and why. */
export interface AccountJob {
  readonly account: AccountId;
  readonly scope: ZoneScope;
  /**
   * The sweeps this reconcile serves (several when a backlog holds more than one): suspects are
   * probed over DNS and the removal budget applies. Empty for events and the CLI.
   */
  readonly sweepIds: readonly string[];
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
      readonly status: 'done' | 'failed';
      readonly decisions: readonly DecisionRecord[];
      readonly suspects: readonly LedgerEntry[];
      readonly error?: Error;
    }
) & {
  /** Sweeps this account was the last to finish, with when each started. */
  readonly sweepsCompleted?: ReadonlyArray<{ readonly sweepId: string; readonly startedAt: string }>;
};

/** An account whose lease is held and whose state was read. */
interface OpenAccount {
  readonly job: AccountJob;
  readonly lease: Lease;
  /** The account's ledger entries, kept current as they are written. */
  readonly entries: AccountEntries;
  readonly snapshot: SpokeSnapshot | undefined;
  readonly readError?: SpokeReadError;
  decisions: DecisionRecord[];
  suspects: LedgerEntry[];
  failure?: Error;
}

/** Reconciles every account of one invocation, pooling parent reads and change batches. */
export async function reconcileAccounts(jobs: readonly AccountJob[], baseDeps: ReconcileDeps): Promise<AccountResult[]> {
  // Each invocation holds leases in its own name, even when invocations share a process.
  const deps: ReconcileDeps = { ...baseDeps, holder: `${baseDeps.holder}/${randomUUID()}` };
  const now = deps.clock.now();
  const controls = await deps.controls.read();
  const results: AccountResult[] = [];
  const open: OpenAccount[] = [];
  try {
    // Leases are taken in one global order (by account), so two invocations never wait on each
    // other; the wait for busy ones is shared by the whole invocation, so it fits the timeout.
    const leaseDeadline = Date.now() + deps.leaseWaitMs;
    for (const job of [...jobs].sort((a, b) => a.account.localeCompare(b.account))) {
      const opened = await openAccount(job, deps, now, leaseDeadline);
      if ('status' in opened) results.push(opened);
      else open.push(opened);
    }
    if (open.length > 0) await reconcileOpen(open, deps, controls, now);
  } finally {
    await Promise.all(open.map((account) => deps.ledger.releaseLease(account.lease)));
  }
  for (const account of open) {
    results.push({
      account: account.job.account,
      status: account.failure === undefined ? 'done' : 'failed',
      decisions: account.decisions,
      suspects: account.suspects,
      ...(account.failure ? { error: account.failure } : {}),
    });
  }
  // An account done (or ignored) finishes its sweeps; a failed one is retried and finishes later.
  const sweepsOf = new Map(jobs.map((job) => [job.account, job.sweepIds]));
  return Promise.all(
    results.map(async (result) => {
      if (result.status === 'failed') return result;
      const completed: Array<{ sweepId: string; startedAt: string }> = [];
      for (const sweepId of sweepsOf.get(result.account) ?? []) {
        const finished = await deps.ledger.finishSweepAccount(sweepId, result.account);
        if (finished !== undefined) completed.push({ sweepId, startedAt: finished.startedAt });
      }
      return completed.length > 0 ? { ...result, sweepsCompleted: completed } : result;
    }),
  );
}

/** Takes the lease and reads the account, or says why not. Unknown accounts assume no role. */
async function openAccount(job: AccountJob, deps: ReconcileDeps, now: Date, leaseDeadline: number): Promise<OpenAccount | AccountResult> {
  const { account } = job;
  if (!accountsInAllowlist(deps.config).has(account)) {
    const known = await deps.ledger.listEntries(account);
    if (known.length === 0) return { account, status: 'ignored', reason: 'unknown-account' };
  }
  let lease: Lease;
  try {
    lease = await acquireLeaseWaiting(account, deps, now, leaseDeadline);
  } catch (error) {
    assertIsError(error);
    if (error instanceof LeaseBusyError) return { account, status: 'failed', decisions: [], suspects: [], error };
    throw error;
  }
  try {
    const entries = new AccountEntries(account, await deps.ledger.listEntries(account), deps);
    try {
      const snapshot = await deps.reader.readZones(account, job.scope, entries.knownNameServers());
      return { job, lease, entries, snapshot, decisions: [], suspects: [] };
    } catch (error) {
      if (!(error instanceof SpokeReadError)) throw error;
      return { job, lease, entries, snapshot: undefined, readError: error, decisions: [], suspects: [] };
    }
  } catch (error) {
    await deps.ledger.releaseLease(lease);
    throw error;
  }
}

/** Polls for a busy lease (with jitter) until the invocation's deadline, then gives up with LeaseBusyError. */
async function acquireLeaseWaiting(account: AccountId, deps: ReconcileDeps, now: Date, deadline: number): Promise<Lease> {
  for (;;) {
    try {
      return await deps.ledger.acquireLease(account, deps.holder, now, deps.leaseTtlMs);
    } catch (error) {
      if (!(error instanceof LeaseBusyError) || Date.now() >= deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 200));
    }
  }
}

async function reconcileOpen(open: OpenAccount[], deps: ReconcileDeps, controls: Controls, now: Date): Promise<void> {
  const views = await readParents(open, deps);
  const projected = new ProjectedParents(views);

  // Intents left by a worker whose lease expired: settle them against what the parent holds.
  for (const account of open) {
    for (const entry of account.entries.all()) {
      if (entry.intent === undefined || !projected.has(entry.parentZoneId)) continue;
      const settled = settleIntent(entry, projected, now);
      await guarded(account, () => (settled.outcome ? account.entries.record([settled]) : account.entries.write(settled.entry)));
    }
    await guarded(account, () => account.entries.publishPending());
  }

  const owners = await readOwners(open, deps);
  const writesAllowed = deps.config.mode === 'enforce' && !controls.writesPaused;
  const pending: Array<{ account: OpenAccount; decision: Decision }> = [];
  for (const account of open) {
    if (account.snapshot === undefined) {
      // Only an account that cannot be read at all makes suspects; a throttled read is retried.
      if (account.readError?.failure === 'access-denied') {
        await guarded(account, async () => {
          const dangling = await judgeUnreadable(account, deps, projected, now);
          pending.push(...dangling.map((decision) => ({ account, decision: withHold(decision, controls) })));
        });
      } else {
        account.failure ??= account.readError;
      }
      continue;
    }
    const decisions = decideAccount(
      {
        config: deps.config,
        account: account.job.account,
        now,
        snapshot: account.snapshot,
        entries: account.entries.all(),
        owners,
        controls,
      },
      projected,
    );
    // Names are claimed only when the claim will be written: observe mode must not reserve them.
    for (const decision of decisions) {
      await guarded(account, async () => {
        pending.push({ account, decision: writesAllowed ? await claimIfNeeded(decision, account, deps) : decision });
      });
    }
  }

  // Observe mode and paused writes remove nothing, so they spend no budget.
  const planned = open.map((account) => ({
    account: account.job.account,
    sweepIds: account.job.sweepIds,
    held: account.entries.all(),
    removals: pending.filter((item) => item.account === account && item.decision.kind === 'remove').length,
  }));
  const budgetBlocked = writesAllowed && (await removalBudgetExceeded(planned, deps.ledger, deps.config, controls, now));
  const units: Array<ChangeUnit<{ account: OpenAccount; decision: Decision }>> = [];
  const unwritten = new Settlements(deps.publisher);
  for (const item of pending) {
    const { account, decision } = item;
    const changes = changesOf(decision);
    if (changes.length === 0) unwritten.add(account, decision, writesAllowed ? 'applied' : 'observed');
    else if (!writesAllowed) unwritten.add(account, decision, 'observed');
    else if (budgetBlocked && decision.kind === 'remove' && account.job.sweepIds.length > 0) unwritten.add(account, decision, 'budget');
    else {
      await guarded(account, async () => {
        await account.entries.recordIntent(decision, now);
        units.push({ parentZoneId: parentOf(decision), changes, tag: item });
      });
    }
  }
  await unwritten.flush(now);

  const written = new Settlements(deps.publisher);
  for (const batch of planBatches(units)) {
    for (const [unit, result] of await applyWithSplit(batch, deps)) {
      const { account, decision } = unit.tag;
      if (result instanceof Error) account.failure ??= result;
      written.add(account, decision, result instanceof Error ? 'failed' : 'applied');
    }
  }
  await written.flush(now);
}

/**
 * Runs one step of one account: a failure (a ledger conflict, a throttled write) fails that
 * account, whose messages are retried, and leaves the other accounts of the batch to finish.
 * Whatever the step left half done is an intent the retry settles.
 */
async function guarded(account: OpenAccount, step: () => Promise<unknown>): Promise<void> {
  try {
    await step();
  } catch (error) {
    assertIsError(error);
    account.failure ??= error;
  }
}

/** Reads each parent zone once, around every name any account of the invocation involves. */
async function readParents(open: readonly OpenAccount[], deps: ReconcileDeps): Promise<ParentView[]> {
  const names = new Map<ZoneId, Set<DnsName>>();
  const add = (parentZoneId: ZoneId, name: DnsName) => names.set(parentZoneId, (names.get(parentZoneId) ?? new Set()).add(name));
  for (const account of open) {
    for (const zone of account.snapshot?.zones ?? []) {
      const parent = parentFor(deps.config, zone.name);
      // Zones that cannot claim (private, not opted in) need no parent records.
      if (parent !== undefined && !zone.privateZone && zone.optedIn) add(parent.hostedZoneId, zone.name);
    }
    for (const entry of account.entries.all()) add(entry.parentZoneId, entry.name);
  }
  const views: ParentView[] = [];
  for (const parent of deps.config.parentZones) {
    const wanted = names.get(parent.hostedZoneId);
    if (wanted === undefined) continue;
    try {
      views.push(await deps.parents.readAround(parent.hostedZoneId, parent.name, [...wanted]));
    } catch (error) {
      assertIsError(error);
      // An unread parent decides nothing: every account touching it fails and is retried.
      for (const account of open) {
        const touches = account.entries.all().some((entry) => entry.parentZoneId === parent.hostedZoneId) ||
          (account.snapshot?.zones ?? []).some((zone) => parentFor(deps.config, zone.name)?.hostedZoneId === parent.hostedZoneId);
        if (touches) account.failure ??= error;
      }
    }
  }
  // Parent zones that are not managed any more (a parent dropped from the config) are never read.
  return views;
}

/** Reads the owner of every name a live zone might claim. */
async function readOwners(open: readonly OpenAccount[], deps: ReconcileDeps): Promise<Map<string, NameOwner>> {
  const owners = new Map<string, NameOwner>();
  for (const account of open) {
    for (const zone of account.snapshot?.zones ?? []) {
      const parent = parentFor(deps.config, zone.name);
      if (parent === undefined || zone.privateZone || !zone.optedIn) continue;
      const key = ownerKey(parent.hostedZoneId, zone.name);
      if (owners.has(key)) continue;
      const owner = await deps.ledger.getNameOwner(parent.hostedZoneId, zone.name);
      if (owner !== undefined) owners.set(key, owner);
    }
  }
  return owners;
}

/** The name-owner conditional put decides races between accounts (invariant 7). */
async function claimIfNeeded(decision: Decision, account: OpenAccount, deps: ReconcileDeps): Promise<Decision> {
  if (decision.kind !== 'create' && decision.kind !== 'adopt') return decision;
  const wanted: NameOwner = {
    parentZoneId: decision.parentZoneId,
    name: decision.zone.name,
    account: account.job.account,
    zoneId: decision.zone.zoneId,
  };
  const owner = await deps.ledger.claimName(wanted);
  if (owner.zoneId === wanted.zoneId && owner.account === wanted.account) return decision;
  return {
    kind: 'reject',
    zone: decision.zone,
    parentZoneId: decision.parentZoneId,
    base: decision.base,
    reason: 'contested',
    detail: `${decision.zone.name} was claimed first by zone ${owner.zoneId} in account ${owner.account}`,
  };
}

/** An account that cannot be read: its delegations become suspects; DNS confirms them gone. */
async function judgeUnreadable(account: OpenAccount, deps: ReconcileDeps, projected: ProjectedParents, now: Date): Promise<Decision[]> {
  const readFailure = account.readError;
  account.failure ??= readFailure;
  const sweeping = account.job.sweepIds.length > 0;
  const held = account.entries.all().filter(holdsRecords);
  // Probes run side by side: each may wait for silent name servers.
  const probes = await Promise.all(
    held.map((entry) => (sweeping && entry.suspectSince !== undefined ? deps.probe.check(entry.name, entry.nameServers) : undefined)),
  );
  const decisions: Decision[] = [];
  for (const [index, entry] of held.entries()) {
    const verdict = judgeSuspect(entry, probes[index], now, DANGLING_CONFIRMATION_MS);
    account.suspects.push(verdict.entry);
    if (verdict.newSuspect) {
      await account.entries.record([{ entry: verdict.entry, outcome: suspectEvent(verdict.entry) }]);
    } else if (verdict.entry !== entry) {
      await account.entries.write(verdict.entry);
    }
    if (!verdict.dangling || !projected.has(entry.parentZoneId)) continue;
    const found = projected.nsAt(entry.parentZoneId, entry.name);
    if (found !== undefined && projected.nsHolds(entry.parentZoneId, entry.name, nsValues(entry))) {
      projected.remove(entry.parentZoneId, entry.name, 'NS');
      decisions.push({ kind: 'remove', entry: account.entries.get(entry.zoneId) ?? verdict.entry, found, reason: 'dangling' });
    }
  }
  // A sweep that probed every suspect has done its job; an event for the account is retried.
  if (sweeping && account.failure === readFailure) account.failure = undefined;
  return decisions;
}

/** A held name is never removed, even when its zone is confirmed dangling. */
function withHold(decision: Decision, controls: Controls): Decision {
  const name = decision.kind === 'remove' ? decision.entry.name : undefined;
  return name !== undefined && controls.holds.includes(name) ? { kind: 'held', name, instead: decision } : decision;
}

function suspectEvent(entry: LedgerEntry): OutcomeEvent {
  return {
    detailType: 'Delegation Suspect',
    detail: {
      account: entry.account,
      zoneId: entry.zoneId,
      name: entry.name,
      parentZoneId: entry.parentZoneId,
      reason: 'account-unreadable',
      applied: false,
    },
  };
}

function parentOf(decision: Decision): ZoneId {
  switch (decision.kind) {
    case 'create':
    case 'adopt':
      return decision.parentZoneId;
    case 'update':
    case 'remove':
      return decision.entry.parentZoneId;
    default:
      throw new Error(`decision ${decision.kind} writes nothing`);
  }
}

/** Applies a batch; a refusal (conflict, denial) splits it in halves until the refused units are isolated. */
async function applyWithSplit<T>(batch: PlannedBatch<T>, deps: ReconcileDeps): Promise<Array<[ChangeUnit<T>, true | Error]>> {
  try {
    await deps.parents.applyBatch({
      parentZoneId: batch.parentZoneId,
      changes: batch.units.flatMap((unit) => unit.changes),
    });
    return batch.units.map((unit) => [unit, true]);
  } catch (error) {
    assertIsError(error);
    if (!(error instanceof ChangeRefusedError)) return batch.units.map((unit) => [unit, error]);
    if (batch.units.length === 1) return [[batch.units[0]!, error]];
    const [left, right] = splitBatch(batch);
    return [...(await applyWithSplit(left, deps)), ...(await applyWithSplit(right, deps))];
  }
}

/**
 * What became of decisions, gathered across the accounts of the invocation so that their
 * outcome events are published together: one PutEvents for up to ten, not one a decision.
 */
class Settlements {
  private readonly byAccount = new Map<OpenAccount, Array<{ decision: Decision; result: DecisionResult }>>();

  constructor(private readonly publisher: OutcomePublisher) {}

  add(account: OpenAccount, decision: Decision, result: DecisionResult): void {
    this.byAccount.set(account, [...(this.byAccount.get(account) ?? []), { decision, result }]);
  }

  /** Settles every account's decisions, and records them in its report with whether each was reported. */
  async flush(now: Date): Promise<void> {
    const prepared: Array<[OpenAccount, PreparedSettlement]> = [];
    for (const [account, items] of this.byAccount) {
      // In the report even if settling fails: the log then shows what the retry will redo.
      const records = items.map((item) => ({ ...item, reported: false }));
      account.decisions.push(...records);
      await guarded(account, async () => {
        const settlement = await account.entries.prepare(items, now);
        settlement.flags.forEach((flag, index) => (records[index]!.reported = flag));
        prepared.push([account, settlement]);
      });
    }
    const unpublished = await publishAll(this.publisher, prepared.flatMap(([, settlement]) => settlement.reported));
    for (const [account, settlement] of prepared) await guarded(account, () => account.entries.finish(settlement, unpublished));
  }
}
