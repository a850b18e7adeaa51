import {
  ChangeResourceRecordSetsCommand,
  GetHostedZoneCommand,
  InvalidChangeBatch,
  type ListResourceRecordSetsCommandInput,
  type ListResourceRecordSetsCommandOutput,
  ListResourceRecordSetsCommand,
  type ResourceRecordSet,
  Route53Client,
} from '@aws-sdk/client-route-53';
import { mockClient } from 'aws-sdk-client-mock';
import { ChangeConflictError, ChangeRefusedError, ParentReadError } from '../../../functions/core/errors';
import type { ChangeBatch } from '../../../functions/core/types';
import { Route53ParentZoneStore } from '../../../functions/adapters/route53-parent-zone-store';

const PARENT = 'ZPARENT';
const APEX = 'example.com';
const CHILD_NS = ['ns-1.awsdns-01.com.', 'ns-2.awsdns-02.net.'];

function rr(name: string, type: ResourceRecordSet['Type'], values: string[], extra: Partial<ResourceRecordSet> = {}): ResourceRecordSet {
  return { Name: name, Type: type, TTL: 300, ResourceRecords: values.map((Value) => ({ Value })), ...extra };
}

const APEX_RECORDS = [
  rr('example.com.', 'NS', ['ns-100.awsdns-10.com.']),
  rr('example.com.', 'SOA', ['ns-100.awsdns-10.com. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400']),
];

function page(
  records: ResourceRecordSet[],
  next?: { name: string; type?: string; id?: string },
): Partial<ListResourceRecordSetsCommandOutput> {
  return {
    ResourceRecordSets: records,
    IsTruncated: next !== undefined,
    MaxItems: 300,
    ...(next && { NextRecordName: next.name }),
    ...(next?.type && { NextRecordType: next.type as ResourceRecordSet['Type'] }),
    ...(next?.id && { NextRecordIdentifier: next.id }),
  };
}

const FIRST_PAGE: ListResourceRecordSetsCommandInput = { HostedZoneId: PARENT, MaxItems: 300 };

describe('Route53ParentZoneStore', () => {
  const route53 = new Route53Client({ region: 'us-east-1' });
  const r53 = mockClient(route53);
  const store = new Route53ParentZoneStore(route53);

  const listInputs = (): ListResourceRecordSetsCommandInput[] =>
    r53.commandCalls(ListResourceRecordSetsCommand).map((call) => call.args[0].input);
  const onList = (input: ListResourceRecordSetsCommandInput, output: Partial<ListResourceRecordSetsCommandOutput>): void => {
    r53.on(ListResourceRecordSetsCommand, input, true).resolves(output);
  };

  beforeEach(() => {
    r53.reset();
  });

  describe('describeZone', () => {
    it.each([
      { name: 'Example.COM.', privateZone: false, expected: { name: 'example.com', privateZone: false } },
      { name: 'example.com.', privateZone: true, expected: { name: 'example.com', privateZone: true } },
    ])('returns $expected for a zone named $name', async ({ name, privateZone, expected }) => {
      // Prepare
      r53.on(GetHostedZoneCommand, { Id: PARENT }).resolves({
        HostedZone: { Id: `/hostedzone/${PARENT}`, Name: name, CallerReference: 'r', Config: { PrivateZone: privateZone } },
      });

      // Act
      const described = await store.describeZone(PARENT);

      // Assess
      expect(described).toEqual(expected);
    });

    it('fails with ParentReadError when the zone cannot be read', async () => {
      // Prepare
      r53.on(GetHostedZoneCommand).rejects(Object.assign(new Error('No hosted zone'), { name: 'NoSuchHostedZone' }));

      // Act
      const result = store.describeZone(PARENT);

      // Assess
      await expect(result).rejects.toBeInstanceOf(ParentReadError);
    });
  });

  describe('readAround', () => {
    it('reads a small zone in one call and keeps the records at, below and NS above the names, verbatim', async () => {
      // Prepare
      onList(
        FIRST_PAGE,
        page([
          ...APEX_RECORDS,
          rr('b.example.com.', 'NS', ['NS-7.Example.NET.']),
          rr('b.example.com.', 'A', ['192.0.2.1']),
          rr('a.b.example.com.', 'NS', CHILD_NS),
          rr('bar.example.com.', 'A', ['192.0.2.2']),
          rr('foo.example.com.', 'A', [], {
            TTL: undefined,
            ResourceRecords: undefined,
            AliasTarget: { HostedZoneId: 'Z2', DNSName: 'x.', EvaluateTargetHealth: false },
          }),
          rr('\\052.foo.example.com.', 'TXT', ['"hello"']),
          rr('zeta.example.com.', 'A', ['192.0.2.3']),
        ]),
      );

      // Act
      const view = await store.readAround(PARENT, APEX, ['a.b.example.com', 'foo.example.com']);

      // Assess
      expect(listInputs()).toEqual([FIRST_PAGE]);
      expect(view).toEqual({
        parentZoneId: PARENT,
        apex: APEX,
        records: [
          { name: 'b.example.com', type: 'NS', ttl: 300, values: ['NS-7.Example.NET.'] },
          { name: 'a.b.example.com', type: 'NS', ttl: 300, values: CHILD_NS },
          { name: 'foo.example.com', type: 'A', ttl: 0, values: [] },
          { name: '\\052.foo.example.com', type: 'TXT', ttl: 300, values: ['"hello"'] },
        ],
      });
    });

    it('stops after page 1 of a large zone when that page already passed every name', async () => {
      // Prepare
      onList(FIRST_PAGE, page([...APEX_RECORDS, rr('a.example.com.', 'NS', CHILD_NS)], { name: 'b.example.com.', type: 'A' }));

      // Act
      const view = await store.readAround(PARENT, APEX, ['a.example.com']);

      // Assess
      expect(listInputs()).toEqual([FIRST_PAGE]);
      expect(view.records).toEqual([{ name: 'a.example.com', type: 'NS', ttl: 300, values: CHILD_NS }]);
    });

    it('reads a name and its subtree from StartRecordName=name until a record falls outside', async () => {
      // Prepare
      onList(FIRST_PAGE, page(APEX_RECORDS, { name: 'a.example.com.', type: 'A' }));
      onList(
        { HostedZoneId: PARENT, MaxItems: 300, StartRecordName: 'foo.example.com.' },
        page(
          [
            rr('foo.example.com.', 'NS', CHILD_NS),
            rr('api.foo.example.com.', 'A', ['192.0.2.9']),
            rr('zeta.example.com.', 'A', ['192.0.2.3']),
          ],
          {
            name: 'zz.example.com.',
            type: 'A',
          },
        ),
      );

      // Act
      const view = await store.readAround(PARENT, APEX, ['foo.example.com']);

      // Assess
      expect(listInputs()).toEqual([FIRST_PAGE, { HostedZoneId: PARENT, MaxItems: 300, StartRecordName: 'foo.example.com.' }]);
      expect(r53.commandCalls(GetHostedZoneCommand)).toHaveLength(0);
      expect(view.records).toEqual([
        { name: 'foo.example.com', type: 'NS', ttl: 300, values: CHILD_NS },
        { name: 'api.foo.example.com', type: 'A', ttl: 300, values: ['192.0.2.9'] },
      ]);
    });

    it('pages through a subtree, sending NextRecordName/Type/Identifier back as StartRecord*', async () => {
      // Prepare
      onList(FIRST_PAGE, page(APEX_RECORDS, { name: 'a.example.com.', type: 'A' }));
      onList(
        { HostedZoneId: PARENT, MaxItems: 300, StartRecordName: 'foo.example.com.' },
        page([rr('foo.example.com.', 'A', ['192.0.2.1'])], { name: 'b.foo.example.com.', type: 'A', id: 'weight-1' }),
      );
      onList(
        {
          HostedZoneId: PARENT,
          MaxItems: 300,
          StartRecordName: 'b.foo.example.com.',
          StartRecordType: 'A',
          StartRecordIdentifier: 'weight-1',
        },
        page([rr('b.foo.example.com.', 'A', ['192.0.2.2'], { SetIdentifier: 'weight-1', Weight: 1 })]),
      );

      // Act
      const view = await store.readAround(PARENT, APEX, ['foo.example.com']);

      // Assess
      expect(listInputs()).toHaveLength(3);
      expect(view.records.map((record) => record.name)).toEqual(['foo.example.com', 'b.foo.example.com']);
    });

    it.each([
      {
        returned: rr('foo.example.com.', 'NS', CHILD_NS),
        kept: 'kept',
        found: [{ name: 'foo.example.com', type: 'NS', ttl: 300, values: CHILD_NS }],
      },
      { returned: rr('foo.example.com.', 'TXT', ['"x"']), kept: 'ignored', found: [] },
      { returned: rr('api.foo.example.com.', 'NS', CHILD_NS), kept: 'ignored', found: [] },
    ])('looks up the NS above a name with one MaxItems=1 read: $returned.Type at $returned.Name is $kept', async ({ returned, found }) => {
      // Prepare
      onList(FIRST_PAGE, page(APEX_RECORDS, { name: 'a.example.com.', type: 'A' }));
      onList(
        { HostedZoneId: PARENT, MaxItems: 300, StartRecordName: 'a.foo.example.com.' },
        page([rr('b.foo.example.com.', 'A', ['192.0.2.1'])], { name: 'c.foo.example.com.' }),
      );
      onList(
        { HostedZoneId: PARENT, MaxItems: 1, StartRecordName: 'foo.example.com.', StartRecordType: 'NS' },
        page([returned], { name: 'zz.example.com.' }),
      );

      // Act
      const view = await store.readAround(PARENT, APEX, ['a.foo.example.com']);

      // Assess
      expect(listInputs()).toEqual([
        FIRST_PAGE,
        { HostedZoneId: PARENT, MaxItems: 300, StartRecordName: 'a.foo.example.com.' },
        { HostedZoneId: PARENT, MaxItems: 1, StartRecordName: 'foo.example.com.', StartRecordType: 'NS' },
      ]);
      expect(view.records).toEqual(found);
    });

    it('reads the zone on by pages once the names outnumber the pages left, and stops past the last name', async () => {
      // Prepare
      onList(FIRST_PAGE, page(APEX_RECORDS, { name: 'd.example.com.', type: 'A' }));
      r53.on(GetHostedZoneCommand, { Id: PARENT }).resolves({
        HostedZone: { Id: PARENT, Name: 'example.com.', CallerReference: 'r', ResourceRecordSetCount: 900 },
      });
      onList(
        { HostedZoneId: PARENT, MaxItems: 300, StartRecordName: 'd.example.com.', StartRecordType: 'A' },
        page([rr('p.example.com.', 'NS', CHILD_NS), rr('q.example.com.', 'A', ['192.0.2.1'])], { name: 'r.example.com.', type: 'NS' }),
      );
      onList(
        { HostedZoneId: PARENT, MaxItems: 300, StartRecordName: 'r.example.com.', StartRecordType: 'NS' },
        page([rr('r.example.com.', 'NS', CHILD_NS), rr('s.example.com.', 'A', ['192.0.2.2'])], { name: 't.example.com.', type: 'A' }),
      );

      // Act
      const view = await store.readAround(PARENT, APEX, ['p.example.com', 'q.example.com', 'r.example.com']);

      // Assess
      expect(r53.commandCalls(GetHostedZoneCommand)).toHaveLength(1);
      expect(listInputs()).toEqual([
        FIRST_PAGE,
        { HostedZoneId: PARENT, MaxItems: 300, StartRecordName: 'd.example.com.', StartRecordType: 'A' },
        { HostedZoneId: PARENT, MaxItems: 300, StartRecordName: 'r.example.com.', StartRecordType: 'NS' },
      ]);
      expect(view.records.map((record) => record.name)).toEqual(['p.example.com', 'q.example.com', 'r.example.com']);
    });

    it('reads the names one by one when that takes fewer calls than the pages left', async () => {
      // Prepare
      r53.on(ListResourceRecordSetsCommand).resolves(page([rr('zz.example.com.', 'A', ['192.0.2.1'])], { name: 'zzz.example.com.' }));
      onList(FIRST_PAGE, page(APEX_RECORDS, { name: 'd.example.com.', type: 'A' }));
      r53.on(GetHostedZoneCommand, { Id: PARENT }).resolves({
        HostedZone: { Id: PARENT, Name: 'example.com.', CallerReference: 'r', ResourceRecordSetCount: 9000 },
      });

      // Act
      await store.readAround(PARENT, APEX, ['p.example.com', 'q.example.com', 'r.example.com']);

      // Assess
      expect(listInputs()).toEqual([
        FIRST_PAGE,
        { HostedZoneId: PARENT, MaxItems: 300, StartRecordName: 'p.example.com.' },
        { HostedZoneId: PARENT, MaxItems: 300, StartRecordName: 'q.example.com.' },
        { HostedZoneId: PARENT, MaxItems: 300, StartRecordName: 'r.example.com.' },
      ]);
    });

    it('fails with ParentReadError when any page fails', async () => {
      // Prepare
      onList(FIRST_PAGE, page(APEX_RECORDS, { name: 'a.example.com.', type: 'A' }));
      r53
        .on(ListResourceRecordSetsCommand, { StartRecordName: 'foo.example.com.' })
        .rejects(Object.assign(new Error('Rate exceeded'), { name: 'Throttling' }));

      // Act
      const result = store.readAround(PARENT, APEX, ['foo.example.com']);

      // Assess
      await expect(result).rejects.toBeInstanceOf(ParentReadError);
      await expect(result).rejects.toMatchObject({ cause: { name: 'Throttling' } });
    });
  });

  describe('readPage', () => {
    it("reads the zone a page at a time, sending Route 53's Next* values back verbatim as StartRecord*", async () => {
      // Prepare
      onList(FIRST_PAGE, page(APEX_RECORDS, { name: 'B\\056c.example.com.', type: 'A', id: 'weight-1' }));
      onList(
        {
          HostedZoneId: PARENT,
          MaxItems: 300,
          StartRecordName: 'B\\056c.example.com.',
          StartRecordType: 'A',
          StartRecordIdentifier: 'weight-1',
        },
        page([rr('foo.example.com.', 'NS', CHILD_NS)]),
      );

      // Act
      const first = await store.readPage(PARENT, undefined);
      const last = await store.readPage(PARENT, first.next);

      // Assess
      expect(first.records.map((record) => `${record.name} ${record.type}`)).toEqual(['example.com NS', 'example.com SOA']);
      expect(first.next).toEqual({ name: 'B\\056c.example.com.', type: 'A', identifier: 'weight-1' });
      expect(last).toEqual({ records: [{ name: 'foo.example.com', type: 'NS', ttl: 300, values: CHILD_NS }] });
    });

    it('fails with ParentReadError when the page cannot be read', async () => {
      // Prepare
      r53.on(ListResourceRecordSetsCommand).rejects(new Error('Rate exceeded'));

      // Act
      const read = store.readPage(PARENT, undefined);

      // Assess
      await expect(read).rejects.toBeInstanceOf(ParentReadError);
    });
  });

  describe('applyBatch', () => {
    const batch: ChangeBatch = {
      parentZoneId: PARENT,
      changes: [
        { action: 'DELETE', record: { name: 'foo.example.com', type: 'NS', ttl: 172800, values: ['NS-9.old.net.', 'ns-8.old.org'] } },
        {
          action: 'CREATE',
          record: { name: 'foo.example.com', type: 'NS', ttl: 3600, values: ['ns-1.awsdns-01.com', 'ns-2.awsdns-02.net'] },
        },
      ],
    };

    it('sends exactly the changes, with fully qualified names and values as given', async () => {
      // Prepare
      r53.on(ChangeResourceRecordSetsCommand).resolves({ ChangeInfo: { Id: '/change/C1', Status: 'PENDING', SubmittedAt: new Date() } });

      // Act
      await store.applyBatch(batch);

      // Assess
      expect(r53.commandCalls(ChangeResourceRecordSetsCommand).map((call) => call.args[0].input)).toEqual([
        {
          HostedZoneId: PARENT,
          ChangeBatch: {
            Comment: 'subzone',
            Changes: [
              {
                Action: 'DELETE',
                ResourceRecordSet: {
                  Name: 'foo.example.com.',
                  Type: 'NS',
                  TTL: 172800,
                  ResourceRecords: [{ Value: 'NS-9.old.net.' }, { Value: 'ns-8.old.org' }],
                },
              },
              {
                Action: 'CREATE',
                ResourceRecordSet: {
                  Name: 'foo.example.com.',
                  Type: 'NS',
                  TTL: 3600,
                  ResourceRecords: [{ Value: 'ns-1.awsdns-01.com' }, { Value: 'ns-2.awsdns-02.net' }],
                },
              },
            ],
          },
        },
      ]);
    });

    it('sends nothing for an empty batch', async () => {
      // Prepare
      const empty: ChangeBatch = { parentZoneId: PARENT, changes: [] };

      // Act
      await store.applyBatch(empty);

      // Assess
      expect(r53.commandCalls(ChangeResourceRecordSetsCommand)).toHaveLength(0);
    });

    it("fails with ChangeConflictError carrying Route 53's messages when the batch is invalid", async () => {
      // Prepare
      const messages = [
        "Tried to delete resource record set [name='foo.example.com.', type='NS'] but the values provided do not match the current values",
      ];
      r53.on(ChangeResourceRecordSetsCommand).rejects(new InvalidChangeBatch({ message: 'invalid', messages, $metadata: {} }));

      // Act
      const result = store.applyBatch(batch);

      // Assess
      await expect(result).rejects.toBeInstanceOf(ChangeConflictError);
      await expect(result).rejects.toMatchObject({ messages });
    });

    it('fails with ChangeRefusedError (not a conflict) when IAM denies the batch', async () => {
      // Prepare
      const denied = Object.assign(new Error('not authorized'), { name: 'AccessDenied' });
      r53.on(ChangeResourceRecordSetsCommand).rejects(denied);

      // Act
      const result = store.applyBatch(batch);

      // Assess
      await expect(result).rejects.toBeInstanceOf(ChangeRefusedError);
      await expect(result).rejects.not.toBeInstanceOf(ChangeConflictError);
      await expect(result).rejects.toMatchObject({ cause: denied });
    });

    it('passes on any other error unchanged', async () => {
      // Prepare
      const failure = Object.assign(new Error('internal'), { name: 'InternalFailure' });
      r53.on(ChangeResourceRecordSetsCommand).rejects(failure);

      // Act
      const result = store.applyBatch(batch);

      // Assess
      await expect(result).rejects.toBe(failure);
    });
  });
});
