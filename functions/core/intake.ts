/**
 * Event intake: one SQS message body in, one hint for the worker out (docs/concepts.md).
 * Bodies are EventBridge events carrying a CloudTrail record (`detail`) or subzone's own
 * sweep messages. The event is only a hint: the account, the event name and the zone id
 * are taken from it, never names or name servers; each is validated strictly, and fields
 * subzone does not use are let through, since CloudTrail adds fields over time.
 * Whatever a body holds, parsing it either returns a hint or throws MalformedMessageError.
 */
import { MalformedMessageError } from './errors';
import { ROUTE53_EVENT_NAMES, type Route53EventName } from './event-pattern';
import { describeValue, expected, type FieldsResult, safeParseFields } from './field-issues';
import { accountIdSchema, type ReadingCursor, SUBZONE_MESSAGE_SCHEMAS, sweepIdFor } from './sweep-messages';
import type { AccountId, SweepSlice, ZoneId } from './types';
import { hostedZoneIdSchema } from './zone-ids';
import * as z from 'zod/mini';
import './validation';

/** Why a well-formed message leads to no reconcile. */
export type IgnoreReason = 'failed-call' | 'health-check-tags' | 'other-source' | 'unknown-event-name' | 'other-resource-type';

/** What the worker should do with one message. */
export type Hint =
  /** Something changed in these zones of the account: reconcile the account narrowed to them. */
  | {
      kind: 'zones';
      account: AccountId;
      zoneIds: ZoneId[];
      eventName: Route53EventName;
      /** CloudTrail's `eventID`, the dedup key. */
      eventId: string;
      /** CloudTrail's `eventTime`. */
      eventTime: string;
      /** EnableHostedZoneDNSSEC's change (bare id): the first DS waits until it is INSYNC. */
      signingChangeId?: string;
    }
  /** Reconcile the whole account (sweep fan-out or CLI). */
  | { kind: 'account'; account: AccountId; reason: 'sweep' | 'cli'; sweepId?: string; slice?: SweepSlice }
  /** Read the parent zones, then fan out one account message per account to reconcile. */
  | { kind: 'sweep-request'; sweepId: string; requestedAt: string; cursor?: ReadingCursor }
  /** Nothing to do; `detail` says why in words, for the log. */
  | { kind: 'ignored'; reason: IgnoreReason; account?: AccountId; detail: string };

const ROUTE53_SOURCE = 'aws.route53';
const CLOUDTRAIL_DETAIL_TYPE = 'AWS API Call via CloudTrail';
const ROUTE53_EVENT_SOURCE = 'route53.amazonaws.com';

/** A hosted zone id, bare (`Z0123...`) or prefixed (`/hostedzone/Z0123...`), output bare. */
const zoneIdSchema = hostedZoneIdSchema(expected('a hosted zone id').error);

const object = <S extends z.core.$ZodLooseShape>(shape: S) => z.object(shape, expected('an object'));

const envelopeSchema = object({
  source: z.string(expected('an event source')).check(z.minLength(1, expected('an event source'))),
  'detail-type': z.string(expected('a detail-type')),
  account: accountIdSchema,
  detail: z.looseObject({}, expected('an object')),
});

const cloudTrailSchema = object({
  eventSource: z.string(expected('an event source such as route53.amazonaws.com')),
  eventName: z.string(expected('an API action name')).check(z.minLength(1, expected('an API action name'))),
});

/**
 * How far in the future an event's time may be and still be believed: CloudTrail, SQS and the
 * worker agree within seconds, so anything later than this after both the queue received the
 * message and the worker's clock is forged or broken (either clock alone may lag: a replayed
 * message was received long ago, a test's clock stands still). Such an event is
 * malformed rather than clamped: a time the worker cannot trust would otherwise become the
 * account's newest event and hide, for as long as it lies ahead, that the account went quiet.
 * The zone it names is still reconciled by the next sweep.
 */
export const MAX_EVENT_TIME_AHEAD_MS = 5 * 60_000;

function recordIdentitySchema(times: MessageTimes) {
  const latest = new Date(Math.max(times.now.getTime(), times.sentAt.getTime()) + MAX_EVENT_TIME_AHEAD_MS);
  const minutes = MAX_EVENT_TIME_AHEAD_MS / 60_000;
  const notAfterLatest = `an event time no later than ${latest.toISOString()} (${minutes} minutes after the message was received)`;
  return object({
    eventID: z.string(expected('an event id')).check(z.minLength(1, expected('an event id'))),
    eventTime: z.iso
      .datetime(expected('an ISO-8601 UTC time'))
      // A string that is no time at all is reported once, by the ISO check.
      .check(z.refine((time) => !(Date.parse(time) > latest.getTime()), expected(notAfterLatest))),
  });
}

const requestParameters = <S extends z.core.$ZodLooseShape>(shape: S) => object({ requestParameters: object(shape) });
/** `schema`, then `pick` applied to what it parsed. */
function picked<S extends z.ZodMiniType, T>(schema: S, pick: (parsed: z.output<S>) => T) {
  return z.pipe(schema, z.transform(pick));
}

const byHostedZoneId = picked(requestParameters({ hostedZoneId: zoneIdSchema }), (d) => d.requestParameters.hostedZoneId);

/** Where each event's CloudTrail record carries the zone id (schemas over `detail`). */
const ZONE_ID_OF: Record<Route53EventName, z.ZodMiniType<ZoneId>> = {
  CreateHostedZone: picked(
    object({ responseElements: object({ hostedZone: object({ id: zoneIdSchema }) }) }),
    (d) => d.responseElements.hostedZone.id,
  ),
  DeleteHostedZone: picked(requestParameters({ id: zoneIdSchema }), (d) => d.requestParameters.id),
  ChangeTagsForResource: picked(requestParameters({ resourceId: zoneIdSchema }), (d) => d.requestParameters.resourceId),
  EnableHostedZoneDNSSEC: byHostedZoneId,
  DisableHostedZoneDNSSEC: byHostedZoneId,
  // CreateKeySigningKey sends HostedZoneId in the body, the others in the URI: CloudTrail names both hostedZoneId.
  CreateKeySigningKey: byHostedZoneId,
  ActivateKeySigningKey: byHostedZoneId,
  DeactivateKeySigningKey: byHostedZoneId,
  DeleteKeySigningKey: byHostedZoneId,
};

const CHANGE_ID_WHAT = 'a Route 53 change id';
/** A change id, bare (`C0123...`) or prefixed (`/change/C0123...`), output bare. */
const changeIdSchema = z.pipe(
  z.string(expected(CHANGE_ID_WHAT)).check(z.regex(/^(?:\/change\/)?[A-Z0-9]{1,32}$/, expected(CHANGE_ID_WHAT))),
  z.transform((id: string) => id.replace(/^\/change\//, '')),
);

/** The signing change of EnableHostedZoneDNSSEC, when its record carries one (CloudTrail may record no response). */
const signingChangeSchema = picked(
  z.looseObject({
    responseElements: z.nullish(z.looseObject({ changeInfo: z.optional(z.looseObject({ id: z.optional(changeIdSchema) })) })),
  }),
  (d) => d.responseElements?.changeInfo?.id,
);

const tagResourceSchema = requestParameters({ resourceType: z.string(expected('a resource type')) });

function isRoute53EventName(name: string): name is Route53EventName {
  return (ROUTE53_EVENT_NAMES as readonly string[]).includes(name);
}

function valueOf<T>(result: FieldsResult<T>): T {
  if (!result.ok) throw new MalformedMessageError(result.issues);
  return result.value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The times a message is judged by. */
export interface MessageTimes {
  /** The worker's clock: no event may lie more than MAX_EVENT_TIME_AHEAD_MS after both it and `sentAt`. */
  readonly now: Date;
  /** When the queue received the message (SQS `SentTimestamp`): dates a sweep request that names no time. */
  readonly sentAt: Date;
}

/**
 * Parses one SQS message body into a hint.
 * Throws MalformedMessageError, whose issues name each bad field's path, for a body that
 * is not JSON, is neither an EventBridge event nor a subzone message, lacks a field used,
 * has a field subzone could not use later (a sweep id too long to fan out, an event time in
 * the future), or cannot be read at all (nested too deep for the parser).
 * Failed calls, health-check tags, other sources and unknown event names are `ignored`.
 */
export function parseMessage(body: string, times: MessageTimes): Hint {
  try {
    return parseBody(body, times);
  } catch (error) {
    if (error instanceof MalformedMessageError) throw error;
    // Validation is total for anything JSON can express; this is the last line for what the
    // runtime itself refuses (a stack overflow on a body nested beyond what V8 can walk).
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw new MalformedMessageError([{ path: '', message: `expected a body subzone can read, got one that fails with ${reason}` }], {
      cause: error,
    });
  }
}

function parseBody(body: string, times: MessageTimes): Hint {
  let message: unknown;
  try {
    message = JSON.parse(body);
  } catch (error) {
    throw new MalformedMessageError(
      [{ path: '', message: `expected a JSON object, got a body that is not JSON (${describeValue(body)})` }],
      { cause: error },
    );
  }
  if (!isObject(message)) {
    throw new MalformedMessageError([{ path: '', message: `expected a JSON object, got ${describeValue(message)}` }]);
  }
  if ('subzone' in message) return parseSubzoneMessage(message, times.sentAt);
  if ('source' in message || 'detail-type' in message || 'detail' in message) return parseEvent(message, times);
  throw new MalformedMessageError([
    {
      path: '',
      message:
        'expected an EventBridge event (source, detail-type, account, detail) or a subzone message (subzone, version), ' +
        `got an object with keys ${describeValue(Object.keys(message))}`,
    },
  ]);
}

function parseSubzoneMessage(message: Record<string, unknown>, sentAt: Date): Hint {
  const kind = message.subzone;
  if (kind === 'sweep') {
    const request = valueOf(safeParseFields(SUBZONE_MESSAGE_SCHEMAS.sweep, message));
    const requestedAt = request.requestedAt ?? sentAt.toISOString();
    return {
      kind: 'sweep-request',
      sweepId: request.sweepId ?? sweepIdFor(requestedAt),
      requestedAt,
      ...(request.cursor === undefined ? {} : { cursor: request.cursor }),
    };
  }
  if (kind === 'reconcile-account') {
    const request = valueOf(safeParseFields(SUBZONE_MESSAGE_SCHEMAS['reconcile-account'], message));
    return {
      kind: 'account',
      account: request.account,
      reason: request.reason,
      ...(request.sweepId === undefined ? {} : { sweepId: request.sweepId }),
      ...(request.slice === undefined ? {} : { slice: request.slice }),
    };
  }
  const known = Object.keys(SUBZONE_MESSAGE_SCHEMAS).map((name) => JSON.stringify(name));
  throw new MalformedMessageError([{ path: 'subzone', message: `expected ${known.join(' or ')}, got ${describeValue(kind)}` }]);
}

function ignored(reason: IgnoreReason, account: AccountId, detail: string): Hint {
  return { kind: 'ignored', reason, account, detail };
}

function parseEvent(message: Record<string, unknown>, times: MessageTimes): Hint {
  const envelope = valueOf(safeParseFields(envelopeSchema, message));
  const { account, detail } = envelope;
  if (envelope.source !== ROUTE53_SOURCE) {
    return ignored('other-source', account, `source ${describeValue(envelope.source)} is not ${ROUTE53_SOURCE}`);
  }
  if (envelope['detail-type'] !== CLOUDTRAIL_DETAIL_TYPE) {
    const detailType = describeValue(envelope['detail-type']);
    return ignored('other-source', account, `detail-type ${detailType} is not "${CLOUDTRAIL_DETAIL_TYPE}"`);
  }
  const { eventSource, eventName } = valueOf(safeParseFields(cloudTrailSchema, detail, ['detail']));
  if (eventSource !== ROUTE53_EVENT_SOURCE) {
    return ignored('other-source', account, `eventSource ${describeValue(eventSource)} is not ${ROUTE53_EVENT_SOURCE}`);
  }
  if (detail.errorCode !== undefined && detail.errorCode !== null) {
    return ignored('failed-call', account, `${eventName} failed with ${describeValue(detail.errorCode)}`);
  }
  if (!isRoute53EventName(eventName)) {
    return ignored('unknown-event-name', account, `eventName ${describeValue(eventName)} is not one subzone acts on`);
  }
  if (eventName === 'ChangeTagsForResource') {
    const { resourceType } = valueOf(safeParseFields(tagResourceSchema, detail, ['detail'])).requestParameters;
    if (resourceType === 'healthcheck') return ignored('health-check-tags', account, 'tags of a health check changed');
    if (resourceType !== 'hostedzone') {
      return ignored('other-resource-type', account, `resourceType ${describeValue(resourceType)} is not "hostedzone"`);
    }
  }
  const identity = safeParseFields(recordIdentitySchema(times), detail, ['detail']);
  const zoneId = safeParseFields(ZONE_ID_OF[eventName], detail, ['detail']);
  const signingChange: FieldsResult<string | undefined> =
    eventName === 'EnableHostedZoneDNSSEC' ? safeParseFields(signingChangeSchema, detail, ['detail']) : { ok: true, value: undefined };
  if (!identity.ok || !zoneId.ok || !signingChange.ok) {
    const issuesOf = (result: FieldsResult<unknown>) => (result.ok ? [] : result.issues);
    throw new MalformedMessageError([...issuesOf(identity), ...issuesOf(zoneId), ...issuesOf(signingChange)]);
  }
  const { eventID: eventId, eventTime } = identity.value;
  const signingChangeId = signingChange.value;
  return {
    kind: 'zones',
    account,
    zoneIds: [zoneId.value],
    eventName,
    eventId,
    eventTime,
    ...(signingChangeId !== undefined && { signingChangeId }),
  };
}
