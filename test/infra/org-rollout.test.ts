import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { SubzoneOrgRolloutStack } from '../../infra/lib/org-rollout-stack';
import type { SubzoneOrgRolloutProps } from '../../infra/lib/subzone-org-rollout';

const TEMPLATE_BODY = JSON.stringify({ Resources: { Topic: { Type: 'AWS::SNS::Topic' } } });
const base: SubzoneOrgRolloutProps = { templateBody: TEMPLATE_BODY, organizationalUnitIds: ['ou-ab12-cdefgh34', 'r-ab12'] };
const rollout = (props: Partial<SubzoneOrgRolloutProps> = {}) =>
  new SubzoneOrgRolloutStack(new App(), 'Rollout', { env: { region: 'us-east-1' }, ...base, ...props });

describe('SubzoneOrgRollout', () => {
  let template: Template;
  beforeAll(() => {
    template = Template.fromStack(rollout());
  });

  it('deploys the spoke template as a service-managed StackSet to the organisational units in us-east-1', () => {
    // Prepare / Act: built in beforeAll
    // Assess
    template.hasResourceProperties('AWS::CloudFormation::StackSet', {
      PermissionModel: 'SERVICE_MANAGED',
      TemplateBody: TEMPLATE_BODY,
      Capabilities: ['CAPABILITY_NAMED_IAM'],
      StackInstancesGroup: [{ DeploymentTargets: { OrganizationalUnitIds: ['ou-ab12-cdefgh34', 'r-ab12'] }, Regions: ['us-east-1'] }],
    });
  });

  it('deploys to accounts that join later and removes the spoke from accounts that leave', () => {
    // Prepare / Act: built in beforeAll
    // Assess
    template.hasResourceProperties('AWS::CloudFormation::StackSet', {
      AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
    });
  });

  it('sets explicit failure tolerance and concurrency, acting as the management account by default', () => {
    // Prepare / Act: built in beforeAll
    // Assess
    template.hasResourceProperties('AWS::CloudFormation::StackSet', {
      CallAs: 'SELF',
      OperationPreferences: { FailureToleranceCount: 2, MaxConcurrentCount: 10, ConcurrencyMode: 'SOFT_FAILURE_TOLERANCE' },
    });
  });

  it('acts as a delegated administrator when asked', () => {
    // Prepare
    const stack = rollout({ callAs: 'DELEGATED_ADMIN', failureToleranceCount: 0, maxConcurrentCount: 1 });
    // Act
    const rolled = Template.fromStack(stack);
    // Assess
    rolled.hasResourceProperties('AWS::CloudFormation::StackSet', {
      CallAs: 'DELEGATED_ADMIN',
      OperationPreferences: { FailureToleranceCount: 0, MaxConcurrentCount: 1 },
    });
  });

  it('needs no CDK bootstrap in the management account', () => {
    // Prepare
    const json = template.toJSON() as { Rules?: Record<string, unknown>; Parameters?: Record<string, unknown> };
    // Act
    const bootstrapBits = [json.Rules?.CheckBootstrapVersion, json.Parameters?.BootstrapVersion];
    // Assess
    expect(bootstrapBits).toEqual([undefined, undefined]);
  });

  it.each([
    ['callAs', { callAs: 'ADMIN' as 'SELF' }, /callAs "ADMIN"; expected "SELF" or "DELEGATED_ADMIN"/],
    ['organizationalUnitIds', { organizationalUnitIds: [] }, /organizationalUnitIds \[\]; expected at least one/],
    ['organizationalUnitIds', { organizationalUnitIds: ['o-abcdefghij'] }, /organizationalUnitIds "o-abcdefghij"; expected ou-/],
    ['failureToleranceCount', { failureToleranceCount: -1 }, /failureToleranceCount -1; expected an integer of 0 or more/],
    ['maxConcurrentCount', { maxConcurrentCount: 0 }, /maxConcurrentCount 0; expected an integer of 1 or more/],
  ])('rejects an invalid %s', (_prop, props, message) => {
    // Prepare
    const build = () => rollout(props);
    // Act / Assess
    expect(build).toThrow(message);
  });
});
