/**
 * The AWS JSON protocols (1.0 for SQS, 1.1 for EventBridge and SSM): the operation comes
 * from `x-amz-target`, the input is a JSON body, errors carry `__type` and a message.
 */
import { EmulatedServiceError, type ServiceRequest, type ServiceResponse } from './types';

/** The JSON protocol version: SQS speaks 1.0, EventBridge and SSM 1.1. */
export type JsonVersion = '1.0' | '1.1';

/** The operation named by `x-amz-target` (`AWSEvents.PutEvents` -> `PutEvents`). */
export function jsonOperation(request: ServiceRequest, targetPrefix: string): string {
  const target = request.headers['x-amz-target'] ?? '';
  if (!target.startsWith(`${targetPrefix}.`)) {
    throw new EmulatedServiceError('UnknownOperationException', `Unknown target ${JSON.stringify(target)}`);
  }
  return target.slice(targetPrefix.length + 1);
}

/** The request body as an object; an unreadable body is a SerializationException. */
export function jsonInput(request: ServiceRequest): Record<string, unknown> {
  if (request.body.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(request.body);
  } catch (error) {
    throw new EmulatedServiceError('SerializationException', `The request body is not valid JSON: ${String(error)}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new EmulatedServiceError('SerializationException', 'The request body must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}

/** A 200 answer with a JSON body. */
export function jsonResponse(version: JsonVersion, body: unknown): ServiceResponse {
  return { status: 200, headers: { 'content-type': `application/x-amz-json-${version}` }, body: JSON.stringify(body) };
}

/** An error answer as the JSON protocols send it. */
export function jsonError(
  version: JsonVersion,
  error: EmulatedServiceError,
  options: { readonly typeNamespace?: string; readonly queryError?: string } = {},
): ServiceResponse {
  const type = options.typeNamespace ? `${options.typeNamespace}#${error.code}` : error.code;
  const headers: Record<string, string> = {
    'content-type': `application/x-amz-json-${version}`,
    'x-amzn-errortype': error.code,
  };
  // SQS speaks JSON but keeps its query-protocol error codes in this header.
  if (options.queryError) headers['x-amzn-query-error'] = options.queryError;
  return { status: error.status, headers, body: JSON.stringify({ __type: type, message: error.message }) };
}

/** Reads a required string field or throws `code` naming the field. */
export function requiredString(input: Record<string, unknown>, field: string, code = 'ValidationException'): string {
  const value = input[field];
  if (typeof value !== 'string' || value === '') {
    throw new EmulatedServiceError(
      code,
      `Value for parameter ${field} is required and must be a non-empty string, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

/** Reads an optional string field, or throws `code` naming the field when it is not a string. */
export function optionalString(input: Record<string, unknown>, field: string, code = 'ValidationException'): string | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string')
    throw new EmulatedServiceError(code, `Value for parameter ${field} must be a string, got ${JSON.stringify(value)}`);
  return value;
}

/** Reads an optional integer field within bounds, or throws `code` naming the field. */
export function optionalInteger(
  input: Record<string, unknown>,
  field: string,
  min: number,
  max: number,
  code = 'ValidationException',
): number | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new EmulatedServiceError(
      code,
      `Value for parameter ${field} must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

/** Reads an optional array field, or throws `code` naming the field. */
export function optionalArray(input: Record<string, unknown>, field: string, code = 'ValidationException'): unknown[] | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value))
    throw new EmulatedServiceError(code, `Value for parameter ${field} must be a list, got ${JSON.stringify(value)}`);
  return value;
}
