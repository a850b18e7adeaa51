/**
 * Parent zones in memory, behaving like Route 53's change batches: a batch applies whole or
 * not at all; a DELETE must name the record set exactly as stored (compare-and-swap) and a
 * CREATE must find no record set of that name and type, or the batch is refused with
 * ChangeConflictError. Names are compared as plain strings (the tests use canonical names).
 */
import { ChangeConflictError, ParentReadError } from '../../functions/core/errors';
import { compareCanonicalOrder } from '../../functions/core/names';
import type { ParentZonePages, ParentZoneStore, ZonePage, ZonePageCursor } from '../../functions/core/ports';
import type { ChangeBatch, DnsName, ParentView, RecordSet, ZoneId } from '../../functions/core/types';
import { tick } from './fake-clock';

const below = (name: DnsName, ancestor: DnsName): boolean => name.endsWith(`.${ancestor}`);
const sameValues = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && [...a].sort().every((value, index) => value === [...b].sort()[index]);

export class FakeParentStore implements ParentZoneStore, ParentZonePages {
  private readonly zones = new Map<ZoneId, { apex: DnsName; records: RecordSet[] }>();
  /** Every batch applied, in order. */
  readonly applied: ChangeBatch[] = [];
  /** The names asked for in each read, in order. */
  readonly reads: Array<{ readonly parentZoneId: ZoneId; readonly names: readonly DnsName[] }> = [];
  /** The pages read whole (readPage), in order: the zone, and where each page began. */
  readonly pageReads: Array<{ readonly parentZoneId: ZoneId; readonly from: string | undefined }> = [];
  /** Record sets per page of readPage (Route 53 returns 300). */
  pageSize = 300;
  /** Parent zones whose reads fail. */
  readonly unreadable = new Set<ZoneId>();
  /** Runs before each batch is applied (a test's hook to change the zone meanwhile). */
  beforeApply: (batch: ChangeBatch) => void = () => undefined;

  constructor(zones: ReadonlyArray<{ readonly parentZoneId: ZoneId; readonly apex: DnsName; readonly records?: readonly RecordSet[] }>) {
    for (const zone of zones) this.zones.set(zone.parentZoneId, { apex: zone.apex, records: [...(zone.records ?? [])] });
  }

  /** Every record set of a zone, as stored now. */
  records(parentZoneId: ZoneId): RecordSet[] {
    return [...this.zone(parentZoneId).records];
  }

  /** The record set of a name and type, if any. */
  find(parentZoneId: ZoneId, name: DnsName, type = 'NS'): RecordSet | undefined {
    return this.zone(parentZoneId).records.find((record) => record.name === name && record.type === type);
  }

  /** Changes a zone outside subzone, as a person would in the console. */
  put(parentZoneId: ZoneId, record: RecordSet): void {
    this.drop(parentZoneId, record.name, record.type);
    this.zone(parentZoneId).records.push(record);
  }

  drop(parentZoneId: ZoneId, name: DnsName, type: string): void {
    const zone = this.zone(parentZoneId);
    zone.records = zone.records.filter((record) => !(record.name === name && record.type === type));
  }

  async describeZone(parentZoneId: ZoneId): Promise<{ readonly name: DnsName; readonly privateZone: boolean }> {
    await tick();
    return { name: this.zone(parentZoneId).apex, privateZone: false };
  }

  async readAround(parentZoneId: ZoneId, apex: DnsName, names: readonly DnsName[]): Promise<ParentView> {
    this.reads.push({ parentZoneId, names: [...names] });
    await tick();
    if (this.unreadable.has(parentZoneId)) throw new ParentReadError(parentZoneId);
    const records = this.zone(parentZoneId).records.filter((record) =>
      names.some(
        (name) =>
          record.name === name ||
          below(record.name, name) ||
          (record.type === 'NS' && below(name, record.name) && below(record.name, apex)),
      ),
    );
    return { parentZoneId, apex, records: structuredClone(records) };
  }

  /**
   * One page of `pageSize` record sets in canonical order; the cursor is the offset of the next
   * page (Route 53's names the next record: the core never looks inside either).
   */
  async readPage(parentZoneId: ZoneId, from: ZonePageCursor | undefined): Promise<ZonePage> {
    this.pageReads.push({ parentZoneId, from: from?.name });
    await tick();
    if (this.unreadable.has(parentZoneId)) throw new ParentReadError(parentZoneId);
    const sorted = [...this.zone(parentZoneId).records].sort(
      (a, b) => compareCanonicalOrder(a.name, b.name) || a.type.localeCompare(b.type),
    );
    const start = from === undefined ? 0 : Number(from.name);
    const records = structuredClone(sorted.slice(start, start + this.pageSize));
    const end = start + this.pageSize;
    return end < sorted.length ? { records, next: { name: String(end) } } : { records };
  }

  async applyBatch(batch: ChangeBatch): Promise<string> {
    this.beforeApply(batch);
    await tick();
    const zone = this.zone(batch.parentZoneId);
    let next = [...zone.records];
    for (const { action, record } of batch.changes) {
      const index = next.findIndex((stored) => stored.name === record.name && stored.type === record.type);
      const stored = next[index];
      if (action === 'DELETE') {
        if (stored === undefined || stored.ttl !== record.ttl || !sameValues(stored.values, record.values)) {
          throw new ChangeConflictError(batch.parentZoneId, [
            `Tried to delete resource record set [name='${record.name}', type='${record.type}'] but it was not found`,
          ]);
        }
        next = next.filter((_, at) => at !== index);
      } else {
        if (stored !== undefined) {
          throw new ChangeConflictError(batch.parentZoneId, [
            `Tried to create resource record set [name='${record.name}', type='${record.type}'] but it already exists`,
          ]);
        }
        next.push(record);
      }
    }
    zone.records = next;
    this.applied.push(structuredClone(batch));
    return `/change/C${this.applied.length}`;
  }

  private zone(parentZoneId: ZoneId): { apex: DnsName; records: RecordSet[] } {
    const zone = this.zones.get(parentZoneId);
    if (zone === undefined) throw new Error(`fake parent store has no zone ${parentZoneId}`);
    return zone;
  }
}
