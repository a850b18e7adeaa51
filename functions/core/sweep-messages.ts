/**
 * subzone's own queue messages (documented in events/README.md):
 * - the sweep request EventBridge Scheduler sends every 15 minutes;
 * - the per-account message the sweep fans out into, also sent by the CLI.
 * Both carry `subzone` (the kind) and `version`; unknown keys are errors, so a typo
 * (`sweepID`) is reported rather than silently dropped.
 */
import { ACCOUNT_ID_PATTERN } from './contract';
import { MalformedMessageError } from './errors';
import { expected, safeParseFields } from './field-issues';
import type { ReadingPosition } from './sweep-reading';
import type { AccountId, SweepSlice } from './types';
import { bareZoneIdSchema } from './zone-ids';
import * as z from 'zod/mini';
import './validation';

/** The format version of subzone's own messages. */
export const SUBZONE_MESSAGE_VERSION = 1;

/** A 12-digit AWS account id. */
export const accountIdSchema = z
  .string(expected('a 12-digit account id'))
  .check(z.regex(ACCOUNT_ID_PATTERN, expected('a 12-digit account id')));

const SWEEP_ID_MAX_LENGTH = 128;
const SWEEP_ID_WHAT = `a sweep id (1 to ${SWEEP_ID_MAX_LENGTH} of A-Z a-z 0-9 . _ : + -, starting with a letter or digit)`;
const SWEEP_ID_PREFIX = 'sweep-';

/** A sweep id: free-form but safe in a ledger key and a log line. */
export const sweepIdSchema = z
  .string(expected(SWEEP_ID_WHAT))
  .check(z.regex(new RegExp(`^[A-Za-z0-9][A-Za-z0-9._:+-]{0,${SWEEP_ID_MAX_LENGTH - 1}}$`), expected(SWEEP_ID_WHAT)));

/**
 * A request without a sweep id gets `sweep-<requestedAt>`, so requestedAt is bounded for that id
 * to be valid: an ISO-8601 time uses only characters a sweep id allows, its length is all that can break it.
 */
const REQUESTED_AT_MAX_LENGTH = SWEEP_ID_MAX_LENGTH - SWEEP_ID_PREFIX.length;
const REQUESTED_AT_WHAT = `an ISO-8601 time of at most ${REQUESTED_AT_MAX_LENGTH} characters`;

const versionSchema = z.literal(SUBZONE_MESSAGE_VERSION, expected(`version ${SUBZONE_MESSAGE_VERSION}`));

const bareZoneIdField = bareZoneIdSchema(expected('a bare hosted zone id (1 to 32 of A-Z 0-9)').error);
const text = (what: string, max: number) =>
  z.string(expected(what)).check(z.minLength(1, expected(what)), z.maxLength(max, expected(`${what} of at most ${max} characters`)));
const count = (what: string) => z.int(expected(what)).check(z.nonnegative(expected(what)));

/** Where a sweep's reading of the parent zones continues (sweep-reading.ts), in its continuation messages. */
const readingCursorSchema = z.strictObject({
  /** When the reading began. */
  startedAt: z.iso.datetime(expected('an ISO-8601 UTC time')),
  /** Parts of the reading kept in the ledger so far. */
  parts: count('a count of reading parts'),
  /** Steps of the reading run so far (absent in a continuation sent before steps were counted: its parts stand in). */
  step: z.optional(count('a count of reading steps')),
  /** The parent zone and page to read next; absent once every parent is read. */
  at: z.optional(
    z.strictObject({
      parentZoneId: bareZoneIdField,
      next: z.optional(
        z.strictObject({
          name: text('a record name', 1024),
          type: z.optional(text('a record type', 16)),
          identifier: z.optional(text('a set identifier', 128)),
        }),
      ),
    }),
  ),
});

/** A record set as a parent zone's reading found it. */
const recordSetSchema = z.strictObject({
  name: text('a record name', 1024),
  type: text('a record type', 16),
  ttl: count('a TTL in seconds'),
  values: z.array(z.string(expected('a record value')), expected('a list of record values')),
});

/** An account's slice of a sweep's reading (parent-slices.ts). */
const sweepSliceSchema = z.strictObject({
  readAt: z.iso.datetime(expected('an ISO-8601 UTC time')),
  parents: z.array(
    z.strictObject({
      parentZoneId: bareZoneIdField,
      names: z.array(text('a name', 1024), expected('a list of names')),
      records: z.array(recordSetSchema, expected('a list of record sets')),
    }),
    expected('a list of parent zone slices'),
  ),
});

/** Where a sweep's reading stands: parts kept so far, and where it continues (absent: read in full). */
export interface ReadingCursor {
  readonly startedAt: string;
  readonly parts: number;
  /** Each step of a reading has its own number, even one that kept no part. */
  readonly step?: number;
  readonly at?: ReadingPosition;
}

/**
 * Sent by EventBridge Scheduler. `sweepId` and `requestedAt` are optional so a bare
 * `{"subzone":"sweep","version":1}` works; the schedule should fill both with
 * `<aws.scheduler.scheduled-time>` so a redelivered request keeps its sweep id.
 */
export const sweepRequestSchema = z.strictObject({
  subzone: z.literal('sweep'),
  version: versionSchema,
  sweepId: z.optional(sweepIdSchema),
  requestedAt: z.optional(
    z.iso
      .datetime({ offset: true, ...expected(REQUESTED_AT_WHAT) })
      .check(z.maxLength(REQUESTED_AT_MAX_LENGTH, expected(REQUESTED_AT_WHAT))),
  ),
  /** Only in the continuations the worker sends itself while it reads the parent zones. */
  cursor: z.optional(readingCursorSchema),
});

/** Why one account is reconciled outside an event. */
export type AccountReason = 'sweep' | 'cli';

/** One account to reconcile completely; `sweepId` is required when the reason is `sweep`. */
export const accountMessageSchema = z
  .strictObject({
    subzone: z.literal('reconcile-account'),
    version: versionSchema,
    account: accountIdSchema,
    reason: z.enum(['sweep', 'cli'], expected('"sweep" or "cli"')),
    sweepId: z.optional(sweepIdSchema),
    /** The account's slice of the sweep's reading of the parent zones; absent when it would not fit. */
    slice: z.optional(sweepSliceSchema),
  })
  .check(
    z.superRefine((message, ctx) => {
      if (message.reason === 'sweep' && message.sweepId === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['sweepId'],
          message: 'expected a sweep id when reason is "sweep", got nothing',
        });
      }
      if (message.reason !== 'sweep' && message.slice !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['slice'], message: 'expected no slice when reason is not "sweep", got one' });
      }
    }),
  );

/** The sweep request as sent on the queue. */
export type SweepRequestMessage = z.output<typeof sweepRequestSchema>;
/** The per-account message as sent on the queue. */
export type AccountMessage = z.output<typeof accountMessageSchema>;

/** Every value of `subzone` this version understands, with its schema. */
export const SUBZONE_MESSAGE_SCHEMAS = {
  sweep: sweepRequestSchema,
  'reconcile-account': accountMessageSchema,
} as const;

function build<S extends z.ZodMiniType>(schema: S, message: unknown): z.output<S> {
  const result = safeParseFields(schema, message);
  if (!result.ok) throw new MalformedMessageError(result.issues);
  return result.value;
}

/** The sweep request body. Throws MalformedMessageError for a bad sweep id. */
export function sweepRequest(sweepId?: string): SweepRequestMessage {
  return build(sweepRequestSchema, {
    subzone: 'sweep',
    version: SUBZONE_MESSAGE_VERSION,
    ...(sweepId === undefined ? {} : { sweepId }),
  });
}

/**
 * The message that asks the worker to reconcile one whole account.
 * Throws MalformedMessageError naming the field for a bad account or sweep id, or for
 * reason `sweep` without a sweep id.
 */
export function accountMessage(account: AccountId, reason: AccountReason, sweepId?: string): AccountMessage {
  return build(accountMessageSchema, {
    subzone: 'reconcile-account',
    version: SUBZONE_MESSAGE_VERSION,
    account,
    reason,
    ...(sweepId === undefined ? {} : { sweepId }),
  });
}

/**
 * SQS bills a message by the 64 KB: an account whose slice would make its message bigger (one
 * holding hundreds of delegations) goes without it, and reads its names narrowly.
 */
export const SLICE_MESSAGE_MAX_BYTES = 64 * 1024;

/** One account's sweep message, with its slice of the reading when the message stays within SLICE_MESSAGE_MAX_BYTES. */
export function sweepAccountMessage(account: AccountId, sweepId: string, slice: SweepSlice | undefined): AccountMessage {
  const bare = accountMessage(account, 'sweep', sweepId);
  if (slice === undefined) return bare;
  const sliced = { ...bare, slice: slice as AccountMessage['slice'] };
  return new TextEncoder().encode(JSON.stringify(sliced)).length <= SLICE_MESSAGE_MAX_BYTES ? sliced : bare;
}

/** The sweep request that carries a sweep's reading on from where an invocation stopped. */
export function sweepContinuation(sweepId: string, requestedAt: string, cursor: ReadingCursor): SweepRequestMessage {
  return build(sweepRequestSchema, { subzone: 'sweep', version: SUBZONE_MESSAGE_VERSION, sweepId, requestedAt, cursor });
}

/** The sweep id derived from when the sweep was requested, for requests that carry none. */
export function sweepIdFor(requestedAt: string): string {
  return `${SWEEP_ID_PREFIX}${requestedAt}`;
}
