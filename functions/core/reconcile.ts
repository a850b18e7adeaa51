/**
 * The one code path (docs/concepts.md): events, the sweep and the CLI all end here.
 *
 * For the accounts of one invocation, in phases that each return what the next needs:
 * 1. open: take each account's lease (one by one, in order), then read its ledger entries and its
 *    zones, a few accounts at a time;
 * 2. plan the parent reads (the allowlist alone decides which names may be claimed), take the
 *    lease of every parent zone a new claim may be written in, and read each parent once, around
 *    the names the sweep's slices do not answer for (parent-slices.ts);
 * 3. resolve stale intents against the parents, and read the owners of the names claimed;
 * 4. decide each account with the pure policy against the projected parents, and claim names;
 * 5. reserve the removal budget; record what is not written;
 * 6. apply the writes (intents first, the kill switch looked at again before each batch);
 * 7. publish the outcome events, record the outcomes, give the leases back (an account with
 *    nothing to write as soon as its decisions are recorded, before the others' writes).
 */
import { AccountEntries } from './account-entries';
import { recordedDs } from './ds-policy';
import { AccountRun, type AccountJob, type AccountResult } from './account-run';
import { applyChanges, type PendingWrite } from './apply-changes';
import { ACCOUNTS_AT_ONCE, mapBounded } from './bounded';
import { LeaseBusyError, SpokeReadError } from './errors';
import { resolveIntent } from './intents';
import { InvocationLeases } from './leases';
import { isOrphaned } from './name-owners';
import { OutcomeBatch } from './outcome-batch';
import { planParentReads, readParents, type ParentReadPlan } from './parent-reads';
import { servedBySlices, type ServedParent } from './parent-slices';
import { ProjectedParents } from './parent-view';
import type { ChangeUnit } from './plan';
import { changesOf, claimableParent, decideAccount, ownerKey, subjectOf, type Decision } from './policy';
import type {
  Clock,
  ControlSource,
  DelegationLedger,
  DelegationProbe,
  IdSource,
  OutcomePublisher,
  ParentZoneStore,
  SpokeZoneReader,
} from './ports';
import { removalBudgetExceeded } from './removal-budget';
import { accountsInAllowlist } from './rules';
import { isUnreachable, judgeUnreachable } from './unreadable-accounts';
import type { Controls, NameOwner, SigningChange, SpokeSnapshot, SubzoneConfig, ZoneId } from './types';

export type { AccountJob, AccountResult, DecisionRecord } from './account-run';

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
  /** Names each invocation's leases, so that invocations sharing a process never share a lease. */
  readonly ids: IdSource;
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

/** Reconciles every account of one invocation, pooling parent reads and change batches. */
export async function reconcileAccounts(jobs: readonly AccountJob[], deps: ReconcileDeps): Promise<AccountResult[]> {
  // The wait for busy leases is shared by the whole invocation, so it fits the timeout.
  const leases = new InvocationLeases({
    ledger: deps.ledger,
    clock: deps.clock,
    holder: `${deps.holder}/${deps.ids.next()}`,
    ttlMs: deps.leaseTtlMs,
    deadline: deps.clock.now().getTime() + deps.leaseWaitMs,
  });
  const closed: AccountResult[] = [];
  const runs: AccountRun[] = [];
  let leaseErrors: Error[] = [];
  try {
    // Leases are taken one by one in one global order (by account), so two invocations never
    // wait on each other; the accounts are then read a few at a time.
    const admitted: AccountJob[] = [];
    for (const job of [...jobs].sort((a, b) => a.account.localeCompare(b.account))) {
      const refused = await admitAccount(job, deps, leases);
      if (refused === undefined) admitted.push(job);
      else closed.push(refused);
    }
    runs.push(...(await mapBounded(admitted, ACCOUNTS_AT_ONCE, (job) => readAccount(job, deps))));
    if (runs.length > 0) await reconcileRuns(runs, deps, leases);
  } finally {
    leaseErrors = (await leases.giveBackAll()).map((failure) => failure.error);
  }
  const results = [...closed, ...runs.map((run) => run.result(leaseErrors))];
  return Promise.all(results.map((result) => finishSweeps(result, jobs, deps.ledger)));
}

/** Takes the account's lease, or says why not. Unknown accounts assume no role. */
async function admitAccount(job: AccountJob, deps: ReconcileDeps, leases: InvocationLeases): Promise<AccountResult | undefined> {
  const { account } = job;
  if (!accountsInAllowlist(deps.config).has(account) && (await deps.ledger.listEntries(account)).length === 0) {
    return { account, status: 'ignored', reason: 'unknown-account' };
  }
  try {
    await leases.takeAccount(account);
    return undefined;
  } catch (error) {
    if (error instanceof LeaseBusyError) return { account, status: 'failed', decisions: [], suspects: [], error };
    throw error;
  }
}

/** Reads the account's entries and its zones (a read that fails is kept for the suspects). */
async function readAccount(job: AccountJob, deps: ReconcileDeps): Promise<AccountRun> {
  const entries = new AccountEntries(job.account, await deps.ledger.listEntries(job.account), deps);
  try {
    return new AccountRun(job, entries, { snapshot: await deps.reader.readZones(job.account, job.scope, entries.knownZones()) });
  } catch (error) {
    if (!(error instanceof SpokeReadError)) throw error;
    return new AccountRun(job, entries, { readError: error });
  }
}

async function reconcileRuns(runs: readonly AccountRun[], deps: ReconcileDeps, leases: InvocationLeases): Promise<void> {
  const now = deps.clock.now();
  const controls = await deps.controls.read();
  const writing = deps.config.mode === 'enforce' && !controls.writesPaused;
  const needs = runs.map((run) => ({
    account: run.account,
    snapshot: run.snapshot,
    entries: run.entries.all(),
    sweeping: run.sweeping,
    slice: run.job.slice,
  }));
  const plan = planParentReads(needs, deps.config);
  const served = servedBySlices(needs, deps.config);
  // Observe mode and paused writes create nothing, so they need no parent lease.
  if (writing) await leaseClaimedParents(plan, runs, leases, (run, parentZoneId) => claimsUnserved(run, parentZoneId, served, deps.config));
  const reads = await readParents(plan, deps.config, deps.parents, served);
  failAccountsTouching(reads.failures, runs, deps);
  const projected = new ProjectedParents(reads.views);

  const live = () => runs.filter((run) => !run.failed);
  await resolveStaleIntents(live(), projected, now);
  const owners = await readOwners(live(), deps);
  // Decided one account after the other: each decision changes the projected parents the next sees.
  const decided: Array<[AccountRun, Decision[]]> = [];
  for (const run of live()) decided.push([run, await decide(run, deps, projected, owners, controls, now)]);
  // Claims of different accounts are independent (the owner item's conditional put settles races).
  const claimed = await mapBounded(decided, ACCOUNTS_AT_ONCE, async ([run, decisions]) => {
    const writes: PendingWrite[] = [];
    for (const decision of decisions) {
      await run.attempt(async () => writes.push({ run, decision: writing ? await claimIfNeeded(decision, run, deps) : decision }));
    }
    return writes;
  });
  await applyDecisions(claimed.flat(), runs, deps, controls, writing, now, leases);
}

/**
 * Creates that pass judgement against a parent as each invocation read it could occlude one
 * another (a name and a name below it, claimed by two accounts at once): an invocation with a
 * new claim holds the parent's lease around its read, judgement and write. A claimant whose
 * names in the parent its sweep's slice all answers for creates nothing there
 * (parent-slices.ts), so it needs no lease: a sweep's invocations do not wait on each other.
 */
async function leaseClaimedParents(
  plan: ParentReadPlan,
  runs: readonly AccountRun[],
  leases: InvocationLeases,
  mayCreate: (run: AccountRun, parentZoneId: ZoneId) => boolean,
): Promise<void> {
  for (const [parentZoneId, claimants] of [...plan.claimants].sort(([a], [b]) => a.localeCompare(b))) {
    const creating = runs.filter((run) => claimants.has(run.account) && mayCreate(run, parentZoneId));
    if (creating.length === 0) continue;
    try {
      await leases.takeParent(parentZoneId);
    } catch (error) {
      if (!(error instanceof LeaseBusyError)) throw error;
      for (const run of creating) run.fail(error);
    }
  }
}

/** True when a live zone of the account may claim a name in the parent that no slice answers for. */
function claimsUnserved(run: AccountRun, parentZoneId: ZoneId, served: ReadonlyMap<ZoneId, ServedParent>, config: SubzoneConfig): boolean {
  const names = served.get(parentZoneId)?.names;
  return (run.snapshot?.zones ?? []).some(
    (zone) => claimableParent(config, run.account, zone)?.hostedZoneId === parentZoneId && !names?.has(zone.name),
  );
}

/** An unread parent decides nothing: every account touching it fails and is retried. */
function failAccountsTouching(failures: ReadonlyMap<ZoneId, Error>, runs: readonly AccountRun[], deps: ReconcileDeps): void {
  for (const [parentZoneId, error] of failures) {
    for (const run of runs) {
      const touches =
        run.entries.all().some((entry) => entry.parentZoneId === parentZoneId) ||
        (run.snapshot?.zones ?? []).some((zone) => claimableParent(deps.config, run.account, zone)?.hostedZoneId === parentZoneId);
      if (touches) run.fail(error);
    }
  }
}

/** Intents left by a worker whose lease expired: resolved against what the parent holds. */
async function resolveStaleIntents(runs: readonly AccountRun[], projected: ProjectedParents, now: Date): Promise<void> {
  for (const run of runs) {
    for (const entry of run.entries.all()) {
      if (entry.intent === undefined || !projected.has(entry.parentZoneId)) continue;
      const change = resolveIntent(entry, projected, now);
      await run.attempt(() => (change.outcome ? run.entries.record([change]) : run.entries.write(change.entry)));
    }
    await run.attempt(() => run.entries.publishPending());
  }
}

/** Reads the owners of every name a live zone may claim, in one batch; owners whose entry is gone are freed. */
async function readOwners(runs: readonly AccountRun[], deps: ReconcileDeps): Promise<Map<string, NameOwner>> {
  const claims = new Map<string, { readonly parentZoneId: ZoneId; readonly name: string; readonly zoneIds: Set<ZoneId> }>();
  for (const run of runs) {
    for (const zone of run.snapshot?.zones ?? []) {
      const parent = claimableParent(deps.config, run.account, zone);
      if (parent === undefined) continue;
      const key = ownerKey(parent.hostedZoneId, zone.name);
      const claim = claims.get(key) ?? { parentZoneId: parent.hostedZoneId, name: zone.name, zoneIds: new Set<ZoneId>() };
      claim.zoneIds.add(zone.zoneId);
      claims.set(key, claim);
    }
  }
  const owners = new Map<string, NameOwner>();
  if (claims.size === 0) return owners;
  for (const owner of await deps.ledger.getNameOwners([...claims.values()])) {
    const claimants = claims.get(ownerKey(owner.parentZoneId, owner.name))?.zoneIds;
    const foreign = claimants !== undefined && !claimants.has(owner.zoneId);
    if (foreign && (await isOrphaned(owner, deps.ledger, deps.clock.now(), deps.leaseTtlMs))) await deps.ledger.freeName(owner);
    else owners.set(ownerKey(owner.parentZoneId, owner.name), owner);
  }
  return owners;
}

/** One account's decisions: the policy's for a readable account, the suspects' for an unreachable one. */
async function decide(
  run: AccountRun,
  deps: ReconcileDeps,
  projected: ProjectedParents,
  owners: ReadonlyMap<string, NameOwner>,
  controls: Controls,
  now: Date,
): Promise<Decision[]> {
  if ('readError' in run.read) {
    const { readError } = run.read;
    let decisions: Decision[] = [];
    const judged = await run.attempt(async () => {
      if (!(await isUnreachable(run, deps.ledger))) throw readError;
      decisions = await judgeUnreachable(run, deps.probe, projected, controls, now);
    });
    // A denied role, or a read failing sweep after sweep: the suspect state and the sweep carry the account.
    if (judged) run.acknowledge(readError);
    return decisions;
  }
  if (run.sweeping) await run.attempt(() => deps.ledger.clearFailedSweeps(run.account));
  const { snapshot } = run.read;
  const signingChanges = new Map<ZoneId, SigningChange>();
  // A signing change that cannot be read decides nothing: the account is retried.
  if (!(await run.attempt(() => readSigningChanges(run, snapshot, deps, signingChanges)))) return [];
  const facts = {
    config: deps.config,
    account: run.account,
    now,
    snapshot,
    entries: run.entries.all(),
    owners,
    controls,
    signingChanges,
  };
  return decideAccount(facts, projected);
}

/**
 * GetChange of each signing change a first DS may wait on: the one an event named, else the one
 * the entry remembers, for a zone that signs and whose parent holds no DS of subzone's yet.
 */
async function readSigningChanges(
  run: AccountRun,
  snapshot: SpokeSnapshot,
  deps: ReconcileDeps,
  into: Map<ZoneId, SigningChange>,
): Promise<void> {
  if (!deps.config.dnssec.enabled) return;
  for (const zone of snapshot.zones) {
    const entry = run.entries.get(zone.zoneId);
    const id = run.job.signingChanges?.get(zone.zoneId) ?? entry?.signingChangeId;
    if (id === undefined || entry === undefined || recordedDs(entry) !== undefined || zone.dnssec?.signing !== true) continue;
    into.set(zone.zoneId, { id, status: await deps.reader.signingChangeStatus(run.account, id) });
  }
}

/** The name-owner conditional put decides races between accounts (invariant 7). */
async function claimIfNeeded(decision: Decision, run: AccountRun, deps: ReconcileDeps): Promise<Decision> {
  if (decision.kind !== 'create' && decision.kind !== 'adopt') return decision;
  const wanted: NameOwner = {
    parentZoneId: decision.parentZoneId,
    name: decision.zone.name,
    account: run.account,
    zoneId: decision.zone.zoneId,
    claimedAt: deps.clock.now().toISOString(),
  };
  let owner = await deps.ledger.claimName(wanted);
  if (!isSameOwner(owner, wanted) && (await isOrphaned(owner, deps.ledger, deps.clock.now(), deps.leaseTtlMs))) {
    await deps.ledger.freeName(owner);
    owner = await deps.ledger.claimName(wanted);
  }
  if (isSameOwner(owner, wanted)) return decision;
  return {
    kind: 'reject',
    zone: decision.zone,
    parentZoneId: decision.parentZoneId,
    base: decision.base,
    reason: 'contested',
    detail: `${decision.zone.name} was claimed first by zone ${owner.zoneId} in account ${owner.account}`,
  };
}

function isSameOwner(a: NameOwner, b: NameOwner): boolean {
  return a.zoneId === b.zoneId && a.account === b.account;
}

/** Records what is not written, applies the rest, and records what became of it. */
async function applyDecisions(
  pending: readonly PendingWrite[],
  runs: readonly AccountRun[],
  deps: ReconcileDeps,
  controls: Controls,
  writing: boolean,
  now: Date,
  leases: InvocationLeases,
): Promise<void> {
  // Observe mode and paused writes remove nothing, so they spend no budget.
  const planned = runs.map((run) => ({
    account: run.account,
    sweepIds: run.job.sweepIds,
    held: run.entries.all(),
    removals: pending.filter((item) => item.run === run && item.decision.kind === 'remove').length,
  }));
  const budgetBlocked = writing && (await removalBudgetExceeded(planned, deps.ledger, deps.config, controls, now));
  const unwritten = new OutcomeBatch(deps.publisher);
  const units: Array<ChangeUnit<PendingWrite>> = [];
  for (const item of pending) {
    const { run, decision } = item;
    const changes = changesOf(decision);
    if (changes.length === 0) unwritten.add(run, decision, writing ? 'applied' : 'observed');
    else if (!writing) unwritten.add(run, decision, 'observed');
    else if (budgetBlocked && decision.kind === 'remove' && run.sweeping) unwritten.add(run, decision, 'budget');
    else units.push({ parentZoneId: parentOf(decision), changes, tag: item });
  }
  await unwritten.flush(now);
  // An account with nothing to write is done: its lease need not wait for the others' writes.
  const writers = new Set(units.map((unit) => unit.tag.run.account));
  await leases.giveBackAccounts(new Set(runs.filter((run) => !writers.has(run.account)).map((run) => run.account)));
  const written = new OutcomeBatch(deps.publisher);
  await applyChanges(units, deps, written, now);
  // Other invocations wait for the parent leases: given back before the outcomes are recorded.
  await leases.giveBackParents();
  await written.flush(now);
}

function parentOf(decision: Decision): ZoneId {
  switch (decision.kind) {
    case 'create':
    case 'adopt':
      return decision.parentZoneId;
    case 'update':
    case 'remove':
    case 'ds':
      return decision.entry.parentZoneId;
    default:
      throw new Error(`decision ${decision.kind} about ${subjectOf(decision).name} writes nothing`);
  }
}

/** An account done (or ignored) finishes its sweeps; a failed one is retried and finishes later. */
async function finishSweeps(result: AccountResult, jobs: readonly AccountJob[], ledger: DelegationLedger): Promise<AccountResult> {
  if (result.status === 'failed') return result;
  const completed: Array<{ sweepId: string; startedAt: string }> = [];
  for (const sweepId of jobs.find((job) => job.account === result.account)?.sweepIds ?? []) {
    const finished = await ledger.finishSweepAccount(sweepId, result.account);
    if (finished !== undefined) completed.push({ sweepId, startedAt: finished.startedAt });
  }
  return completed.length > 0 ? { ...result, sweepsCompleted: completed } : result;
}
