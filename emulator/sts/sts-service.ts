/**
 * STS over the awsQuery protocol, which @aws-sdk/client-sts and the AWS CLI both speak:
 * a form-encoded `Action=…&Version=2011-06-15&…` request (POST body or query string),
 * an XML answer. Serves AssumeRole and GetCallerIdentity.
 */
import { randomUUID } from 'node:crypto';
import { XMLBuilder } from 'fast-xml-parser';
import { type CredentialRegistry, DEFAULT_SESSION_SECONDS, parseRoleArn, RoleAccessDeniedError } from '../accounts';
import { type EmulatedService, EmulatedServiceError, type ServiceRequest, type ServiceResponse } from '../types';

const STS_NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';
const API_VERSION = '2011-06-15';
/** Every role has IAM's default MaxSessionDuration of one hour. */
const MAX_SESSION_SECONDS = 3600;
const MIN_SESSION_SECONDS = 900;
const SESSION_NAME_PATTERN = /^[\w+=,.@-]*$/;

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_' });

/** The STS operations the emulator serves. */
export type StsOperation = 'AssumeRole' | 'GetCallerIdentity';

/** STS's answers, from the credentials of a CredentialRegistry. */
export class StsService implements EmulatedService {
  readonly name = 'sts' as const;

  constructor(private readonly credentials: CredentialRegistry) {}

  operationOf(request: ServiceRequest): string {
    return parametersOf(request).get('Action') ?? 'Unknown';
  }

  async handle(request: ServiceRequest): Promise<ServiceResponse> {
    const parameters = parametersOf(request);
    const action = parameters.get('Action');
    const version = parameters.get('Version');
    if (version !== undefined && version !== API_VERSION) {
      throw new EmulatedServiceError('InvalidAction', `Could not find operation ${action ?? ''} for version ${version}`);
    }
    switch (action) {
      case 'AssumeRole':
        return this.assumeRole(request, parameters);
      case 'GetCallerIdentity':
        return respond('GetCallerIdentity', {
          Arn: this.credentials.callerOf(request.accessKeyId, request.account).arn,
          UserId: this.credentials.callerOf(request.accessKeyId, request.account).userId,
          Account: request.account,
        });
      default:
        throw new EmulatedServiceError('InvalidAction', `Could not find operation ${action ?? '(none)'} for version ${API_VERSION}`);
    }
  }

  renderError(error: EmulatedServiceError): ServiceResponse {
    const body = builder.build({
      ErrorResponse: {
        '@_xmlns': STS_NAMESPACE,
        Error: { Type: error.status >= 500 ? 'Receiver' : 'Sender', Code: error.code, Message: error.message },
        RequestId: randomUUID(),
      },
    });
    return { status: error.status, headers: { 'content-type': 'text/xml' }, body };
  }

  private assumeRole(request: ServiceRequest, parameters: ReadonlyMap<string, string>): ServiceResponse {
    const roleArn = required(parameters, 'RoleArn', 'roleArn');
    const sessionName = required(parameters, 'RoleSessionName', 'roleSessionName');
    if (roleArn.length < 20 || roleArn.length > 2048 || !parseRoleArn(roleArn)) {
      throw validationError(roleArn, 'roleArn', 'Member must be a role ARN of the form arn:aws:iam::<12-digit account>:role/<name>');
    }
    if (sessionName.length < 2 || sessionName.length > 64) {
      throw validationError(sessionName, 'roleSessionName', 'Member must have length between 2 and 64');
    }
    if (!SESSION_NAME_PATTERN.test(sessionName)) {
      throw validationError(sessionName, 'roleSessionName', 'Member must satisfy regular expression pattern: [\\w+=,.@-]*');
    }
    const durationSeconds = durationOf(parameters);
    try {
      const issued = this.credentials.issueRoleCredentials(roleArn, {
        caller: this.credentials.callerOf(request.accessKeyId, request.account),
        sessionName,
        durationSeconds,
      });
      return respond('AssumeRole', {
        Credentials: {
          AccessKeyId: issued.accessKeyId,
          SecretAccessKey: issued.secretAccessKey,
          SessionToken: issued.sessionToken,
          Expiration: issued.expiration.toISOString(),
        },
        AssumedRoleUser: { AssumedRoleId: issued.identity.userId, Arn: issued.identity.arn },
        PackedPolicySize: 0,
      });
    } catch (error) {
      if (error instanceof RoleAccessDeniedError) {
        throw new EmulatedServiceError('AccessDenied', error.message, 403);
      }
      throw error;
    }
  }
}

/** The request's parameters: the query string, then a form-encoded body on top. */
function parametersOf(request: ServiceRequest): Map<string, string> {
  const parameters = new Map(request.query);
  const contentType = request.headers['content-type'] ?? '';
  if (request.body && (contentType === '' || contentType.startsWith('application/x-www-form-urlencoded'))) {
    for (const [key, value] of new URLSearchParams(request.body)) parameters.set(key, value);
  }
  return parameters;
}

function required(parameters: ReadonlyMap<string, string>, name: string, member: string): string {
  const value = parameters.get(name);
  if (value === undefined) {
    throw new EmulatedServiceError(
      'ValidationError',
      `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return value;
}

function durationOf(parameters: ReadonlyMap<string, string>): number {
  const text = parameters.get('DurationSeconds');
  if (text === undefined) return DEFAULT_SESSION_SECONDS;
  const seconds = Number(text);
  if (!Number.isInteger(seconds) || seconds < MIN_SESSION_SECONDS) {
    throw validationError(text, 'durationSeconds', `Member must have value greater than or equal to ${MIN_SESSION_SECONDS}`);
  }
  if (seconds > MAX_SESSION_SECONDS) {
    throw new EmulatedServiceError('ValidationError', 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
  }
  return seconds;
}

function validationError(value: string, member: string, constraint: string): EmulatedServiceError {
  return new EmulatedServiceError(
    'ValidationError',
    `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: ${constraint}`,
  );
}

function respond(operation: StsOperation, result: Record<string, unknown>): ServiceResponse {
  const body = builder.build({
    [`${operation}Response`]: {
      '@_xmlns': STS_NAMESPACE,
      [`${operation}Result`]: result,
      ResponseMetadata: { RequestId: randomUUID() },
    },
  });
  return { status: 200, headers: { 'content-type': 'text/xml' }, body };
}
