/** Record sets as the emulated Route 53 stores them, in the order it lists them. */
import BTree from 'sorted-btree';
import type { DnsName } from '../../functions/core/types';
import { orderKey } from '../domain-names';

/** The record types of Route 53's `RRType` enumeration. */
export const RECORD_TYPES = [
  'SOA',
  'A',
  'TXT',
  'NS',
  'CNAME',
  'MX',
  'NAPTR',
  'PTR',
  'SRV',
  'SPF',
  'AAAA',
  'CAA',
  'DS',
  'TLSA',
  'SSHFP',
  'SVCB',
  'HTTPS',
] as const;

export type RecordType = (typeof RECORD_TYPES)[number];

/** True for a member of Route 53's `RRType` enumeration. */
export function isRecordType(type: string): type is RecordType {
  return (RECORD_TYPES as readonly string[]).includes(type);
}

/** A stored record set: canonical name, values exactly as submitted. */
export interface StoredRecordSet {
  readonly name: DnsName;
  readonly type: RecordType;
  readonly ttl: number;
  readonly values: readonly string[];
}

/** Ends a name's part of a record key; below every character of an order key. */
const NAME_END = '\u0000';

/**
 * The key of a record set in its zone: one set per name and type. Keys sort as
 * ListResourceRecordSets lists (API_ListResourceRecordSets.html, "Sort order"): by name with
 * the labels reversed (see orderKey), then "by the record type" for one name.
 */
export function recordKey(name: DnsName, type: string): string {
  return `${orderKey(name)}${NAME_END}${type}`;
}

/**
 * A zone's record sets, kept in listing order (a B+ tree) so that a page costs
 * O(log n + page) and a change O(log n), whatever the zone's size. `edit()` returns a copy
 * that shares every node until written to (copy on write), so a change batch is applied to a
 * copy in time proportional to the batch and thrown away whole when it fails.
 */
export class RecordSetStore implements ReadonlyMap<string, StoredRecordSet> {
  private constructor(private readonly tree: BTree<string, StoredRecordSet>) {}

  static of(sets: Iterable<StoredRecordSet>): RecordSetStore {
    const store = new RecordSetStore(new BTree<string, StoredRecordSet>());
    for (const set of sets) store.put(set);
    return store;
  }

  get size(): number {
    return this.tree.size;
  }

  get(key: string): StoredRecordSet | undefined {
    return this.tree.get(key);
  }

  has(key: string): boolean {
    return this.tree.has(key);
  }

  /** A copy to apply changes to; this store stays as it is. */
  edit(): RecordSetStore {
    return new RecordSetStore(this.tree.clone());
  }

  /** Adds or replaces the set of its name and type, in this store: write to a copy from `edit()`. */
  put(set: StoredRecordSet): void {
    this.tree.set(recordKey(set.name, set.type), set);
  }

  /** Removes the set of that name and type, from this store: write to a copy from `edit()`. */
  remove(name: DnsName, type: string): void {
    this.tree.delete(recordKey(name, type));
  }

  /** Every set of one name, in type order. */
  setsNamed(name: DnsName): StoredRecordSet[] {
    const first = `${orderKey(name)}${NAME_END}`;
    return this.from(first, (key) => key.startsWith(first));
  }

  /**
   * True when some set lies below `name`. A descendant's key extends the name's order key with
   * more labels (characters from 2 up); the name's own keys continue with NAME_END instead.
   */
  hasBelow(name: DnsName): boolean {
    const prefix = orderKey(name);
    for (const [key] of this.tree.entries(`${prefix}\u0001`)) return key.startsWith(prefix);
    return false;
  }

  /** Up to `count` sets from `key` on (inclusive), in listing order. */
  page(key: string, count: number): StoredRecordSet[] {
    return this.from(key, (_key, taken) => taken < count);
  }

  *entries(): MapIterator<[string, StoredRecordSet]> {
    yield* this.tree.entries();
  }

  *keys(): MapIterator<string> {
    yield* this.tree.keys();
  }

  *values(): MapIterator<StoredRecordSet> {
    yield* this.tree.values();
  }

  [Symbol.iterator](): MapIterator<[string, StoredRecordSet]> {
    return this.entries();
  }

  forEach(callback: (value: StoredRecordSet, key: string, map: ReadonlyMap<string, StoredRecordSet>) => void): void {
    for (const [key, value] of this.tree.entries()) callback(value, key, this);
  }

  private from(key: string, keepGoing: (key: string, taken: number) => boolean): StoredRecordSet[] {
    const sets: StoredRecordSet[] = [];
    for (const [current, set] of this.tree.entries(key)) {
      if (!keepGoing(current, sets.length)) break;
      sets.push(set);
    }
    return sets;
  }
}
