/**
 * The CloudTrail record of a Route 53 call, as EventBridge puts it on the calling account's
 * default bus (the shape of the CloudTrail User Guide's 'CloudTrail record contents', as in events/*.json).
 */
import { randomUUID } from 'node:crypto';
import type { AccountId } from '../../functions/core/types';
import type { CallerIdentity } from '../accounts';
import type { EmittedEvent } from '../types';

/** What one served call contributes to its CloudTrail record. */
export interface ApiCallRecord {
  readonly eventName: string;
  readonly account: AccountId;
  readonly caller: CallerIdentity;
  readonly time: Date;
  /** Request members, already camelCased. */
  readonly requestParameters: Record<string, unknown>;
  /** Response members, already camelCased; null where CloudTrail records none. */
  readonly responseElements: Record<string, unknown> | null;
  readonly userAgent?: string | undefined;
  readonly sourceIPAddress?: string | undefined;
}

/** Builds the EventBridge event for a successful Route 53 call. */
export function cloudTrailEvent(call: ApiCallRecord): EmittedEvent {
  const time = isoSeconds(call.time);
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'AWS API Call via CloudTrail',
    source: 'aws.route53',
    account: call.account,
    time,
    region: 'us-east-1',
    resources: [],
    detail: {
      eventVersion: '1.08',
      userIdentity: userIdentityOf(call.caller),
      eventTime: time,
      eventSource: 'route53.amazonaws.com',
      eventName: call.eventName,
      awsRegion: 'us-east-1',
      sourceIPAddress: call.sourceIPAddress ?? '127.0.0.1',
      userAgent: call.userAgent ?? 'unknown',
      requestParameters: call.requestParameters,
      responseElements: call.responseElements,
      requestID: randomUUID(),
      eventID: randomUUID(),
      readOnly: false,
      eventType: 'AwsApiCall',
      apiVersion: '2013-04-01',
      managementEvent: true,
      recipientAccountId: call.account,
      eventCategory: 'Management',
    },
  };
}

/** CloudTrail's `changeInfo.submittedAt`: a locale string such as `Sep 1, 2026 10:15:42 AM` (UTC). */
export function cloudTrailDate(date: Date): string {
  const month = date.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
  const hours = date.getUTCHours();
  const clock = [hours % 12 === 0 ? 12 : hours % 12, pad(date.getUTCMinutes()), pad(date.getUTCSeconds())].join(':');
  return `${month} ${date.getUTCDate()}, ${date.getUTCFullYear()} ${clock} ${hours < 12 ? 'AM' : 'PM'}`;
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

function isoSeconds(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

function userIdentityOf(caller: CallerIdentity): Record<string, unknown> {
  if (caller.kind === 'user') {
    return {
      type: 'IAMUser',
      principalId: caller.userId,
      arn: caller.arn,
      accountId: caller.account,
      accessKeyId: caller.accessKeyId,
      userName: caller.userName,
    };
  }
  return {
    type: 'AssumedRole',
    principalId: caller.userId,
    arn: caller.arn,
    accountId: caller.account,
    accessKeyId: caller.accessKeyId,
    sessionContext: {
      sessionIssuer: {
        type: 'Role',
        principalId: caller.roleId,
        arn: caller.roleArn,
        accountId: caller.account,
        userName: caller.roleName,
      },
      webIdFederationData: {},
      attributes: { creationDate: isoSeconds(caller.issuedAt), mfaAuthenticated: 'false' },
    },
  };
}
