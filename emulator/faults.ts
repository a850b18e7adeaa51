/**
 * Fault injection per operation: throttling (with each service's own code), 5xx,
 * Route 53's PriorRequestNotComplete, added latency, and lost responses (the call takes
 * effect but the caller hears a 500, so it cannot tell whether it did); once, N times, or
 * with a seeded probability so a benchmark run can be repeated exactly. The ledger's
 * DynamoDB takes the same faults through ledger-faults.ts.
 */
import { unsafeUniformIntDistribution, mersenne } from 'pure-rand';
import type { AccountId } from '../functions/core/types';
import { EmulatedServiceError, type ServiceName } from './types';

/** What a fault can do to a call. */
export const FAULT_KINDS = ['throttle', 'server-error', 'prior-request-not-complete', 'latency', 'lost-response'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** The services a fault can target: the front door's, and the ledger's DynamoDB. */
export type FaultTarget = ServiceName | 'dynamodb';

/** What to inject, and on which calls. */
export interface FaultSpec {
  readonly kind: FaultKind;
  /** Operation name (e.g. `ChangeResourceRecordSets`), or `*` for every operation. */
  readonly operation: string;
  /** Only calls to this service. @default - any service */
  readonly service?: FaultTarget;
  /** Only calls made in this account. @default - any account */
  readonly account?: AccountId;
  /**
   * How many calls the fault hits before it is spent.
   * @default - 1, or unlimited when `probability` is given
   */
  readonly times?: number;
  /** Chance (0..1) that a matching call is hit, drawn from the seeded generator. @default 1 */
  readonly probability?: number;
  /** Delay added by a `latency` fault, in milliseconds. @default 100 */
  readonly latencyMs?: number;
  /** HTTP status of a `server-error` or `lost-response` fault: 500 (InternalFailure) or 503 (ServiceUnavailable). @default 500 */
  readonly status?: 500 | 503;
}

/** An injected fault as listed: its spec, its id and how many calls it has hit. */
export interface ActiveFault {
  readonly id: string;
  readonly spec: FaultSpec;
  readonly hits: number;
  readonly remaining: number | null;
}

/** What the front door does with one call: wait, then fail or go on. */
export interface FaultDecision {
  readonly delayMs: number;
  /** Answer this instead of serving the call. */
  readonly error?: EmulatedServiceError;
  /** Serve the call, then answer this instead of its response (a response lost on the way back). */
  readonly lostResponse?: EmulatedServiceError;
}

/** A fault spec the injector cannot use. */
export class InvalidFaultError extends Error {
  constructor(field: string, value: unknown, expected: string) {
    super(`invalid fault: ${field} is ${JSON.stringify(value)}, expected ${expected}`);
    this.name = 'InvalidFaultError';
  }
}

/** The throttling answer of each service, as AWS sends it. */
export function throttlingError(service: FaultTarget): EmulatedServiceError {
  // Route 53 and STS (XML protocols) say `Throttling`; the JSON services say `ThrottlingException`.
  const code = service === 'route53' || service === 'sts' ? 'Throttling' : 'ThrottlingException';
  return new EmulatedServiceError(code, 'Rate exceeded', 400);
}

/** Route 53's answer while an earlier change to the same zone is still being processed. */
export function priorRequestNotCompleteError(): EmulatedServiceError {
  return new EmulatedServiceError(
    'PriorRequestNotComplete',
    'The request was rejected because Route 53 was still processing a prior request.',
    400,
  );
}

/** A 5xx answer; the SDKs retry these as transient. */
export function serverError(status: 500 | 503): EmulatedServiceError {
  return status === 503
    ? new EmulatedServiceError('ServiceUnavailable', 'Service is unavailable. Try again later.', 503)
    : new EmulatedServiceError('InternalFailure', 'The request processing has failed because of an unknown error.', 500);
}

interface Entry {
  readonly id: string;
  readonly spec: FaultSpec;
  hits: number;
  remaining: number;
}

/** Holds the injected faults and decides, call by call, which one hits. */
export class FaultInjector {
  private entries: Entry[] = [];
  private nextId = 1;
  private random: () => number;

  constructor(seed = 1) {
    this.random = seededRandom(seed);
  }

  /** Restarts the probability draws from `seed`. */
  reseed(seed: number): void {
    this.random = seededRandom(seed);
  }

  /** Adds a fault; returns its id. Throws InvalidFaultError naming the bad field. */
  add(spec: FaultSpec): string {
    validate(spec);
    const id = `fault-${this.nextId++}`;
    const remaining = spec.times ?? (spec.probability === undefined ? 1 : Number.POSITIVE_INFINITY);
    this.entries.push({ id, spec, hits: 0, remaining });
    return id;
  }

  /** Removes one fault; returns whether it existed. */
  remove(id: string): boolean {
    const before = this.entries.length;
    this.entries = this.entries.filter((entry) => entry.id !== id);
    return this.entries.length !== before;
  }

  clear(): void {
    this.entries = [];
  }

  list(): ActiveFault[] {
    return this.entries.map((entry) => ({
      id: entry.id,
      spec: entry.spec,
      hits: entry.hits,
      remaining: Number.isFinite(entry.remaining) ? entry.remaining : null,
    }));
  }

  /** Decides the fate of one call: latency faults add up, the first error fault that hits wins. */
  decide(service: FaultTarget, operation: string, account: AccountId): FaultDecision {
    let delayMs = 0;
    let error: EmulatedServiceError | undefined;
    let lostResponse: EmulatedServiceError | undefined;
    for (const entry of this.entries) {
      const { spec } = entry;
      if (entry.remaining <= 0) continue;
      if (spec.operation !== '*' && spec.operation !== operation) continue;
      if (spec.service !== undefined && spec.service !== service) continue;
      if (spec.account !== undefined && spec.account !== account) continue;
      if (spec.kind !== 'latency' && (error || lostResponse)) continue;
      if (spec.probability !== undefined && this.random() >= spec.probability) continue;
      entry.hits += 1;
      entry.remaining -= 1;
      if (spec.kind === 'latency') delayMs += spec.latencyMs ?? 100;
      // The caller hears what a broken connection turns into: a transient 5xx.
      else if (spec.kind === 'lost-response') lostResponse = serverError(spec.status ?? 500);
      else error = errorFor(spec, service);
    }
    this.entries = this.entries.filter((entry) => entry.remaining > 0);
    if (error) return { delayMs, error };
    return lostResponse ? { delayMs, lostResponse } : { delayMs };
  }
}

function errorFor(spec: FaultSpec, service: FaultTarget): EmulatedServiceError {
  switch (spec.kind) {
    case 'throttle':
      return throttlingError(service);
    case 'prior-request-not-complete':
      return priorRequestNotCompleteError();
    default:
      return serverError(spec.status ?? 500);
  }
}

function validate(spec: FaultSpec): void {
  if (!FAULT_KINDS.includes(spec.kind)) throw new InvalidFaultError('kind', spec.kind, `one of ${FAULT_KINDS.join(', ')}`);
  if (typeof spec.operation !== 'string' || spec.operation === '') {
    throw new InvalidFaultError('operation', spec.operation, 'an operation name or "*"');
  }
  if (spec.times !== undefined && !(Number.isInteger(spec.times) && spec.times > 0)) {
    throw new InvalidFaultError('times', spec.times, 'a positive integer');
  }
  if (spec.probability !== undefined && !(spec.probability > 0 && spec.probability <= 1)) {
    throw new InvalidFaultError('probability', spec.probability, 'a number in (0, 1]');
  }
  if (spec.latencyMs !== undefined && !(Number.isFinite(spec.latencyMs) && spec.latencyMs >= 0)) {
    throw new InvalidFaultError('latencyMs', spec.latencyMs, 'a non-negative number of milliseconds');
  }
  if (spec.status !== undefined && spec.status !== 500 && spec.status !== 503) {
    throw new InvalidFaultError('status', spec.status, '500 or 503');
  }
}

/** Uniform draws in [0, 1) from a seed (pure-rand); Math.random cannot be seeded. */
function seededRandom(seed: number): () => number {
  const generator = mersenne(seed);
  return () => unsafeUniformIntDistribution(0, 0x7fffffff, generator) / 0x80000000;
}
