/**
 * The decision logic of docs/concepts.md, as pure functions: facts in, a closed set of decisions
 * out, the reason travelling as data. Nothing here reads or writes anything.
 */
import { type DsWanted, isRecordedDs, recordedDs, sameDsValues, wantedDs } from './ds-policy';
import { isAtOrBelow, sameValueSet, toFqdn } from './names';
import type { ProjectedParents } from './parent-view';
import { nsTtlFor, parentFor, winningRule } from './rules';
import type {
  AccountId,
  Controls,
  DnsName,
  LedgerEntry,
  LedgerRecord,
  NameOwner,
  ParentZoneConfig,
  RecordChange,
  RecordSet,
  SigningChange,
  SpokeSnapshot,
  SpokeZone,
  SubzoneConfig,
  ZoneId,
} from './types';

/** Why a claim is refused. */
export type RejectReason =
  | 'outside-managed-parents'
  | 'not-allowlisted'
  | 'needs-glue'
  | 'duplicate-zone-name'
  | 'contested'
  | 'below-delegation'
  | 'name-in-use'
  | 'records-below-name'
  | 'delegated-elsewhere'
  | 'changed-outside-subzone';

/** Rejections of a zone that cannot claim its name at all, whatever the parent holds: its name owner item goes. */
const UNCLAIMABLE: ReadonlySet<RejectReason> = new Set(['outside-managed-parents', 'not-allowlisted', 'needs-glue']);

/** True when a zone rejected for `reason` no longer claims its name (invariant 7: only claimants own names). */
export function isUnclaimableReason(reason: string): boolean {
  return UNCLAIMABLE.has(reason as RejectReason);
}

/** Why a DS changes: the first published, the key set changed, or withdrawn (before its NS, or at the team's request). */
export type DsReason = 'ds-published' | 'ds-updated' | 'ds-withdrawn';

/** Why a delegation subzone stands for goes. */
export type RemovalReason = 'zone-deleted' | 'opted-out' | 'not-allowed' | 'dangling';

/** One decision about one zone (or one ledger entry whose zone is gone). */
export type Decision =
  | {
      readonly kind: 'create';
      readonly zone: SpokeZone;
      readonly parentZoneId: ZoneId;
      readonly record: LedgerRecord;
      readonly base: LedgerEntry | undefined;
      readonly reason: 'new-delegation' | 'record-missing';
    }
  | {
      readonly kind: 'adopt';
      readonly zone: SpokeZone;
      readonly parentZoneId: ZoneId;
      readonly found: RecordSet;
      readonly base: LedgerEntry | undefined;
      readonly reason: 'matching-record';
    }
  | {
      readonly kind: 'update';
      readonly zone: SpokeZone;
      readonly entry: LedgerEntry;
      readonly found: RecordSet;
      readonly record: LedgerRecord;
      readonly reason: 'ttl-changed' | 'values-changed';
    }
  | {
      readonly kind: 'keep';
      readonly entry: LedgerEntry;
      readonly clearRemovable: boolean;
      readonly reason: 'in-place';
      /** When the wait for a first DS began (DNSSEC on), to remember on the entry. */
      readonly signingSeenSince?: string | undefined;
      /** The signing change still PENDING, to remember on the entry. */
      readonly signingChangeId?: string | undefined;
    }
  | {
      readonly kind: 'remove';
      readonly entry: LedgerEntry;
      readonly found: RecordSet;
      /** The DS subzone holds at the name, deleted in the same batch, before the NS. */
      readonly foundDs?: RecordSet;
      readonly reason: RemovalReason;
    }
  /**
   * The DS next to a standing NS is published, changed or withdrawn (docs/dnssec.md): `found` is
   * the parent's DS (deleted exactly as read), `record` the DS to create, if any.
   */
  | {
      readonly kind: 'ds';
      readonly entry: LedgerEntry;
      readonly found: RecordSet | undefined;
      readonly record: LedgerRecord | undefined;
      readonly signingSeenSince: string | undefined;
      readonly signingChangeId?: string | undefined;
      readonly reason: DsReason;
    }
  /** Subzone stops answering for a record it must not delete (adopted, changed by hand, gone): forgotten, never deleted. */
  | { readonly kind: 'disown'; readonly entry: LedgerEntry; readonly reason: RemovalReason | 'record-gone' }
  /**
   * A standing delegation with a delegation above it or records below it: reported, never kept
   * silently. Its DS still follows the child's keys, so the wait for a first DS goes on.
   */
  | {
      readonly kind: 'occluded';
      readonly entry: LedgerEntry;
      readonly reason: 'occluded';
      readonly detail: string;
      readonly signingSeenSince?: string | undefined;
      readonly signingChangeId?: string | undefined;
    }
  | {
      readonly kind: 'wait';
      readonly entry: LedgerEntry;
      readonly reason: RemovalReason;
      readonly removableSince: string;
      readonly removableAt: string;
    }
  | {
      readonly kind: 'reject';
      readonly zone: SpokeZone;
      readonly parentZoneId: ZoneId | undefined;
      readonly base: LedgerEntry | undefined;
      readonly reason: RejectReason;
      readonly detail: string;
    }
  | { readonly kind: 'forget'; readonly entry: LedgerEntry; readonly reason: 'zone-deleted' | 'no-longer-claimed' }
  | { readonly kind: 'ignore'; readonly zone: SpokeZone; readonly reason: 'private' | 'not-opted-in' }
  /** A write at a name an operator holds: frozen, nothing is written. */
  | { readonly kind: 'frozen'; readonly name: DnsName; readonly instead: Decision };

/** Everything one account's decisions depend on. */
export interface AccountFacts {
  readonly config: SubzoneConfig;
  readonly account: AccountId;
  readonly now: Date;
  readonly snapshot: SpokeSnapshot;
  /** The account's ledger entries, with stale intents already resolved (see resolveIntent). */
  readonly entries: readonly LedgerEntry[];
  /** Name owners read for this invocation, keyed by ownerKey(). */
  readonly owners: ReadonlyMap<string, NameOwner>;
  readonly controls: Controls;
  /** What GetChange said of each zone's signing change, where one is known and a first DS may follow. */
  readonly signingChanges?: ReadonlyMap<ZoneId, SigningChange>;
}

/** Key of a name-owner item. */
export function ownerKey(parentZoneId: ZoneId, name: DnsName): string {
  return `${parentZoneId}|${name}`;
}

/** True when subzone stands for records of this entry in a parent zone. */
export function standsInParent(entry: LedgerEntry): boolean {
  return (entry.state === 'delegated' || entry.state === 'removing') && entry.records.length > 0;
}

/** The NS record subzone wants at a zone's name. */
export function desiredRecord(config: SubzoneConfig, zone: SpokeZone): LedgerRecord {
  const rule = winningRule(config, zone.name);
  const ttl = rule === undefined ? config.nsTtl : nsTtlFor(config, rule);
  // Fully qualified, as Route 53 shows name servers in NS records.
  return { type: 'NS', ttl, values: zone.nameServers.map(toFqdn) };
}

/** A claim that passed the checks that need no parent records. */
interface Candidate {
  readonly zone: SpokeZone;
  readonly parent: ParentZoneConfig;
  readonly entry: LedgerEntry | undefined;
}

type Screened = { readonly candidate: Candidate } | { readonly decision: Decision };

/** Checks a zone against the allowlist and the facts that need no parent records. */
function screenZone(config: SubzoneConfig, account: AccountId, zone: SpokeZone, entry: LedgerEntry | undefined): Screened {
  if (zone.privateZone) return { decision: { kind: 'ignore', zone, reason: 'private' } };
  const parent = parentFor(config, zone.name);
  const reject = (reason: RejectReason, detail: string): Screened => ({
    decision: { kind: 'reject', zone, parentZoneId: parent?.hostedZoneId, base: entry, reason, detail },
  });
  const optedIn = zone.optedIn;
  if (!optedIn) return { decision: { kind: 'ignore', zone, reason: 'not-opted-in' } };
  if (parent === undefined) return reject('outside-managed-parents', `${zone.name} is not below any managed parent zone`);
  const rule = winningRule(config, zone.name);
  if (rule === undefined) return reject('not-allowlisted', `no allowlist rule matches ${zone.name}`);
  if (!rule.accounts.includes(account)) {
    return reject('not-allowlisted', `rule ${rule.name} does not list account ${account}`);
  }
  const glued = zone.nameServers.find((server) => isAtOrBelow(server, zone.name));
  if (glued !== undefined) return reject('needs-glue', `name server ${glued} lies inside ${zone.name} and would need glue`);
  return { candidate: { zone, parent, entry } };
}

/**
 * The parent zone a live zone may claim a name in, decided from the allowlist alone: a zone
 * that cannot claim needs no parent record read (and costs no hub call).
 */
export function claimableParent(config: SubzoneConfig, account: AccountId, zone: SpokeZone): ParentZoneConfig | undefined {
  const screened = screenZone(config, account, zone, undefined);
  return 'candidate' in screened ? screened.candidate.parent : undefined;
}

/** Why an entry's zone no longer warrants its delegation, or undefined if it still does. */
function removalReasonFor(facts: AccountFacts, zone: SpokeZone, entry: LedgerEntry): RemovalReason | undefined {
  if (!zone.optedIn) return 'opted-out';
  const parent = parentFor(facts.config, zone.name);
  const rule = winningRule(facts.config, zone.name);
  if (parent?.hostedZoneId !== entry.parentZoneId || rule === undefined || !rule.accounts.includes(facts.account)) {
    return 'not-allowed';
  }
  return undefined;
}

/**
 * Judges one account. Decisions are appended in the order they must be applied; `parents` is
 * updated with every accepted claim so that later claims see the parent as it will be.
 */
export function decideAccount(facts: AccountFacts, parents: ProjectedParents): Decision[] {
  const decisions: Decision[] = [];
  const view = honouringFrozenNames(parents, facts.controls.holds);
  const entryByZone = new Map(facts.entries.map((entry) => [entry.zoneId, entry]));
  const liveZones = new Map(facts.snapshot.zones.map((zone) => [zone.zoneId, zone]));
  const covered = new Set(facts.snapshot.coveredZoneIds);
  const unknown = new Set(facts.snapshot.unknownZoneIds ?? []);
  const isCovered = (zoneId: ZoneId) => !unknown.has(zoneId) && (facts.snapshot.scope.kind === 'account' || covered.has(zoneId));

  // Ledger entries whose zone is gone, inside a scope that was read completely.
  for (const entry of facts.entries) {
    if (!isCovered(entry.zoneId) || liveZones.has(entry.zoneId)) continue;
    // An entry that stands for nothing needs no parent to be forgotten; otherwise an unread (or no
    // longer managed) parent decides nothing.
    if (!standsInParent(entry)) decisions.push({ kind: 'forget', entry, reason: 'zone-deleted' });
    else if (view.has(entry.parentZoneId)) decisions.push(decideGone(entry, view));
  }

  const candidates: Candidate[] = [];
  for (const zone of facts.snapshot.zones) {
    const entry = entryByZone.get(zone.zoneId);
    if (entry !== undefined && standsInParent(entry)) {
      if (!view.has(entry.parentZoneId)) continue;
      const reason = removalReasonFor(facts, zone, entry);
      if (reason !== undefined) {
        decisions.push(decideWithdrawal(facts, entry, reason, view));
        continue;
      }
    }
    const screened = screenZone(facts.config, facts.account, zone, entry);
    if (!('candidate' in screened)) decisions.push(forgetIfStale(screened.decision, entry));
    else if (view.has(screened.candidate.parent.hostedZoneId)) candidates.push(screened.candidate);
  }

  decisions.push(...judgeCandidates(facts, candidates, view));
  return decisions.map((decision) => freezeHeldNames(decision, facts.controls));
}

/** The part of ProjectedParents the policy reads and projects its decisions on. */
type ParentProjection = Pick<ProjectedParents, 'has' | 'at' | 'nsAt' | 'anyBelow' | 'delegationAbove' | 'add' | 'remove'>;

/**
 * The parents as decisions project them, except at held names: a frozen decision writes
 * nothing, so the claims judged after it must see the parent unchanged there.
 */
function honouringFrozenNames(parents: ProjectedParents, holds: readonly DnsName[]): ParentProjection {
  if (holds.length === 0) return parents;
  const frozen = new Set(holds);
  return {
    has: (parentZoneId) => parents.has(parentZoneId),
    at: (parentZoneId, name) => parents.at(parentZoneId, name),
    nsAt: (parentZoneId, name) => parents.nsAt(parentZoneId, name),
    anyBelow: (parentZoneId, name) => parents.anyBelow(parentZoneId, name),
    delegationAbove: (parentZoneId, name) => parents.delegationAbove(parentZoneId, name),
    add: (parentZoneId, record) => {
      if (!frozen.has(record.name)) parents.add(parentZoneId, record);
    },
    remove: (parentZoneId, name, type) => {
      if (!frozen.has(name)) parents.remove(parentZoneId, name, type);
    },
  };
}

/** A rejected or observed entry whose zone stopped claiming is forgotten; others pass through. */
function forgetIfStale(decision: Decision, entry: LedgerEntry | undefined): Decision {
  if (decision.kind === 'ignore' && entry !== undefined && !standsInParent(entry)) {
    return { kind: 'forget', entry, reason: 'no-longer-claimed' };
  }
  return decision;
}

/** The zone of an entry is gone: remove what subzone stands for at once (invariant 5). */
function decideGone(entry: LedgerEntry, view: ParentProjection): Decision {
  if (!standsInParent(entry)) return { kind: 'forget', entry, reason: 'zone-deleted' };
  const removal = removeGoneZone(entry, view, 'zone-deleted');
  if (removal !== undefined) return removal;
  const recordGone = view.nsAt(entry.parentZoneId, entry.name) === undefined;
  return { kind: 'disown', entry, reason: recordGone ? 'record-gone' : 'zone-deleted' };
}

/**
 * The removal of a delegation whose zone is gone (deleted, or confirmed dangling), if the parent
 * still holds subzone's NS values; undefined when the record is gone or was changed by a person
 * (invariant 4: never touched). A TTL changed by hand does not save it: it still delegates to
 * the gone zone. A DS subzone did not write, or changed since, keeps both records in place.
 */
export function removeGoneZone(entry: LedgerEntry, view: ParentProjection, reason: 'zone-deleted' | 'dangling'): Decision | undefined {
  const found = view.nsAt(entry.parentZoneId, entry.name);
  if (found === undefined || !sameValueSet(found.values, nsValues(entry))) return undefined;
  const foundDs = dsAt(view, entry);
  if (foundDs !== undefined && !isRecordedDs(entry, foundDs)) return undefined;
  view.remove(entry.parentZoneId, entry.name, 'DS');
  view.remove(entry.parentZoneId, entry.name, 'NS');
  // The takeover risk wins: DS and NS go at once, in one batch, the DS first.
  return { kind: 'remove', entry, found, ...(foundDs && { foundDs }), reason };
}

/** The DS record at an entry's name in its parent, as projected. */
function dsAt(view: ParentProjection, entry: Pick<LedgerEntry, 'parentZoneId' | 'name'>): RecordSet | undefined {
  return view.at(entry.parentZoneId, entry.name).find((record) => record.type === 'DS');
}

/** An opted-out or no-longer-allowed delegation goes only after the grace period. */
function decideWithdrawal(facts: AccountFacts, entry: LedgerEntry, reason: RemovalReason, view: ParentProjection): Decision {
  const graceMs = facts.config.graceMinutes * 60_000;
  const since = entry.removableSince ?? facts.now.toISOString();
  const removableAt = new Date(Date.parse(since) + graceMs);
  if (entry.removableSince === undefined || facts.now < removableAt) {
    return { kind: 'wait', entry, reason, removableSince: since, removableAt: removableAt.toISOString() };
  }
  const found = view.nsAt(entry.parentZoneId, entry.name);
  const foundDs = dsAt(view, entry);
  if (foundDs !== undefined && isRecordedDs(entry, foundDs)) {
    // The DS goes first, in its own batch; the NS follows on a later reconcile, once no DS remains.
    view.remove(entry.parentZoneId, entry.name, 'DS');
    return { kind: 'ds', entry, found: foundDs, record: undefined, signingSeenSince: undefined, reason: 'ds-withdrawn' };
  }
  if (entry.origin === 'adopted' || found === undefined || !stillAsRecorded(entry, found) || foundDs !== undefined) {
    return { kind: 'disown', entry, reason: found === undefined ? 'record-gone' : reason };
  }
  view.remove(entry.parentZoneId, entry.name, 'NS');
  return { kind: 'remove', entry, found, reason };
}

/**
 * True when the parent's NS record is still exactly what subzone wrote (values and TTL), or, for
 * an adopted record, still holds the values it was adopted with: only such a record may be
 * changed or withdrawn (invariant 4). A deleted zone's record goes on its values alone: whatever
 * its TTL, it still sends the name to the gone zone's name servers.
 */
function stillAsRecorded(entry: LedgerEntry, found: RecordSet): boolean {
  if (!sameValueSet(found.values, nsValues(entry))) return false;
  return entry.origin === 'adopted' || found.ttl === nsTtl(entry);
}

function nsTtl(entry: LedgerEntry): number | undefined {
  return entry.records.find((record) => record.type === 'NS')?.ttl;
}

/** The NS values a ledger entry stands for in its parent. */
export function nsValues(entry: LedgerEntry): readonly string[] {
  return entry.records.find((record) => record.type === 'NS')?.values ?? [];
}

/** Judges the screened claims, shortest name first, against the projected parents. */
function judgeCandidates(facts: AccountFacts, candidates: readonly Candidate[], view: ParentProjection): Decision[] {
  const byName = new Map<string, Candidate[]>();
  for (const candidate of candidates) {
    const key = ownerKey(candidate.parent.hostedZoneId, candidate.zone.name);
    byName.set(key, [...(byName.get(key) ?? []), candidate]);
  }
  const ordered = [...candidates].sort(
    (a, b) => a.zone.name.split('.').length - b.zone.name.split('.').length || a.zone.name.localeCompare(b.zone.name),
  );
  return ordered.map((candidate) => judgeCandidate(facts, candidate, byName, view));
}

function judgeCandidate(
  facts: AccountFacts,
  candidate: Candidate,
  byName: ReadonlyMap<string, Candidate[]>,
  view: ParentProjection,
): Decision {
  const { zone, parent, entry } = candidate;
  const parentZoneId = parent.hostedZoneId;
  const key = ownerKey(parentZoneId, zone.name);
  const owner = facts.owners.get(key);
  const ownsName = owner !== undefined && owner.zoneId === zone.zoneId && owner.account === facts.account;
  const reject = (reason: RejectReason, detail: string): Decision => ({
    kind: 'reject',
    zone,
    parentZoneId,
    base: entry,
    reason,
    detail,
  });

  const desired = desiredRecord(facts.config, zone);
  const found = view.nsAt(parentZoneId, zone.name);
  const standing = entry !== undefined && standsInParent(entry);
  // A record subzone stands for, still as recorded, stays: rejecting it would drop it from the
  // ledger and leave it behind, dangling, once its zone is deleted (invariants 2 and 5).
  if (standing && found !== undefined && sameValueSet(found.values, nsValues(entry))) {
    return judgeStanding(facts, zone, entry, desired, found, view);
  }
  if (owner !== undefined && !ownsName) {
    return reject('contested', `${zone.name} is owned by zone ${owner.zoneId} in account ${owner.account}`);
  }
  const siblings = byName.get(key) ?? [];
  if (!ownsName && siblings.length > 1) {
    const ids = siblings.map((sibling) => sibling.zone.zoneId).join(', ');
    return reject('duplicate-zone-name', `several zones named ${zone.name} claim it (${ids}) and none owns it`);
  }
  const above = view.delegationAbove(parentZoneId, zone.name);
  if (above !== undefined) return reject('below-delegation', `${zone.name} lies below the delegation at ${above}`);

  const others = view.at(parentZoneId, zone.name).filter((record) => record.type !== 'NS' && record.type !== 'DS');

  if (standing) return judgeStanding(facts, zone, entry, desired, found, view);
  if (others.length > 0) {
    return reject('name-in-use', `the parent holds ${others.map((record) => record.type).join(', ')} at ${zone.name}`);
  }
  if (found !== undefined && !sameValueSet(found.values, desired.values)) {
    return reject('delegated-elsewhere', `the parent already delegates ${zone.name} to other name servers`);
  }
  // Adopting an NS that already hides records below it would make subzone stand for the hiding (invariant 3).
  if (view.anyBelow(parentZoneId, zone.name)) {
    return reject('records-below-name', `the parent holds records below ${zone.name} that a delegation would hide`);
  }
  if (found !== undefined) {
    view.remove(parentZoneId, zone.name, 'NS');
    view.add(parentZoneId, found);
    return { kind: 'adopt', zone, parentZoneId, found, base: entry, reason: 'matching-record' };
  }
  view.add(parentZoneId, { name: zone.name, ...desired });
  return { kind: 'create', zone, parentZoneId, record: desired, base: entry, reason: 'new-delegation' };
}

/**
 * A delegation subzone already stands for: keep, update, re-create, report it occluded, or let
 * go if changed by hand. A record changed since subzone wrote it (values or TTL) is reported,
 * never changed (invariant 4); an update only follows a change of the config.
 */
function judgeStanding(
  facts: AccountFacts,
  zone: SpokeZone,
  entry: LedgerEntry,
  desired: LedgerRecord,
  found: RecordSet | undefined,
  view: ParentProjection,
): Decision {
  const parentZoneId = entry.parentZoneId;
  const changedOutside = (detail: string): Decision => ({
    kind: 'reject',
    zone,
    parentZoneId,
    base: entry,
    reason: 'changed-outside-subzone',
    detail,
  });
  if (found === undefined) {
    if (view.at(parentZoneId, zone.name).length > 0 || view.anyBelow(parentZoneId, zone.name)) {
      return changedOutside(`the NS record at ${zone.name} was replaced outside subzone`);
    }
    view.add(parentZoneId, { name: zone.name, ...desired });
    return { kind: 'create', zone, parentZoneId, record: desired, base: entry, reason: 'record-missing' };
  }
  if (!sameValueSet(found.values, nsValues(entry))) {
    return changedOutside(`the NS record at ${zone.name} no longer holds the values subzone recorded`);
  }
  if (!stillAsRecorded(entry, found)) {
    return changedOutside(`the TTL of the NS record at ${zone.name} was changed outside subzone (${nsTtl(entry)} to ${found.ttl})`);
  }
  const occlusion = occlusionOf(parentZoneId, zone.name, view);
  if (occlusion !== undefined) return judgeOccluded(facts, zone, entry, view, occlusion);
  if (entry.origin === 'written' && (found.ttl !== desired.ttl || !sameValueSet(found.values, desired.values))) {
    const reason = found.ttl !== desired.ttl ? 'ttl-changed' : 'values-changed';
    view.remove(parentZoneId, zone.name, 'NS');
    view.add(parentZoneId, { name: zone.name, ...desired });
    return { kind: 'update', zone, entry, found, record: desired, reason };
  }
  const ds = judgeDs(facts, zone, entry, view);
  return ds === undefined ? keep(entry, {}) : projectDs(view, ds);
}

/**
 * An occluded delegation stays while a person decides, and so does its DS duty: a DS left stale
 * beside a live NS would make every answer of the child fail validation. The occlusion is
 * reported first (with where the wait for a first DS stands), so that no DS write held back by
 * observe mode, a hold or the budget can hide it; the DS follows on the next reconcile. Below a
 * delegation above it the NS is not served: its DS may go, never come or change.
 */
function judgeOccluded(facts: AccountFacts, zone: SpokeZone, entry: LedgerEntry, view: ParentProjection, occlusion: Occlusion): Decision {
  const ds = judgeDs(facts, zone, entry, view);
  const wait: Partial<SigningWait> = ds === undefined ? {} : ds.kind === 'keep' ? ds : entry;
  const { signingSeenSince, signingChangeId } = wait;
  const report: Decision = { kind: 'occluded', entry, reason: 'occluded', detail: occlusion.detail, signingSeenSince, signingChangeId };
  if (ds === undefined || ds.kind === 'keep' || entry.occludedSince === undefined) return report;
  if (occlusion.hidden && ds.kind === 'ds' && ds.record !== undefined) return report;
  return projectDs(view, ds);
}

/** Where the wait for a first DS stands, to remember on the entry. */
type SigningWait = Pick<DsWanted, 'signingSeenSince' | 'signingChangeId'>;

function keep(entry: LedgerEntry, wait: Partial<SigningWait>): Decision {
  const { signingSeenSince, signingChangeId } = wait;
  return { kind: 'keep', entry, clearRemovable: entry.removableSince !== undefined, reason: 'in-place', signingSeenSince, signingChangeId };
}

/**
 * The DS next to a delegation whose NS is in place: publish, change or withdraw it, or keep it.
 * A DS subzone wrote and a person changed since is reported, never changed (invariant 4).
 * Undefined when DNSSEC is off and the entry holds no DS: nothing about DS is decided.
 */
function judgeDs(facts: AccountFacts, zone: SpokeZone, entry: LedgerEntry, view: ParentProjection): Decision | undefined {
  const held = recordedDs(entry);
  if (!facts.config.dnssec.enabled && held === undefined) return undefined;
  const found = dsAt(view, entry);
  // A DS subzone never wrote is not its own: left as it is (`subzone audit` judges it), the NS kept.
  if (found !== undefined && held === undefined) return keep(entry, entry);
  if (found !== undefined && !isRecordedDs(entry, found)) {
    const detail = `the DS record at ${zone.name} no longer holds what subzone wrote`;
    return { kind: 'reject', zone, parentZoneId: entry.parentZoneId, base: entry, reason: 'changed-outside-subzone', detail };
  }
  const wanted = wantedDs(facts.config, zone, entry, facts.now, facts.signingChanges?.get(zone.zoneId));
  const { record, signingSeenSince, signingChangeId } = wanted;
  if (record === undefined && found === undefined) return keep(entry, wanted);
  if (record !== undefined && found !== undefined && record.ttl === found.ttl && sameDsValues(record.values, found.values)) {
    return keep(entry, wanted);
  }
  const reason: DsReason = record === undefined ? 'ds-withdrawn' : found === undefined ? 'ds-published' : 'ds-updated';
  return { kind: 'ds', entry, found, record, signingSeenSince, signingChangeId, reason };
}

/** Shows a DS decision's change in the projected parent, for the claims judged after it. */
function projectDs(view: ParentProjection, decision: Decision): Decision {
  if (decision.kind !== 'ds') return decision;
  view.remove(decision.entry.parentZoneId, decision.entry.name, 'DS');
  if (decision.record !== undefined) view.add(decision.entry.parentZoneId, { name: decision.entry.name, ...decision.record });
  return decision;
}

/** Why a standing delegation no longer answers for its name alone. */
interface Occlusion {
  /** A delegation above hides this one (else it hides records below it). */
  readonly hidden: boolean;
  readonly detail: string;
}

/** Why a standing delegation no longer answers for its name alone, if it does not. */
function occlusionOf(parentZoneId: ZoneId, name: DnsName, view: ParentProjection): Occlusion | undefined {
  const above = view.delegationAbove(parentZoneId, name);
  if (above !== undefined) return { hidden: true, detail: `${name} lies below the delegation at ${above}` };
  if (view.anyBelow(parentZoneId, name))
    return { hidden: false, detail: `the parent holds records below ${name}, which the delegation hides` };
  return undefined;
}

/** Decisions that would write at a name an operator holds are frozen instead (docs/safety-rails.md, holds). */
export function freezeHeldNames(decision: Decision, controls: Controls): Decision {
  if (controls.holds.length === 0) return decision;
  const { name } = subjectOf(decision);
  const writes = ['create', 'adopt', 'update', 'remove', 'disown', 'ds'].includes(decision.kind);
  if (writes && controls.holds.includes(name)) return { kind: 'frozen', name, instead: decision };
  return decision;
}

/** The hosted zone and the name a decision is about. */
export function subjectOf(decision: Decision): { readonly zoneId: ZoneId; readonly name: DnsName } {
  switch (decision.kind) {
    case 'create':
    case 'adopt':
    case 'update':
    case 'reject':
    case 'ignore':
      return { zoneId: decision.zone.zoneId, name: decision.zone.name };
    case 'frozen':
      return subjectOf(decision.instead);
    default:
      return { zoneId: decision.entry.zoneId, name: decision.entry.name };
  }
}

/** The changes a decision sends to Route 53: CREATE and DELETE only, DELETE exactly as read. */
export function changesOf(decision: Decision): RecordChange[] {
  switch (decision.kind) {
    case 'create':
      return [{ action: 'CREATE', record: { name: decision.zone.name, ...decision.record } }];
    case 'update':
      return [
        { action: 'DELETE', record: decision.found },
        { action: 'CREATE', record: { name: decision.zone.name, ...decision.record } },
      ];
    case 'remove':
      return [
        ...(decision.foundDs ? [{ action: 'DELETE' as const, record: decision.foundDs }] : []),
        { action: 'DELETE', record: decision.found },
      ];
    case 'ds':
      return [
        ...(decision.found ? [{ action: 'DELETE' as const, record: decision.found }] : []),
        ...(decision.record ? [{ action: 'CREATE' as const, record: { name: decision.entry.name, ...decision.record } }] : []),
      ];
    default:
      return [];
  }
}
