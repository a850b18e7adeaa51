/**
 * What a decision leaves behind once its fate is known: the ledger entry's next state and the
 * outcome event (on state change only).
 */
import { recordedDs } from './ds-policy';
import { isUnclaimableReason, standsInParent, type Decision } from './policy';
import type { AccountId, LedgerEntry, OutcomeDetailType, OutcomeEvent } from './types';

export interface DecisionOutcome {
  /** The entry to store, `delete` to drop it (its name owner is freed first), undefined to leave it as it is. */
  readonly entry?: LedgerEntry | 'delete';
  /** The zone no longer claims its name: its name owner item goes, while the entry stays to say why. */
  readonly freeName?: boolean;
  readonly outcome?: OutcomeEvent;
}

/** What became of a decision: written (or nothing to write), not written (observe mode, paused, budget), or refused. */
export type DecisionResult = 'applied' | 'observed' | 'failed' | 'budget';

/** Builds an outcome event about one ledger entry. */
export function entryEvent(
  detailType: OutcomeDetailType,
  entry: Pick<LedgerEntry, 'account' | 'zoneId' | 'name' | 'parentZoneId'>,
  reason: string,
  applied: boolean,
  now: Date,
): OutcomeEvent {
  return {
    detailType,
    detail: {
      account: entry.account,
      zoneId: entry.zoneId,
      name: entry.name,
      ...(entry.parentZoneId ? { parentZoneId: entry.parentZoneId } : {}),
      reason,
      applied,
      time: now.toISOString(),
    },
  };
}

/** Drops the fields that only make sense while a delegation is in doubt. */
function cleared(entry: LedgerEntry): LedgerEntry {
  const { intent: _i, removableSince: _r, suspectSince: _s, notServingSince: _n, occludedSince: _o, ...rest } = entry;
  return rest;
}

const WOULD: Partial<Record<Decision['kind'], OutcomeDetailType>> = {
  create: 'Delegation Created',
  adopt: 'Delegation Created',
  update: 'Delegation Updated',
  remove: 'Delegation Removed',
  disown: 'Delegation Removed',
  ds: 'Delegation Updated',
};

/** What one kind of applied decision leaves behind. */
type AppliedOutcome<K extends Decision['kind']> = (
  decision: Extract<Decision, { kind: K }>,
  stored: LedgerEntry | undefined,
  fresh: () => LedgerEntry,
  now: Date,
) => DecisionOutcome;

const APPLIED: { readonly [K in Decision['kind']]: AppliedOutcome<K> } = {
  create: (decision, stored, fresh, now) => {
    const entry: LedgerEntry = {
      ...cleared(stored ?? fresh()),
      state: 'delegated',
      origin: 'written',
      records: [decision.record],
      nameServers: decision.zone.nameServers,
      parentZoneId: decision.parentZoneId,
      reason: decision.reason,
    };
    return { entry, outcome: entryEvent('Delegation Created', entry, decision.reason, true, now) };
  },
  adopt: (decision, stored, fresh, now) => {
    const { found } = decision;
    const entry: LedgerEntry = {
      ...cleared(stored ?? fresh()),
      state: 'delegated',
      origin: 'adopted',
      records: [{ type: 'NS', ttl: found.ttl, values: found.values }],
      nameServers: decision.zone.nameServers,
      parentZoneId: decision.parentZoneId,
      reason: 'adopted',
    };
    return { entry, outcome: entryEvent('Delegation Created', entry, 'adopted', true, now) };
  },
  update: (decision, stored, _fresh, now) => {
    const base = stored ?? decision.entry;
    // A new NS leaves the DS beside it as it is.
    const held = recordedDs(base);
    const entry: LedgerEntry = {
      ...cleared(base),
      state: 'delegated',
      records: [decision.record, ...(held ? [held] : [])],
      reason: decision.reason,
    };
    return { entry, outcome: entryEvent('Delegation Updated', entry, decision.reason, true, now) };
  },
  ds: (decision, stored, _fresh, now) => {
    const base = stored ?? decision.entry;
    // A withdrawal during a removal's grace period keeps its clock: only the intent is settled.
    const { signingSeenSince: _seen, signingChangeId: _change, intent: _intent, ...rest } = base;
    const records = [...base.records.filter((record) => record.type !== 'DS'), ...(decision.record ? [decision.record] : [])];
    const entry: LedgerEntry = {
      ...rest,
      state: 'delegated',
      records,
      reason: decision.reason,
      ...(decision.signingSeenSince !== undefined && { signingSeenSince: decision.signingSeenSince }),
      ...(decision.signingChangeId !== undefined && { signingChangeId: decision.signingChangeId }),
    };
    const event = entryEvent('Delegation Updated', entry, decision.reason, true, now);
    // After a withdrawal, resolvers may hold the old DS for its TTL: the team waits until then to stop signing or drop the key.
    const safeAfter = decision.found === undefined ? now : new Date(now.getTime() + decision.found.ttl * 1000);
    const ds =
      decision.record === undefined
        ? { safeAfter: safeAfter.toISOString() }
        : { dsValues: decision.record.values, dsTtl: decision.record.ttl };
    return { entry, outcome: { ...event, detail: { ...event.detail, ...ds } } };
  },
  remove: (decision, _stored, _fresh, now) => ({
    entry: 'delete',
    outcome: entryEvent('Delegation Removed', decision.entry, decision.reason, true, now),
  }),
  // An adopted record (or one no longer as recorded) is forgotten, never deleted; `released:` is the event's published reason.
  disown: (decision, _stored, _fresh, now) => ({
    entry: 'delete',
    outcome: entryEvent('Delegation Removed', decision.entry, `released:${decision.reason}`, false, now),
  }),
  keep: (decision, stored) => {
    const entry = stored ?? decision.entry;
    const seen = withSigningWait(entry, decision.signingSeenSince, decision.signingChangeId);
    // A write reported as not applied belongs to an episode that is over: the next one is reported again.
    const tidy = isNotAppliedKey(entry.reason) ? { ...cleared(seen), reason: decision.reason } : cleared(seen);
    const changed = Object.keys(tidy).length !== Object.keys(entry).length || tidy.reason !== entry.reason || !sameSigningWait(tidy, entry);
    return changed ? { entry: tidy } : {};
  },
  // Reported once, when the state begins; the delegation stays, for a person to decide.
  occluded: (decision, stored, _fresh, now) => {
    const before = stored ?? decision.entry;
    const entry = withSigningWait(before, decision.signingSeenSince, decision.signingChangeId);
    if (entry.occludedSince !== undefined) return sameSigningWait(entry, before) ? {} : { entry };
    const occluded: LedgerEntry = { ...entry, occludedSince: now.toISOString() };
    return { entry: occluded, outcome: entryEvent('Delegation Occluded', occluded, decision.reason, false, now) };
  },
  wait: (decision, stored, _fresh, now) => {
    const entry = stored ?? decision.entry;
    if (entry.removableSince !== undefined) return {};
    // Reported once, when the grace period starts, so the team knows when the removal will happen.
    const event = entryEvent('Delegation Removal Pending', entry, decision.reason, true, now);
    return {
      entry: { ...entry, removableSince: decision.removableSince },
      outcome: { ...event, detail: { ...event.detail, removableAt: decision.removableAt } },
    };
  },
  reject: (decision, stored, fresh, now) => {
    // The name owner goes when the rejection begins, before the entry says so: a crash between the two repeats both.
    if (stored?.state === 'rejected' && stored.reason === decision.reason) return {};
    // A delegation still standing (its records in the parent) keeps its owner until it goes.
    const freeName = isUnclaimableReason(decision.reason) && (stored === undefined || !standsInParent(stored));
    const entry: LedgerEntry = {
      ...cleared(stored ?? fresh()),
      state: 'rejected',
      records: [],
      reason: decision.reason,
      ...(decision.parentZoneId ? { parentZoneId: decision.parentZoneId } : {}),
    };
    return { entry, outcome: entryEvent('Delegation Rejected', entry, decision.reason, true, now), freeName };
  },
  // The name may still be claimed (observe mode, or a write that never happened): deleting the
  // entry frees it, or no other zone could ever claim it.
  forget: (_decision, stored) => (stored === undefined ? {} : { entry: 'delete' }),
  ignore: () => ({}),
  frozen: () => ({}),
};

function sameSigningWait(a: LedgerEntry, b: LedgerEntry): boolean {
  return a.signingSeenSince === b.signingSeenSince && a.signingChangeId === b.signingChangeId;
}

/** The entry with `signingSeenSince` and `signingChangeId` set to the given values, or dropped. */
export function withSigningWait(
  entry: LedgerEntry,
  signingSeenSince: string | undefined,
  signingChangeId: string | undefined,
): LedgerEntry {
  const { signingSeenSince: _seen, signingChangeId: _change, ...rest } = entry;
  return {
    ...rest,
    ...(signingSeenSince !== undefined && { signingSeenSince }),
    ...(signingChangeId !== undefined && { signingChangeId }),
  };
}

/**
 * The ledger change and event for a decision.
 * `stored` is the stored entry (or undefined for a zone seen the first time).
 */
export function outcomeFor(
  decision: Decision,
  result: DecisionResult,
  stored: LedgerEntry | undefined,
  account: AccountId,
  now: Date,
): DecisionOutcome {
  // A refused or failed write leaves its intent: the next reconcile resolves it against the parent.
  if (result === 'failed') return {};
  if (result === 'observed' || result === 'budget') return notApplied(decision, result, stored, account, now);
  const outcome = APPLIED[decision.kind] as AppliedOutcome<Decision['kind']>;
  return outcome(decision, stored, () => freshEntry(decision, account, now), now);
}

/** How the ledger's `reason` marks a decision reported as not applied (deduplicating its event). */
const NOT_APPLIED_PREFIX = { observed: 'observed:', budget: 'removal-budget:' } as const;

function isNotAppliedKey(reason: string | undefined): boolean {
  return reason !== undefined && Object.values(NOT_APPLIED_PREFIX).some((prefix) => reason.startsWith(prefix));
}

/** Observe mode, paused writes or the removal budget: remember what would have been done, report it once. */
function notApplied(
  decision: Decision,
  result: 'observed' | 'budget',
  stored: LedgerEntry | undefined,
  account: AccountId,
  now: Date,
): DecisionOutcome {
  const detailType = WOULD[decision.kind];
  if (detailType === undefined) return outcomeFor(decision, 'applied', stored, account, now);
  const reason = 'reason' in decision ? decision.reason : decision.kind;
  const key = `${NOT_APPLIED_PREFIX[result]}${decision.kind}:${reason}`;
  if (stored?.reason === key) return {};
  const base = stored ?? freshEntry(decision, account, now);
  const entry: LedgerEntry = { ...base, ...(base.records.length === 0 ? { state: 'observed' as const } : {}), reason: key };
  return { entry, outcome: entryEvent(detailType, entry, key, false, now) };
}

/** An entry for a zone the ledger has not seen before (version 0: not stored yet). */
export function freshEntry(decision: Decision, account: AccountId, now: Date): LedgerEntry {
  if (decision.kind !== 'create' && decision.kind !== 'adopt' && decision.kind !== 'reject') {
    throw new Error(`a ${decision.kind} decision needs a stored ledger entry`);
  }
  return {
    account,
    zoneId: decision.zone.zoneId,
    name: decision.zone.name,
    parentZoneId: decision.parentZoneId ?? '',
    state: 'rejected',
    origin: 'written',
    records: [],
    nameServers: decision.zone.nameServers,
    version: 0,
    updatedAt: now.toISOString(),
  };
}
