import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { OPERATOR_ROLE_NAME } from './constants';
import { acknowledge } from './nag';
import { SubzoneHub, type SubzoneHubProps } from './subzone-hub';

/** Properties of the hub stack: the hub's own, and who may use the `subzone` CLI. */
export interface SubzoneHubStackProps extends StackProps, SubzoneHubProps {
  /**
   * Who may assume the read-only operator role `subzone-operator`, which the stack creates
   * and grants `grantOperatorRead` (spokes trust it through `operatorRoleArn`).
   * @default - no operator role
   */
  readonly operatorPrincipal?: iam.IPrincipal;
}

/** The DNS account's stack: the hub, an optional operator role, and the outputs the CLI and the spokes need. */
export class SubzoneHubStack extends Stack {
  public readonly hub: SubzoneHub;
  /** The read-only role of the `subzone` CLI, when `operatorPrincipal` is given. */
  public readonly operatorRole?: iam.IRole;

  constructor(scope: Construct, id: string, props: SubzoneHubStackProps) {
    super(scope, id, props);
    this.hub = new SubzoneHub(this, 'SubzoneHub', props);
    new CfnOutput(this, 'HubEventBusArn', { value: this.hub.eventBus.eventBusArn, description: 'hubEventBusArn of the spokes' });
    new CfnOutput(this, 'WorkerRoleArn', { value: this.hub.workerRole.roleArn, description: 'hubWorkerRoleArn of the spokes' });
    new CfnOutput(this, 'WorkQueueUrl', { value: this.hub.queue.queueUrl });
    new CfnOutput(this, 'LedgerTableName', { value: this.hub.ledger.tableName });
    new CfnOutput(this, 'ControlParameterName', { value: this.hub.controlParameter.parameterName });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.hub.alarmTopic.topicArn });
    if (props.operatorPrincipal !== undefined) {
      const role = new iam.Role(this, 'OperatorRole', {
        roleName: OPERATOR_ROLE_NAME,
        assumedBy: props.operatorPrincipal,
        description: 'subzone operator (CLI): read-only',
      });
      this.hub.grantOperatorRead(role);
      acknowledge(role, [
        {
          id: `AwsSolutions-IAM5[Resource::arn:aws:iam::*:role/${this.hub.config.readerRoleName}]`,
          reason: 'The reader role exists in every account of the organisation; aws:ResourceOrgID limits it to the organisation.',
        },
      ]);
      this.operatorRole = role;
      new CfnOutput(this, 'OperatorRoleArn', { value: role.roleArn });
    }
  }
}
