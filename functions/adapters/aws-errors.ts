/**
 * Classifies errors thrown by SDK v3 clients by their modelled name, the same way the SDK's
 * own retry strategy does, so adapters can map them to subzone's error classes.
 */
import type { SpokeReadFailure } from '../core/errors';

const ACCESS_DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation']);

// The throttling codes of @smithy/core's retry classification that Route 53 and STS use.
const THROTTLING = new Set([
  'Throttling',
  'ThrottlingException',
  'PriorRequestNotComplete',
  'TooManyRequestsException',
  'RequestLimitExceeded',
]);

/** The error's `name` (SDK v3 sets it to the service's error code), or '' for a non-error. */
export function errorName(error: unknown): string {
  return error instanceof Error ? error.name : '';
}

/** True when the caller is not allowed to make the call. */
export function isAccessDenied(error: unknown): boolean {
  return ACCESS_DENIED.has(errorName(error));
}

/** True when the service refused the call for its rate, after the SDK's retries. */
export function isThrottling(error: unknown): boolean {
  if (THROTTLING.has(errorName(error))) return true;
  const retryable = (error as { $retryable?: { throttling?: boolean } } | null)?.$retryable;
  return retryable?.throttling === true;
}

/** Why a spoke read failed, for SpokeReadError. */
export function spokeReadFailure(error: unknown): SpokeReadFailure {
  if (isAccessDenied(error)) return 'access-denied';
  if (isThrottling(error)) return 'throttled';
  return 'unavailable';
}
