/**
 * A sweep reads each parent zone once (sweep-reading.ts) and hands every account its slice of
 * that reading in its sweep message; the account's reconcile then judges its standing
 * delegations against the slice instead of reading the parent again.
 *
 * A slice only ever spares a read. A name is judged on it when the slice shows the NS (and the
 * DS, or no DS) at the name exactly as the ledger entry records them, the entry has no write
 * pending, and no other zone of the account claims the name: such a delegation can be kept,
 * updated (DELETE exactly as read, which Route 53 refuses if the record changed since) or
 * reported occluded, never created or adopted. Every other name (a new claim, a record missing
 * or changed, a pending intent, a name without a slice) is read narrowly, under the parent's
 * lease, just before it is judged, as an event's names are: a CREATE, which succeeds when
 * records appeared below its name, is only ever decided on a reading made then.
 */
import { isRecordedDs, recordedDs } from './ds-policy';
import { namesBetween, sameValueSet } from './names';
import { planParentReads, type AccountReadNeeds } from './parent-reads';
import { claimableParent, nsValues, standsInParent } from './policy';
import type { DnsName, LedgerEntry, ParentSlice, ParentZoneConfig, RecordSet, SubzoneConfig, SweepSlice, ZoneId } from './types';

/** Every record of one parent zone as a sweep's reading found them, indexed for slicing. */
export class ParentReading {
  /** The records at or below each name. */
  private readonly atOrBelow = new Map<DnsName, RecordSet[]>();
  /** The NS record at each name, looked up for every name above a delegation (a scan of atOrBelow would be quadratic). */
  private readonly nsAt = new Map<DnsName, RecordSet>();

  constructor(
    readonly parent: ParentZoneConfig,
    records: readonly RecordSet[],
  ) {
    for (const record of records) {
      if (record.type === 'NS') this.nsAt.set(record.name, record);
      for (const name of [record.name, ...namesBetween(record.name, parent.name)]) {
        const list = this.atOrBelow.get(name);
        if (list === undefined) this.atOrBelow.set(name, [record]);
        else list.push(record);
      }
    }
  }

  /** Every record at or below each name, and the NS records at the names between the apex and them. */
  slice(names: readonly DnsName[]): ParentSlice {
    const records = new Set<RecordSet>();
    for (const name of names) {
      for (const record of this.atOrBelow.get(name) ?? []) records.add(record);
      for (const between of namesBetween(name, this.parent.name)) {
        const ns = this.nsAt.get(between);
        if (ns !== undefined) records.add(ns);
      }
    }
    return { parentZoneId: this.parent.hostedZoneId, names: [...names], records: [...records] };
  }
}

/** An account's slice of the readings: the names of its standing delegations in each parent read. */
export function sliceFor(entries: readonly LedgerEntry[], readings: readonly ParentReading[], readAt: string): SweepSlice | undefined {
  const parents: ParentSlice[] = [];
  for (const reading of readings) {
    const names = entries
      .filter((entry) => standsInParent(entry) && entry.parentZoneId === reading.parent.hostedZoneId)
      .map((entry) => entry.name);
    if (names.length > 0) parents.push(reading.slice([...new Set(names)].sort()));
  }
  return parents.length > 0 ? { readAt, parents } : undefined;
}

/** An account of the invocation, with the slice its sweep message carried, if any. */
export interface SlicedAccount extends AccountReadNeeds {
  readonly slice: SweepSlice | undefined;
}

/** What the slices answer for in one parent zone: the names judged on them, and their records. */
export interface ServedParent {
  readonly names: ReadonlySet<DnsName>;
  readonly records: readonly RecordSet[];
}

/**
 * The names of each parent zone the accounts' slices answer for, with the slices' records.
 * A name some account needs read afresh is read afresh for every account. Slices of an older
 * reading than the newest among the accounts are left aside (a backlog of sweeps).
 */
export function servedBySlices(accounts: readonly SlicedAccount[], config: SubzoneConfig): ReadonlyMap<ZoneId, ServedParent> {
  const newest = accounts.reduce((latest, { slice }) => (slice !== undefined && slice.readAt > latest ? slice.readAt : latest), '');
  const served = new Map<ZoneId, Set<DnsName>>();
  const fresh = new Map<ZoneId, Set<DnsName>>();
  const records = new Map<ZoneId, Map<string, RecordSet>>();
  const add = <T>(map: Map<ZoneId, Set<T>>, parentZoneId: ZoneId, value: T) =>
    map.set(parentZoneId, (map.get(parentZoneId) ?? new Set()).add(value));
  for (const account of accounts) {
    const slice = account.slice?.readAt === newest ? account.slice : undefined;
    const servable = servableEntries(account, slice, config);
    for (const [parentZoneId, names] of planParentReads([account], config).names) {
      for (const name of names) add(servable.has(`${parentZoneId}|${name}`) ? served : fresh, parentZoneId, name);
    }
    for (const part of slice?.parents ?? []) {
      const kept = records.get(part.parentZoneId) ?? new Map<string, RecordSet>();
      for (const record of part.records) kept.set(JSON.stringify(record), record);
      records.set(part.parentZoneId, kept);
    }
  }
  const result = new Map<ZoneId, ServedParent>();
  for (const [parentZoneId, names] of served) {
    const kept = [...names].filter((name) => !fresh.get(parentZoneId)?.has(name));
    if (kept.length > 0) result.set(parentZoneId, { names: new Set(kept), records: [...(records.get(parentZoneId)?.values() ?? [])] });
  }
  return result;
}

/** The `parent|name` of each entry the slice shows exactly as recorded, and that no other zone of the account claims. */
function servableEntries(account: SlicedAccount, slice: SweepSlice | undefined, config: SubzoneConfig): Set<string> {
  const servable = new Set<string>();
  if (slice === undefined) return servable;
  for (const entry of account.entries) {
    const part = slice.parents.find((candidate) => candidate.parentZoneId === entry.parentZoneId);
    if (part === undefined || !part.names.includes(entry.name) || !showsAsRecorded(part, entry)) continue;
    const rival = (account.snapshot?.zones ?? []).some(
      (zone) =>
        zone.name === entry.name &&
        zone.zoneId !== entry.zoneId &&
        claimableParent(config, account.account, zone)?.hostedZoneId === entry.parentZoneId,
    );
    if (!rival) servable.add(`${entry.parentZoneId}|${entry.name}`);
  }
  return servable;
}

/** True when the entry stands, with nothing pending, and the slice holds its NS and DS exactly as it records them. */
function showsAsRecorded(part: ParentSlice, entry: LedgerEntry): boolean {
  if (entry.state !== 'delegated' || entry.intent !== undefined || !standsInParent(entry)) return false;
  const at = part.records.filter((record) => record.name === entry.name);
  const ns = at.filter((record) => record.type === 'NS');
  const ds = at.filter((record) => record.type === 'DS');
  const recordedNs = entry.records.find((record) => record.type === 'NS');
  const nsAsRecorded = ns.length === 1 && recordedNs?.ttl === ns[0]?.ttl && sameValues(ns[0]?.values ?? [], nsValues(entry));
  const dsAsRecorded = recordedDs(entry) === undefined ? ds.length === 0 : ds.length === 1 && isRecordedDs(entry, ds[0] as RecordSet);
  return nsAsRecorded && dsAsRecorded;
}

/** Name-server values compared as sets; a value that is no name matches nothing. */
function sameValues(found: readonly string[], recorded: readonly string[]): boolean {
  try {
    return sameValueSet(found, recorded);
  } catch {
    return false;
  }
}
