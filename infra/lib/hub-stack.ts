import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { SubzoneHub, type SubzoneHubProps } from './subzone-hub';

/** Properties of the hub stack: the hub's own. */
export interface SubzoneHubStackProps extends StackProps, SubzoneHubProps {}

/** The DNS account's stack: the hub, and the outputs the CLI and the spokes need. */
export class SubzoneHubStack extends Stack {
  public readonly hub: SubzoneHub;

  constructor(scope: Construct, id: string, props: SubzoneHubStackProps) {
    super(scope, id, props);
    this.hub = new SubzoneHub(this, 'SubzoneHub', props);
    new CfnOutput(this, 'HubEventBusArn', { value: this.hub.eventBus.eventBusArn, description: 'hubEventBusArn of the spokes' });
    new CfnOutput(this, 'WorkerRoleArn', { value: this.hub.workerRole.roleArn, description: 'hubWorkerRoleArn of the spokes' });
    new CfnOutput(this, 'WorkQueueUrl', { value: this.hub.queue.queueUrl });
    new CfnOutput(this, 'LedgerTableName', { value: this.hub.ledger.tableName });
    new CfnOutput(this, 'ControlParameterName', { value: this.hub.controlParameter.parameterName });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.hub.alarmTopic.topicArn });
    if (this.hub.operatorRole !== undefined) new CfnOutput(this, 'OperatorRoleArn', { value: this.hub.operatorRole.roleArn });
  }
}
