/**
 * SpokeZoneReader over Route 53 in a child account, with the cheapest calls (docs/concepts.md):
 * - account scope: ListHostedZones pages of 100, ListTagsForResources 10 public zones a
 *   call, GetHostedZone only for public zones whose name servers the ledger lacks;
 * - zones scope: GetHostedZone per requested id and per same-name sibling the ledger knows
 *   (a zone it has judged, named like a requested public zone), then tags as above; past
 *   ZONES_BEFORE_ACCOUNT_READ ids, the account's listing instead, from which only the
 *   requested zones and their same-name siblings are kept. What the worker judges (and reads
 *   of the parent) does not grow with the rest of the account. A same-name zone the ledger
 *   has never seen is not looked for: the claim judged is then the only one of its name the
 *   reconcile sees, and the name owner's conditional put settles the race with the other
 *   one's own event (docs/concepts.md).
 * With DNSSEC on, one GetDNSSEC per opted-in public zone read, and the DNSSEC tags from the
 * same ListTagsForResources calls.
 * A read either completes or throws SpokeReadError: never a partial snapshot.
 */
import {
  GetChangeCommand,
  GetDNSSECCommand,
  GetHostedZoneCommand,
  type HostedZone,
  ListHostedZonesCommand,
  ListTagsForResourcesCommand,
  type Route53Client,
  type Tag,
} from '@aws-sdk/client-route-53';
import { DNSSEC_OFF_TAG, DS_RETIRE_TAG_KEY } from '../core/contract';
import { NameError, SpokeReadError } from '../core/errors';
import { normaliseName, normaliseValueSet } from '../core/names';
import { bareZoneId } from '../core/zone-ids';
import type {
  AccountId,
  DnsName,
  KnownZone,
  SigningChangeStatus,
  SpokeSnapshot,
  SpokeZone,
  ZoneId,
  ZoneScope,
  ZoneSigning,
} from '../core/types';
import type { SpokeZoneReader } from '../core/ports';
import { errorName, spokeReadFailure } from './aws-errors';

/** Zones per ListHostedZones page (the API maximum). */
export const ZONES_PER_PAGE = 100;
/** Resource ids per ListTagsForResources call (the API maximum). */
export const TAGGED_ZONES_PER_CALL = 10;

/**
 * A zone-narrowed read costs a GetHostedZone a zone; the account's listing a page per 100
 * zones. Past a few zones asked at once, the listing is the cheaper way to the same zones,
 * unless the account is known (from the ledger) to hold so many zones that its pages
 * outnumber those calls.
 */
export const ZONES_BEFORE_ACCOUNT_READ = 5;

/** True when listing the account reads `requested` zones in fewer calls than asking for each. */
function listingIsCheaper(requested: number, knownZones: number): boolean {
  return requested > ZONES_BEFORE_ACCOUNT_READ && Math.ceil(knownZones / ZONES_PER_PAGE) < requested;
}

/** Options of Route53SpokeZoneReader. */
export interface Route53SpokeZoneReaderOptions {
  /** The Route 53 client acting in `account` through its reader role (clients.ts `spokeRoute53Factory`). */
  readonly route53For: (account: AccountId) => Route53Client;
  /** The opt-in tag; a zone is opted in when it carries `key` with exactly `value`. */
  readonly optInTag: { readonly key: string; readonly value: string };
  /** Read each opted-in public zone's signing (config `dnssec.enabled`); off, GetDNSSEC is never called. */
  readonly readSigning?: boolean;
}

/** A hosted zone as listed, before its tags and name servers are known. */
interface ListedZone {
  readonly zoneId: ZoneId;
  readonly name: DnsName;
  readonly privateZone: boolean;
  /** Name servers already in hand (from GetHostedZone), if any. */
  readonly nameServers?: readonly DnsName[];
}

function listed(zone: HostedZone, nameServers?: readonly string[]): ListedZone {
  return {
    zoneId: bareZoneId(zone.Id ?? ''),
    name: normaliseName(zone.Name ?? ''),
    privateZone: zone.Config?.PrivateZone === true,
    ...(nameServers !== undefined && { nameServers: normaliseValueSet(nameServers) }),
  };
}

function noNameServers(zoneId: ZoneId): Error {
  return new Error(`GetHostedZone ${zoneId} returned a public zone without name servers`);
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Reads a child account's hosted zones through its reader role. */
export class Route53SpokeZoneReader implements SpokeZoneReader {
  constructor(private readonly options: Route53SpokeZoneReaderOptions) {}

  async readZones(account: AccountId, scope: ZoneScope, known: ReadonlyMap<ZoneId, KnownZone>): Promise<SpokeSnapshot> {
    try {
      const route53 = this.options.route53For(account);
      const read = new AccountRead(route53, known, this.options.optInTag, this.options.readSigning === true);
      return scope.kind === 'account' ? await read.wholeAccount(account, scope) : await read.someZones(account, scope, scope.zoneIds);
    } catch (error) {
      if (error instanceof SpokeReadError) throw error;
      throw new SpokeReadError(account, spokeReadFailure(error), { cause: error });
    }
  }

  async signingChangeStatus(account: AccountId, changeId: string): Promise<SigningChangeStatus> {
    try {
      const output = await this.options.route53For(account).send(new GetChangeCommand({ Id: changeId }));
      const status = output.ChangeInfo?.Status;
      if (status !== 'PENDING' && status !== 'INSYNC') throw new Error(`GetChange ${changeId} returned status ${String(status)}`);
      return status;
    } catch (error) {
      // Route 53 forgets old changes: one it no longer knows is long done, and the wait alone stands.
      if (errorName(error) === 'NoSuchChange') return 'unknown';
      throw new SpokeReadError(account, spokeReadFailure(error), { cause: error });
    }
  }
}

/** One readZones call: the client, what the ledger knows and the opt-in tag. */
class AccountRead {
  /** Zones that exist but whose name or name servers cannot be normalised: unknown, not absent. */
  private readonly unknown = new Set<ZoneId>();

  constructor(
    private readonly route53: Route53Client,
    private readonly known: ReadonlyMap<ZoneId, KnownZone>,
    private readonly optInTag: { readonly key: string; readonly value: string },
    private readonly readSigning: boolean,
  ) {}

  async wholeAccount(account: AccountId, scope: ZoneScope): Promise<SpokeSnapshot> {
    const zones = await this.listAll();
    const complete = await this.complete(zones);
    return {
      account,
      scope,
      zones: complete,
      coveredZoneIds: [...zones.map((zone) => zone.zoneId), ...this.unknown],
      ...this.unknownIds(),
    };
  }

  /** Every zone of the account, by ListHostedZones pages. */
  private async listAll(): Promise<ListedZone[]> {
    const zones: ListedZone[] = [];
    let marker: string | undefined;
    do {
      const page = await this.route53.send(
        new ListHostedZonesCommand({ MaxItems: ZONES_PER_PAGE, ...(marker !== undefined && { Marker: marker }) }),
      );
      zones.push(...(page.HostedZones ?? []).flatMap((zone) => this.listedOrUnknown(zone)));
      marker = page.IsTruncated ? page.NextMarker : undefined;
      if (page.IsTruncated && marker === undefined) throw new Error('ListHostedZones is truncated but has no NextMarker');
    } while (marker !== undefined);
    return zones;
  }

  /** A listed zone, or nothing (and the zone noted unknown) when its name cannot be normalised. */
  private listedOrUnknown(zone: HostedZone, nameServers?: readonly string[]): ListedZone[] {
    try {
      return [listed(zone, nameServers)];
    } catch (error) {
      if (!(error instanceof NameError)) throw error;
      this.unknown.add(bareZoneId(zone.Id ?? ''));
      return [];
    }
  }

  private unknownIds(): { unknownZoneIds?: ZoneId[] } {
    return this.unknown.size > 0 ? { unknownZoneIds: [...this.unknown] } : {};
  }

  async someZones(account: AccountId, scope: ZoneScope, requested: readonly ZoneId[]): Promise<SpokeSnapshot> {
    const covered = new Set(requested.map(bareZoneId));
    if (listingIsCheaper(covered.size, this.known.size)) return this.someZonesListed(account, scope, covered);
    const found = new Map<ZoneId, ListedZone>();
    for (const zoneId of covered) {
      const zone = await this.getZone(zoneId);
      if (zone) found.set(zone.zoneId, zone);
    }
    const publicNames = new Set([...found.values()].filter((zone) => !zone.privateZone).map((zone) => zone.name));
    for (const zoneId of this.knownSiblings(publicNames, covered)) {
      // Read as a requested zone is: one gone since is covered and absent, so its delegation goes.
      covered.add(zoneId);
      const sibling = await this.getZone(zoneId);
      if (sibling !== undefined) found.set(zoneId, sibling);
    }
    const complete = await this.complete([...found.values()]);
    return { account, scope, zones: complete, coveredZoneIds: [...covered], ...this.unknownIds() };
  }

  /** The requested zones and their same-name public siblings, picked from the account's listing. */
  private async someZonesListed(account: AccountId, scope: ZoneScope, requested: ReadonlySet<ZoneId>): Promise<SpokeSnapshot> {
    const listedZones = await this.listAll();
    const names = new Set(listedZones.filter((zone) => requested.has(zone.zoneId) && !zone.privateZone).map((zone) => zone.name));
    const covered = new Set([...requested, ...this.knownSiblings(names, requested)]);
    const kept = listedZones.filter((zone) => covered.has(zone.zoneId));
    // Only the covered zones are judged: an unreadable zone elsewhere in the account is not this read's.
    for (const zoneId of this.unknown) if (!covered.has(zoneId)) this.unknown.delete(zoneId);
    const complete = await this.complete(kept);
    return { account, scope, zones: complete, coveredZoneIds: [...covered], ...this.unknownIds() };
  }

  /** The zones the ledger knows by one of `names`, other than those already covered. */
  private knownSiblings(names: ReadonlySet<DnsName>, covered: ReadonlySet<ZoneId>): ZoneId[] {
    return [...this.known].filter(([zoneId, zone]) => !covered.has(zoneId) && names.has(zone.name)).map(([zoneId]) => zoneId);
  }

  /** GetHostedZone; undefined when the zone no longer exists. */
  private async getZone(zoneId: ZoneId): Promise<ListedZone | undefined> {
    try {
      const output = await this.route53.send(new GetHostedZoneCommand({ Id: zoneId }));
      if (!output.HostedZone) throw new Error(`GetHostedZone ${zoneId} returned no HostedZone`);
      const [zone] = this.listedOrUnknown(output.HostedZone, output.DelegationSet?.NameServers ?? []);
      if (zone === undefined) return undefined;
      if (!zone.privateZone && zone.nameServers?.length === 0) throw noNameServers(zoneId);
      return zone;
    } catch (error) {
      if (errorName(error) === 'NoSuchHostedZone') return undefined;
      throw error;
    }
  }

  /** Adds the opt-in flag, the name servers and the signing of the opted-in public zones, with as few calls as possible. */
  private async complete(zones: readonly ListedZone[]): Promise<SpokeZone[]> {
    const publicZones = zones.filter((zone) => !zone.privateZone);
    const tags = await this.tagsOf(publicZones.map((zone) => zone.zoneId));
    const result: SpokeZone[] = [];
    for (const zone of zones) {
      if (zone.privateZone) {
        result.push({ zoneId: zone.zoneId, name: zone.name, privateZone: true, optedIn: false, nameServers: [] });
        continue;
      }
      const zoneTags = tags.get(zone.zoneId) ?? [];
      const isOptedIn = zoneTags.some((tag) => tag.Key === this.optInTag.key && tag.Value === this.optInTag.value);
      // Only a zone that claims needs its name servers: the rest would cost a call each, every sweep.
      const nameServers =
        zone.nameServers ?? this.known.get(zone.zoneId)?.nameServers ?? (isOptedIn ? await this.nameServersOrUnknown(zone.zoneId) : []);
      if (nameServers === undefined) continue;
      const dnssec = isOptedIn && this.readSigning ? await this.signingOf(zone.zoneId, zoneTags) : undefined;
      result.push({ zoneId: zone.zoneId, name: zone.name, privateZone: false, optedIn: isOptedIn, nameServers, ...(dnssec && { dnssec }) });
    }
    return result;
  }

  /** GetDNSSEC: serving status and the ACTIVE keys, with the team's DNSSEC tags. */
  private async signingOf(zoneId: ZoneId, tags: readonly Tag[]): Promise<ZoneSigning> {
    const output = await this.route53.send(new GetDNSSECCommand({ HostedZoneId: zoneId }));
    const activeKeys = (output.KeySigningKeys ?? []).flatMap((key) =>
      key.Status === 'ACTIVE' && key.Name !== undefined && key.DSRecord !== undefined ? [{ name: key.Name, dsRecord: key.DSRecord }] : [],
    );
    const retiredKey = tags.find((tag) => tag.Key === DS_RETIRE_TAG_KEY)?.Value;
    return {
      signing: output.Status?.ServeSignature === 'SIGNING',
      activeKeys,
      dsOff: tags.some((tag) => tag.Key === DNSSEC_OFF_TAG.key && tag.Value === DNSSEC_OFF_TAG.value),
      ...(retiredKey !== undefined && { retiredKey }),
    };
  }

  private async nameServersOrUnknown(zoneId: ZoneId): Promise<DnsName[] | undefined> {
    try {
      return await this.nameServersOf(zoneId);
    } catch (error) {
      if (!(error instanceof NameError)) throw error;
      this.unknown.add(zoneId);
      return undefined;
    }
  }

  private async nameServersOf(zoneId: ZoneId): Promise<DnsName[]> {
    const output = await this.route53.send(new GetHostedZoneCommand({ Id: zoneId }));
    const nameServers = output.DelegationSet?.NameServers;
    if (!nameServers || nameServers.length === 0) throw noNameServers(zoneId);
    return normaliseValueSet(nameServers);
  }

  /** The tags of each zone, 10 zones a call. */
  private async tagsOf(zoneIds: readonly ZoneId[]): Promise<Map<ZoneId, readonly Tag[]>> {
    const tags = new Map<ZoneId, readonly Tag[]>();
    for (const ids of chunks(zoneIds, TAGGED_ZONES_PER_CALL)) {
      // The SDK strips `/hostedzone/` from Id inputs but not from ResourceIds (the SDK's Route 53 input customisation).
      const output = await this.route53.send(new ListTagsForResourcesCommand({ ResourceType: 'hostedzone', ResourceIds: ids }));
      for (const set of output.ResourceTagSets ?? []) {
        if (set.ResourceId) tags.set(bareZoneId(set.ResourceId), set.Tags ?? []);
      }
    }
    return tags;
  }
}
