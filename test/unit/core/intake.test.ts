import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { MalformedMessageError } from '../../../functions/core/errors';
import { ROUTE53_EVENT_NAMES, type Route53EventName } from '../../../functions/core/event-pattern';
import { type Hint, parseMessage } from '../../../functions/core/intake';
import { bareZoneId, ZoneIdError } from '../../../functions/core/zone-ids';
import { accountMessage, sweepAccountMessage, sweepContinuation, sweepRequest } from '../../../functions/core/sweep-messages';
import { sampleBody } from '../../helpers/sqs';

const FOO = 'Z04212345FOOEXAMPLE01';
const RECEIVED_AT = new Date('2026-10-05T09:15:07Z');
/** Received as the sweep sample was, read after the newest sample event. */
const TIMES = { now: new Date('2026-11-01T00:00:00Z'), sentAt: RECEIVED_AT };

type Json = Record<string, unknown>;

function sample(file: string): Json {
  return JSON.parse(sampleBody(file)) as Json;
}

function detailOf(event: Json): Json {
  return event.detail as Json;
}

function zones(
  eventName: Route53EventName,
  n: number,
  eventTime: string,
  account = '222222222222',
  zoneId = FOO,
): Extract<Hint, { kind: 'zones' }> {
  const eventId = `e1d2c3b4-a596-4877-9a6b-5c4d${n.toString(16).padStart(8, '0')}`;
  return { kind: 'zones', account, zoneIds: [zoneId], eventName, eventId, eventTime };
}

/** Every sample in events/ (top level) and the hint it must give. */
const SAMPLES: Record<string, Hint> = {
  'create-hosted-zone.json': zones('CreateHostedZone', 1, '2026-10-05T09:12:31Z'),
  'change-tags-opt-in.json': zones('ChangeTagsForResource', 2, '2026-10-05T09:13:04Z'),
  'change-tags-opt-out.json': zones('ChangeTagsForResource', 3, '2026-10-19T15:40:52Z'),
  'delete-hosted-zone.json': zones('DeleteHostedZone', 4, '2026-10-26T11:02:17Z'),
  'create-private-hosted-zone.json': zones('CreateHostedZone', 5, '2026-10-06T07:48:55Z', '222222222222', 'Z07734567INTERNALFOO1'),
  'create-hosted-zone-error-code.json': {
    kind: 'ignored',
    reason: 'failed-call',
    account: '333333333333',
    detail: 'CreateHostedZone failed with "HostedZoneAlreadyExists"',
  },
  'change-tags-health-check.json': {
    kind: 'ignored',
    reason: 'health-check-tags',
    account: '222222222222',
    detail: 'tags of a health check changed',
  },
  'enable-dnssec.json': { ...zones('EnableHostedZoneDNSSEC', 8, '2026-10-12T10:05:44Z'), signingChangeId: 'C0421234567CHANGE08' },
  'disable-dnssec.json': zones('DisableHostedZoneDNSSEC', 9, '2026-10-21T16:30:02Z'),
  'create-key-signing-key.json': zones('CreateKeySigningKey', 10, '2026-10-12T10:01:18Z'),
  'activate-key-signing-key.json': zones('ActivateKeySigningKey', 11, '2026-10-14T09:00:27Z'),
  'deactivate-key-signing-key.json': zones('DeactivateKeySigningKey', 12, '2026-10-21T16:25:40Z'),
  'delete-key-signing-key.json': zones('DeleteKeySigningKey', 13, '2026-10-21T16:28:13Z'),
  'other-source.json': {
    kind: 'ignored',
    reason: 'other-source',
    account: '222222222222',
    detail: 'source "aws.ec2" is not aws.route53',
  },
  'unknown-event-name.json': {
    kind: 'ignored',
    reason: 'unknown-event-name',
    account: '111111111111',
    detail: 'eventName "ChangeResourceRecordSets" is not one subzone acts on',
  },
  'sweep-request.json': {
    kind: 'sweep-request',
    sweepId: 'sweep-2026-10-05T09:15:00Z',
    requestedAt: '2026-10-05T09:15:00Z',
  },
  'reconcile-account.json': {
    kind: 'account',
    account: '222222222222',
    reason: 'sweep',
    sweepId: 'sweep-2026-10-05T09:15:00Z',
  },
};

/** Every sample in events/malformed/ and the issues it must be rejected with. */
const MALFORMED: Record<string, { path: string; message: RegExp }[]> = {
  'not-json.txt': [{ path: '', message: /^expected a JSON object, got a body that is not JSON \("\{\\"version/ }],
  'missing-account.json': [{ path: 'account', message: /^expected a 12-digit account id, got nothing$/ }],
  'bad-zone-id.json': [
    {
      path: 'detail.requestParameters.id',
      message: /^expected a hosted zone id, got "\/change\/C0421234567CHANGE04"$/,
    },
  ],
};

function malformedIssues(body: string): { path: string; message: string }[] {
  try {
    parseMessage(body, TIMES);
  } catch (error) {
    if (error instanceof MalformedMessageError) return error.issues.map(({ path, message }) => ({ path, message }));
    throw error;
  }
  throw new Error('expected a MalformedMessageError, the body was accepted');
}

/** A valid CloudTrail event for `eventName`, carrying `zoneId` where that event carries it. */
function eventFor(eventName: Route53EventName, zoneId: string): Json {
  const base = sample('enable-dnssec.json');
  const detail = detailOf(base);
  detail.eventName = eventName;
  switch (eventName) {
    case 'CreateHostedZone':
      detail.requestParameters = { name: 'foo.example.com', callerReference: 'r1' };
      detail.responseElements = { hostedZone: { id: zoneId, name: 'foo.example.com.' } };
      break;
    case 'DeleteHostedZone':
      detail.requestParameters = { id: zoneId };
      break;
    case 'ChangeTagsForResource':
      detail.requestParameters = { resourceType: 'hostedzone', resourceId: zoneId, addTags: [] };
      detail.responseElements = null;
      break;
    default:
      detail.requestParameters = { hostedZoneId: zoneId, name: 'foo_ksk_1' };
  }
  return base;
}

describe('parseMessage', () => {
  it('has an expected hint for every sample in events/ and a sample for every event name', () => {
    // Prepare
    const files = readdirSync(join(__dirname, '..', '..', '..', 'events')).filter((file) => file.endsWith('.json'));
    const malformed = readdirSync(join(__dirname, '..', '..', '..', 'events', 'malformed'));

    // Act
    const namesInSamples = files.map((file) => (sample(file).detail as Json | undefined)?.eventName);

    // Assess
    expect(files.sort()).toEqual(Object.keys(SAMPLES).sort());
    expect(malformed.sort()).toEqual(Object.keys(MALFORMED).sort());
    expect(ROUTE53_EVENT_NAMES.filter((name) => !namesInSamples.includes(name))).toEqual([]);
  });

  it.each(Object.entries(SAMPLES))('parses events/%s to its hint', (file, hint) => {
    // Prepare
    const body = sampleBody(file);

    // Act
    const result = parseMessage(body, TIMES);

    // Assess
    expect(result).toEqual(hint);
  });

  it.each(Object.entries(MALFORMED))('rejects events/malformed/%s naming the field', (file, expected) => {
    // Prepare
    const body = sampleBody(join('malformed', file));

    // Act
    const issues = malformedIssues(body);

    // Assess
    expect(issues).toHaveLength(expected.length);
    expected.forEach((issue, index) => {
      expect(issues[index]?.path).toBe(issue.path);
      expect(issues[index]?.message).toMatch(issue.message);
    });
  });

  it('rejects a malformed body with an error that names the path in its message and keeps the JSON cause', () => {
    // Prepare
    const body = sampleBody('malformed/not-json.txt');

    // Act
    const act = () => parseMessage(body, TIMES);

    // Assess
    expect(act).toThrow(MalformedMessageError);
    expect(act).toThrow(/^malformed message: expected a JSON object/);
    try {
      act();
    } catch (error) {
      expect((error as Error).cause).toBeInstanceOf(SyntaxError);
    }
  });

  describe.each(ROUTE53_EVENT_NAMES.map((name) => [name]))('%s', (eventName) => {
    it.each([
      ['bare', FOO],
      ['prefixed', `/hostedzone/${FOO}`],
    ])('takes the zone id in %s form and returns it bare', (_form, zoneId) => {
      // Prepare
      const body = JSON.stringify(eventFor(eventName, zoneId));

      // Act
      const hint = parseMessage(body, TIMES);

      // Assess
      expect(hint).toMatchObject({ kind: 'zones', eventName, zoneIds: [FOO], account: '222222222222' });
    });

    it('ignores the failed call, whatever its request and response hold', () => {
      // Prepare
      const event = eventFor(eventName, 'not a zone id');
      Object.assign(detailOf(event), {
        errorCode: 'AccessDenied',
        errorMessage: 'User ... is not authorized',
        responseElements: null,
      });

      // Act
      const hint = parseMessage(JSON.stringify(event), TIMES);

      // Assess
      expect(hint).toEqual({
        kind: 'ignored',
        reason: 'failed-call',
        account: '222222222222',
        detail: `${eventName} failed with "AccessDenied"`,
      });
    });

    it('rejects an event whose zone id is missing, naming the field', () => {
      // Prepare
      const event = eventFor(eventName, FOO);
      const detail = detailOf(event);
      if (eventName === 'CreateHostedZone') detail.responseElements = { hostedZone: {} };
      else detail.requestParameters = eventName === 'ChangeTagsForResource' ? { resourceType: 'hostedzone' } : {};

      // Act
      const issues = malformedIssues(JSON.stringify(event));

      // Assess
      const path = {
        CreateHostedZone: 'detail.responseElements.hostedZone.id',
        DeleteHostedZone: 'detail.requestParameters.id',
        ChangeTagsForResource: 'detail.requestParameters.resourceId',
      }[eventName as string];
      expect(issues).toEqual([
        { path: path ?? 'detail.requestParameters.hostedZoneId', message: 'expected a hosted zone id, got nothing' },
      ]);
    });
  });

  it.each<[string, (event: Json) => void, string, string]>([
    [
      'a number as zone id',
      (e) => void (detailOf(e).requestParameters = { hostedZoneId: 42 }),
      'detail.requestParameters.hostedZoneId',
      'expected a hosted zone id, got 42',
    ],
    [
      'a lower-case zone id',
      (e) => void (detailOf(e).requestParameters = { hostedZoneId: 'z0421' }),
      'detail.requestParameters.hostedZoneId',
      'expected a hosted zone id, got "z0421"',
    ],
    [
      'a zone id of 33 characters',
      (e) => void (detailOf(e).requestParameters = { hostedZoneId: 'Z'.repeat(33) }),
      'detail.requestParameters.hostedZoneId',
      `expected a hosted zone id, got "${'Z'.repeat(33)}"`,
    ],
    [
      'an empty zone id',
      (e) => void (detailOf(e).requestParameters = { hostedZoneId: '' }),
      'detail.requestParameters.hostedZoneId',
      'expected a hosted zone id, got ""',
    ],
    [
      'no requestParameters',
      (e) => void (detailOf(e).requestParameters = null),
      'detail.requestParameters',
      'expected an object, got null',
    ],
    ['an account of 11 digits', (e) => void (e.account = '22222222222'), 'account', 'expected a 12-digit account id, got "22222222222"'],
    ['an account as a number', (e) => void (e.account = 222222222222), 'account', 'expected a 12-digit account id, got 222222222222'],
    ['no detail', (e) => void delete e.detail, 'detail', 'expected an object, got nothing'],
    ['a detail that is a string', (e) => void (e.detail = 'x'), 'detail', 'expected an object, got "x"'],
    ['no source', (e) => void delete e.source, 'source', 'expected an event source, got nothing'],
    ['no detail-type', (e) => void delete e['detail-type'], 'detail-type', 'expected a detail-type, got nothing'],
    ['no eventName', (e) => void delete detailOf(e).eventName, 'detail.eventName', 'expected an API action name, got nothing'],
    [
      'no eventSource',
      (e) => void delete detailOf(e).eventSource,
      'detail.eventSource',
      'expected an event source such as route53.amazonaws.com, got nothing',
    ],
    ['no eventID', (e) => void delete detailOf(e).eventID, 'detail.eventID', 'expected an event id, got nothing'],
    [
      'an eventTime that is no time',
      (e) => void (detailOf(e).eventTime = 'Oct 12, 2026'),
      'detail.eventTime',
      'expected an ISO-8601 UTC time, got "Oct 12, 2026"',
    ],
    [
      'a resourceType that is not a string',
      (e) => void (detailOf(e).eventName = 'ChangeTagsForResource'),
      'detail.requestParameters.resourceType',
      'expected a resource type, got nothing',
    ],
  ])('rejects an event with %s, naming the field', (_case, mutate, path, message) => {
    // Prepare
    const event = sample('enable-dnssec.json');
    mutate(event);

    // Act
    const issues = malformedIssues(JSON.stringify(event));

    // Assess
    expect(issues).toEqual([{ path, message }]);
  });

  it('carries no signing change for an EnableHostedZoneDNSSEC record without a response', () => {
    // Prepare
    const event = sample('enable-dnssec.json');
    detailOf(event).responseElements = null;

    // Act
    const hint = parseMessage(JSON.stringify(event), TIMES);

    // Assess
    expect(hint).toEqual(zones('EnableHostedZoneDNSSEC', 8, '2026-10-12T10:05:44Z'));
  });

  it('rejects an EnableHostedZoneDNSSEC record whose change id is not one, naming the field', () => {
    // Prepare
    const event = sample('enable-dnssec.json');
    detailOf(event).responseElements = { changeInfo: { id: '/hostedzone/../C1' } };

    // Act
    const issues = malformedIssues(JSON.stringify(event));

    // Assess
    expect(issues).toEqual([
      { path: 'detail.responseElements.changeInfo.id', message: 'expected a Route 53 change id, got "/hostedzone/../C1"' },
    ]);
  });

  it('reports every bad field of one event at once', () => {
    // Prepare
    const event = sample('delete-hosted-zone.json');
    delete detailOf(event).eventID;
    detailOf(event).requestParameters = { id: 42 };

    // Act
    const issues = malformedIssues(JSON.stringify(event));

    // Assess
    expect(issues.map((issue) => issue.path)).toEqual(['detail.eventID', 'detail.requestParameters.id']);
  });

  it.each<[string, string]>([
    ['42', 'expected a JSON object, got 42'],
    ['null', 'expected a JSON object, got null'],
    ['[{"source":"aws.route53"}]', 'expected a JSON object, got [{"source":"aws.route53"}]'],
    ['"hello"', 'expected a JSON object, got "hello"'],
    ['', 'expected a JSON object, got a body that is not JSON ("")'],
    [
      '{"Records":[]}',
      'expected an EventBridge event (source, detail-type, account, detail) or a subzone message (subzone, version), got an object with keys ["Records"]',
    ],
  ])('rejects the body %j as neither an event nor a subzone message', (body, message) => {
    // Act
    const issues = malformedIssues(body);

    // Assess
    expect(issues).toEqual([{ path: '', message }]);
  });

  it('lets unknown extra fields through at every level', () => {
    // Prepare
    const event = sample('create-hosted-zone.json');
    event.newEnvelopeField = { any: 'thing' };
    Object.assign(detailOf(event), { newCloudTrailField: [1, 2], sessionCredentialFromConsole: 'true' });
    const response = detailOf(event).responseElements as { hostedZone: Json };
    response.hostedZone.features = { failureReasons: {} };

    // Act
    const hint = parseMessage(JSON.stringify(event), TIMES);

    // Assess
    expect(hint).toEqual(SAMPLES['create-hosted-zone.json']);
  });

  it('takes nothing but the account, event name and zone id from the payload', () => {
    // Prepare
    const event = sample('create-hosted-zone.json');

    // Act
    const hint = parseMessage(JSON.stringify(event), TIMES);

    // Assess
    expect(Object.keys(hint).sort()).toEqual(['account', 'eventId', 'eventName', 'eventTime', 'kind', 'zoneIds']);
    expect(JSON.stringify(hint)).not.toMatch(/awsdns|foo\.example\.com/);
  });

  it('uses detail.eventTime and detail.eventID, not the envelope time and id', () => {
    // Prepare
    const event = sample('delete-hosted-zone.json');
    event.time = '2026-10-26T11:02:59Z';

    // Act
    const hint = parseMessage(JSON.stringify(event), TIMES);

    // Assess
    expect(hint).toMatchObject({ eventTime: '2026-10-26T11:02:17Z', eventId: 'e1d2c3b4-a596-4877-9a6b-5c4d00000004' });
  });

  it.each<[string, (event: Json) => void, string, string]>([
    ['another source', (e) => void (e.source = 'aws.route53resolver'), 'other-source', 'source "aws.route53resolver" is not aws.route53'],
    [
      'another detail-type',
      (e) => void (e['detail-type'] = 'AWS Service Event via CloudTrail'),
      'other-source',
      'detail-type "AWS Service Event via CloudTrail" is not "AWS API Call via CloudTrail"',
    ],
    [
      'another eventSource',
      (e) => void (detailOf(e).eventSource = 'route53domains.amazonaws.com'),
      'other-source',
      'eventSource "route53domains.amazonaws.com" is not route53.amazonaws.com',
    ],
    [
      'an event name not listed',
      (e) => void (detailOf(e).eventName = 'UpdateHostedZoneComment'),
      'unknown-event-name',
      'eventName "UpdateHostedZoneComment" is not one subzone acts on',
    ],
    [
      'a lower-camel event name',
      (e) => void (detailOf(e).eventName = 'createHostedZone'),
      'unknown-event-name',
      'eventName "createHostedZone" is not one subzone acts on',
    ],
    [
      'tags of another resource type',
      (e) =>
        Object.assign(detailOf(e), {
          eventName: 'ChangeTagsForResource',
          requestParameters: { resourceType: 'vpc', resourceId: 'vpc-1' },
        }),
      'other-resource-type',
      'resourceType "vpc" is not "hostedzone"',
    ],
  ])('ignores %s with its reason and the account', (_case, mutate, reason, detail) => {
    // Prepare
    const event = sample('enable-dnssec.json');
    mutate(event);

    // Act
    const hint = parseMessage(JSON.stringify(event), TIMES);

    // Assess
    expect(hint).toEqual({ kind: 'ignored', reason, account: '222222222222', detail });
  });

  it('rejects an event time more than five minutes after the clock and the receipt, naming the field', () => {
    // Prepare
    const event = sample('create-hosted-zone.json');
    detailOf(event).eventTime = '2026-11-01T00:05:01Z';

    // Act
    const issues = malformedIssues(JSON.stringify(event));

    // Assess
    expect(issues).toEqual([
      {
        path: 'detail.eventTime',
        message:
          'expected an event time no later than 2026-11-01T00:05:00.000Z (5 minutes after the message was received), got "2026-11-01T00:05:01Z"',
      },
    ]);
  });

  it('accepts an event time within five minutes after the clock', () => {
    // Prepare
    const event = sample('create-hosted-zone.json');
    detailOf(event).eventTime = '2026-11-01T00:05:00Z';

    // Act
    const hint = parseMessage(JSON.stringify(event), TIMES);

    // Assess
    expect(hint).toMatchObject({ kind: 'zones', eventTime: '2026-11-01T00:05:00Z' });
  });

  it.each([
    ['a field', (nested: string) => `{"source":${nested},"detail-type":"x","account":"222222222222","detail":{}}`],
    [
      'a field of the detail',
      (nested: string) => sampleBody('create-hosted-zone.json').replace(/"eventID": *"[^"]*"/, `"eventID":${nested}`),
    ],
    ['the body', (nested: string) => nested],
  ])('rejects %s nested 100,000 deep with one issue instead of overflowing the stack', (_case, bodyWith) => {
    // Prepare
    const nested = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;

    // Act
    const issues = malformedIssues(bodyWith(nested));

    // Assess
    expect(issues).toHaveLength(1);
    expect(issues[0]?.message).toMatch(/^expected /);
  });

  it('treats an errorCode of null as no error', () => {
    // Prepare
    const event = sample('delete-hosted-zone.json');
    detailOf(event).errorCode = null;

    // Act
    const hint = parseMessage(JSON.stringify(event), TIMES);

    // Assess
    expect(hint).toEqual(SAMPLES['delete-hosted-zone.json']);
  });
});

describe('subzone messages', () => {
  it('derives the sweep id and time from when a bare sweep request was received', () => {
    // Prepare
    const body = JSON.stringify({ subzone: 'sweep', version: 1 });

    // Act
    const hint = parseMessage(body, TIMES);

    // Assess
    expect(hint).toEqual({
      kind: 'sweep-request',
      sweepId: 'sweep-2026-10-05T09:15:07.000Z',
      requestedAt: '2026-10-05T09:15:07.000Z',
    });
  });

  it('accepts a requestedAt of 122 characters, the longest whose derived sweep id is valid', () => {
    // Prepare
    const requestedAt = `2026-10-05T09:15:00.${'0'.repeat(101)}Z`;

    // Act
    const hint = parseMessage(JSON.stringify({ subzone: 'sweep', version: 1, requestedAt }), TIMES);

    // Assess
    expect(requestedAt).toHaveLength(122);
    expect(hint).toEqual({ kind: 'sweep-request', sweepId: `sweep-${requestedAt}`, requestedAt });
    expect(accountMessage('222222222222', 'sweep', `sweep-${requestedAt}`).sweepId).toHaveLength(128);
  });

  it('keeps the sweep id of the request and derives only the time', () => {
    // Prepare
    const body = JSON.stringify(sweepRequest('nightly-42'));

    // Act
    const hint = parseMessage(body, TIMES);

    // Assess
    expect(hint).toEqual({ kind: 'sweep-request', sweepId: 'nightly-42', requestedAt: '2026-10-05T09:15:07.000Z' });
  });

  it.each<[string, string | undefined, Hint]>([
    ['cli', undefined, { kind: 'account', account: '333333333333', reason: 'cli' }],
    ['cli', 'manual-1', { kind: 'account', account: '333333333333', reason: 'cli', sweepId: 'manual-1' }],
    [
      'sweep',
      'sweep-2026-10-05T09:15:00Z',
      { kind: 'account', account: '333333333333', reason: 'sweep', sweepId: 'sweep-2026-10-05T09:15:00Z' },
    ],
  ])('round-trips an account message with reason %s and sweep id %s', (reason, sweepId, expected) => {
    // Prepare
    const body = JSON.stringify(accountMessage('333333333333', reason as 'cli' | 'sweep', sweepId));

    // Act
    const hint = parseMessage(body, TIMES);

    // Assess
    expect(hint).toEqual(expected);
  });

  it('builds the documented message formats', () => {
    // Act
    const request = sweepRequest();
    const message = accountMessage('222222222222', 'sweep', 'sweep-2026-10-05T09:15:00Z');

    // Assess
    expect(request).toEqual({ subzone: 'sweep', version: 1 });
    expect(message).toEqual(sample('reconcile-account.json'));
  });

  it.each<[string, Json, { path: string; message: string }[]]>([
    [
      'an unknown kind',
      { subzone: 'sweep-all', version: 1 },
      [{ path: 'subzone', message: 'expected "sweep" or "reconcile-account", got "sweep-all"' }],
    ],
    ['another version', { subzone: 'sweep', version: 2 }, [{ path: 'version', message: 'expected version 1, got 2' }]],
    [
      'no version',
      { subzone: 'reconcile-account', account: '222222222222', reason: 'cli' },
      [{ path: 'version', message: 'expected version 1, got nothing' }],
    ],
    ['a misspelt key', { subzone: 'sweep', version: 1, sweepID: 'x' }, [{ path: 'sweepID', message: 'unknown key' }]],
    [
      'a bad sweep id',
      { subzone: 'sweep', version: 1, sweepId: '../etc' },
      [
        {
          path: 'sweepId',
          message: expect.stringMatching(/^expected a sweep id .*, got "\.\.\/etc"$/) as unknown as string,
        },
      ],
    ],
    [
      'a requestedAt that is no time',
      { subzone: 'sweep', version: 1, requestedAt: 'now' },
      [{ path: 'requestedAt', message: 'expected an ISO-8601 time of at most 122 characters, got "now"' }],
    ],
    [
      // Its derived sweep id would be 207 characters: accepted, it failed every fan-out until dead-lettered.
      'a requestedAt too long to derive a sweep id from',
      { subzone: 'sweep', version: 1, requestedAt: `2026-10-05T09:15:00.${'0'.repeat(180)}Z` },
      [
        {
          path: 'requestedAt',
          message: expect.stringMatching(
            /^expected an ISO-8601 time of at most 122 characters, got "2026-10-05T09:15:00\.0+\.\.\.$/,
          ) as unknown as string,
        },
      ],
    ],
    [
      'a short account',
      { subzone: 'reconcile-account', version: 1, account: '2222', reason: 'cli' },
      [{ path: 'account', message: 'expected a 12-digit account id, got "2222"' }],
    ],
    [
      'an unknown reason',
      { subzone: 'reconcile-account', version: 1, account: '222222222222', reason: 'event' },
      [{ path: 'reason', message: 'expected "sweep" or "cli", got "event"' }],
    ],
    [
      'reason sweep without a sweep id',
      { subzone: 'reconcile-account', version: 1, account: '222222222222', reason: 'sweep' },
      [{ path: 'sweepId', message: 'expected a sweep id when reason is "sweep", got nothing' }],
    ],
    [
      'a slice with reason cli',
      {
        subzone: 'reconcile-account',
        version: 1,
        account: '222222222222',
        reason: 'cli',
        slice: { readAt: '2026-10-05T09:15:00Z', parents: [] },
      },
      [{ path: 'slice', message: 'expected no slice when reason is not "sweep", got one' }],
    ],
    [
      'a slice record without a TTL',
      {
        subzone: 'reconcile-account',
        version: 1,
        account: '222222222222',
        reason: 'sweep',
        sweepId: 's-1',
        slice: {
          readAt: '2026-10-05T09:15:00Z',
          parents: [
            { parentZoneId: 'ZPARENT', names: ['foo.example.com'], records: [{ name: 'foo.example.com', type: 'NS', values: [] }] },
          ],
        },
      },
      [{ path: 'slice.parents[0].records[0].ttl', message: 'expected a TTL in seconds, got nothing' }],
    ],
    [
      'a cursor whose parent is no zone id',
      { subzone: 'sweep', version: 1, cursor: { startedAt: '2026-10-05T09:15:00Z', parts: 0, at: { parentZoneId: '/hostedzone/Z1' } } },
      [{ path: 'cursor.at.parentZoneId', message: 'expected a bare hosted zone id (1 to 32 of A-Z 0-9), got "/hostedzone/Z1"' }],
    ],
  ])('rejects a subzone message with %s, naming the field', (_case, message, expected) => {
    // Act
    const issues = malformedIssues(JSON.stringify(message));

    // Assess
    expect(issues).toEqual(expected);
  });

  it("reads a continuation's cursor and an account's slice into the hint", () => {
    // Prepare
    const cursor = {
      startedAt: '2026-10-05T09:15:00Z',
      parts: 2,
      at: { parentZoneId: 'ZPARENT', next: { name: 'm.example.com.', type: 'A' } },
    };
    const slice = {
      readAt: '2026-10-05T09:15:00Z',
      parents: [
        {
          parentZoneId: 'ZPARENT',
          names: ['foo.example.com'],
          records: [{ name: 'foo.example.com', type: 'NS', ttl: 3600, values: ['ns-1.awsdns-01.com.'] }],
        },
      ],
    };
    const times = { now: new Date('2026-10-05T09:16:00Z'), sentAt: new Date('2026-10-05T09:15:00Z') };

    // Act
    const continuation = parseMessage(JSON.stringify(sweepContinuation('s-1', '2026-10-05T09:15:00Z', cursor)), times);
    const account = parseMessage(JSON.stringify(sweepAccountMessage('222222222222', 's-1', slice)), times);

    // Assess
    expect(continuation).toEqual({ kind: 'sweep-request', sweepId: 's-1', requestedAt: '2026-10-05T09:15:00Z', cursor });
    expect(account).toEqual({ kind: 'account', account: '222222222222', reason: 'sweep', sweepId: 's-1', slice });
  });

  it.each<[string, () => unknown, RegExp]>([
    [
      'an account that is not 12 digits',
      () => accountMessage('12345', 'cli'),
      /^malformed message: account: expected a 12-digit account id, got "12345"$/,
    ],
    [
      'reason sweep without a sweep id',
      () => accountMessage('222222222222', 'sweep'),
      /sweepId: expected a sweep id when reason is "sweep"/,
    ],
    ['a sweep id with a space', () => sweepRequest('my sweep'), /^malformed message: sweepId: expected a sweep id/],
  ])('fails to build a message with %s', (_case, build, message) => {
    // Act
    const act = () => build();

    // Assess
    expect(act).toThrow(MalformedMessageError);
    expect(act).toThrow(message);
  });
});

describe('bareZoneId', () => {
  it.each([
    ['Z04212345FOOEXAMPLE01', 'Z04212345FOOEXAMPLE01'],
    ['/hostedzone/Z04212345FOOEXAMPLE01', 'Z04212345FOOEXAMPLE01'],
    ['Z1PA6795UKMFR9', 'Z1PA6795UKMFR9'],
    ['Z', 'Z'],
    [`/hostedzone/${'A'.repeat(32)}`, 'A'.repeat(32)],
  ])('returns %s as %s', (input, bare) => {
    // Act
    const result = bareZoneId(input);

    // Assess
    expect(result).toBe(bare);
  });

  it.each([
    '',
    '/hostedzone/',
    '/change/C0421234567CHANGE04',
    'hostedzone/Z123',
    'z0421',
    'Z 0421',
    'A'.repeat(33),
    '/hostedzone//hostedzone/Z1',
  ])('rejects %j', (input) => {
    // Act
    const act = () => bareZoneId(input);

    // Assess
    expect(act).toThrow(ZoneIdError);
    expect(act).toThrow(`got ${JSON.stringify(input)}`);
  });
});
