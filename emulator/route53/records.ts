/** Record sets as the emulated Route 53 stores them, and the order it lists them in. */
import { compareCanonicalOrder } from '../../functions/core/names';
import type { DnsName } from '../../functions/core/types';

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

/** The key of a record set in its zone: one set per name and type. */
export function recordKey(name: DnsName, type: string): string {
  return `${name}\u0000${type}`;
}

/** Route 53's listing order: names by reversed labels, then types alphabetically. */
export function compareRecordSets(
  a: { readonly name: DnsName; readonly type: string },
  b: { readonly name: DnsName; readonly type: string },
): number {
  return compareCanonicalOrder(a.name, b.name) || (a.type < b.type ? -1 : a.type > b.type ? 1 : 0);
}
