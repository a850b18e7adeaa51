import {
  GetChangeCommand,
  GetDNSSECCommand,
  GetHostedZoneCommand,
  type HostedZone,
  ListHostedZonesCommand,
  ListTagsForResourcesCommand,
  NoSuchHostedZone,
  Route53Client,
} from '@aws-sdk/client-route-53';
import { mockClient } from 'aws-sdk-client-mock';
import { SpokeReadError } from '../../../functions/core/errors';
import type { DnsName, KnownZone, ZoneId } from '../../../functions/core/types';
import { Route53SpokeZoneReader } from '../../../functions/adapters/spoke-zone-reader';

const ACCOUNT = '222222222222';
const OPT_IN = { key: 'subzone:delegate', value: 'true' };
const NS_FOO = ['NS-1.awsdns-01.com.', 'ns-2.awsdns-02.net', 'ns-3.awsdns-03.org', 'ns-4.awsdns-04.co.uk'];
const NS_FOO_CANONICAL = ['ns-1.awsdns-01.com', 'ns-2.awsdns-02.net', 'ns-3.awsdns-03.org', 'ns-4.awsdns-04.co.uk'];
const NO_KNOWN = new Map<ZoneId, KnownZone>();

/** The ledger's zones: id, name and (by default) foo's name servers. */
function knownZones(...zones: ReadonlyArray<readonly [ZoneId, DnsName, (readonly DnsName[])?]>): Map<ZoneId, KnownZone> {
  return new Map(zones.map(([id, name, nameServers = NS_FOO_CANONICAL]) => [id, { name, nameServers }]));
}

/** The ledger's zones named after their ids (`Z1` is `z1.example.com`), as `zone(id, ...)` lists them here. */
function namedAfterIds(ids: readonly ZoneId[]): Array<readonly [ZoneId, DnsName]> {
  return ids.map((id) => [id, `${id.toLowerCase()}.example.com`] as const);
}

function zone(id: string, name: string, privateZone = false): HostedZone {
  return { Id: `/hostedzone/${id}`, Name: name, CallerReference: `ref-${id}`, Config: { PrivateZone: privateZone } };
}

function tagSet(id: string, tags: Record<string, string>) {
  return { ResourceType: 'hostedzone' as const, ResourceId: id, Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) };
}

function named(name: string): Error {
  return Object.assign(new Error(name), { name });
}

describe('Route53SpokeZoneReader', () => {
  const route53 = new Route53Client({ region: 'us-east-1' });
  const r53 = mockClient(route53);
  const accountsAsked: string[] = [];
  const reader = new Route53SpokeZoneReader({
    route53For: (account) => {
      accountsAsked.push(account);
      return route53;
    },
    optInTag: OPT_IN,
  });

  beforeEach(() => {
    r53.reset();
    accountsAsked.length = 0;
  });

  describe('account scope', () => {
    it("lists zones by pages of 100 following NextMarker, through the account's client", async () => {
      // Prepare
      r53
        .on(ListHostedZonesCommand, { MaxItems: 100 }, true)
        .resolves({ HostedZones: [zone('Z1', 'a.example.com.')], IsTruncated: true, NextMarker: 'Z2', MaxItems: 100, Marker: '' })
        .on(ListHostedZonesCommand, { MaxItems: 100, Marker: 'Z2' }, true)
        .resolves({ HostedZones: [zone('Z2', 'b.example.com.')], IsTruncated: false, MaxItems: 100, Marker: 'Z2' });
      r53.on(ListTagsForResourcesCommand).resolves({ ResourceTagSets: [] });

      // Act
      const snapshot = await reader.readZones(ACCOUNT, { kind: 'account' }, knownZones(['Z1', 'a.example.com'], ['Z2', 'b.example.com']));

      // Assess
      expect(accountsAsked).toEqual([ACCOUNT]);
      expect(r53.commandCalls(ListHostedZonesCommand).map((call) => call.args[0].input)).toEqual([
        { MaxItems: 100 },
        { MaxItems: 100, Marker: 'Z2' },
      ]);
      expect(snapshot.coveredZoneIds).toEqual(['Z1', 'Z2']);
      expect(snapshot.zones.map((z) => z.name)).toEqual(['a.example.com', 'b.example.com']);
    });

    it('lists a zone whose name cannot be normalised as unknown and reads the others', async () => {
      // Prepare
      const tooLong = `${'x'.repeat(64)}.example.com.`;
      r53.on(ListHostedZonesCommand).resolves({
        HostedZones: [zone('ZBAD', tooLong), zone('Z1', 'a.example.com.')],
        IsTruncated: false,
        MaxItems: 100,
        Marker: '',
      });
      r53.on(ListTagsForResourcesCommand).resolves({ ResourceTagSets: [] });

      // Act
      const snapshot = await reader.readZones(ACCOUNT, { kind: 'account' }, NO_KNOWN);

      // Assess
      expect(snapshot.zones.map((z) => z.zoneId)).toEqual(['Z1']);
      expect(snapshot.unknownZoneIds).toEqual(['ZBAD']);
    });

    it('reads tags of public zones only, 10 bare ids a call', async () => {
      // Prepare
      const publicIds = Array.from({ length: 12 }, (_, i) => `Z${String(i).padStart(2, '0')}`);
      r53.on(ListHostedZonesCommand).resolves({
        HostedZones: [
          ...publicIds.map((id) => zone(id, `${id.toLowerCase()}.example.com.`)),
          zone('ZPRIVATE', 'internal.example.com.', true),
        ],
        IsTruncated: false,
        MaxItems: 100,
        Marker: '',
      });
      r53.on(ListTagsForResourcesCommand).resolves({ ResourceTagSets: [] });
      const known = knownZones(...namedAfterIds(publicIds));

      // Act
      await reader.readZones(ACCOUNT, { kind: 'account' }, known);

      // Assess
      expect(r53.commandCalls(ListTagsForResourcesCommand).map((call) => call.args[0].input)).toEqual([
        { ResourceType: 'hostedzone', ResourceIds: publicIds.slice(0, 10) },
        { ResourceType: 'hostedzone', ResourceIds: publicIds.slice(10) },
      ]);
    });

    it("makes zero GetHostedZone calls when the ledger knows every public zone's name servers", async () => {
      // Prepare
      r53.on(ListHostedZonesCommand).resolves({
        HostedZones: [zone('Z1', 'foo.example.com.'), zone('ZP', 'foo.example.com.', true)],
        IsTruncated: false,
        MaxItems: 100,
        Marker: '',
      });
      r53.on(ListTagsForResourcesCommand).resolves({ ResourceTagSets: [tagSet('Z1', { 'subzone:delegate': 'true' })] });

      // Act
      const snapshot = await reader.readZones(ACCOUNT, { kind: 'account' }, knownZones(['Z1', 'foo.example.com']));

      // Assess
      expect(r53.commandCalls(GetHostedZoneCommand)).toHaveLength(0);
      expect(snapshot).toEqual({
        account: ACCOUNT,
        scope: { kind: 'account' },
        zones: [
          { zoneId: 'Z1', name: 'foo.example.com', privateZone: false, optedIn: true, nameServers: NS_FOO_CANONICAL },
          { zoneId: 'ZP', name: 'foo.example.com', privateZone: true, optedIn: false, nameServers: [] },
        ],
        coveredZoneIds: ['Z1', 'ZP'],
      });
    });

    it('reads name servers with GetHostedZone only for opted-in public zones the ledger does not know, normalised', async () => {
      // Prepare
      r53.on(ListHostedZonesCommand).resolves({
        HostedZones: [
          zone('Z1', 'Foo.Example.COM.'),
          zone('Z2', 'bar.example.com.'),
          zone('Z3', 'quiet.example.com.'),
          zone('ZP', 'p.example.com.', true),
        ],
        IsTruncated: false,
        MaxItems: 100,
        Marker: '',
      });
      r53.on(ListTagsForResourcesCommand).resolves({
        ResourceTagSets: [tagSet('Z1', { 'subzone:delegate': 'true' }), tagSet('Z2', { 'subzone:delegate': 'true' })],
      });
      r53
        .on(GetHostedZoneCommand, { Id: 'Z1' })
        .resolves({ HostedZone: zone('Z1', 'foo.example.com.'), DelegationSet: { NameServers: NS_FOO } });

      // Act
      const snapshot = await reader.readZones(ACCOUNT, { kind: 'account' }, knownZones(['Z2', 'foo.example.com', ['ns-9.awsdns-09.com']]));

      // Assess
      expect(r53.commandCalls(GetHostedZoneCommand).map((call) => call.args[0].input)).toEqual([{ Id: 'Z1' }]);
      expect(snapshot.zones[0]).toEqual({
        zoneId: 'Z1',
        name: 'foo.example.com',
        privateZone: false,
        optedIn: true,
        nameServers: NS_FOO_CANONICAL,
      });
      expect(snapshot.zones[1]?.nameServers).toEqual(['ns-9.awsdns-09.com']);
      expect(snapshot.zones[2]).toEqual({ zoneId: 'Z3', name: 'quiet.example.com', privateZone: false, optedIn: false, nameServers: [] });
    });

    it.each<{ tags: Record<string, string>; optedIn: boolean }>([
      { tags: { 'subzone:delegate': 'true' }, optedIn: true },
      { tags: { 'subzone:delegate': 'True' }, optedIn: false },
      { tags: { 'subzone:delegate': 'true ' }, optedIn: false },
      { tags: { 'subzone:Delegate': 'true' }, optedIn: false },
      { tags: { other: 'true' }, optedIn: false },
      { tags: {}, optedIn: false },
    ])('treats tags $tags as opted in: $optedIn', async ({ tags, optedIn }) => {
      // Prepare
      r53
        .on(ListHostedZonesCommand)
        .resolves({ HostedZones: [zone('Z1', 'foo.example.com.')], IsTruncated: false, MaxItems: 100, Marker: '' });
      r53.on(ListTagsForResourcesCommand).resolves({ ResourceTagSets: [tagSet('Z1', tags)] });

      // Act
      const snapshot = await reader.readZones(ACCOUNT, { kind: 'account' }, knownZones(['Z1', 'foo.example.com']));

      // Assess
      expect(snapshot.zones[0]?.optedIn).toBe(optedIn);
    });
  });

  describe('signing, with DNSSEC on', () => {
    const signingReader = new Route53SpokeZoneReader({ route53For: () => route53, optInTag: OPT_IN, readSigning: true });
    const DS_OLD = '12345 13 2 AAAA';
    const DS_NEW = '23456 13 2 BBBB';

    function key(name: string, status: string, dsRecord: string) {
      return { Name: name, Status: status, DSRecord: dsRecord, Flag: 257, KmsArn: `arn:aws:kms:us-east-1:222222222222:key/${name}` };
    }

    it('calls GetDNSSEC once per opted-in public zone and keeps the active keys and the DNSSEC tags', async () => {
      // Prepare
      r53.on(ListHostedZonesCommand).resolves({
        HostedZones: [zone('Z1', 'foo.example.com.'), zone('Z2', 'quiet.example.com.'), zone('ZP', 'p.example.com.', true)],
        IsTruncated: false,
        MaxItems: 100,
        Marker: '',
      });
      r53.on(ListTagsForResourcesCommand).resolves({
        ResourceTagSets: [tagSet('Z1', { 'subzone:delegate': 'true', 'subzone:dnssec': 'off', 'subzone:ds-retire': 'old_key' })],
      });
      r53.on(GetDNSSECCommand).resolves({
        Status: { ServeSignature: 'SIGNING' },
        KeySigningKeys: [key('old_key', 'ACTIVE', DS_OLD), key('new_key', 'ACTIVE', DS_NEW), key('spare_key', 'INACTIVE', '1 13 2 CCCC')],
      });

      // Act
      const snapshot = await signingReader.readZones(
        ACCOUNT,
        { kind: 'account' },
        knownZones(['Z1', 'a.example.com'], ['Z2', 'b.example.com']),
      );

      // Assess
      expect(r53.commandCalls(GetDNSSECCommand).map((call) => call.args[0].input)).toEqual([{ HostedZoneId: 'Z1' }]);
      expect(snapshot.zones.map((z) => z.dnssec)).toEqual([
        {
          signing: true,
          activeKeys: [
            { name: 'old_key', dsRecord: DS_OLD },
            { name: 'new_key', dsRecord: DS_NEW },
          ],
          dsOff: true,
          retiredKey: 'old_key',
        },
        undefined,
        undefined,
      ]);
    });

    it("reads a zone that does not sign as not signing, without the team's tags", async () => {
      // Prepare
      r53.on(GetHostedZoneCommand).resolves({ HostedZone: zone('Z1', 'foo.example.com.'), DelegationSet: { NameServers: NS_FOO } });
      r53
        .on(ListTagsForResourcesCommand)
        .resolves({ ResourceTagSets: [tagSet('Z1', { 'subzone:delegate': 'true', 'subzone:dnssec': 'on' })] });
      r53.on(GetDNSSECCommand).resolves({ Status: { ServeSignature: 'NOT_SIGNING' }, KeySigningKeys: [] });

      // Act
      const snapshot = await signingReader.readZones(ACCOUNT, { kind: 'zones', zoneIds: ['Z1'] }, NO_KNOWN);

      // Assess
      expect(snapshot.zones[0]?.dnssec).toEqual({ signing: false, activeKeys: [], dsOff: false });
    });

    it('never calls GetDNSSEC with DNSSEC off', async () => {
      // Prepare
      r53
        .on(ListHostedZonesCommand)
        .resolves({ HostedZones: [zone('Z1', 'foo.example.com.')], IsTruncated: false, MaxItems: 100, Marker: '' });
      r53.on(ListTagsForResourcesCommand).resolves({ ResourceTagSets: [tagSet('Z1', { 'subzone:delegate': 'true' })] });

      // Act
      const snapshot = await reader.readZones(ACCOUNT, { kind: 'account' }, knownZones(['Z1', 'foo.example.com']));

      // Assess
      expect(r53.commandCalls(GetDNSSECCommand)).toHaveLength(0);
      expect(snapshot.zones[0]).not.toHaveProperty('dnssec');
    });

    it('rejects the whole read when GetDNSSEC fails: no snapshot without the signing', async () => {
      // Prepare
      r53
        .on(ListHostedZonesCommand)
        .resolves({ HostedZones: [zone('Z1', 'foo.example.com.')], IsTruncated: false, MaxItems: 100, Marker: '' });
      r53.on(ListTagsForResourcesCommand).resolves({ ResourceTagSets: [tagSet('Z1', { 'subzone:delegate': 'true' })] });
      r53.on(GetDNSSECCommand).rejects(named('AccessDenied'));

      // Act
      const read = signingReader.readZones(ACCOUNT, { kind: 'account' }, knownZones(['Z1', 'foo.example.com']));

      // Assess
      await expect(read).rejects.toBeInstanceOf(SpokeReadError);
    });
  });

  describe('zones scope', () => {
    it('reads the requested zone, the same-name siblings the ledger knows, and their tags in one call', async () => {
      // Prepare: Z2 (public) and ZP (private) share foo's name and the ledger knows both; Z3 is below it
      r53
        .on(GetHostedZoneCommand, { Id: 'Z1' })
        .resolves({ HostedZone: zone('Z1', 'foo.example.com.'), DelegationSet: { NameServers: NS_FOO } })
        .on(GetHostedZoneCommand, { Id: 'Z2' })
        .resolves({ HostedZone: zone('Z2', 'foo.example.com.'), DelegationSet: { NameServers: ['ns-9.awsdns-09.com'] } })
        .on(GetHostedZoneCommand, { Id: 'ZP' })
        .resolves({ HostedZone: zone('ZP', 'foo.example.com.', true), VPCs: [] });
      r53.on(ListTagsForResourcesCommand).resolves({
        ResourceTagSets: [tagSet('Z1', { 'subzone:delegate': 'true' }), tagSet('Z2', {})],
      });
      const known = knownZones(
        ['Z2', 'foo.example.com', ['ns-9.awsdns-09.com']],
        ['ZP', 'foo.example.com', []],
        ['Z3', 'a.foo.example.com'],
      );

      // Act
      const snapshot = await reader.readZones(ACCOUNT, { kind: 'zones', zoneIds: ['Z1'] }, known);

      // Assess
      expect(r53.commandCalls(GetHostedZoneCommand).map((call) => call.args[0].input)).toEqual([{ Id: 'Z1' }, { Id: 'Z2' }, { Id: 'ZP' }]);
      expect(r53.commandCalls(ListTagsForResourcesCommand).map((call) => call.args[0].input)).toEqual([
        { ResourceType: 'hostedzone', ResourceIds: ['Z1', 'Z2'] },
      ]);
      expect(snapshot).toEqual({
        account: ACCOUNT,
        scope: { kind: 'zones', zoneIds: ['Z1'] },
        zones: [
          { zoneId: 'Z1', name: 'foo.example.com', privateZone: false, optedIn: true, nameServers: NS_FOO_CANONICAL },
          { zoneId: 'Z2', name: 'foo.example.com', privateZone: false, optedIn: false, nameServers: ['ns-9.awsdns-09.com'] },
          // Read as private (ignored), never taken for gone.
          { zoneId: 'ZP', name: 'foo.example.com', privateZone: true, optedIn: false, nameServers: [] },
        ],
        coveredZoneIds: ['Z1', 'Z2', 'ZP'],
      });
    });

    it('looks for no same-name zone the ledger has never seen: one opt-in is read in two calls', async () => {
      // Prepare
      r53
        .on(GetHostedZoneCommand, { Id: 'Z1' })
        .resolves({ HostedZone: zone('Z1', 'foo.example.com.'), DelegationSet: { NameServers: NS_FOO } });
      r53.on(ListTagsForResourcesCommand).resolves({ ResourceTagSets: [tagSet('Z1', { 'subzone:delegate': 'true' })] });

      // Act
      const snapshot = await reader.readZones(ACCOUNT, { kind: 'zones', zoneIds: ['Z1'] }, knownZones(['Z9', 'bar.example.com']));

      // Assess
      expect(r53.calls()).toHaveLength(2);
      expect(snapshot.coveredZoneIds).toEqual(['Z1']);
      expect(snapshot.zones.map((z) => z.zoneId)).toEqual(['Z1']);
    });

    it('covers a same-name sibling the ledger knows that no longer exists, so its delegation can go', async () => {
      // Prepare
      r53
        .on(GetHostedZoneCommand, { Id: 'Z1' })
        .resolves({ HostedZone: zone('Z1', 'foo.example.com.'), DelegationSet: { NameServers: NS_FOO } })
        .on(GetHostedZoneCommand, { Id: 'ZOLD' })
        .rejects(new NoSuchHostedZone({ message: 'No hosted zone found with ID: ZOLD', $metadata: {} }));
      r53.on(ListTagsForResourcesCommand).resolves({ ResourceTagSets: [tagSet('Z1', { 'subzone:delegate': 'true' })] });

      // Act
      const snapshot = await reader.readZones(ACCOUNT, { kind: 'zones', zoneIds: ['Z1'] }, knownZones(['ZOLD', 'foo.example.com']));

      // Assess
      expect(snapshot.coveredZoneIds).toEqual(['Z1', 'ZOLD']);
      expect(snapshot.zones.map((z) => z.zoneId)).toEqual(['Z1']);
    });

    it('covers a requested zone that no longer exists without listing it, and reads nothing more for it', async () => {
      // Prepare
      r53
        .on(GetHostedZoneCommand, { Id: 'ZGONE' })
        .rejects(new NoSuchHostedZone({ message: 'No hosted zone found with ID: ZGONE', $metadata: {} }));

      // Act
      const snapshot = await reader.readZones(ACCOUNT, { kind: 'zones', zoneIds: ['/hostedzone/ZGONE'] }, NO_KNOWN);

      // Assess
      expect(snapshot.zones).toEqual([]);
      expect(snapshot.coveredZoneIds).toEqual(['ZGONE']);
      expect(r53.calls()).toHaveLength(1);
    });

    it('reads more than five requested zones from one listing of the account, and keeps only them and the siblings the ledger knows', async () => {
      // Prepare: six requested zones (one gone), a sibling of one, and 100 other zones
      const requested = ['Z1', 'Z2', 'Z3', 'Z4', 'Z5', 'ZGONE'];
      const others = Array.from({ length: 100 }, (_, index) => zone(`ZO${index}`, `other-${index}.example.com.`));
      r53
        .on(ListHostedZonesCommand, { MaxItems: 100 }, true)
        .resolves({
          HostedZones: [...requested.slice(0, 5).map((id) => zone(id, `${id.toLowerCase()}.example.com.`)), ...others.slice(0, 95)],
          IsTruncated: true,
          NextMarker: 'M2',
          MaxItems: 100,
          Marker: '',
        })
        .on(ListHostedZonesCommand, { MaxItems: 100, Marker: 'M2' }, true)
        .resolves({
          HostedZones: [
            ...others.slice(95),
            zone('ZSIB', 'z1.example.com.'),
            zone('ZOTHER', 'z2.example.com.'),
            zone('ZPRIV', 'z2.example.com.', true),
          ],
          IsTruncated: false,
          MaxItems: 100,
          Marker: 'M2',
        });
      r53.on(ListTagsForResourcesCommand).resolves({ ResourceTagSets: [] });
      // The ledger knows the requested zones and ZSIB, named like Z1; ZOTHER, named like Z2, it has never seen
      const known = knownZones(...namedAfterIds(requested), ['ZSIB', 'z1.example.com']);

      // Act
      const snapshot = await reader.readZones(ACCOUNT, { kind: 'zones', zoneIds: requested }, known);

      // Assess
      expect(r53.commandCalls(ListHostedZonesCommand)).toHaveLength(2);
      expect(r53.commandCalls(GetHostedZoneCommand)).toHaveLength(0);
      expect(r53.commandCalls(ListTagsForResourcesCommand).flatMap((call) => call.args[0].input.ResourceIds)).toEqual([
        'Z1',
        'Z2',
        'Z3',
        'Z4',
        'Z5',
        'ZSIB',
      ]);
      expect(snapshot.scope).toEqual({ kind: 'zones', zoneIds: requested });
      expect(snapshot.zones.map((z) => z.zoneId)).toEqual(['Z1', 'Z2', 'Z3', 'Z4', 'Z5', 'ZSIB']);
      expect([...snapshot.coveredZoneIds].sort()).toEqual([...requested, 'ZSIB'].sort());
    });

    it('reports a known sibling whose listed name cannot be read as unknown, never as gone', async () => {
      // Prepare: six requested zones, listed; the ledger's sibling of Z1 is listed under a name that is no DNS name
      const requested = ['Z1', 'Z2', 'Z3', 'Z4', 'Z5', 'Z6'];
      r53.on(ListHostedZonesCommand).resolves({
        HostedZones: [
          ...requested.map((id) => zone(id, `${id.toLowerCase()}.example.com.`)),
          zone('ZODD', `${'x'.repeat(64)}.example.com.`),
        ],
        IsTruncated: false,
        MaxItems: 100,
        Marker: '',
      });
      r53.on(ListTagsForResourcesCommand).resolves({ ResourceTagSets: [] });
      const known = knownZones(...namedAfterIds(requested), ['ZODD', 'z1.example.com']);

      // Act
      const snapshot = await reader.readZones(ACCOUNT, { kind: 'zones', zoneIds: requested }, known);

      // Assess
      expect(snapshot.coveredZoneIds).toContain('ZODD');
      expect(snapshot.unknownZoneIds).toEqual(['ZODD']);
      expect(snapshot.zones.map((z) => z.zoneId)).toEqual(requested);
    });

    it('asks for each of six zones when the ledger knows the account holds more pages of zones than that costs', async () => {
      // Prepare: the ledger knows 1,300 zones of the account (13 pages, against 6 calls asked one by one)
      const requested = ['Z1', 'Z2', 'Z3', 'Z4', 'Z5', 'Z6'];
      const known = knownZones(...Array.from({ length: 1_300 }, (_, index) => [`ZK${index}`, `zk${index}.example.com`] as const));
      for (const id of requested) {
        r53
          .on(GetHostedZoneCommand, { Id: id })
          .resolves({ HostedZone: zone(id, `${id.toLowerCase()}.example.com.`), DelegationSet: { NameServers: NS_FOO } });
      }
      r53.on(ListTagsForResourcesCommand).resolves({ ResourceTagSets: [] });

      // Act
      const snapshot = await reader.readZones(ACCOUNT, { kind: 'zones', zoneIds: requested }, known);

      // Assess
      expect(r53.commandCalls(ListHostedZonesCommand)).toHaveLength(0);
      expect(r53.commandCalls(GetHostedZoneCommand)).toHaveLength(6);
      expect(snapshot.zones.map((z) => z.zoneId)).toEqual(requested);
    });

    it('reads a requested private zone without tags or siblings', async () => {
      // Prepare
      r53.on(GetHostedZoneCommand, { Id: 'ZP' }).resolves({ HostedZone: zone('ZP', 'foo.example.com.', true), VPCs: [] });

      // Act
      const snapshot = await reader.readZones(ACCOUNT, { kind: 'zones', zoneIds: ['ZP'] }, NO_KNOWN);

      // Assess
      expect(snapshot.zones).toEqual([{ zoneId: 'ZP', name: 'foo.example.com', privateZone: true, optedIn: false, nameServers: [] }]);
      expect(r53.calls()).toHaveLength(1);
    });
  });

  describe('failures', () => {
    it.each([
      { error: named('AccessDenied'), failure: 'access-denied' },
      { error: named('Throttling'), failure: 'throttled' },
      { error: named('PriorRequestNotComplete'), failure: 'throttled' },
      { error: named('InternalFailure'), failure: 'unavailable' },
    ])('rejects with SpokeReadError $failure when a tags call fails with $error.name', async ({ error, failure }) => {
      // Prepare
      const ids = Array.from({ length: 11 }, (_, i) => `Z${i}`);
      r53.on(ListHostedZonesCommand).resolves({
        HostedZones: ids.map((id) => zone(id, `${id.toLowerCase()}.example.com.`)),
        IsTruncated: false,
        MaxItems: 100,
        Marker: '',
      });
      r53.on(ListTagsForResourcesCommand).resolvesOnce({ ResourceTagSets: [] }).rejects(error);

      // Act
      const result = reader.readZones(ACCOUNT, { kind: 'account' }, NO_KNOWN);

      // Assess
      await expect(result).rejects.toBeInstanceOf(SpokeReadError);
      await expect(result).rejects.toMatchObject({ account: ACCOUNT, failure, cause: error });
    });

    it('rejects when a later ListHostedZones page fails: no partial snapshot', async () => {
      // Prepare
      r53
        .on(ListHostedZonesCommand, { MaxItems: 100 }, true)
        .resolves({ HostedZones: [zone('Z1', 'a.example.com.')], IsTruncated: true, NextMarker: 'Z2', MaxItems: 100, Marker: '' })
        .on(ListHostedZonesCommand, { MaxItems: 100, Marker: 'Z2' }, true)
        .rejects(named('ServiceUnavailable'));

      // Act
      const result = reader.readZones(ACCOUNT, { kind: 'account' }, NO_KNOWN);

      // Assess
      await expect(result).rejects.toMatchObject({ name: 'SpokeReadError', failure: 'unavailable' });
    });

    it('rejects when GetHostedZone of a requested zone fails with anything but NoSuchHostedZone', async () => {
      // Prepare
      r53.on(GetHostedZoneCommand).rejects(named('AccessDenied'));

      // Act
      const result = reader.readZones(ACCOUNT, { kind: 'zones', zoneIds: ['Z1'] }, NO_KNOWN);

      // Assess
      await expect(result).rejects.toMatchObject({ name: 'SpokeReadError', failure: 'access-denied' });
    });

    it('rejects a public zone that comes back without name servers', async () => {
      // Prepare
      r53.on(GetHostedZoneCommand).resolves({ HostedZone: zone('Z1', 'foo.example.com.') });

      // Act
      const result = reader.readZones(ACCOUNT, { kind: 'zones', zoneIds: ['Z1'] }, NO_KNOWN);

      // Assess
      await expect(result).rejects.toMatchObject({ name: 'SpokeReadError', failure: 'unavailable' });
    });

    it('passes on the SpokeReadError of the credentials unchanged', async () => {
      // Prepare
      const denied = new SpokeReadError(ACCOUNT, 'access-denied');
      r53.on(ListHostedZonesCommand).rejects(denied);

      // Act
      const result = reader.readZones(ACCOUNT, { kind: 'account' }, NO_KNOWN);

      // Assess
      await expect(result).rejects.toBe(denied);
    });
  });
  describe('signingChangeStatus', () => {
    it.each(['PENDING', 'INSYNC'] as const)('returns %s from GetChange, asked in the child account', async (status) => {
      // Prepare
      r53
        .on(GetChangeCommand, { Id: 'C0222CHANGE' })
        .resolves({ ChangeInfo: { Id: '/change/C0222CHANGE', Status: status, SubmittedAt: new Date() } });

      // Act
      const read = await reader.signingChangeStatus(ACCOUNT, 'C0222CHANGE');

      // Assess
      expect(read).toBe(status);
      expect(accountsAsked).toEqual([ACCOUNT]);
    });

    it('says unknown for a change Route 53 no longer knows', async () => {
      // Prepare
      r53.on(GetChangeCommand).rejects(named('NoSuchChange'));

      // Act
      const read = await reader.signingChangeStatus(ACCOUNT, 'C0222OLD');

      // Assess
      expect(read).toBe('unknown');
    });

    it('throws SpokeReadError naming the account when the role may not read the change', async () => {
      // Prepare
      r53.on(GetChangeCommand).rejects(named('AccessDenied'));

      // Act
      const read = reader.signingChangeStatus(ACCOUNT, 'C0222CHANGE');

      // Assess
      await expect(read).rejects.toMatchObject({ name: 'SpokeReadError', account: ACCOUNT, failure: 'access-denied' });
    });
  });
});
