/**
 * The emulator's admin endpoint (`/_emulator/...`, JSON): the same controls tests use
 * in-process, for a standalone emulator driven from a shell or a benchmark.
 *
 *   GET    /_emulator/health
 *   GET    /_emulator/counters            DELETE /_emulator/counters   (reset)
 *   GET    /_emulator/faults              POST   /_emulator/faults     (body: a FaultSpec)
 *   DELETE /_emulator/faults              DELETE /_emulator/faults/<id>
 *   GET    /_emulator/quota               PUT    /_emulator/quota      (body: {ratePerSecond?, burst?, services?})
 *   DELETE /_emulator/quota               (turns it off)
 *   POST   /_emulator/roles/deny          POST   /_emulator/roles/allow (body: {roleArn})
 *   GET    /_emulator/events?account=&bus=
 *   POST   /_emulator/reset               (counters, faults and quota back to their start)
 */
import * as z from 'zod';
import type { AccountId } from '../functions/core/types';
import type { CallCounters } from './counters';
import type { EventBuses } from './eventbridge/buses';
import { InvalidFaultError, type FaultInjector, type FaultSpec } from './faults';
import { InvalidQuotaError, type QuotaSettings, type RequestQuota } from './quota';
import { ADMIN_PREFIX, type AdminHandler } from './server';
import type { ServiceName, ServiceResponse } from './types';

/** What the admin endpoint drives. */
export interface AdminControls {
  readonly counters: CallCounters;
  readonly faults: FaultInjector;
  readonly quota: RequestQuota;
  readonly events: EventBuses;
  readonly roles: { denyRole(roleArn: string): void; allowRole(roleArn: string): void };
}

const SERVICES = ['route53', 'sts', 'events', 'sqs', 'ssm'] as const satisfies readonly ServiceName[];
const account = z.string().regex(/^\d{12}$/, 'expected a 12-digit account id');

const faultSchema = z.strictObject({
  kind: z.enum(['throttle', 'server-error', 'prior-request-not-complete', 'latency']),
  operation: z.string().min(1),
  service: z.enum(SERVICES).optional(),
  account: account.optional(),
  times: z.number().int().positive().optional(),
  probability: z.number().gt(0).max(1).optional(),
  latencyMs: z.number().nonnegative().optional(),
  status: z.union([z.literal(500), z.literal(503)]).optional(),
});

const quotaSchema = z.strictObject({
  ratePerSecond: z.number().positive().optional(),
  burst: z.number().int().positive().optional(),
  services: z.array(z.enum(SERVICES)).optional(),
});

const roleSchema = z.strictObject({
  roleArn: z.string().regex(/^arn:aws:iam::\d{12}:role\/.+$/, 'expected arn:aws:iam::<account>:role/<name>'),
});

class AdminInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AdminInputError';
  }
}

/** Builds the handler the front door calls for `/_emulator/...` paths. */
export function createAdminHandler(controls: AdminControls): AdminHandler {
  return async ({ method, path, query, body }) => {
    const route = `${method} ${path.slice(ADMIN_PREFIX.length).replace(/\/$/, '')}`;
    try {
      const result = handle(controls, route, query, body);
      return result === undefined ? reply(404, { error: `no admin route ${method} ${path}` }) : reply(200, result);
    } catch (error) {
      if (error instanceof AdminInputError || error instanceof InvalidFaultError || error instanceof InvalidQuotaError) {
        return reply(400, { error: error.message });
      }
      throw error;
    }
  };
}

function handle(controls: AdminControls, route: string, query: URLSearchParams, body: string): unknown {
  const faultId = /^DELETE faults\/(.+)$/.exec(route)?.[1];
  if (faultId !== undefined) {
    if (!controls.faults.remove(faultId)) throw new AdminInputError(`no fault with id ${JSON.stringify(faultId)}`);
    return { removed: faultId };
  }
  switch (route) {
    case 'GET health':
      return { ok: true };
    case 'GET counters':
      return { counters: controls.counters.snapshot() };
    case 'DELETE counters':
      controls.counters.reset();
      return { reset: true };
    case 'GET faults':
      return { faults: controls.faults.list() };
    case 'POST faults':
      return { id: controls.faults.add(parse(faultSchema, body, 'fault') as FaultSpec) };
    case 'DELETE faults':
      controls.faults.clear();
      return { cleared: true };
    case 'GET quota':
      return { quota: controls.quota.settings() ?? null };
    case 'PUT quota':
      return { quota: controls.quota.enable(parse(quotaSchema, body, 'quota') as Partial<QuotaSettings>) };
    case 'DELETE quota':
      controls.quota.disable();
      return { quota: null };
    case 'POST roles/deny':
      controls.roles.denyRole(parse(roleSchema, body, 'role').roleArn);
      return { denied: true };
    case 'POST roles/allow':
      controls.roles.allowRole(parse(roleSchema, body, 'role').roleArn);
      return { allowed: true };
    case 'GET events': {
      const filter: { account?: AccountId; busName?: string } = {};
      const byAccount = query.get('account');
      const byBus = query.get('bus');
      if (byAccount) filter.account = byAccount;
      if (byBus) filter.busName = byBus;
      return { events: controls.events.log(filter) };
    }
    case 'POST reset':
      controls.counters.reset();
      controls.faults.clear();
      controls.quota.disable();
      return { reset: true };
    default:
      return undefined;
  }
}

function parse<T>(schema: z.ZodType<T>, body: string, what: string): T {
  let raw: unknown;
  try {
    raw = body.trim() === '' ? {} : JSON.parse(body);
  } catch {
    throw new AdminInputError(`${what}: the body is not valid JSON`);
  }
  const result = schema.safeParse(raw);
  if (!result.success) {
    const issues = result.error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`).join('; ');
    throw new AdminInputError(`invalid ${what}: ${issues}`);
  }
  return result.data;
}

function reply(status: number, body: unknown): ServiceResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}
