import { ACCOUNT_ID_PATTERN } from '../functions/core/contract';

/** A command line that cannot be run; the message says which option and why (exit code 1). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The account id a flag names, or a UsageError saying which flag and what it got. */
export function accountFlag(flag: string, value: string): string {
  if (!ACCOUNT_ID_PATTERN.test(value)) throw new UsageError(`${flag} must be a 12-digit account id, got ${JSON.stringify(value)}`);
  return value;
}
