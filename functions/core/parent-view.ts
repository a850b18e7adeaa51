/**
 * The parent zones as read, and as they will be once the decisions taken so far in this
 * invocation are applied. Claims are judged against this projection, shortest name first,
 * so two claims in one batch cannot both be accepted when one would occlude the other.
 */
import { isStrictlyBelow, namesBetween, sameValueSet } from './names';
import type { DnsName, ParentView, RecordSet, ZoneId } from './types';

export class ProjectedParents {
  private readonly records = new Map<ZoneId, RecordSet[]>();
  private readonly apexes = new Map<ZoneId, DnsName>();

  constructor(views: Iterable<ParentView>) {
    for (const view of views) {
      this.records.set(view.parentZoneId, [...view.records]);
      this.apexes.set(view.parentZoneId, view.apex);
    }
  }

  /** True when the parent was read (a decision on an unread parent is never made). */
  has(parentZoneId: ZoneId): boolean {
    return this.records.has(parentZoneId);
  }

  /** Every record set at exactly `name`. */
  at(parentZoneId: ZoneId, name: DnsName): RecordSet[] {
    return this.of(parentZoneId).filter((record) => record.name === name);
  }

  /** The NS record set at `name`, if any. */
  nsAt(parentZoneId: ZoneId, name: DnsName): RecordSet | undefined {
    return this.at(parentZoneId, name).find((record) => record.type === 'NS');
  }

  /** True when any record lies strictly below `name`. */
  anyBelow(parentZoneId: ZoneId, name: DnsName): boolean {
    return this.of(parentZoneId).some((record) => isStrictlyBelow(record.name, name));
  }

  /** The nearest-the-apex delegation point strictly between the apex and `name`, if any. */
  delegationAbove(parentZoneId: ZoneId, name: DnsName): DnsName | undefined {
    const apex = this.apexes.get(parentZoneId);
    if (apex === undefined) return undefined;
    return namesBetween(name, apex).find((between) => this.nsAt(parentZoneId, between) !== undefined);
  }

  /** Records that a CREATE of `record` will exist after this invocation's writes. */
  add(parentZoneId: ZoneId, record: RecordSet): void {
    this.of(parentZoneId).push(record);
  }

  /** Records that the record set `name`/`type` will be gone after this invocation's writes. */
  remove(parentZoneId: ZoneId, name: DnsName, type: string): void {
    const kept = this.of(parentZoneId).filter((record) => !(record.name === name && record.type === type));
    this.records.set(parentZoneId, kept);
  }

  /** True when the NS at `name` holds exactly `values` (as normalised sets). */
  nsHolds(parentZoneId: ZoneId, name: DnsName, values: readonly string[]): boolean {
    const ns = this.nsAt(parentZoneId, name);
    return ns !== undefined && sameValueSet(ns.values, values);
  }

  private of(parentZoneId: ZoneId): RecordSet[] {
    const records = this.records.get(parentZoneId);
    if (records === undefined) throw new Error(`parent zone ${parentZoneId} was not read`);
    return records;
  }
}
