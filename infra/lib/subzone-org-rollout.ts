import { Token } from 'aws-cdk-lib';
import * as cloudformation from 'aws-cdk-lib/aws-cloudformation';
import { Construct } from 'constructs';
import { SUBZONE_REGION } from './constants';
import { InvalidPropError } from './errors';

/** Who the StackSet acts as: the management account itself, or a registered delegated administrator. */
export type StackSetCallAs = 'SELF' | 'DELEGATED_ADMIN';

/** Properties of the organisation rollout, deployed in the management or a delegated-administrator account. */
export interface SubzoneOrgRolloutProps {
  /** The synthesized spoke template (SubzoneSpokeStack), as a JSON string. */
  readonly templateBody: string;
  /** Organisational units (or the root, `r-...`) whose accounts get the spoke, now and when they join. */
  readonly organizationalUnitIds: readonly string[];
  /** Whether the management account acts itself or as a CloudFormation delegated administrator. @default 'SELF' */
  readonly callAs?: StackSetCallAs;
  /** Accounts whose deployment may fail before CloudFormation stops the operation in that region. @default 2 */
  readonly failureToleranceCount?: number;
  /** Accounts deployed at once. @default 10 */
  readonly maxConcurrentCount?: number;
  /** Name of the StackSet. @default 'subzone-spoke' */
  readonly stackSetName?: string;
}

const OU_OR_ROOT = /^(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|r-[0-9a-z]{4,32})$/;

/**
 * A service-managed StackSet that deploys the spoke to every account of the given
 * organisational units, in us-east-1, automatically for accounts that join later.
 * StackSets never deploy to the management account: deploy SubzoneSpokeStack there directly.
 */
export class SubzoneOrgRollout extends Construct {
  public readonly stackSet: cloudformation.CfnStackSet;

  constructor(scope: Construct, id: string, props: SubzoneOrgRolloutProps) {
    super(scope, id);
    const callAs = props.callAs ?? 'SELF';
    const failureToleranceCount = props.failureToleranceCount ?? 2;
    const maxConcurrentCount = props.maxConcurrentCount ?? 10;
    if (!['SELF', 'DELEGATED_ADMIN'].includes(callAs)) {
      throw new InvalidPropError('SubzoneOrgRollout', 'callAs', callAs, '"SELF" or "DELEGATED_ADMIN"');
    }
    if (props.organizationalUnitIds.length === 0) {
      throw new InvalidPropError(
        'SubzoneOrgRollout',
        'organizationalUnitIds',
        props.organizationalUnitIds,
        'at least one organisational unit id (ou-...) or the root id (r-...)',
      );
    }
    for (const ou of props.organizationalUnitIds) {
      if (!Token.isUnresolved(ou) && !OU_OR_ROOT.test(ou)) {
        throw new InvalidPropError(
          'SubzoneOrgRollout',
          'organizationalUnitIds',
          ou,
          'ou-<4 to 32 of 0-9a-z>-<8 to 32 of a-z0-9>, or the root r-<4 to 32 of 0-9a-z>',
        );
      }
    }
    if (!Number.isInteger(failureToleranceCount) || failureToleranceCount < 0) {
      throw new InvalidPropError('SubzoneOrgRollout', 'failureToleranceCount', failureToleranceCount, 'an integer of 0 or more');
    }
    if (!Number.isInteger(maxConcurrentCount) || maxConcurrentCount < 1) {
      throw new InvalidPropError('SubzoneOrgRollout', 'maxConcurrentCount', maxConcurrentCount, 'an integer of 1 or more');
    }

    this.stackSet = new cloudformation.CfnStackSet(this, 'StackSet', {
      stackSetName: props.stackSetName ?? 'subzone-spoke',
      description: 'subzone spoke: forwards Route 53 events to the hub and lets the hub worker read hosted zones',
      permissionModel: 'SERVICE_MANAGED',
      callAs,
      // The spoke creates named IAM roles (the reader role's name is part of the contract).
      capabilities: ['CAPABILITY_NAMED_IAM'],
      autoDeployment: {
        enabled: true,
        // An account that leaves the organisation loses its spoke: its reader role would
        // otherwise keep trusting the hub from outside the organisation. Its delegations are
        // then unreadable, so the worker treats them as dangling suspects (docs/concepts.md).
        retainStacksOnAccountRemoval: false,
      },
      managedExecution: { Active: true },
      operationPreferences: {
        failureToleranceCount,
        maxConcurrentCount,
        // Concurrency is not capped by the failure tolerance; a failure only stops new starts.
        concurrencyMode: 'SOFT_FAILURE_TOLERANCE',
        regionConcurrencyType: 'SEQUENTIAL',
      },
      stackInstancesGroup: [{ deploymentTargets: { organizationalUnitIds: [...props.organizationalUnitIds] }, regions: [SUBZONE_REGION] }],
      templateBody: props.templateBody,
    });
  }
}
