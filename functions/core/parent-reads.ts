/**
 * Which parent records an invocation needs, decided before any is read: the names its live
 * zones may claim (the allowlist decides that alone, so a zone no rule allows costs no hub
 * call), the names its in-scope delegations stand at, and the names of unresolved intents.
 * Each parent zone is then read once, around all of them.
 */
import { isAtOrBelow, namesBetween } from './names';
import type { ServedParent } from './parent-slices';
import { claimableParent, standsInParent } from './policy';
import type { ParentZoneStore } from './ports';
import type { AccountId, DnsName, LedgerEntry, ParentView, RecordSet, SpokeSnapshot, SubzoneConfig, ZoneId } from './types';

/** What one account of the invocation brings to the parent reads. */
export interface AccountReadNeeds {
  readonly account: AccountId;
  /** The account's zones as read; undefined when the account could not be read. */
  readonly snapshot: SpokeSnapshot | undefined;
  readonly entries: readonly LedgerEntry[];
  /** Delegations of an unreadable account matter only to a sweep (which may confirm them dangling). */
  readonly sweeping: boolean;
}

/** The names to read in each parent zone, and the parents an account may create a delegation in. */
export interface ParentReadPlan {
  readonly names: ReadonlyMap<ZoneId, ReadonlySet<DnsName>>;
  /** Per parent zone: the accounts with a live claim there, new or standing (they take the parent's lease). */
  readonly claimants: ReadonlyMap<ZoneId, ReadonlySet<AccountId>>;
}

export function planParentReads(accounts: readonly AccountReadNeeds[], config: SubzoneConfig): ParentReadPlan {
  const names = new Map<ZoneId, Set<DnsName>>();
  const claimants = new Map<ZoneId, Set<AccountId>>();
  const add = <T>(map: Map<ZoneId, Set<T>>, parentZoneId: ZoneId, value: T) =>
    map.set(parentZoneId, (map.get(parentZoneId) ?? new Set()).add(value));
  for (const { account, snapshot, entries, sweeping } of accounts) {
    for (const zone of snapshot?.zones ?? []) {
      const parent = claimableParent(config, account, zone);
      if (parent === undefined) continue;
      add(names, parent.hostedZoneId, zone.name);
      // A standing delegation may be written again (its record deleted by hand), so it is a
      // claimant too: only delegations of zones that can no longer claim stay out of the lease.
      add(claimants, parent.hostedZoneId, account);
    }
    for (const entry of entries) {
      if (entry.intent !== undefined || (standsInParent(entry) && isInScope(entry, snapshot, sweeping))) {
        add(names, entry.parentZoneId, entry.name);
      }
    }
  }
  return { names, claimants };
}

/** True when the reconcile decides about this entry's delegation. */
function isInScope(entry: LedgerEntry, snapshot: SpokeSnapshot | undefined, sweeping: boolean): boolean {
  if (snapshot === undefined) return sweeping;
  if (snapshot.unknownZoneIds?.includes(entry.zoneId)) return false;
  return snapshot.scope.kind === 'account' || snapshot.coveredZoneIds.includes(entry.zoneId);
}

/** The parents read, and the ones that could not be (nothing may be decided on those). */
export interface ParentReads {
  readonly views: readonly ParentView[];
  readonly failures: ReadonlyMap<ZoneId, Error>;
}

/**
 * Reads each managed parent zone of the plan once, around the names the sweep's slices do not
 * answer for (parent-slices.ts); a parent whose names the slices all answer for is not read.
 * Parent zones no longer managed (dropped from the config) are never read.
 */
export async function readParents(
  plan: ParentReadPlan,
  config: SubzoneConfig,
  store: ParentZoneStore,
  served: ReadonlyMap<ZoneId, ServedParent> = new Map(),
): Promise<ParentReads> {
  const views: ParentView[] = [];
  const failures = new Map<ZoneId, Error>();
  for (const parent of config.parentZones) {
    const wanted = plan.names.get(parent.hostedZoneId);
    if (wanted === undefined) continue;
    const sliced = served.get(parent.hostedZoneId);
    const fresh = [...wanted].filter((name) => !sliced?.names.has(name));
    try {
      const read = fresh.length > 0 ? (await store.readAround(parent.hostedZoneId, parent.name, fresh)).records : [];
      const records = mergeWithSlices(read, fresh, parent.name, sliced?.records ?? []);
      views.push({ parentZoneId: parent.hostedZoneId, apex: parent.name, records });
    } catch (error) {
      failures.set(parent.hostedZoneId, error instanceof Error ? error : new Error(String(error)));
    }
  }
  return { views, failures };
}

/**
 * The records a parent's view is built from: the narrow read's, and the slices' outside what the
 * narrow read covered (the subtrees of its names, and the NS at the names above them).
 */
function mergeWithSlices(
  read: readonly RecordSet[],
  readNames: readonly DnsName[],
  apex: DnsName,
  sliced: readonly RecordSet[],
): RecordSet[] {
  if (sliced.length === 0) return [...read];
  const above = new Set(readNames.flatMap((name) => namesBetween(name, apex)));
  const covered = (record: RecordSet) =>
    readNames.some((name) => isAtOrBelow(record.name, name)) || (record.type === 'NS' && above.has(record.name));
  return [...read, ...sliced.filter((record) => !covered(record))];
}
