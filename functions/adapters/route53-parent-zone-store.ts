/**
 * ParentZoneStore over the hub account's Route 53 client (the one behind the token bucket).
 *
 * Route 53 lists record sets ordered by name with labels reversed, so a name and everything
 * below it are one contiguous run starting at StartRecordName=name (Route 53 API Reference, ListResourceRecordSets). A read
 * starts with page 1 of the whole zone: a small zone is then read in one call. For a larger
 * zone the names still unknown are read one by one, or, when that would take more calls
 * than reading the rest of the zone, the zone is read on by pages (docs/benchmarks.md).
 */
import {
  ChangeResourceRecordSetsCommand,
  GetHostedZoneCommand,
  type ListResourceRecordSetsCommandInput,
  ListResourceRecordSetsCommand,
  type ResourceRecordSet,
  type Route53Client,
} from '@aws-sdk/client-route-53';
import { ChangeConflictError, ChangeRefusedError, ParentReadError } from '../core/errors';
import { compareCanonicalOrder, isAtOrBelow, namesBetween, normaliseName, toFqdn } from '../core/names';
import type { ParentZonePages, ParentZoneStore, ZonePage, ZonePageCursor } from '../core/ports';
import type { ChangeBatch, DnsName, ParentView, RecordSet, ZoneId } from '../core/types';
import { errorName, isAccessDenied } from './aws-errors';

/** Record sets per ListResourceRecordSets page (the API maximum). */
export const RECORDS_PER_PAGE = 300;

/** The comment on every change batch subzone sends. */
export const CHANGE_BATCH_COMMENT = 'subzone';

/** Where a listing continues: the `Next*` values of a truncated page. */
interface Cursor {
  /** Canonical, for comparisons. */
  readonly name: DnsName;
  /** As Route 53 returned it, sent back verbatim. */
  readonly raw?: string;
  readonly type?: string;
  readonly identifier?: string;
}

interface Page {
  readonly records: readonly ReadRecord[];
  /** Undefined when the page is the last one. */
  readonly next: Cursor | undefined;
}

/** A record set as read, with the key that tells apart record sets of one name and type. */
interface ReadRecord {
  readonly key: string;
  readonly record: RecordSet;
}

/** What readAround must find: the subtrees at the names, and NS at the names above them. */
interface Targets {
  subtrees: DnsName[];
  ancestors: DnsName[];
}

function toRecord(set: ResourceRecordSet): ReadRecord {
  const name = normaliseName(set.Name ?? '');
  const type = set.Type ?? '';
  // Alias records have no values and no TTL; they still occupy the name.
  const record: RecordSet = {
    name,
    type,
    ttl: set.TTL ?? 0,
    values: (set.ResourceRecords ?? []).map((value) => value.Value ?? ''),
  };
  return { key: `${name}|${type}|${set.SetIdentifier ?? ''}`, record };
}

/**
 * The subtrees to read (names not below another name of the list) and the names strictly
 * between the apex and them, where only an NS record matters.
 */
function targetsOf(apex: DnsName, names: readonly DnsName[]): Targets {
  const unique = [...new Set(names)];
  const subtrees = unique.filter((name) => !unique.some((other) => other !== name && isAtOrBelow(name, other)));
  const ancestors = new Set<DnsName>();
  for (const name of subtrees) for (const between of namesBetween(name, apex)) ancestors.add(between);
  return { subtrees, ancestors: [...ancestors] };
}

/** True when a listing that continues at `next` has already passed the whole subtree of `name`. */
function passedSubtree(next: Cursor | undefined, name: DnsName): boolean {
  return next === undefined || (compareCanonicalOrder(next.name, name) > 0 && !isAtOrBelow(next.name, name));
}

/** True when a listing that continues at `next` has already passed the NS record at `name`. */
function passedName(next: Cursor | undefined, name: DnsName): boolean {
  return next === undefined || compareCanonicalOrder(next.name, name) > 0;
}

/** Reads and writes parent zones through the hub Route 53 client; reads them whole, by pages, for a sweep. */
export class Route53ParentZoneStore implements ParentZoneStore, ParentZonePages {
  constructor(private readonly route53: Route53Client) {}

  async describeZone(parentZoneId: ZoneId): Promise<{ readonly name: DnsName; readonly privateZone: boolean }> {
    try {
      const output = await this.route53.send(new GetHostedZoneCommand({ Id: parentZoneId }));
      if (!output.HostedZone?.Name) throw new Error(`GetHostedZone ${parentZoneId} returned no zone name`);
      return { name: normaliseName(output.HostedZone.Name), privateZone: output.HostedZone.Config?.PrivateZone === true };
    } catch (error) {
      throw new ParentReadError(parentZoneId, { cause: error });
    }
  }

  async readAround(parentZoneId: ZoneId, apex: DnsName, names: readonly DnsName[]): Promise<ParentView> {
    try {
      const records = await this.readTargets(parentZoneId, targetsOf(apex, names));
      return { parentZoneId, apex, records };
    } catch (error) {
      throw new ParentReadError(parentZoneId, { cause: error });
    }
  }

  async readPage(parentZoneId: ZoneId, from: ZonePageCursor | undefined): Promise<ZonePage> {
    try {
      const start = from && { name: normaliseName(from.name), raw: from.name, type: from.type, identifier: from.identifier };
      const page = await this.listPage(parentZoneId, start, RECORDS_PER_PAGE);
      const records = page.records.map(({ record }) => record);
      if (page.next === undefined) return { records };
      const { raw, name, type, identifier } = page.next;
      return { records, next: { name: raw ?? name, ...(type !== undefined && { type }), ...(identifier !== undefined && { identifier }) } };
    } catch (error) {
      throw new ParentReadError(parentZoneId, { cause: error });
    }
  }

  async applyBatch(batch: ChangeBatch): Promise<string | undefined> {
    if (batch.changes.length === 0) return undefined;
    try {
      const sent = await this.route53.send(
        new ChangeResourceRecordSetsCommand({
          HostedZoneId: batch.parentZoneId,
          ChangeBatch: {
            Comment: CHANGE_BATCH_COMMENT,
            Changes: batch.changes.map((change) => ({
              Action: change.action,
              ResourceRecordSet: {
                Name: toFqdn(change.record.name),
                Type: change.record.type as ResourceRecordSet['Type'],
                TTL: change.record.ttl,
                ResourceRecords: change.record.values.map((value) => ({ Value: value })),
              },
            })),
          },
        }),
      );
      return sent.ChangeInfo?.Id;
    } catch (error) {
      if (errorName(error) === 'InvalidChangeBatch') {
        const messages = (error as { messages?: string[] }).messages;
        throw new ChangeConflictError(batch.parentZoneId, messages?.length ? messages : [(error as Error).message], {
          cause: error,
        });
      }
      // IAM names the allowed record names: one change outside them denies the whole batch.
      if (isAccessDenied(error)) throw new ChangeRefusedError(batch.parentZoneId, [(error as Error).message], { cause: error });
      throw error;
    }
  }

  private async readTargets(parentZoneId: ZoneId, targets: Targets): Promise<RecordSet[]> {
    const found = new Map<string, RecordSet>();
    const keep = (records: readonly ReadRecord[]): void => {
      for (const { key, record } of records) {
        const wanted =
          targets.subtrees.some((name) => isAtOrBelow(record.name, name)) ||
          (record.type === 'NS' && targets.ancestors.includes(record.name));
        if (wanted) found.set(key, record);
      }
    };

    let page = await this.listPage(parentZoneId, undefined, RECORDS_PER_PAGE);
    keep(page.records);
    let subtrees = targets.subtrees.filter((name) => !passedSubtree(page.next, name));
    let ancestors = targets.ancestors.filter((name) => !passedName(page.next, name));
    const remaining = subtrees.length + ancestors.length;
    if (remaining === 0) return [...found.values()];

    // At least one call per name left either way; beyond two, one GetHostedZone tells
    // whether reading on by pages is cheaper.
    if (remaining > 2 && (await this.pagesLeft(parentZoneId)) < remaining) {
      while (page.next && (subtrees.length > 0 || ancestors.length > 0)) {
        page = await this.listPage(parentZoneId, page.next, RECORDS_PER_PAGE);
        keep(page.records);
        subtrees = subtrees.filter((name) => !passedSubtree(page.next, name));
        ancestors = ancestors.filter((name) => !passedName(page.next, name));
      }
      return [...found.values()];
    }

    for (const name of subtrees) keep(await this.readSubtree(parentZoneId, name));
    for (const name of ancestors) keep(await this.readNs(parentZoneId, name));
    return [...found.values()];
  }

  /** Pages a whole-zone listing still needs after its first page. */
  private async pagesLeft(parentZoneId: ZoneId): Promise<number> {
    const output = await this.route53.send(new GetHostedZoneCommand({ Id: parentZoneId }));
    const count = output.HostedZone?.ResourceRecordSetCount;
    if (count === undefined) return Number.POSITIVE_INFINITY;
    return Math.max(0, Math.ceil(count / RECORDS_PER_PAGE) - 1);
  }

  /** Every record at or below `name`: from StartRecordName=name until a record falls outside. */
  private async readSubtree(parentZoneId: ZoneId, name: DnsName): Promise<ReadRecord[]> {
    const records: ReadRecord[] = [];
    let cursor: Cursor | undefined = { name };
    while (cursor) {
      const page = await this.listPage(parentZoneId, cursor, RECORDS_PER_PAGE);
      const inside = page.records.filter(({ record }) => isAtOrBelow(record.name, name));
      records.push(...inside);
      cursor = inside.length === page.records.length && !passedSubtree(page.next, name) ? page.next : undefined;
    }
    return records;
  }

  /** The NS record at exactly `name`, if any: one record from (name, NS), checked. */
  private async readNs(parentZoneId: ZoneId, name: DnsName): Promise<ReadRecord[]> {
    const page = await this.listPage(parentZoneId, { name, type: 'NS' }, 1);
    return page.records.filter(({ record }) => record.name === name && record.type === 'NS');
  }

  private async listPage(parentZoneId: ZoneId, start: Cursor | undefined, maxItems: number): Promise<Page> {
    const input: ListResourceRecordSetsCommandInput = {
      HostedZoneId: parentZoneId,
      MaxItems: maxItems,
      ...(start && { StartRecordName: start.raw ?? toFqdn(start.name) }),
      ...(start?.type !== undefined && { StartRecordType: start.type as ListResourceRecordSetsCommandInput['StartRecordType'] }),
      ...(start?.identifier !== undefined && { StartRecordIdentifier: start.identifier }),
    };
    const output = await this.route53.send(new ListResourceRecordSetsCommand(input));
    const records = (output.ResourceRecordSets ?? []).map(toRecord);
    if (!output.IsTruncated) return { records, next: undefined };
    if (!output.NextRecordName) throw new Error('ListResourceRecordSets is truncated but has no NextRecordName');
    return {
      records,
      next: {
        name: normaliseName(output.NextRecordName),
        raw: output.NextRecordName,
        ...(output.NextRecordType !== undefined && { type: output.NextRecordType }),
        ...(output.NextRecordIdentifier !== undefined && { identifier: output.NextRecordIdentifier }),
      },
    };
  }
}
