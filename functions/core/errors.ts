/** Errors the core and adapters raise. Each names what is wrong; `cause` keeps the original. */

/** One problem found in a config or an event, with the path of the field. */
export interface FieldIssue {
  readonly path: string;
  readonly message: string;
}

function describe(issues: readonly FieldIssue[]): string {
  return issues.map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message)).join('; ');
}

/** The config file is invalid or contradicts itself. */
export class ConfigError extends Error {
  public readonly issues: readonly FieldIssue[];
  constructor(issues: readonly FieldIssue[]) {
    super(`invalid subzone config: ${describe(issues)}`);
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

/** A domain name that cannot be normalised (bad escape, label too long, ...). */
export class NameError extends Error {
  public readonly input: string;
  constructor(input: string, reason: string) {
    super(`invalid domain name ${JSON.stringify(input)}: ${reason}`);
    this.name = 'NameError';
    this.input = input;
  }
}

/** A queue message that is not an event subzone understands. Never retried. */
export class MalformedMessageError extends Error {
  public readonly issues: readonly FieldIssue[];
  constructor(issues: readonly FieldIssue[], options?: { cause?: unknown }) {
    super(`malformed message: ${describe(issues)}`, options);
    this.name = 'MalformedMessageError';
    this.issues = issues;
  }
}

/** Why a spoke account could not be read. `unreachable` kinds make delegations suspects. */
export type SpokeReadFailure = 'access-denied' | 'throttled' | 'unavailable';

/** The spoke account could not be read completely: what was read is unknown, not absent. */
export class SpokeReadError extends Error {
  public readonly account: string;
  public readonly failure: SpokeReadFailure;
  constructor(account: string, failure: SpokeReadFailure, options?: { cause?: unknown }) {
    super(`could not read account ${account}: ${failure}`, options);
    this.name = 'SpokeReadError';
    this.account = account;
    this.failure = failure;
  }
}

/** A parent zone read failed: nothing may be decided on it. */
export class ParentReadError extends Error {
  constructor(parentZoneId: string, options?: { cause?: unknown }) {
    super(`could not read parent zone ${parentZoneId}`, options);
    this.name = 'ParentReadError';
  }
}

/**
 * Route 53 refused a change batch for what is in it, not for load: retrying the same batch
 * fails again, but its changes may succeed on their own, so the batch is split.
 */
export class ChangeRefusedError extends Error {
  public readonly messages: readonly string[];
  constructor(parentZoneId: string, messages: readonly string[], options?: { cause?: unknown }) {
    super(`change batch for ${parentZoneId} refused: ${messages.join('; ')}`, options);
    this.name = 'ChangeRefusedError';
    this.messages = messages;
  }
}

/** A change batch was refused because a record differs from what was read (CAS conflict). */
export class ChangeConflictError extends ChangeRefusedError {
  constructor(parentZoneId: string, messages: readonly string[], options?: { cause?: unknown }) {
    super(parentZoneId, messages, options);
    this.name = 'ChangeConflictError';
  }
}

/** A ledger conditional write lost (someone else wrote the item first). */
export class LedgerConflictError extends Error {
  constructor(what: string, options?: { cause?: unknown }) {
    super(`ledger item changed concurrently: ${what}`, options);
    this.name = 'LedgerConflictError';
  }
}

/** Another worker holds the account's lease: try again later. */
export class LeaseBusyError extends Error {
  public readonly account: string;
  constructor(account: string, heldUntil: string) {
    super(`account ${account} is being reconciled by another worker until ${heldUntil}`);
    this.name = 'LeaseBusyError';
    this.account = account;
  }
}

/** Narrow an unknown thrown value to an Error. */
export function assertIsError(value: unknown): asserts value is Error {
  if (!(value instanceof Error)) throw new Error(`non-error thrown: ${String(value)}`, { cause: value });
}
