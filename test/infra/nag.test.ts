// cdk-nag reads CfnEventBusPolicy#principal, which aws-cdk-lib reports as deprecated on every read.
process.env.JSII_DEPRECATED = 'quiet';

import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { applyNagPacks, subzoneNagPacks } from '../../infra/lib/nag-packs';
import { SubzoneOrgRolloutStack } from '../../infra/lib/org-rollout-stack';
import { SubzoneSpokeStack, renderSpokeTemplate } from '../../infra/lib/spoke-stack';
import { SubzoneHubStack } from '../../infra/lib/hub-stack';
import { HUB_ENV, ORGANIZATION_ID, testConfig } from './fixtures';

const spokeProps = {
  env: { region: 'us-east-1' },
  hubEventBusArn: 'arn:aws:events:us-east-1:111111111111:event-bus/subzone-hub',
  hubWorkerRoleArn: 'arn:aws:iam::111111111111:role/subzone-worker',
  operatorRoleArn: 'arn:aws:iam::111111111111:role/subzone-operator',
};
const stacks: Record<string, Stack> = {};

beforeAll(() => {
  const app = new App();
  stacks.hub = new SubzoneHubStack(app, 'Hub', {
    env: HUB_ENV,
    config: testConfig(),
    organizationId: ORGANIZATION_ID,
    operatorPrincipal: new iam.AccountPrincipal('111111111111'),
  });
  stacks.spoke = new SubzoneSpokeStack(app, 'Spoke', spokeProps);
  stacks.rollout = new SubzoneOrgRolloutStack(app, 'Rollout', {
    env: { region: 'us-east-1' },
    templateBody: renderSpokeTemplate(spokeProps),
    organizationalUnitIds: ['ou-ab12-cdefgh34'],
  });
});

describe('cdk-nag', () => {
  it.each(['hub', 'spoke', 'rollout'])('finds nothing unacknowledged in the %s stack (AwsSolutions and Serverless)', (name) => {
    // Prepare
    const stack = stacks[name] as Stack;
    // Act
    const findings = subzoneNagPacks().flatMap((pack) =>
      pack
        .validateScope(stack)
        .violations.map(
          (violation) =>
            `${violation.severity} ${violation.ruleName} at ${violation.violatingResources.map((resource) => resource.constructPath).join(', ')}`,
        ),
    );
    // Assess
    expect(findings).toEqual([]);
  });

  it('reports a finding in a stack that breaks a rule (control for the checks above)', () => {
    // Prepare
    const stack = new Stack(new App(), 'Control');
    new sqs.Queue(stack, 'PlainQueue', { encryption: sqs.QueueEncryption.UNENCRYPTED });
    // Act
    const rules = subzoneNagPacks().flatMap((pack) => pack.validateScope(stack).violations.map((violation) => violation.ruleName));
    // Assess
    expect(rules).toEqual(expect.arrayContaining(['AwsSolutions-SQS3', 'AwsSolutions-SQS4', 'Serverless-SQSRedrivePolicy']));
  });

  it('fails the synthesis of an app with an unacknowledged finding once the packs are applied', () => {
    // Prepare
    const app = new App();
    new sqs.Queue(new Stack(app, 'Control'), 'PlainQueue', { encryption: sqs.QueueEncryption.UNENCRYPTED });
    applyNagPacks(app);
    // Act
    const synth = () => app.synth();
    // Assess
    expect(synth).toThrow(/AwsSolutions-SQS4/);
  });

  it('gives a reason for every acknowledgement', () => {
    // Prepare
    const acknowledgements = Object.values(stacks).flatMap((stack) =>
      stack.node.findAll().flatMap((construct) => construct.node.metadata.filter((entry) => entry.type === 'aws:cdk:acknowledged-rules')),
    );
    // Act
    const reasons = acknowledgements.flatMap((entry) => Object.values(entry.data as Record<string, unknown>));
    // Assess
    expect(reasons.length).toBeGreaterThan(0);
    for (const reason of reasons) expect(JSON.stringify(reason)).toMatch(/[a-z]{4,}.*[a-z]{4,}/);
  });
});
