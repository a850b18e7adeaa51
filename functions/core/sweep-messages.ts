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
import type { AccountId } from './types';
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

/** The sweep id derived from when the sweep was requested, for requests that carry none. */
export function sweepIdFor(requestedAt: string): string {
  return `${SWEEP_ID_PREFIX}${requestedAt}`;
}
