/**
 * The worker's environment, validated once at start: a missing or malformed variable is one
 * error naming it. Endpoints are not here: the SDK reads AWS_ENDPOINT_URL* itself.
 */
import * as z from 'zod';
import { ConfigError } from '../core/errors';

const schema = z.object({
  LEDGER_TABLE_NAME: z.string().min(1),
  HUB_EVENT_BUS_NAME: z.string().min(1),
  WORK_QUEUE_URL: z.string().min(1),
  CONTROL_PARAMETER_NAME: z.string().min(1),
  ROUTE53_REQUESTS_PER_SECOND: z.coerce.number().positive().default(5),
  /** Lease lifetime; longer than the function timeout. */
  LEASE_TTL_SECONDS: z.coerce.number().int().positive().default(180),
  /** How long to wait for an account's lease held by a concurrent invocation. */
  LEASE_WAIT_SECONDS: z.coerce.number().nonnegative().default(15),
  /** Resolvers (ip or ip:port, comma-separated) for the dangling-suspect DNS check. */
  DNS_RESOLVERS: z.string().optional(),
  /** Port the delegated name servers are asked on (53 in AWS; the emulator's port locally). */
  DNS_PORT: z.coerce.number().int().positive().default(53),
});

export type WorkerEnvironment = z.output<typeof schema>;

/** Reads and checks the worker's variables; throws ConfigError naming each bad one. */
export function readEnvironment(env: NodeJS.ProcessEnv = process.env): WorkerEnvironment {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => ({
      path: issue.path.join('.'),
      message: env[String(issue.path[0])] === undefined ? 'expected an environment variable, got nothing' : issue.message,
    })),
  );
}
