/**
 * Drives aws-cdk-lib's own `CrossAccountZoneDelegationRecord` handler, the file shipped in
 * node_modules, unchanged, as CloudFormation would: one `Create` event per delegation (one
 * stack each), a fixed number of stacks in flight, the handler's own SDK clients with their
 * default retries. A handler that throws fails its stack; CloudFormation does not retry it.
 *
 * The handler builds its Route 53 client per event with `fromTemporaryCredentials`: an
 * AssumeRole into the parent account through STS, then one UPSERT of the NS record. Both
 * clients take their endpoint from AWS_ENDPOINT_URL, so pointing the process at the emulator
 * is enough.
 */
import { dirname, join } from 'node:path';
import type { CloudFormationCustomResourceCreateEvent } from 'aws-lambda';
import type { AccountId, ZoneId } from '../functions/core/types';

/** Where aws-cdk-lib ships the handler (the `index.js` its custom resource provider deploys). */
const CDK_HANDLER_PATH = join(
  dirname(require.resolve('aws-cdk-lib')),
  'custom-resource-handlers',
  'dist',
  'aws-route53',
  'cross-account-zone-delegation-handler',
  'index.js',
);

/** The NS TTL `CrossAccountZoneDelegationRecord` uses unless told otherwise (2 days). */
const CDK_DEFAULT_TTL_SECONDS = 172_800;

/** The role the construct's stacks assume in the parent account (created by `grantDelegation`'s caller). */
function delegationRoleArn(parentAccount: AccountId): string {
  return `arn:aws:iam::${parentAccount}:role/cdk-cross-account-zone-delegation`;
}

/** One delegation as a child stack declares it. */
export interface CdkDelegation {
  readonly zoneName: string;
  readonly nameServers: readonly string[];
}

/** What happened to one stack. */
export interface CdkStackOutcome {
  readonly zoneName: string;
  readonly startedAt: number;
  readonly endedAt: number;
  /** The error the handler threw (the stack failed), if any. */
  readonly error?: string;
}

type CdkHandler = (event: CloudFormationCustomResourceCreateEvent) => Promise<unknown>;

/** Loads the handler module (its own `require`s of the SDK resolve from aws-cdk-lib's place, as in Lambda's runtime). */
export function loadCdkHandler(): CdkHandler {
  const module = require(CDK_HANDLER_PATH) as { handler: CdkHandler };
  return module.handler;
}

/** The `Create` event CloudFormation sends for one `CrossAccountZoneDelegationRecord`. */
function createEvent(
  delegation: CdkDelegation,
  parentAccount: AccountId,
  parentZoneId: ZoneId,
  index: number,
): CloudFormationCustomResourceCreateEvent {
  const stackId = `arn:aws:cloudformation:us-east-1:${parentAccount}:stack/delegation-${index}/00000000-0000-0000-0000-${String(index).padStart(12, '0')}`;
  return {
    RequestType: 'Create',
    ServiceToken: 'arn:aws:lambda:us-east-1:000000000000:function:cross-account-zone-delegation-provider',
    ResponseURL: 'https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/unused',
    StackId: stackId,
    RequestId: `request-${index}`,
    LogicalResourceId: 'DelegationRecord',
    ResourceType: 'Custom::CrossAccountZoneDelegation',
    ResourceProperties: {
      ServiceToken: 'arn:aws:lambda:us-east-1:000000000000:function:cross-account-zone-delegation-provider',
      AssumeRoleArn: delegationRoleArn(parentAccount),
      ParentZoneId: parentZoneId,
      DelegatedZoneName: delegation.zoneName,
      DelegatedZoneNameServers: [...delegation.nameServers],
      TTL: CDK_DEFAULT_TTL_SECONDS,
    },
  };
}

/**
 * Runs one stack per delegation, `inFlight` at a time, each stack's handler invoked once.
 * Resolves when every stack has succeeded or failed.
 */
export async function runCdkStacks(
  handler: CdkHandler,
  delegations: readonly CdkDelegation[],
  options: { readonly parentAccount: AccountId; readonly parentZoneId: ZoneId; readonly inFlight: number },
): Promise<CdkStackOutcome[]> {
  const outcomes: CdkStackOutcome[] = [];
  let next = 0;
  const stackRunner = async (): Promise<void> => {
    while (next < delegations.length) {
      const index = next++;
      const delegation = delegations[index] as CdkDelegation;
      const startedAt = Date.now();
      try {
        await handler(createEvent(delegation, options.parentAccount, options.parentZoneId, index));
        outcomes.push({ zoneName: delegation.zoneName, startedAt, endedAt: Date.now() });
      } catch (error) {
        outcomes.push({
          zoneName: delegation.zoneName,
          startedAt,
          endedAt: Date.now(),
          error: error instanceof Error ? error.name : String(error),
        });
      }
    }
  };
  await Promise.all(Array.from({ length: options.inFlight }, stackRunner));
  return outcomes;
}
