/**
 * The seam between the emulator's HTTP front door (server.ts) and the services behind it.
 * Each service speaks its real wire protocol; the front door resolves the calling account
 * from the SigV4 credential, applies faults, quotas and counters, and routes the request.
 */
import type { AccountId } from '../functions/core/types';

export type ServiceName = 'route53' | 'sts' | 'events' | 'sqs' | 'ssm';

export interface ServiceRequest {
  /** The account the caller's credentials act in. */
  readonly account: AccountId;
  readonly accessKeyId: string;
  readonly method: string;
  /** Path without the query string. */
  readonly path: string;
  readonly query: URLSearchParams;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface ServiceResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** An error a service answers with, rendered in the service's own protocol. */
export class EmulatedServiceError extends Error {
  constructor(
    public readonly code: string,
    message: string,
    public readonly status: number = 400,
  ) {
    super(message);
    this.name = 'EmulatedServiceError';
  }
}

/** A CloudTrail-shaped EventBridge event, as AWS puts it on the calling account's default bus. */
export interface EmittedEvent {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': string;
  readonly source: string;
  readonly account: AccountId;
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: Record<string, unknown>;
}

export interface EmulatedService {
  readonly name: ServiceName;
  /** The operation a request calls (e.g. `ChangeResourceRecordSets`), for counters and faults. */
  operationOf(request: ServiceRequest): string;
  handle(request: ServiceRequest): Promise<ServiceResponse>;
  /** Renders an error (a fault, a quota refusal, an EmulatedServiceError) in this protocol. */
  renderError(error: EmulatedServiceError): ServiceResponse;
}
