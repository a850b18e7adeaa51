import { randomUUID } from 'node:crypto';
import {
  EventBridgeClient,
  ListRulesCommand,
  ListTargetsByRuleCommand,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  CreateEventBusCommand,
} from '@aws-sdk/client-eventbridge';
import {
  ChangeResourceRecordSetsCommand,
  ChangeTagsForResourceCommand,
  CreateHostedZoneCommand,
  Route53Client,
} from '@aws-sdk/client-route-53';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { matchesPattern, validatePattern, type EventPattern } from '../../emulator/eventbridge/pattern';
import type { EmittedEvent } from '../../emulator/types';
import { HUB_EVENT_BUS_NAME, HUB_RULE_NAME } from '../../functions/core/contract';
import { OUTCOME_SOURCE, ROUTE53_EVENT_PATTERN } from '../../functions/core/event-pattern';
import { clientConfig, useEmulator } from '../helpers/emulator';

const HUB = '111111111111';
const SPOKE = '222222222222';
const STRANGER = '333333333333';

/** A CloudTrail-shaped Route 53 event as AWS puts it on the calling account's default bus. */
function cloudTrailEvent(account: string, eventName: string, detail: Record<string, unknown> = {}): EmittedEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'AWS API Call via CloudTrail',
    source: 'aws.route53',
    account,
    time: '2026-09-01T10:15:42Z',
    region: 'us-east-1',
    resources: [],
    detail: {
      eventVersion: '1.08',
      eventSource: 'route53.amazonaws.com',
      eventName,
      awsRegion: 'us-east-1',
      requestParameters: { resourceType: 'hostedzone', resourceId: 'Z02221113ABCDEFGHIJKL' },
      responseElements: null,
      eventID: randomUUID(),
      readOnly: false,
      eventType: 'AwsApiCall',
      recipientAccountId: account,
      ...detail,
    },
  };
}

describe('event pattern matching', () => {
  const pattern: EventPattern = {
    source: ['aws.route53'],
    detail: {
      eventName: ['CreateHostedZone', 'DeleteHostedZone'],
      errorCode: [{ exists: false }],
      userAgent: [{ prefix: 'aws-cli/' }],
      eventType: [{ 'anything-but': ['AwsServiceEvent'] }],
    },
  };
  const matching = {
    source: 'aws.route53',
    detail: { eventName: 'CreateHostedZone', userAgent: 'aws-cli/2.17.0', eventType: 'AwsApiCall' },
  };

  it.each([
    ['an event with every field as the pattern asks', matching, true],
    ['another source', { ...matching, source: 'subzone' }, false],
    ['an event name outside the list', { ...matching, detail: { ...matching.detail, eventName: 'ChangeResourceRecordSets' } }, false],
    ['an errorCode present', { ...matching, detail: { ...matching.detail, errorCode: 'AccessDenied' } }, false],
    ['an errorCode that is null (present, so not absent)', { ...matching, detail: { ...matching.detail, errorCode: null } }, false],
    ['a user agent without the prefix', { ...matching, detail: { ...matching.detail, userAgent: 'Boto3/1.34' } }, false],
    ['an excluded value under anything-but', { ...matching, detail: { ...matching.detail, eventType: 'AwsServiceEvent' } }, false],
    ['a missing field under anything-but', { ...matching, detail: { ...matching.detail, eventType: undefined } }, false],
    ['an event array with one matching element', { ...matching, source: ['other', 'aws.route53'] }, true],
    ['an event array with no matching element', { ...matching, source: ['other', 'subzone'] }, false],
    ['no detail at all', { source: 'aws.route53' }, false],
  ])('decides %s', (_name, event, expected) => {
    // Prepare: the pattern and event above

    // Act
    const result = matchesPattern(pattern, event);

    // Assess
    expect(result).toBe(expected);
  });

  it.each([
    ['exists: true on a present leaf', { a: [{ exists: true }] }, { a: 'x' }, true],
    ['exists: true on a missing leaf', { a: [{ exists: true }] }, {}, false],
    ['exists: true on an object (not a leaf)', { a: [{ exists: true }] }, { a: { b: 1 } }, false],
    ['exists: false on a missing nested object', { a: { b: [{ exists: false }] } }, {}, true],
    ['anything-but with a prefix', { a: [{ 'anything-but': { prefix: 'aws.' } }] }, { a: 'subzone' }, true],
    ['anything-but with a prefix that matches', { a: [{ 'anything-but': { prefix: 'aws.' } }] }, { a: 'aws.s3' }, false],
    ['anything-but with a single value', { a: [{ 'anything-but': 'x' }] }, { a: 'y' }, true],
    ['numbers compared exactly', { a: [5] }, { a: 5 }, true],
    ['numbers are not strings', { a: [5] }, { a: '5' }, false],
    ['matching is case-sensitive', { a: ['ABC'] }, { a: 'abc' }, false],
  ])('matches %s', (_name, rule, event, expected) => {
    // Prepare
    validatePattern(rule);

    // Act
    const result = matchesPattern(rule, event);

    // Assess
    expect(result).toBe(expected);
  });

  it.each([
    ['a non-object pattern', ['aws.route53']],
    ['an empty matcher list', { source: [] }],
    ['an unknown operator', { source: [{ suffix: '.com' }] }],
    ['a matcher with two operators', { source: [{ prefix: 'a', exists: true }] }],
    ['exists with a string', { source: [{ exists: 'yes' }] }],
    ['a scalar where an array belongs', { source: 'aws.route53' }],
  ])('rejects %s', (_name, rule) => {
    // Prepare: the rule above

    // Act
    const act = () => validatePattern(rule);

    // Assess
    expect(act).toThrow(/Event pattern is not valid/);
  });

  it("matches none of subzone's outcome detail-types with the hub pattern", () => {
    // Prepare
    const outcomes = ['Delegation Created', 'Delegation Removed', 'Delegation Rejected', 'Sweep Completed'].map((detailType) => ({
      source: OUTCOME_SOURCE,
      'detail-type': detailType,
      detail: { eventSource: 'route53.amazonaws.com', eventName: 'CreateHostedZone' },
    }));

    // Act
    const matched = outcomes.filter((event) => matchesPattern(ROUTE53_EVENT_PATTERN, event));

    // Assess
    expect(matched).toEqual([]);
  });
});

describe('the event path: spoke default bus -> hub bus -> work queue -> consumer', () => {
  const emulator = useEmulator({ spokeAccounts: [SPOKE] });
  const received: SQSRecord[] = [];

  beforeAll(() => {
    emulator().setConsumer(async (event) => {
      received.push(...event.Records);
      return { batchItemFailures: [] };
    });
  });

  beforeEach(() => {
    received.length = 0;
    emulator().events.clearLog();
  });

  it('delivers a Route 53 CloudTrail event of a spoke account to the consumer, account unchanged', async () => {
    // Prepare
    const event = cloudTrailEvent(SPOKE, 'ChangeTagsForResource');

    // Act
    emulator().events.emitAws(event);
    await emulator().drain();

    // Assess
    expect(received).toHaveLength(1);
    const [record] = received;
    expect(JSON.parse(record?.body ?? '{}')).toEqual(event);
    expect(record).toMatchObject({
      eventSource: 'aws:sqs',
      eventSourceARN: `arn:aws:sqs:us-east-1:${HUB}:subzone-work`,
      awsRegion: 'us-east-1',
      attributes: { ApproximateReceiveCount: '1' },
    });
    expect(emulator().events.eventsOn(HUB, 'subzone-hub')).toEqual([event]);
  });

  it('delivers the CloudTrail events of Route 53 calls a spoke makes through the SDK', async () => {
    // Prepare
    const route53 = new Route53Client(clientConfig(emulator(), SPOKE));

    // Act
    const created = await route53.send(new CreateHostedZoneCommand({ Name: 'team-a.example.com', CallerReference: randomUUID() }));
    const zoneId = created.HostedZone?.Id?.split('/').pop();
    await route53.send(
      new ChangeTagsForResourceCommand({
        ResourceType: 'hostedzone',
        ResourceId: zoneId,
        AddTags: [{ Key: 'subzone:delegate', Value: 'true' }],
      }),
    );
    await route53.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: zoneId,
        ChangeBatch: {
          Changes: [
            {
              Action: 'CREATE',
              ResourceRecordSet: { Name: 'www.team-a.example.com', Type: 'A', TTL: 60, ResourceRecords: [{ Value: '192.0.2.1' }] },
            },
          ],
        },
      }),
    );
    await emulator().drain();

    // Assess: the record change reached the spoke's default bus but matches no rule
    const bodies = received.map((record) => JSON.parse(record.body));
    expect(bodies.map((body) => [body.account, body.source, body.detail.eventName])).toEqual([
      [SPOKE, 'aws.route53', 'CreateHostedZone'],
      [SPOKE, 'aws.route53', 'ChangeTagsForResource'],
    ]);
    expect(bodies[1].detail.requestParameters).toMatchObject({ resourceId: zoneId, addTags: [{ key: 'subzone:delegate', value: 'true' }] });
    expect(
      emulator()
        .events.eventsOn(SPOKE, 'default')
        .map((event) => event.detail.eventName),
    ).toEqual(['CreateHostedZone', 'ChangeTagsForResource', 'ChangeResourceRecordSets']);
    route53.destroy();
  });

  it("keeps the hub's own Route 53 calls off the work queue", async () => {
    // Prepare
    const route53 = new Route53Client(clientConfig(emulator(), HUB));

    // Act: the hub's call, then a probe from a spoke that the rules do forward
    await route53.send(new CreateHostedZoneCommand({ Name: 'example.com', CallerReference: randomUUID() }));
    const probe = cloudTrailEvent(SPOKE, 'DeleteHostedZone');
    emulator().events.emitAws(probe);
    await emulator().drain();

    // Assess: the probe arrived alone, so the hub's event was seen and not forwarded
    expect(
      emulator()
        .events.eventsOn(HUB, 'default')
        .map((event) => event.detail.eventName),
    ).toEqual(['CreateHostedZone']);
    expect(received.map((record) => JSON.parse(record.body).id)).toEqual([probe.id]);
    route53.destroy();
  });

  it.each([
    [
      'a failed call (errorCode set)',
      cloudTrailEvent(SPOKE, 'CreateHostedZone', {
        errorCode: 'HostedZoneAlreadyExists',
        errorMessage: 'A hosted zone has already been created with the specified caller reference.',
      }),
    ],
    ['a call subzone does not listen to', cloudTrailEvent(SPOKE, 'ChangeResourceRecordSets')],
    ['another AWS source', { ...cloudTrailEvent(SPOKE, 'CreateHostedZone'), source: 'aws.s3' }],
    ['an account without the forwarding rule', cloudTrailEvent(STRANGER, 'CreateHostedZone')],
  ])('does not deliver %s', async (_name, event) => {
    // Prepare
    const probe = cloudTrailEvent(SPOKE, 'DeleteHostedZone');

    // Act
    emulator().events.emitAws(event);
    emulator().events.emitAws(probe);
    await emulator().drain();

    // Assess: only the probe that matches arrives, so the first event was really filtered
    expect(received.map((record) => JSON.parse(record.body).id)).toEqual([probe.id]);
    expect(
      emulator()
        .events.eventsOn(event.account, 'default')
        .map((logged) => logged.id),
    ).toContain(event.id);
  });

  it('keeps a subzone outcome event put on the hub bus away from the work queue', async () => {
    // Prepare
    const events = new EventBridgeClient(clientConfig(emulator(), HUB));

    // Act: the outcome event, then a probe that the hub rule does match, put after it
    const result = await events.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: 'subzone-hub',
            Source: OUTCOME_SOURCE,
            DetailType: 'Delegation Created',
            Detail: JSON.stringify({ account: SPOKE, name: 'foo.example.com', reason: 'allowed', applied: true }),
          },
        ],
      }),
    );
    const probe = cloudTrailEvent(SPOKE, 'DeleteHostedZone');
    emulator().events.emitAws(probe);
    await emulator().drain();

    // Assess: the probe arrived, so the outcome event had its chance and was not delivered
    expect(result.FailedEntryCount).toBe(0);
    expect(result.Entries?.[0]?.EventId).toMatch(/^[0-9a-f-]{36}$/);
    const onHub = emulator()
      .events.eventsOn(HUB, 'subzone-hub')
      .filter((event) => event.source === 'subzone');
    expect(onHub).toEqual([expect.objectContaining({ source: 'subzone', 'detail-type': 'Delegation Created', account: HUB })]);
    expect(received.map((record) => JSON.parse(record.body).id)).toEqual([probe.id]);
    events.destroy();
  });

  it('rejects an aws.* source from a customer PutEvents entry by entry', async () => {
    // Prepare
    const events = new EventBridgeClient(clientConfig(emulator(), SPOKE));
    const forged = cloudTrailEvent(SPOKE, 'CreateHostedZone');

    // Act
    const result = await events.send(
      new PutEventsCommand({
        Entries: [
          { Source: forged.source, DetailType: forged['detail-type'], Detail: JSON.stringify(forged.detail) },
          { Source: 'acme.app', DetailType: 'Something', Detail: '{}' },
        ],
      }),
    );

    // Assess
    expect(result.FailedEntryCount).toBe(1);
    expect(result.Entries?.[0]).toEqual({ ErrorCode: 'NotAuthorizedForSourceException', ErrorMessage: 'Not authorized for the source.' });
    expect(result.Entries?.[1]?.EventId).toBeDefined();
    expect(
      emulator()
        .events.eventsOn(SPOKE, 'default')
        .map((event) => event.source),
    ).toEqual(['acme.app']);
    events.destroy();
  });

  it('rejects a direct PutEvents from a spoke onto the hub bus', async () => {
    // Prepare
    const events = new EventBridgeClient(clientConfig(emulator(), SPOKE));

    // Act
    const result = await events.send(
      new PutEventsCommand({
        Entries: [
          { EventBusName: `arn:aws:events:us-east-1:${HUB}:event-bus/subzone-hub`, Source: 'acme.app', DetailType: 'x', Detail: '{}' },
        ],
      }),
    );

    // Assess
    expect(result.FailedEntryCount).toBe(1);
    expect(result.Entries?.[0]?.ErrorCode).toBe('AccessDeniedException');
    expect(emulator().events.eventsOn(HUB, 'subzone-hub')).toEqual([]);
    events.destroy();
  });

  it.each([
    ['subzone, from the hub', HUB, OUTCOME_SOURCE, undefined],
    ['another source, from the hub', HUB, 'acme.app', 'AccessDeniedException'],
    ['subzone, from another child account', '999999999999', OUTCOME_SOURCE, 'AccessDeniedException'],
  ])("admits on a spoke's default bus only what its policy grants: %s", async (_case, sender, source, errorCode) => {
    // Prepare
    const events = new EventBridgeClient(clientConfig(emulator(), sender));
    const before = emulator().events.eventsOn(SPOKE, 'default').length;

    // Act
    const result = await events.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: `arn:aws:events:us-east-1:${SPOKE}:event-bus/default`,
            Source: source,
            DetailType: 'Delegation Created',
            Detail: '{}',
          },
        ],
      }),
    );

    // Assess
    expect(result.Entries?.[0]?.ErrorCode).toBe(errorCode);
    expect(emulator().events.eventsOn(SPOKE, 'default')).toHaveLength(errorCode === undefined ? before + 1 : before);
    events.destroy();
  });

  it.each([
    ['a missing Detail', { Source: 'acme.app', DetailType: 'x' }, 'InvalidArgument'],
    ['a Detail that is not JSON', { Source: 'acme.app', DetailType: 'x', Detail: '{' }, 'MalformedDetail'],
    ['a bus that does not exist', { Source: 'acme.app', DetailType: 'x', Detail: '{}', EventBusName: 'nope' }, 'ResourceNotFoundException'],
  ])('rejects an entry with %s', async (_name, entry, code) => {
    // Prepare
    const events = new EventBridgeClient(clientConfig(emulator(), HUB));

    // Act
    const result = await events.send(new PutEventsCommand({ Entries: [entry] }));

    // Assess
    expect(result.FailedEntryCount).toBe(1);
    expect(result.Entries?.[0]?.ErrorCode).toBe(code);
    events.destroy();
  });

  it("shows the forwarding rule with subzone's very pattern on the spoke's default bus", async () => {
    // Prepare
    const events = new EventBridgeClient(clientConfig(emulator(), SPOKE));

    // Act
    const rules = await events.send(new ListRulesCommand({}));
    const targets = await events.send(new ListTargetsByRuleCommand({ Rule: 'subzone-forward' }));

    // Assess
    expect(rules.Rules).toEqual([expect.objectContaining({ Name: 'subzone-forward', State: 'ENABLED', EventBusName: 'default' })]);
    expect(JSON.parse(rules.Rules?.[0]?.EventPattern ?? '{}')).toEqual(ROUTE53_EVENT_PATTERN);
    expect(targets.Targets).toEqual([{ Id: 'hub-bus', Arn: `arn:aws:events:us-east-1:${HUB}:event-bus/subzone-hub` }]);
    expect(emulator().events.rule(HUB, HUB_EVENT_BUS_NAME, HUB_RULE_NAME).pattern).toBe(ROUTE53_EVENT_PATTERN);
    events.destroy();
  });

  it('routes events through rules and targets created with the SDK', async () => {
    // Prepare
    const config = clientConfig(emulator(), STRANGER);
    const events = new EventBridgeClient(config);
    const sqs = new SQSClient(config);
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'audit' }));
    await events.send(new CreateEventBusCommand({ Name: 'apps' }));
    await events.send(
      new PutRuleCommand({
        Name: 'orders',
        EventBusName: 'apps',
        EventPattern: JSON.stringify({ source: [{ prefix: 'acme.' }], detail: { kind: [{ 'anything-but': 'test' }] } }),
      }),
    );
    await events.send(
      new PutTargetsCommand({
        Rule: 'orders',
        EventBusName: 'apps',
        Targets: [{ Id: 'q', Arn: `arn:aws:sqs:us-east-1:${STRANGER}:audit` }],
      }),
    );

    // Act
    await events.send(
      new PutEventsCommand({
        Entries: [
          { EventBusName: 'apps', Source: 'acme.shop', DetailType: 'Order', Detail: JSON.stringify({ kind: 'real' }) },
          { EventBusName: 'apps', Source: 'acme.shop', DetailType: 'Order', Detail: JSON.stringify({ kind: 'test' }) },
          { EventBusName: 'apps', Source: 'other', DetailType: 'Order', Detail: JSON.stringify({ kind: 'real' }) },
        ],
      }),
    );
    const attributes = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }));

    // Assess
    expect(attributes.Attributes?.ApproximateNumberOfMessages).toBe('1');
    events.destroy();
    sqs.destroy();
  });

  it('rejects a rule whose pattern is not valid', async () => {
    // Prepare
    const events = new EventBridgeClient(clientConfig(emulator(), STRANGER));

    // Act
    const act = events.send(new PutRuleCommand({ Name: 'bad', EventPattern: JSON.stringify({ source: [{ wildcard: '*' }] }) }));

    // Assess
    await expect(act).rejects.toMatchObject({ name: 'InvalidEventPatternException' });
    events.destroy();
  });
});
