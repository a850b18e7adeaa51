/**
 * Hosted zone ids as Route 53 writes them: 1 to 32 of A-Z 0-9, bare (`Z0123`) or after
 * `/hostedzone/`. Defined once for the events, the config and the worker's own messages, each
 * of which says in its own words what it expected.
 */
import { describeValue } from './field-issues';
import type { ZoneId } from './types';
import * as z from 'zod/mini';

const HOSTED_ZONE_PREFIX = '/hostedzone/';
/** Either form (the group stays capturing: the published JSON Schema shows this pattern). */
const ZONE_ID_PATTERN = /^(\/hostedzone\/)?[A-Z0-9]{1,32}$/;
const BARE_ZONE_ID_PATTERN = /^[A-Z0-9]{1,32}$/;

/** A zod error function: the message for a value that is not what was expected. */
type ErrorMessage = (issue: { readonly input?: unknown }) => string;

/** A hosted zone id in either form, output bare. */
export function hostedZoneIdSchema(error: ErrorMessage) {
  return z.pipe(
    z.string({ error }).check(z.regex(ZONE_ID_PATTERN, { error })),
    z.transform((id: string) => (id.startsWith(HOSTED_ZONE_PREFIX) ? id.slice(HOSTED_ZONE_PREFIX.length) : id)),
  );
}

/** A bare hosted zone id, as the worker writes them in its own messages. */
export function bareZoneIdSchema(error: ErrorMessage) {
  return z.string({ error }).check(z.regex(BARE_ZONE_ID_PATTERN, { error }));
}

/** A string that is not a hosted zone id in either form. */
export class ZoneIdError extends Error {
  public readonly input: string;
  constructor(input: string) {
    super(`expected a hosted zone id (1 to 32 of A-Z 0-9, optionally after /hostedzone/), got ${describeValue(input)}`);
    this.name = 'ZoneIdError';
    this.input = input;
  }
}

const anyZoneId = hostedZoneIdSchema(() => 'not a hosted zone id');

/** `/hostedzone/Z0123` or `Z0123` -> `Z0123`; throws ZoneIdError for anything else. */
export function bareZoneId(id: string): ZoneId {
  const result = anyZoneId.safeParse(id);
  if (!result.success) throw new ZoneIdError(id);
  return result.data;
}
