/**
 * The worker's environment, validated once at start: a missing or malformed variable is one
 * error naming it. Endpoints are not here: the SDK reads AWS_ENDPOINT_URL* itself.
 */
import { requestsPerEnvironment } from '../adapters/rate-limiter';
import { WORKER_MAX_CONCURRENCY_VARIABLE } from '../core/contract';
import { ConfigError } from '../core/errors';
import * as z from 'zod/mini';
import '../core/validation';

/** A variable holding a whole number above 0. */
const positiveInteger = () => z.pipe(z.coerce.number(), z.int().check(z.positive()));

const schema = z
  .object({
    LEDGER_TABLE_NAME: z.string().check(z.minLength(1)),
    HUB_EVENT_BUS_NAME: z.string().check(z.minLength(1)),
    WORK_QUEUE_URL: z.string().check(z.minLength(1)),
    CONTROL_PARAMETER_NAME: z.string().check(z.minLength(1)),
    /** The hub Route 53 budget of the whole worker, all its execution environments together. */
    ROUTE53_REQUESTS_PER_SECOND: z._default(z.coerce.number().check(z.positive()), 5),
    /** How many execution environments Lambda may run at once (the event source's maximum concurrency). */
    [WORKER_MAX_CONCURRENCY_VARIABLE]: positiveInteger(),
    /** Lease lifetime; longer than the function timeout. */
    LEASE_TTL_SECONDS: z._default(positiveInteger(), 180),
    /** How long to wait for an account's lease held by a concurrent invocation. */
    LEASE_WAIT_SECONDS: z._default(z.coerce.number().check(z.nonnegative()), 15),
    /** Resolvers (ip or ip:port, comma-separated) for the dangling-suspect DNS check. */
    DNS_RESOLVERS: z.optional(z.string()),
    /** Port the delegated name servers are asked on (53 in AWS; the emulator's port locally). */
    DNS_PORT: z._default(positiveInteger(), 53),
  })
  .check(
    z.superRefine((env, ctx) => {
      const budget = env.ROUTE53_REQUESTS_PER_SECOND;
      const concurrency = env[WORKER_MAX_CONCURRENCY_VARIABLE];
      if (requestsPerEnvironment(budget, concurrency) < 1) {
        ctx.addIssue({
          code: 'custom',
          path: ['ROUTE53_REQUESTS_PER_SECOND'],
          message: `expected at least ${concurrency} (one request per second for each of the ${concurrency} execution environments), got ${budget}`,
        });
      }
    }),
  );

export type WorkerEnvironment = z.output<typeof schema>;

/** Reads and checks the worker's variables; throws ConfigError naming each bad one. */
export function readEnvironment(env: NodeJS.ProcessEnv = process.env): WorkerEnvironment {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => ({
      path: issue.path.join('.'),
      message:
        issue.code !== 'custom' && env[String(issue.path[0])] === undefined
          ? 'expected an environment variable, got nothing'
          : issue.message,
    })),
  );
}
