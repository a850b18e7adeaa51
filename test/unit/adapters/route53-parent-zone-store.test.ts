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
    /**
     * A zone listed the way Route 53 lists it: by name with labels reversed, then by type, a
     * page of MaxItems from StartRecordName/Type on, with the Next* values of a truncated page.
     */
    function serveZone(records: readonly ResourceRecordSet[]): void {
      const labels = (name: string) => name.replace(/\.$/, '').split('.').reverse();
      const order = (a: ResourceRecordSet, b: ResourceRecordSet): number => {
        const [left, right] = [labels(a.Name ?? ''), labels(b.Name ?? '')];
        for (let i = 0; i < Math.min(left.length, right.length); i += 1) {
          if (left[i] !== right[i]) return (left[i] as string) < (right[i] as string) ? -1 : 1;
        }
        return left.length - right.length || (a.Type ?? '').localeCompare(b.Type ?? '');
      };
      const sorted = [...records].sort(order);
      r53.on(ListResourceRecordSetsCommand).callsFake((input: ListResourceRecordSetsCommandInput) => {
        const from = input.StartRecordName === undefined ? 0 : sorted.findIndex((record) => order(record, startOf(input)) >= 0);
        const first = from === -1 ? sorted.length : from;
        const items = sorted.slice(first, first + (input.MaxItems ?? 300));
        const after = sorted[first + items.length];
        return page(items, after && { name: after.Name ?? '', type: after.Type ?? '' });
      });
    }
    const startOf = (input: ListResourceRecordSetsCommandInput): ResourceRecordSet => ({
      Name: input.StartRecordName,
      Type: input.StartRecordType ?? ('' as ResourceRecordSet['Type']),
    });
    /** `count` A records at host-NNNNN.<under>. */
    const filler = (count: number, under: string) =>
      Array.from({ length: count }, (_, index) => rr(`host-${String(index).padStart(5, '0')}.${under}.`, 'A', ['192.0.2.1']));

    it('reads a small zone in one call and keeps the records at, below and NS above the names, verbatim', async () => {
      // Prepare
      serveZone([
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
      ]);

      // Act
      const view = await store.readAround(PARENT, APEX, ['a.b.example.com', 'foo.example.com']);

      // Assess
      expect(listInputs()).toEqual([{ HostedZoneId: PARENT, MaxItems: 300, StartRecordName: 'b.example.com.' }]);
      expect(r53.commandCalls(GetHostedZoneCommand)).toHaveLength(0);
      expect(view).toEqual({
        parentZoneId: PARENT,
        apex: APEX,
        records: expect.arrayContaining([
          { name: 'b.example.com', type: 'NS', ttl: 300, values: ['NS-7.Example.NET.'] },
          { name: 'a.b.example.com', type: 'NS', ttl: 300, values: CHILD_NS },
          { name: 'foo.example.com', type: 'A', ttl: 0, values: [] },
          { name: '\\052.foo.example.com', type: 'TXT', ttl: 300, values: ['"hello"'] },
        ]),
      });
      expect(view.records).toHaveLength(4);
    });

    it('reads a name and its subtree from StartRecordName=name until a record falls outside', async () => {
      // Prepare
      onList(
        { HostedZoneId: PARENT, MaxItems: 300, StartRecordName: 'foo.example.com.' },
        page(
          [
            rr('foo.example.com.', 'NS', CHILD_NS),
            rr('api.foo.example.com.', 'A', ['192.0.2.9']),
            rr('zeta.example.com.', 'A', ['192.0.2.3']),
          ],
          { name: 'zz.example.com.', type: 'A' },
        ),
      );

      // Act
      const view = await store.readAround(PARENT, APEX, ['foo.example.com']);

      // Assess
      expect(listInputs()).toEqual([{ HostedZoneId: PARENT, MaxItems: 300, StartRecordName: 'foo.example.com.' }]);
      expect(view.records).toEqual([
        { name: 'foo.example.com', type: 'NS', ttl: 300, values: CHILD_NS },
        { name: 'api.foo.example.com', type: 'A', ttl: 300, values: ['192.0.2.9'] },
      ]);
    });

    it('pages through a subtree, sending NextRecordName/Type/Identifier back as StartRecord*', async () => {
      // Prepare
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
      expect(listInputs()).toHaveLength(2);
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
    ])('reads the NS above a name from the name above on: $returned.Type at $returned.Name is $kept', async ({ returned, found }) => {
      // Prepare
      onList({ HostedZoneId: PARENT, MaxItems: 300, StartRecordName: 'foo.example.com.' }, page([returned], { name: 'zz.example.com.' }));

      // Act
      const view = await store.readAround(PARENT, APEX, ['a.foo.example.com']);

      // Assess: the page passed both foo.example.com and the subtree of a.foo.example.com
      expect(listInputs()).toEqual([{ HostedZoneId: PARENT, MaxItems: 300, StartRecordName: 'foo.example.com.' }]);
      expect(view.records).toEqual(found);
    });

    it('reads one name of a 20,000-record zone in one call, with no GetHostedZone, whatever else the zone holds', async () => {
      // Prepare: a delegation point above the name, the name among 100 delegations, 20,000 other records
      const delegations = Array.from({ length: 100 }, (_, index) => rr(`team-${index}.bench.example.com.`, 'NS', CHILD_NS));
      serveZone([...APEX_RECORDS, ...filler(19_900, 'example.com'), ...filler(100, 'zz.bench.example.com'), ...delegations]);

      // Act
      const view = await store.readAround(PARENT, APEX, ['new.bench.example.com']);

      // Assess
      expect(listInputs()).toEqual([{ HostedZoneId: PARENT, MaxItems: 300, StartRecordName: 'bench.example.com.' }]);
      expect(r53.commandCalls(GetHostedZoneCommand)).toHaveLength(0);
      expect(view.records).toEqual([]);
    });

    it('jumps from one name to the next across the zone: one call per name when they lie apart', async () => {
      // Prepare
      serveZone([
        ...APEX_RECORDS,
        ...filler(3_000, 'example.com'),
        rr('p.example.com.', 'NS', CHILD_NS),
        rr('q.example.com.', 'A', ['192.0.2.1']),
      ]);

      // Act
      const view = await store.readAround(PARENT, APEX, ['host-00500.example.com', 'host-01500.example.com', 'p.example.com']);

      // Assess
      expect(listInputs().map((input) => input.StartRecordName)).toEqual([
        'host-00500.example.com.',
        'host-01500.example.com.',
        'p.example.com.',
      ]);
      expect(view.records.map((record) => record.name)).toEqual(['host-00500.example.com', 'host-01500.example.com', 'p.example.com']);
    });

    it('never takes more calls than the pages of the zone, however many names it reads', async () => {
      // Prepare: 1,500 records (5 pages) and 400 names spread over them
      serveZone([...APEX_RECORDS, ...filler(1_498, 'example.com')]);
      const names = Array.from({ length: 400 }, (_, index) => `host-${String(index * 3).padStart(5, '0')}.example.com`);

      // Act
      const view = await store.readAround(PARENT, APEX, names);

      // Assess
      expect(listInputs().length).toBeLessThanOrEqual(5);
      expect(view.records).toHaveLength(400);
    });

    it('fails with ParentReadError when any page fails', async () => {
      // Prepare
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
      onList({ HostedZoneId: PARENT, MaxItems: 300 }, page(APEX_RECORDS, { name: 'B\\056c.example.com.', type: 'A', id: 'weight-1' }));
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
