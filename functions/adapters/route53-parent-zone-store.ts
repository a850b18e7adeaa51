/**
 * ParentZoneStore over the hub account's Route 53 client (the one behind the token bucket).
 *
 * Route 53 lists record sets ordered by name with labels reversed, so a name and everything
 * below it are one contiguous run starting at StartRecordName=name (Route 53 API Reference,
 * ListResourceRecordSets). A read walks the zone in that order, a full page (300) per call,
 * from the first name it still needs: a page that ends inside a wanted subtree goes on from
 * where it ended, any other page jumps to the next wanted name. Pages never overlap, so a read
 * costs at most the zone's pages, and at most one call per wanted name (plus the pages of a
 * subtree larger than a page) however large the zone: no GetHostedZone is needed to choose
 * between reading narrowly and reading by pages (docs/benchmarks.md).
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

/** A name the read must pass: its whole subtree, or (above the names) only its NS record. */
interface Stop {
  readonly name: DnsName;
  readonly subtree: boolean;
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
      const page = await this.listPage(parentZoneId, start);
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
    // In listing order: an ancestor comes before the names below it.
    let pending: Stop[] = [
      ...targets.subtrees.map((name) => ({ name, subtree: true })),
      ...targets.ancestors.map((name) => ({ name, subtree: false })),
    ].sort((a, b) => compareCanonicalOrder(a.name, b.name));
    let next: Cursor | undefined;
    while (pending.length > 0) {
      const [first] = pending as [Stop, ...Stop[]];
      // A cursor at or past the first stop still pending lies inside it: go on from there.
      const start = next !== undefined && compareCanonicalOrder(next.name, first.name) >= 0 ? next : { name: first.name };
      const page = await this.listPage(parentZoneId, start);
      keep(page.records);
      next = page.next;
      pending = pending.filter((stop) => !(stop.subtree ? passedSubtree(page.next, stop.name) : passedName(page.next, stop.name)));
    }
    return [...found.values()];
  }

  private async listPage(parentZoneId: ZoneId, start: Cursor | undefined): Promise<Page> {
    const input: ListResourceRecordSetsCommandInput = {
      HostedZoneId: parentZoneId,
      MaxItems: RECORDS_PER_PAGE,
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
