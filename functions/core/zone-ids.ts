/**
 * Hosted zone ids as Route 53 writes them: 1 to 32 of A-Z 0-9, bare (`Z0123`) or after
 * `/hostedzone/`. Defined once for the events, the config and the worker's own messages, each
 * of which says in its own words what it expected.
 */
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
