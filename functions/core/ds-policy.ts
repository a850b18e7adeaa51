/**
 * The DS record subzone manages next to a delegation's NS, when the config turns DNSSEC on
 * (docs/dnssec.md). Pure: the zone's signing and the ledger entry in, the DS wanted out.
 * A DS goes into the parent only after its NS, once the child signs with an active key, its
 * signing change (when known) is INSYNC, and the previous maximum TTL (the NS TTL) has passed
 * since then; it goes out before its NS.
 */
import { dsTtlFor, winningRule } from './rules';
import type { LedgerEntry, LedgerRecord, RecordSet, SigningChange, SpokeZone, SubzoneConfig } from './types';

/** What a standing delegation's DS should be now. */
export interface DsWanted {
  /** The DS record to hold, or undefined for none. */
  readonly record: LedgerRecord | undefined;
  /** When the wait for a first DS began (kept on the ledger entry), or undefined while it has not. */
  readonly signingSeenSince: string | undefined;
  /** The signing change still PENDING (kept on the ledger entry, asked again next time), if any. */
  readonly signingChangeId: string | undefined;
}

const NOTHING: DsWanted = { record: undefined, signingSeenSince: undefined, signingChangeId: undefined };

/** One DS value in a single spelling: whitespace collapsed, digest upper case (Route 53 may return either case). */
export function canonicalDsValue(value: string): string {
  return value.trim().split(/\s+/).join(' ').toUpperCase();
}

/** True when two DS value sets hold the same values, in any order and spelling. */
export function sameDsValues(a: readonly string[], b: readonly string[]): boolean {
  const left = [...new Set(a.map(canonicalDsValue))].sort();
  const right = [...new Set(b.map(canonicalDsValue))].sort();
  return left.length === right.length && left.every((value, index) => value === right[index]);
}

/** The DS record an entry stands for in its parent, if any. */
export function recordedDs(entry: LedgerEntry): LedgerRecord | undefined {
  return entry.records.find((record) => record.type === 'DS');
}

/** True when the parent's DS is exactly the one the entry records (values and TTL). */
export function isRecordedDs(entry: LedgerEntry, found: RecordSet): boolean {
  const recorded = recordedDs(entry);
  return recorded !== undefined && recorded.ttl === found.ttl && sameDsValues(recorded.values, found.values);
}

/**
 * The DS a standing delegation should hold: the DSRecord of every active key but the one the
 * team retires, none when the zone does not sign, has no active key, carries `subzone:dnssec=off`,
 * or DNSSEC is off in the config. A first DS waits while the signing change (`change`, from
 * GetChange, when its id is known) is PENDING, then for the NS TTL from when signing was seen
 * with no change pending: the wait starts only once Route 53 serves the signatures everywhere.
 */
export function wantedDs(config: SubzoneConfig, zone: SpokeZone, entry: LedgerEntry, now: Date, change?: SigningChange): DsWanted {
  const signing = zone.dnssec;
  if (!config.dnssec.enabled || signing === undefined || !signing.signing || signing.activeKeys.length === 0) return NOTHING;
  if (change?.status === 'PENDING' && recordedDs(entry) === undefined) return { ...NOTHING, signingChangeId: change.id };
  const signingSeenSince = entry.signingSeenSince ?? now.toISOString();
  const values = signing.activeKeys.filter((key) => key.name !== signing.retiredKey).map((key) => canonicalDsValue(key.dsRecord));
  if (signing.dsOff || values.length === 0) return { record: undefined, signingSeenSince, signingChangeId: undefined };
  const rule = winningRule(config, zone.name);
  const record: LedgerRecord = { type: 'DS', ttl: rule === undefined ? config.dnssec.dsTtl : dsTtlFor(config, rule), values };
  // Once a DS stands, a new key's DS follows at once (a rollover); the first waits out the NS TTL.
  const nsTtl = entry.records.find((held) => held.type === 'NS')?.ttl ?? config.nsTtl;
  const waited = now.getTime() >= Date.parse(signingSeenSince) + nsTtl * 1000;
  return { record: recordedDs(entry) !== undefined || waited ? record : undefined, signingSeenSince, signingChangeId: undefined };
}
