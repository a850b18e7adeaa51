/**
 * Watches every change batch Route 53 applies during a chaos run, and checks on each of
 * subzone's writes the invariants the README lists: only NS and DS, only in the configured
 * parent zone, never at its apex; creations only for a valid claim, and never under a
 * delegation or over records; no record changed that subzone did not write or adopt; no
 * delegation of a live, opted-in, allowed zone removed; every write in the ledger first.
 *
 * A batch is subzone's unless the harness applied it by hand (`byHand`): the harness makes
 * no Route 53 write of its own over HTTP, and runs one scenario at a time.
 */
import type { AppliedChangeBatch } from '../../emulator/route53/state';
import type { StoredRecordSet } from '../../emulator/route53/records';
import type { ZoneId } from '../../functions/core/types';
import { canonical, isStrictlyBelow, isValidClaim, valuesKey, winningRule, type ChildZone, type TruthPolicy } from './truth';

/** One broken invariant, as the report and the findings show it. */
export interface Violation {
  readonly invariant: string;
  readonly message: string;
}

export type Author = 'subzone' | 'hand';

/** What the monitor knows of one record set in the parent: who wrote it as it is now. */
interface Authored {
  readonly author: Author;
  readonly ttl: number;
  readonly values: string;
}

export interface MonitorContext {
  readonly parentZoneId: ZoneId;
  policy(): TruthPolicy;
  /** Every child zone that exists now. */
  liveZones(): readonly ChildZone[];
  /** Every child zone created in the run, gone or not. */
  everyZone(): readonly ChildZone[];
  /** A write's intent was sent to the ledger before (action, name, type, values). */
  intentRecorded(key: string): boolean;
}

/** The key of a change as the monitor and the ledger tap compare them. */
export function changeKey(action: string, name: string, type: string, values: readonly string[]): string {
  return `${action}|${canonical(name)}|${type}|${valuesKey(values)}`;
}

export class WriteMonitor {
  readonly violations: Violation[] = [];
  /** Batches subzone wrote, for the stability check. */
  subzoneBatches = 0;
  private authors = new Map<string, Authored>();
  private handDepth = 0;

  constructor(private readonly context: MonitorContext) {}

  /** Runs `edit` (an in-process Route 53 change) as a person's hand edit. */
  byHand<T>(edit: () => T): T {
    this.handDepth += 1;
    try {
      return edit();
    } finally {
      this.handDepth -= 1;
    }
  }

  /** Who wrote the record at `name`/`type` as it stands, if anyone the monitor saw. */
  authorOf(name: string, type: string): Author | undefined {
    return this.authors.get(recordId(name, type))?.author;
  }

  /** Checks and tracks one applied batch; returns who made it. */
  observe(batch: AppliedChangeBatch): Author {
    const author: Author = this.handDepth > 0 ? 'hand' : 'subzone';
    if (author === 'subzone') {
      this.subzoneBatches += 1;
      this.checkWrite(batch);
    }
    if (batch.zoneId === this.context.parentZoneId) this.track(batch, author);
    return author;
  }

  /** Marks the records the parent holds before the run as nobody's but a person's (its apex). */
  seed(records: Iterable<StoredRecordSet>): void {
    for (const set of records)
      this.authors.set(recordId(set.name, set.type), { author: 'hand', ttl: set.ttl, values: valuesKey(set.values) });
  }

  /** A record keeps its author while it stays exactly as it was; a change makes it the changer's. */
  private track(batch: AppliedChangeBatch, author: Author): void {
    const next = new Map<string, Authored>();
    for (const set of batch.after.values()) {
      const key = recordId(set.name, set.type);
      const known = this.authors.get(key);
      const kept = known !== undefined && known.ttl === set.ttl && known.values === valuesKey(set.values);
      next.set(key, kept ? known : { author, ttl: set.ttl, values: valuesKey(set.values) });
    }
    this.authors = next;
  }

  private checkWrite(batch: AppliedChangeBatch): void {
    const policy = this.context.policy();
    if (batch.zoneId !== this.context.parentZoneId) {
      this.flag('1: only the configured parent zones', `a batch changed zone ${batch.zoneId} of account ${batch.account}`);
      return;
    }
    const created = new Set(batch.changes.filter((change) => change.action === 'CREATE').map((change) => canonical(change.name ?? '')));
    for (const change of batch.changes) {
      const name = canonical(change.name ?? '');
      const type = change.type ?? '';
      const values = change.values ?? [];
      const described = `${change.action} ${type} ${name} [${valuesKey(values)}]`;
      if (type !== 'NS' && type !== 'DS') this.flag('1: only NS and DS records', described);
      if (name === policy.apex) this.flag('1: never at the apex', described);
      if (!this.context.intentRecorded(changeKey(change.action ?? '', name, type, values))) {
        this.flag('6: every write is in the ledger before it is made', `${described} had no intent in the ledger`);
      }
      if (change.action === 'CREATE' && type === 'NS') this.checkCreate(policy, name, values, batch.after, described);
      if (change.action === 'DELETE') this.checkDelete(policy, name, type, values, created.has(name), described);
    }
    this.checkDsBesideNs(batch);
  }

  /** After the batch, no DS stands at a name the batch touched without an NS beside it (an NS never goes while its DS stays). */
  private checkDsBesideNs(batch: AppliedChangeBatch): void {
    const after = [...batch.after.values()];
    const holds = (name: string, type: string) => after.some((set) => canonical(set.name) === name && set.type === type);
    for (const change of batch.changes) {
      const name = canonical(change.name ?? '');
      if (!holds(name, 'DS') || holds(name, 'NS')) continue;
      const invariant =
        change.action === 'DELETE' && change.type === 'NS' ? '8: no NS removed while a DS remains' : '8: no DS without its NS';
      this.flag(invariant, `${change.action} ${change.type} ${name} left a DS at ${name} without an NS`);
    }
  }

  private checkCreate(
    policy: TruthPolicy,
    name: string,
    values: readonly string[],
    after: ReadonlyMap<string, StoredRecordSet>,
    described: string,
  ): void {
    if (!winningRule(policy, name)) this.flag('1: creations only at allowlisted names', described);
    const claim = this.context
      .liveZones()
      .find((zone) => zone.name === name && valuesKey(zone.nameServers) === valuesKey(values) && isValidClaim(policy, zone));
    if (!claim) this.flag('1: creations only for a live, opted-in, allowed zone', described);
    for (const set of after.values()) {
      const other = canonical(set.name);
      if (isStrictlyBelow(other, name)) this.flag('3: no delegation over records', `${described} with ${set.type} ${other} below it`);
      if (set.type === 'NS' && other !== policy.apex && isStrictlyBelow(name, other)) {
        this.flag('3: no delegation under another delegation', `${described} below the delegation ${other}`);
      }
    }
  }

  private checkDelete(
    policy: TruthPolicy,
    name: string,
    type: string,
    values: readonly string[],
    recreated: boolean,
    described: string,
  ): void {
    // A record the monitor never saw written is a person's.
    if (this.authors.get(recordId(name, type))?.author !== 'subzone') {
      // An adopted record (a hand-made copy of a zone's name servers) may go with its zone, or be rewritten in place.
      const adoptedZone = this.context.everyZone().find((zone) => zone.name === name && valuesKey(zone.nameServers) === valuesKey(values));
      const zoneGone = adoptedZone && !this.context.liveZones().some((zone) => zone.zoneId === adoptedZone.zoneId);
      if (!adoptedZone || !(zoneGone || recreated)) this.flag('4: a record subzone did not write or adopt is never changed', described);
    }
    if (type === 'NS' && !recreated) {
      const backing = this.context
        .liveZones()
        .find((zone) => zone.name === name && valuesKey(zone.nameServers) === valuesKey(values) && isValidClaim(policy, zone));
      if (backing)
        this.flag('2: a delegation of a live, opted-in, allowed zone is never removed', `${described} of zone ${backing.zoneId}`);
    }
  }

  private flag(invariant: string, message: string): void {
    this.violations.push({ invariant, message });
  }
}

function recordId(name: string, type: string): string {
  return `${canonical(name)}|${type}`;
}
