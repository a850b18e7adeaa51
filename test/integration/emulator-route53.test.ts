import {
  type Change,
  ChangeResourceRecordSetsCommand,
  ChangeTagsForResourceCommand,
  CreateHostedZoneCommand,
  DeleteHostedZoneCommand,
  GetChangeCommand,
  GetDNSSECCommand,
  GetHostedZoneCommand,
  ListHostedZonesByNameCommand,
  ListHostedZonesCommand,
  ListResourceRecordSetsCommand,
  ListTagsForResourceCommand,
  ListTagsForResourcesCommand,
  type ResourceRecordSet,
  type Route53Client,
  type Route53ServiceException,
} from '@aws-sdk/client-route-53';
import fc from 'fast-check';
import { compareCanonicalOrder, normaliseName } from '../../functions/core/names';
import { type Route53OnlyServer, startRoute53OnlyServer } from '../helpers/route53-only-server';

const HUB = '111111111111';
const CHILD = '222222222222';
const NAME_SERVER = /^ns-\d{1,4}\.awsdns-\d{2}\.(com|net|org|co\.uk)$/;

let server: Route53OnlyServer;
let hub: Route53Client;

beforeEach(async () => {
  server = await startRoute53OnlyServer();
  hub = server.route53(HUB);
});

afterEach(async () => {
  await server.close();
});

let references = 0;
async function createZone(name: string, client: Route53Client = hub): Promise<string> {
  references += 1;
  const created = await client.send(new CreateHostedZoneCommand({ Name: name, CallerReference: `ref-${references}` }));
  return (created.HostedZone?.Id ?? '').replace('/hostedzone/', '');
}

function record(name: string, type: ResourceRecordSet['Type'], values: string[], ttl = 300): ResourceRecordSet {
  return { Name: name, Type: type, TTL: ttl, ResourceRecords: values.map((Value) => ({ Value })) };
}

async function change(zoneId: string, changes: Change[], client: Route53Client = hub): Promise<void> {
  await client.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: zoneId, ChangeBatch: { Changes: changes } }));
}

async function failure(promise: Promise<unknown>): Promise<Route53ServiceException & { messages?: string[] }> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!error) throw new Error('expected the call to fail');
  return error as Route53ServiceException & { messages?: string[] };
}

async function listAll(zoneId: string): Promise<ResourceRecordSet[]> {
  const page = await hub.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId }));
  return page.ResourceRecordSets ?? [];
}

describe('CreateHostedZone', () => {
  it('creates a public zone with four name servers, an apex NS and an SOA', async () => {
    // Act
    const created = await hub.send(new CreateHostedZoneCommand({ Name: 'Example.COM', CallerReference: 'first' }));

    // Assess
    expect(created.$metadata.httpStatusCode).toBe(201);
    expect(created.HostedZone).toMatchObject({ Name: 'example.com.', ResourceRecordSetCount: 2, Config: { PrivateZone: false } });
    expect(created.ChangeInfo?.Status).toBe('PENDING');
    expect(created.Location).toBe(`https://route53.amazonaws.com/2013-04-01${created.HostedZone?.Id}`);
    const nameServers = created.DelegationSet?.NameServers ?? [];
    expect(nameServers).toHaveLength(4);
    nameServers.forEach((host) => expect(host).toMatch(NAME_SERVER));
    expect(nameServers.map((host) => host.split('.').slice(2).join('.'))).toEqual(['com', 'net', 'org', 'co.uk']);
    const records = await listAll(created.HostedZone?.Id ?? '');
    expect(records).toEqual([
      record(
        'example.com.',
        'NS',
        nameServers.map((host) => `${host}.`),
        172800,
      ),
      record('example.com.', 'SOA', [`${nameServers[0]}. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400`], 900),
    ]);
  });

  it('gives several zones of one name different name servers', async () => {
    // Prepare
    const first = await createZone('example.com');

    // Act
    const second = await createZone('example.com');

    // Assess
    const servers = async (id: string): Promise<string[]> =>
      (await hub.send(new GetHostedZoneCommand({ Id: id }))).DelegationSet?.NameServers ?? [];
    const firstServers = await servers(first);
    const secondServers = await servers(second);
    expect(second).not.toBe(first);
    expect(firstServers.filter((host) => secondServers.includes(host))).toEqual([]);
  });

  it('rejects a CallerReference used before, even after the zone is deleted', async () => {
    // Prepare
    const created = await hub.send(new CreateHostedZoneCommand({ Name: 'example.com', CallerReference: 'once' }));
    await hub.send(new DeleteHostedZoneCommand({ Id: created.HostedZone?.Id }));

    // Act
    const error = await failure(hub.send(new CreateHostedZoneCommand({ Name: 'example.org', CallerReference: 'once' })));

    // Assess
    expect(error.name).toBe('HostedZoneAlreadyExists');
    expect(error.message).toBe('A hosted zone has already been created with the specified caller reference.');
    expect(error.$metadata.httpStatusCode).toBe(409);
  });

  it('lets another account use the same CallerReference', async () => {
    // Prepare
    await hub.send(new CreateHostedZoneCommand({ Name: 'example.com', CallerReference: 'shared' }));

    // Act
    const created = await server.route53(CHILD).send(new CreateHostedZoneCommand({ Name: 'foo.example.com', CallerReference: 'shared' }));

    // Assess
    expect(created.HostedZone?.Name).toBe('foo.example.com.');
  });

  it.each([
    ['com', 'top-level domain'],
    ['*.example.com', 'leftmost label cannot hold a "*"'],
    ['a*b.example.com', 'leftmost label cannot hold a "*"'],
    ['a..example.com', 'label 2 is empty'],
    [`${'a'.repeat(64)}.example.com`, 'at most 63'],
    [`${'a.'.repeat(127)}com`, 'at most 255'],
    ['bücher.example.com', 'Punycode'],
    ['a b.example.com', 'octal escape'],
    ['a\\8.example.com', 'three octal digits'],
  ])('rejects zone name %s with InvalidDomainName', async (name, reason) => {
    // Act
    const error = await failure(hub.send(new CreateHostedZoneCommand({ Name: name, CallerReference: `bad-${name}` })));

    // Assess
    expect(error.name).toBe('InvalidDomainName');
    expect(error.message).toContain(reason);
  });

  it('creates a private zone that shows its VPCs and no delegation set', async () => {
    // Prepare
    const created = await hub.send(
      new CreateHostedZoneCommand({
        Name: 'internal.example.com',
        CallerReference: 'private',
        HostedZoneConfig: { PrivateZone: true, Comment: 'internal' },
        VPC: { VPCRegion: 'eu-west-1', VPCId: 'vpc-0a1b2c3d4e5f60718' },
      }),
    );

    // Act
    const zone = await hub.send(new GetHostedZoneCommand({ Id: created.HostedZone?.Id }));

    // Assess
    expect(created.DelegationSet).toBeUndefined();
    expect(zone.DelegationSet).toBeUndefined();
    expect(zone.VPCs).toEqual([{ VPCRegion: 'eu-west-1', VPCId: 'vpc-0a1b2c3d4e5f60718' }]);
    expect(zone.HostedZone?.Config).toEqual({ PrivateZone: true, Comment: 'internal' });
  });

  it('rejects a private zone without a VPC', async () => {
    // Act
    const error = await failure(
      hub.send(
        new CreateHostedZoneCommand({ Name: 'internal.example.com', CallerReference: 'p', HostedZoneConfig: { PrivateZone: true } }),
      ),
    );

    // Assess
    expect(error.name).toBe('InvalidInput');
  });
});

describe('account isolation', () => {
  it('rejects GetHostedZone of another account zone with NoSuchHostedZone', async () => {
    // Prepare
    const zoneId = await createZone('example.com');

    // Act
    const error = await failure(server.route53(CHILD).send(new GetHostedZoneCommand({ Id: zoneId })));

    // Assess
    expect(error.name).toBe('NoSuchHostedZone');
    expect(error.message).toBe(`No hosted zone found with ID: ${zoneId}`);
    expect(error.$metadata.httpStatusCode).toBe(404);
  });

  it('lists only the calling account zones', async () => {
    // Prepare
    await createZone('example.com');
    await createZone('foo.example.com', server.route53(CHILD));

    // Act
    const listed = await server.route53(CHILD).send(new ListHostedZonesByNameCommand({}));

    // Assess
    expect(listed.HostedZones?.map((zone) => zone.Name)).toEqual(['foo.example.com.']);
  });

  it.each([
    [
      'ChangeResourceRecordSets',
      (client: Route53Client, id: string) =>
        change(id, [{ Action: 'CREATE', ResourceRecordSet: record('a.example.com', 'A', ['192.0.2.1']) }], client),
    ],
    ['ListResourceRecordSets', (client: Route53Client, id: string) => client.send(new ListResourceRecordSetsCommand({ HostedZoneId: id }))],
    ['DeleteHostedZone', (client: Route53Client, id: string) => client.send(new DeleteHostedZoneCommand({ Id: id }))],
    [
      'ListTagsForResource',
      (client: Route53Client, id: string) => client.send(new ListTagsForResourceCommand({ ResourceType: 'hostedzone', ResourceId: id })),
    ],
    [
      'ListTagsForResources',
      (client: Route53Client, id: string) =>
        client.send(new ListTagsForResourcesCommand({ ResourceType: 'hostedzone', ResourceIds: [id] })),
    ],
    ['GetDNSSEC', (client: Route53Client, id: string) => client.send(new GetDNSSECCommand({ HostedZoneId: id }))],
  ])('rejects %s on another account zone with NoSuchHostedZone', async (_operation, call) => {
    // Prepare
    const zoneId = await createZone('example.com');

    // Act
    const error = await failure(call(server.route53(CHILD), zoneId));

    // Assess
    expect(error.name).toBe('NoSuchHostedZone');
    expect(server.state.getHostedZone(HUB, zoneId).records.size).toBe(2);
  });
});

describe('DeleteHostedZone', () => {
  it('rejects deleting a zone that holds records other than its apex SOA and NS', async () => {
    // Prepare
    const zoneId = await createZone('example.com');
    await change(zoneId, [{ Action: 'CREATE', ResourceRecordSet: record('www.example.com', 'A', ['192.0.2.1']) }]);

    // Act
    const error = await failure(hub.send(new DeleteHostedZoneCommand({ Id: zoneId })));

    // Assess
    expect(error.name).toBe('HostedZoneNotEmpty');
    expect(error.message).toBe('The specified hosted zone contains non-required resource record sets and so cannot be deleted.');
  });

  it('deletes an empty zone, which then no longer exists', async () => {
    // Prepare
    const zoneId = await createZone('example.com');

    // Act
    const deleted = await hub.send(new DeleteHostedZoneCommand({ Id: zoneId }));

    // Assess
    expect(deleted.ChangeInfo?.Status).toBe('PENDING');
    const error = await failure(hub.send(new GetHostedZoneCommand({ Id: zoneId })));
    expect(error.name).toBe('NoSuchHostedZone');
  });

  it('rejects deleting a zone while DNSSEC signs it', async () => {
    // Prepare
    const zoneId = await createZone('example.com');
    server.state.getHostedZone(HUB, zoneId).dnssecSigning = true;

    // Act
    const error = await failure(hub.send(new DeleteHostedZoneCommand({ Id: zoneId })));

    // Assess
    expect(error.name).toBe('HostedZoneNotEmpty');
  });
});

describe('listing hosted zones', () => {
  it('pages ListHostedZones by marker', async () => {
    // Prepare
    for (const name of ['a.com', 'b.com', 'c.com', 'd.com', 'e.com']) await createZone(name);

    // Act
    const first = await hub.send(new ListHostedZonesCommand({ MaxItems: 2 }));
    const second = await hub.send(new ListHostedZonesCommand({ MaxItems: 2, Marker: first.NextMarker }));
    const third = await hub.send(new ListHostedZonesCommand({ MaxItems: 2, Marker: second.NextMarker }));

    // Assess
    expect([first.IsTruncated, second.IsTruncated, third.IsTruncated]).toEqual([true, true, false]);
    const ids = [first, second, third].flatMap((page) => page.HostedZones?.map((zone) => zone.Id) ?? []);
    expect(new Set(ids).size).toBe(5);
    expect(third.NextMarker).toBeUndefined();
  });

  it('returns at most 100 zones a page whatever MaxItems asks', async () => {
    // Prepare
    for (let index = 0; index < 101; index += 1) server.state.createZone(HUB, `zone-${index}.example.com`);

    // Act
    const page = await hub.send(new ListHostedZonesByNameCommand({ MaxItems: 500 }));

    // Assess
    expect(page.HostedZones).toHaveLength(100);
    expect(page.MaxItems).toBe(100);
    expect(page.IsTruncated).toBe(true);
  });

  it('orders ListHostedZonesByName by reversed labels, then id', async () => {
    // Prepare
    for (const name of ['example.org', 'b.example.com', 'a.example.com', 'a-b.example.com', 'example.com', 'example.com']) {
      await createZone(name);
    }

    // Act
    const listed = await hub.send(new ListHostedZonesByNameCommand({}));

    // Assess
    const zones = listed.HostedZones ?? [];
    expect(zones.map((zone) => zone.Name)).toEqual([
      'example.com.',
      'example.com.',
      'a-b.example.com.',
      'a.example.com.',
      'b.example.com.',
      'example.org.',
    ]);
    expect((zones[0]?.Id ?? '') < (zones[1]?.Id ?? '')).toBe(true);
  });

  it('pages ListHostedZonesByName through zones of one name with NextDNSName and NextHostedZoneId', async () => {
    // Prepare
    for (const name of ['example.com', 'example.com', 'example.com', 'foo.example.com']) await createZone(name);

    // Act
    const first = await hub.send(new ListHostedZonesByNameCommand({ DNSName: 'example.com', MaxItems: 2 }));
    const second = await hub.send(
      new ListHostedZonesByNameCommand({ DNSName: first.NextDNSName, HostedZoneId: first.NextHostedZoneId, MaxItems: 2 }),
    );

    // Assess
    expect(first.IsTruncated).toBe(true);
    expect(first.NextDNSName).toBe('example.com.');
    expect(second.HostedZones?.map((zone) => zone.Name)).toEqual(['example.com.', 'foo.example.com.']);
    expect(second.HostedZones?.[0]?.Id).toBe(`/hostedzone/${first.NextHostedZoneId}`);
    expect(second.IsTruncated).toBe(false);
  });

  it('rejects a HostedZoneId without a DNSName with InvalidInput', async () => {
    // Act
    const error = await failure(hub.send(new ListHostedZonesByNameCommand({ HostedZoneId: 'Z123' })));

    // Assess
    expect(error.name).toBe('InvalidInput');
  });
});

describe('ChangeResourceRecordSets', () => {
  let zoneId: string;

  beforeEach(async () => {
    zoneId = await createZone('example.com');
    await change(zoneId, [
      { Action: 'CREATE', ResourceRecordSet: record('www.example.com', 'A', ['192.0.2.1', '192.0.2.2']) },
      { Action: 'CREATE', ResourceRecordSet: record('dev.example.com', 'NS', ['ns-1.awsdns-00.com.', 'ns-600.awsdns-11.net.'], 3600) },
      { Action: 'CREATE', ResourceRecordSet: record('alias.example.com', 'CNAME', ['www.example.com']) },
    ]);
  });

  const apexNs = async (): Promise<ResourceRecordSet> =>
    (await listAll(zoneId)).find((set) => set.Name === 'example.com.' && set.Type === 'NS') as ResourceRecordSet;
  const apexSoa = async (): Promise<ResourceRecordSet> =>
    (await listAll(zoneId)).find((set) => set.Name === 'example.com.' && set.Type === 'SOA') as ResourceRecordSet;

  it.each<[string, () => Promise<Change[]>, string]>([
    [
      'a CREATE of an existing set',
      async () => [{ Action: 'CREATE', ResourceRecordSet: record('dev.example.com', 'NS', ['ns-2.awsdns-00.com.'], 3600) }],
      "Tried to create resource record set [name='dev.example.com.', type='NS'] but it already exists",
    ],
    [
      'a DELETE of a missing set',
      async () => [{ Action: 'DELETE', ResourceRecordSet: record('k.example.com', 'A', ['192.0.2.1']) }],
      "Tried to delete resource record set [name='k.example.com.', type='A'] but it was not found",
    ],
    [
      'a DELETE with other values',
      async () => [{ Action: 'DELETE', ResourceRecordSet: record('www.example.com', 'A', ['192.0.2.1']) }],
      "Tried to delete resource record set [name='www.example.com.', type='A'] but the values provided do not match the current values",
    ],
    [
      'a DELETE with another TTL',
      async () => [{ Action: 'DELETE', ResourceRecordSet: record('www.example.com', 'A', ['192.0.2.1', '192.0.2.2'], 60) }],
      "Tried to delete resource record set [name='www.example.com.', type='A'] but the values provided do not match the current values",
    ],
    [
      'a DELETE of NS values without their trailing dots',
      async () => [
        { Action: 'DELETE', ResourceRecordSet: record('dev.example.com', 'NS', ['ns-1.awsdns-00.com', 'ns-600.awsdns-11.net'], 3600) },
      ],
      "Tried to delete resource record set [name='dev.example.com.', type='NS'] but the values provided do not match the current values",
    ],
    [
      'a name outside the zone',
      async () => [{ Action: 'CREATE', ResourceRecordSet: record('foo.other.com', 'A', ['192.0.2.1']) }],
      'RRSet with DNS name foo.other.com. is not permitted in zone example.com.',
    ],
    [
      'a name that only ends like the zone',
      async () => [{ Action: 'CREATE', ResourceRecordSet: record('badexample.com', 'A', ['192.0.2.1']) }],
      'RRSet with DNS name badexample.com. is not permitted in zone example.com.',
    ],
    [
      'deleting the apex NS',
      async () => [{ Action: 'DELETE', ResourceRecordSet: await apexNs() }],
      'A HostedZone must contain at least one NS record for the zone itself.',
    ],
    [
      'deleting the apex SOA',
      async () => [{ Action: 'DELETE', ResourceRecordSet: await apexSoa() }],
      'A HostedZone must contain exactly one SOA record.',
    ],
    [
      'the same set twice in one batch',
      async () => [
        { Action: 'UPSERT', ResourceRecordSet: record('x.example.com', 'A', ['192.0.2.1']) },
        { Action: 'UPSERT', ResourceRecordSet: record('X.example.com.', 'A', ['192.0.2.2']) },
      ],
      "The request contains an invalid set of changes for a resource record set 'A x.example.com.'",
    ],
    [
      'NS at a wildcard name',
      async () => [{ Action: 'CREATE', ResourceRecordSet: record('*.example.com', 'NS', ['ns-1.awsdns-00.com.']) }],
      'RRSet of type NS with DNS name \\052.example.com. is not permitted; a wildcard name cannot hold NS records',
    ],
    [
      'a CNAME at the apex',
      async () => [{ Action: 'CREATE', ResourceRecordSet: record('example.com', 'CNAME', ['www.example.org']) }],
      'RRSet of type CNAME with DNS name example.com. is not permitted at apex in zone example.com.',
    ],
    [
      'a CNAME next to other records',
      async () => [{ Action: 'CREATE', ResourceRecordSet: record('www.example.com', 'CNAME', ['example.org']) }],
      'RRSet of type CNAME with DNS name www.example.com. is not permitted as it conflicts with other records with the same DNS name in zone example.com.',
    ],
    [
      'a record next to a CNAME',
      async () => [{ Action: 'CREATE', ResourceRecordSet: record('alias.example.com', 'TXT', ['"x"']) }],
      'RRSet of type TXT with DNS name alias.example.com. is not permitted because a conflicting RRSet of type CNAME with the same DNS name already exists in zone example.com.',
    ],
    [
      'an invalid IPv4 address',
      async () => [{ Action: 'CREATE', ResourceRecordSet: record('ip.example.com', 'A', ['300.1.1.1']) }],
      "Invalid Resource Record: 'FATAL problem: ARRDATAIllegalIPv4Address (Value is not a valid IPv4 address) encountered with '300.1.1.1''",
    ],
    [
      'a DS without an NS at its name',
      async () => [{ Action: 'CREATE', ResourceRecordSet: record('nods.example.com', 'DS', ['12345 13 2 abcdef01']) }],
      'RRSet of type DS with DNS name nods.example.com. is not permitted because no RRSet of type NS with the same DNS name exists in zone example.com.',
    ],
    [
      'deleting the NS that a DS stands next to',
      async () => {
        await change(zoneId, [{ Action: 'CREATE', ResourceRecordSet: record('dev.example.com', 'DS', ['12345 13 2 abcdef01'], 3600) }]);
        return [
          { Action: 'DELETE', ResourceRecordSet: record('dev.example.com', 'NS', ['ns-1.awsdns-00.com.', 'ns-600.awsdns-11.net.'], 3600) },
        ];
      },
      'RRSet of type DS with DNS name dev.example.com. is not permitted because no RRSet of type NS with the same DNS name exists in zone example.com.',
    ],
    [
      'a "*" that is only part of the leftmost label',
      async () => [{ Action: 'CREATE', ResourceRecordSet: record('*prod.example.com', 'A', ['192.0.2.1']) }],
      `FATAL problem: DomainNameInvalid (a "*" in the leftmost label must be the whole label, as in "*.example.com") encountered with '*prod.example.com'`,
    ],
  ])('rejects %s with InvalidChangeBatch', async (_case, changes, message) => {
    // Prepare
    const batch = await changes();
    const before = await listAll(zoneId);

    // Act
    const error = await failure(hub.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: zoneId, ChangeBatch: { Changes: batch } })));

    // Assess
    expect(error.name).toBe('InvalidChangeBatch');
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.messages).toEqual([message]);
    expect(error.message).toBe(`[${message}]`);
    expect(await listAll(zoneId)).toEqual(before);
  });

  it('reports every problem of a batch, bracketed and comma-separated, and applies none of it', async () => {
    // Prepare
    const before = await listAll(zoneId);
    const batch: Change[] = [
      { Action: 'CREATE', ResourceRecordSet: record('new.example.com', 'A', ['192.0.2.7']) },
      { Action: 'CREATE', ResourceRecordSet: record('www.example.com', 'A', ['192.0.2.1']) },
      { Action: 'DELETE', ResourceRecordSet: record('gone.example.com', 'A', ['192.0.2.1']) },
    ];

    // Act
    const error = await failure(hub.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: zoneId, ChangeBatch: { Changes: batch } })));

    // Assess
    const messages = [
      "Tried to create resource record set [name='www.example.com.', type='A'] but it already exists",
      "Tried to delete resource record set [name='gone.example.com.', type='A'] but it was not found",
    ];
    expect(error.messages).toEqual(messages);
    expect(error.message).toBe(`[${messages.join(', ')}]`);
    expect(await listAll(zoneId)).toEqual(before);
  });

  it('replaces a set with DELETE then CREATE in one batch', async () => {
    // Act
    await change(zoneId, [
      { Action: 'DELETE', ResourceRecordSet: record('dev.example.com', 'NS', ['ns-600.awsdns-11.net.', 'ns-1.awsdns-00.com.'], 3600) },
      { Action: 'CREATE', ResourceRecordSet: record('dev.example.com', 'NS', ['ns-9.awsdns-01.com.'], 300) },
    ]);

    // Assess
    expect((await listAll(zoneId)).find((set) => set.Name === 'dev.example.com.')).toEqual(
      record('dev.example.com.', 'NS', ['ns-9.awsdns-01.com.'], 300),
    );
  });

  it('replaces a set with UPSERT and creates one that is missing', async () => {
    // Act
    await change(zoneId, [
      { Action: 'UPSERT', ResourceRecordSet: record('www.example.com', 'A', ['192.0.2.9'], 60) },
      { Action: 'UPSERT', ResourceRecordSet: record('new.example.com', 'TXT', ['"hello"']) },
    ]);

    // Assess
    const sets = await listAll(zoneId);
    expect(sets.find((set) => set.Name === 'www.example.com.')).toEqual(record('www.example.com.', 'A', ['192.0.2.9'], 60));
    expect(sets.find((set) => set.Name === 'new.example.com.')).toEqual(record('new.example.com.', 'TXT', ['"hello"']));
  });

  it('stores names in lower case with a trailing dot and octal escapes', async () => {
    // Act
    await change(zoneId, [
      { Action: 'CREATE', ResourceRecordSet: record('MiXeD.Example.COM.', 'A', ['192.0.2.3']) },
      { Action: 'CREATE', ResourceRecordSet: record('*.wild.example.com', 'A', ['192.0.2.4']) },
    ]);

    // Assess
    const names = (await listAll(zoneId)).map((set) => set.Name);
    expect(names).toContain('mixed.example.com.');
    expect(names).toContain('\\052.wild.example.com.');
  });

  it.each<[string, Change[], string]>([
    [
      '101 changes',
      Array.from({ length: 101 }, (_, index) => ({
        Action: 'CREATE',
        ResourceRecordSet: record(`n${index}.example.com`, 'A', ['192.0.2.1']),
      })),
      'Number of changes limit of 100 exceeded.',
    ],
    [
      '1,001 values',
      Array.from({ length: 11 }, (_, index) => ({
        Action: 'CREATE',
        ResourceRecordSet: record(
          `v${index}.example.com`,
          'A',
          Array.from({ length: 91 }, (_v, value) => `10.0.${index}.${value}`),
        ),
      })),
      'Number of records limit of 1000 exceeded.',
    ],
    [
      '501 values upserted, which count twice',
      [
        {
          Action: 'UPSERT',
          ResourceRecordSet: record(
            'u1.example.com',
            'A',
            Array.from({ length: 251 }, (_, value) => `10.1.${value % 250}.${Math.floor(value / 250)}`),
          ),
        },
        {
          Action: 'UPSERT',
          ResourceRecordSet: record(
            'u2.example.com',
            'A',
            Array.from({ length: 250 }, (_, value) => `10.2.${value}.1`),
          ),
        },
      ],
      'Number of records limit of 1000 exceeded.',
    ],
    [
      '32,001 value characters',
      Array.from({ length: 9 }, (_, index) => ({
        Action: 'CREATE',
        ResourceRecordSet: record(`t${index}.example.com`, 'TXT', [`"${'x'.repeat(index < 8 ? 3998 : 1)}"`]),
      })),
      'Number of characters in records limit of 32000 exceeded.',
    ],
  ])('rejects a batch of %s', async (_case, batch, message) => {
    // Act
    const error = await failure(hub.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: zoneId, ChangeBatch: { Changes: batch } })));

    // Assess
    expect(error.name).toBe('InvalidChangeBatch');
    expect(error.messages).toEqual([message]);
  });

  it('accepts a batch at exactly 100 changes and 1,000 values', async () => {
    // Prepare
    const batch: Change[] = Array.from({ length: 100 }, (_, index) => ({
      Action: 'CREATE',
      ResourceRecordSet: record(
        `b${index}.example.com`,
        'A',
        Array.from({ length: 10 }, (_v, value) => `10.${index}.0.${value}`),
      ),
    }));

    // Act
    await change(zoneId, batch);

    // Assess
    expect(server.state.listRecords(HUB, zoneId)).toHaveLength(105);
  });

  it('rejects a record set without TTL and values with InvalidInput', async () => {
    // Act
    const error = await failure(change(zoneId, [{ Action: 'CREATE', ResourceRecordSet: { Name: 'x.example.com', Type: 'A' } }]));

    // Assess
    expect(error.name).toBe('InvalidInput');
    expect(error.message).toContain('Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords]');
  });

  it('reports a change as PENDING, then INSYNC once the configured delay has passed on its clock', async () => {
    // Prepare: a server whose Route 53 state reads the test's clock
    let now = new Date();
    const timed = await startRoute53OnlyServer({ changeSyncDelayMs: 60_000, now: () => now });
    const client = timed.route53(HUB);
    try {
      const timedZoneId = await createZone('example.com', client);
      const submitted = await client.send(
        new ChangeResourceRecordSetsCommand({
          HostedZoneId: timedZoneId,
          ChangeBatch: { Changes: [{ Action: 'CREATE', ResourceRecordSet: record('s.example.com', 'A', ['192.0.2.1']) }] },
        }),
      );
      const status = async (): Promise<string | undefined> =>
        (await client.send(new GetChangeCommand({ Id: submitted.ChangeInfo?.Id }))).ChangeInfo?.Status;

      // Act
      const early = await status();
      now = new Date(now.getTime() + 59_999);
      const justBefore = await status();
      now = new Date(now.getTime() + 1);
      const after = await status();

      // Assess
      expect(submitted.ChangeInfo?.Status).toBe('PENDING');
      expect([early, justBefore, after]).toEqual(['PENDING', 'PENDING', 'INSYNC']);
    } finally {
      client.destroy();
      await timed.close();
    }
  });
});

describe('ListResourceRecordSets', () => {
  let zoneId: string;

  beforeEach(async () => {
    zoneId = await createZone('example.com');
    server.state.putRecords(HUB, zoneId, [
      { name: 'www.example.com', type: 'A', ttl: 300, values: ['192.0.2.1'] },
      { name: 'www.example.com', type: 'AAAA', ttl: 300, values: ['2001:db8::1'] },
      { name: 'a.example.com', type: 'TXT', ttl: 300, values: ['"a"'] },
      { name: 'a-b.example.com', type: 'TXT', ttl: 300, values: ['"ab"'] },
      { name: 'z.a.example.com', type: 'TXT', ttl: 300, values: ['"za"'] },
    ]);
  });

  it('sorts by reversed labels, then type', async () => {
    // Act
    const sets = await listAll(zoneId);

    // Assess
    expect(sets.map((set) => `${set.Name} ${set.Type}`)).toEqual([
      'example.com. NS',
      'example.com. SOA',
      'a-b.example.com. TXT',
      'a.example.com. TXT',
      'z.a.example.com. TXT',
      'www.example.com. A',
      'www.example.com. AAAA',
    ]);
  });

  it.each([
    [{ StartRecordName: 'www.example.com' }, 'www.example.com. A'],
    [{ StartRecordName: 'WWW.example.com.', StartRecordType: 'AAAA' as const }, 'www.example.com. AAAA'],
    [{ StartRecordName: 'b.example.com' }, 'www.example.com. A'],
    [{ StartRecordName: 'example.com', StartRecordType: 'SOA' as const }, 'example.com. SOA'],
  ])('starts at the first set at or after %j', async (start, first) => {
    // Act
    const page = await hub.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId, ...start }));

    // Assess
    const head = page.ResourceRecordSets?.[0];
    expect(`${head?.Name} ${head?.Type}`).toBe(first);
  });

  it('lists a name and every name below it as one run from StartRecordName', async () => {
    // Prepare
    server.state.putRecords(HUB, zoneId, [
      { name: 'b.a.example.com', type: 'TXT', ttl: 300, values: ['"ba"'] },
      { name: 'a.b.example.com', type: 'TXT', ttl: 300, values: ['"ab"'] },
    ]);

    // Act
    const page = await hub.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId, StartRecordName: 'a.example.com', MaxItems: 4 }));

    // Assess
    expect(page.ResourceRecordSets?.map((set) => set.Name)).toEqual([
      'a.example.com.',
      'b.a.example.com.',
      'z.a.example.com.',
      'a.b.example.com.',
    ]);
    expect(page.NextRecordName).toBe('www.example.com.');
  });

  it('accepts a "*" as a whole leftmost label, and as a plain character further right', async () => {
    // Act
    await change(zoneId, [
      { Action: 'CREATE', ResourceRecordSet: record('*.example.com', 'A', ['192.0.2.1']) },
      { Action: 'CREATE', ResourceRecordSet: record('prod.*.example.com', 'A', ['192.0.2.2']) },
    ]);

    // Assess
    const names = (await listAll(zoneId)).map((set) => set.Name);
    expect(names).toEqual(expect.arrayContaining(['\\052.example.com.', 'prod.\\052.example.com.']));
  });

  it('pages generated names in the order subzone expects, each set once, whatever the page size', async () => {
    // Labels that differ around `.` in byte order (`-`, `!`, `*`, `\\000` below it, `_` and
    // `\\377` above), so neighbours are decided by a label's end. No `\\056`: its order is
    // left open by Route 53 (see test/unit/emulator/names-differential.test.ts).
    const label = fc.constantFrom('a', 'B', 'a-', 'a!', '*', 'a\\000', 'a\\377', '_x', 'xn--bcher-kva', 'a.b');
    const sets = fc.uniqueArray(fc.tuple(fc.array(label, { minLength: 1, maxLength: 3 }), fc.constantFrom('A', 'TXT')), {
      minLength: 1,
      maxLength: 30,
      selector: ([labels, type]) => `${normaliseName(labels.join('.'))} ${type}`,
    });
    let run = 0;
    await fc.assert(
      fc.asyncProperty(sets, fc.integer({ min: 1, max: 9 }), async (generated, pageSize) => {
        // Prepare
        run += 1;
        const apex = `r${run}.example.net`;
        const zone = server.state.createZone(HUB, apex);
        const records = generated.map(([labels, type]) => ({
          name: `${labels.join('.')}.${apex}`,
          type,
          ttl: 60,
          values: [type === 'A' ? '192.0.2.1' : '"x"'],
        }));
        server.state.putRecords(HUB, zone.id, records);
        const expected = [...records.map((set) => [normaliseName(set.name), set.type]), [apex, 'NS'], [apex, 'SOA']]
          .sort(
            ([nameA = '', typeA = ''], [nameB = '', typeB = '']) =>
              compareCanonicalOrder(nameA, nameB) || (typeA < typeB ? -1 : typeA > typeB ? 1 : 0),
          )
          .map(([name, type]) => `${name}. ${type}`);

        // Act
        const listed: string[] = [];
        let next: { StartRecordName?: string; StartRecordType?: ResourceRecordSet['Type'] } = {};
        for (;;) {
          const page = await hub.send(new ListResourceRecordSetsCommand({ HostedZoneId: zone.id, MaxItems: pageSize, ...next }));
          listed.push(...(page.ResourceRecordSets ?? []).map((set) => `${set.Name} ${set.Type}`));
          if (!page.IsTruncated) break;
          next = { StartRecordName: page.NextRecordName, StartRecordType: page.NextRecordType };
        }

        // Assess
        expect(listed).toEqual(expected);
      }),
      { numRuns: 25 },
    );
  });

  it('rejects a StartRecordType without a StartRecordName with InvalidInput', async () => {
    // Act
    const error = await failure(hub.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId, StartRecordType: 'A' })));

    // Assess
    expect(error.name).toBe('InvalidInput');
  });

  it('pages by 300 at most, naming the next set', async () => {
    // Prepare
    const records = Array.from({ length: 643 }, (_, index) => ({
      name: `h${String(index).padStart(3, '0')}.example.com`,
      type: 'A' as const,
      ttl: 60,
      values: ['192.0.2.1'],
    }));
    for (let index = 0; index < records.length; index += 100) server.state.putRecords(HUB, zoneId, records.slice(index, index + 100));

    // Act
    const pages = [];
    let next: { StartRecordName?: string; StartRecordType?: ResourceRecordSet['Type'] } = {};
    for (;;) {
      const page = await hub.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId, MaxItems: 1000, ...next }));
      pages.push(page);
      if (!page.IsTruncated) break;
      next = { StartRecordName: page.NextRecordName, StartRecordType: page.NextRecordType };
    }

    // Assess
    expect(pages.map((page) => page.ResourceRecordSets?.length)).toEqual([300, 300, 50]);
    expect(pages[0]?.MaxItems).toBe(300);
    expect(pages[0]?.NextRecordName).toBe(pages[1]?.ResourceRecordSets?.[0]?.Name);
    expect(pages[0]?.NextRecordType).toBe('A');
    const all = pages.flatMap((page) => page.ResourceRecordSets ?? []);
    expect(new Set(all.map((set) => `${set.Name} ${set.Type}`)).size).toBe(650);
  });
});

describe('tags and DNSSEC', () => {
  it('adds, replaces and removes tags on a hosted zone', async () => {
    // Prepare
    const zoneId = await createZone('foo.example.com');
    await hub.send(
      new ChangeTagsForResourceCommand({
        ResourceType: 'hostedzone',
        ResourceId: zoneId,
        AddTags: [
          { Key: 'subzone:delegate', Value: 'false' },
          { Key: 'owner', Value: 'team-a' },
        ],
      }),
    );

    // Act
    await hub.send(
      new ChangeTagsForResourceCommand({
        ResourceType: 'hostedzone',
        ResourceId: zoneId,
        AddTags: [{ Key: 'subzone:delegate', Value: 'true' }],
        RemoveTagKeys: ['owner'],
      }),
    );
    const listed = await hub.send(new ListTagsForResourceCommand({ ResourceType: 'hostedzone', ResourceId: zoneId }));

    // Assess
    expect(listed.ResourceTagSet).toEqual({
      ResourceType: 'hostedzone',
      ResourceId: zoneId,
      Tags: [{ Key: 'subzone:delegate', Value: 'true' }],
    });
  });

  it('lists the tags of several zones at once', async () => {
    // Prepare
    const first = await createZone('a.example.com');
    const second = await createZone('b.example.com');
    server.state.changeTags(HUB, second, [{ key: 'k', value: 'v' }], []);

    // Act
    const listed = await hub.send(new ListTagsForResourcesCommand({ ResourceType: 'hostedzone', ResourceIds: [first, second] }));

    // Assess
    expect(listed.ResourceTagSets).toEqual([
      { ResourceType: 'hostedzone', ResourceId: first, Tags: [] },
      { ResourceType: 'hostedzone', ResourceId: second, Tags: [{ Key: 'k', Value: 'v' }] },
    ]);
  });

  it('rejects more than 10 resource ids with InvalidInput', async () => {
    // Prepare
    const ids = Array.from({ length: 11 }, () => server.state.createZone(HUB, 'example.com').id);

    // Act
    const error = await failure(hub.send(new ListTagsForResourcesCommand({ ResourceType: 'hostedzone', ResourceIds: ids })));

    // Assess
    expect(error.name).toBe('InvalidInput');
  });

  it('rejects a prefixed resource id, which Route 53 takes bare', async () => {
    // Prepare
    const zoneId = await createZone('example.com');

    // Act
    const error = await failure(
      hub.send(new ListTagsForResourceCommand({ ResourceType: 'hostedzone', ResourceId: `/hostedzone/${zoneId}` })),
    );

    // Assess
    expect(error.name).toBe('NoSuchHostedZone');
  });

  it('reports DNSSEC as not signing, with no keys', async () => {
    // Prepare
    const zoneId = await createZone('example.com');

    // Act
    const dnssec = await hub.send(new GetDNSSECCommand({ HostedZoneId: zoneId }));

    // Assess
    expect(dnssec.Status?.ServeSignature).toBe('NOT_SIGNING');
    expect(dnssec.KeySigningKeys ?? []).toEqual([]);
  });
});

describe('CloudTrail events', () => {
  // The detail members of the reference sample (create-hosted-zone.json), less tlsDetails: loopback is plain HTTP.
  const sampleDetailKeys = [
    'eventVersion',
    'userIdentity',
    'eventTime',
    'eventSource',
    'eventName',
    'awsRegion',
    'sourceIPAddress',
    'userAgent',
    'requestParameters',
    'responseElements',
    'requestID',
    'eventID',
    'readOnly',
    'eventType',
    'apiVersion',
    'managementEvent',
    'recipientAccountId',
    'eventCategory',
  ];

  it('emits a CreateHostedZone event shaped like the reference sample', async () => {
    // Act
    const created = await hub.send(
      new CreateHostedZoneCommand({ Name: 'team-a.example.com', CallerReference: 'team-a', HostedZoneConfig: { Comment: 'team A' } }),
    );

    // Assess
    const event = server.events[0];
    expect(event).toMatchObject({
      version: '0',
      'detail-type': 'AWS API Call via CloudTrail',
      source: 'aws.route53',
      account: HUB,
      region: 'us-east-1',
      resources: [],
    });
    const detail = event?.detail ?? {};
    expect(Object.keys(detail).sort()).toEqual([...sampleDetailKeys].sort());
    expect(detail).toMatchObject({
      eventSource: 'route53.amazonaws.com',
      eventName: 'CreateHostedZone',
      awsRegion: 'us-east-1',
      recipientAccountId: HUB,
      userIdentity: { type: 'IAMUser', accountId: HUB, accessKeyId: `AKIAEMU${HUB}` },
      requestParameters: {
        name: 'team-a.example.com',
        callerReference: 'team-a',
        hostedZoneConfig: { comment: 'team A', privateZone: false },
      },
      responseElements: {
        hostedZone: { id: created.HostedZone?.Id, name: 'team-a.example.com.', resourceRecordSetCount: 2 },
        changeInfo: { id: created.ChangeInfo?.Id, status: 'PENDING' },
        delegationSet: { nameServers: created.DelegationSet?.NameServers },
        location: created.Location,
      },
    });
    expect(detail.eventID).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('emits bare ids for DeleteHostedZone and ChangeTagsForResource, with no response for tags', async () => {
    // Prepare
    const zoneId = await createZone('foo.example.com');

    // Act
    await hub.send(
      new ChangeTagsForResourceCommand({
        ResourceType: 'hostedzone',
        ResourceId: zoneId,
        AddTags: [{ Key: 'subzone:delegate', Value: 'true' }],
      }),
    );
    await hub.send(new DeleteHostedZoneCommand({ Id: `/hostedzone/${zoneId}` }));

    // Assess
    const [, tags, deleted] = server.events;
    expect(tags?.detail).toMatchObject({
      eventName: 'ChangeTagsForResource',
      requestParameters: { resourceType: 'hostedzone', resourceId: zoneId, addTags: [{ key: 'subzone:delegate', value: 'true' }] },
      responseElements: null,
    });
    expect(deleted?.detail).toMatchObject({ eventName: 'DeleteHostedZone', requestParameters: { id: zoneId } });
  });

  it('emits ChangeResourceRecordSets with CloudTrail camelCase members', async () => {
    // Prepare
    const zoneId = await createZone('example.com');

    // Act
    await change(zoneId, [{ Action: 'CREATE', ResourceRecordSet: record('foo.example.com', 'NS', ['ns-1.awsdns-00.com.'], 3600) }]);

    // Assess
    expect(server.events[1]?.detail).toMatchObject({
      eventName: 'ChangeResourceRecordSets',
      requestParameters: {
        hostedZoneId: zoneId,
        changeBatch: {
          changes: [
            {
              action: 'CREATE',
              resourceRecordSet: { name: 'foo.example.com', type: 'NS', tTL: 3600, resourceRecords: [{ value: 'ns-1.awsdns-00.com.' }] },
            },
          ],
        },
      },
    });
  });

  it('emits nothing for failed calls and read-only calls', async () => {
    // Prepare
    const zoneId = await createZone('example.com');
    server.events.length = 0;

    // Act
    await failure(change(zoneId, [{ Action: 'DELETE', ResourceRecordSet: record('x.example.com', 'A', ['192.0.2.1']) }]));
    await hub.send(new GetHostedZoneCommand({ Id: zoneId }));
    await hub.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId }));

    // Assess
    expect(server.events).toEqual([]);
  });
});
