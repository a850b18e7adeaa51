/** Route 53's errors, with the codes, HTTP statuses and message texts of the Route 53 API Reference (each action's Errors section). */
import { EmulatedServiceError } from '../types';

/**
 * InvalidChangeBatch carries one message per problem. Route 53 renders them as one
 * bracketed, comma-separated `Message` and as the `messages` list of the error shape.
 */
export class InvalidChangeBatchError extends EmulatedServiceError {
  constructor(public readonly messages: readonly string[]) {
    super('InvalidChangeBatch', `[${messages.join(', ')}]`, 400);
    this.name = 'InvalidChangeBatchError';
  }
}

/** The zone does not exist, or belongs to another account (which looks the same). */
export function noSuchHostedZone(zoneId: string): EmulatedServiceError {
  return new EmulatedServiceError('NoSuchHostedZone', `No hosted zone found with ID: ${zoneId}`, 404);
}

/** Generic validation failure of a request's input. */
export function invalidInput(message: string): EmulatedServiceError {
  return new EmulatedServiceError('InvalidInput', message, 400);
}

/** A model constraint failed, in the wording of AWS's request validation. */
export function constraintViolation(value: string, member: string, constraint: string): EmulatedServiceError {
  return invalidInput(`1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: ${constraint}`);
}
