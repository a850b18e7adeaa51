import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ROUTE53_EVENT_PATTERN } from '../../functions/core/event-pattern';
import { SubzoneSpokeStack, renderSpokeTemplate } from '../../infra/lib/spoke-stack';
import { SubzoneSpoke, type SubzoneSpokeProps } from '../../infra/lib/subzone-spoke';
import { evaluate, policyDocumentsOfRole } from '../helpers/iam-evaluator';

const HUB_BUS_ARN = 'arn:aws:events:us-east-1:111111111111:event-bus/subzone-hub';
const WORKER_ROLE_ARN = 'arn:aws:iam::111111111111:role/subzone-worker';
const OPERATOR_ROLE_ARN = 'arn:aws:iam::111111111111:role/subzone-operator';
const props: SubzoneSpokeProps = { hubEventBusArn: HUB_BUS_ARN, hubWorkerRoleArn: WORKER_ROLE_ARN, readerRoleName: 'subzone-reader' };

type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;
let template: Template;
let resources: Resources;

function only(type: string): Record<string, unknown> {
  const found = Object.values(resources).filter((resource) => resource.Type === type);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return (found[0] as Resources[string]).Properties;
}

beforeAll(() => {
  template = Template.fromStack(new SubzoneSpokeStack(new App(), 'Spoke', { env: { region: 'us-east-1' }, ...props }));
  resources = template.toJSON().Resources as Resources;
});

describe('SubzoneSpoke forwarding rule', () => {
  it('forwards exactly the core Route 53 pattern from the default bus under the fixed rule name', () => {
    // Prepare
    const rule = only('AWS::Events::Rule');
    // Act
    const { EventPattern: pattern, Name: name, EventBusName: bus } = rule;
    // Assess
    expect(pattern).toEqual(ROUTE53_EVENT_PATTERN);
    expect(name).toBe('subzone-forward');
    expect(bus).toBeUndefined();
  });

  it('targets the hub bus through a role', () => {
    // Prepare
    const rule = only('AWS::Events::Rule');
    const roleId = Object.entries(resources).find(
      ([, resource]) => resource.Type === 'AWS::IAM::Role' && resource.Properties.RoleName === undefined,
    )?.[0];
    // Act
    const targets = rule.Targets;
    // Assess
    expect(targets).toEqual([expect.objectContaining({ Arn: HUB_BUS_ARN, RoleArn: { 'Fn::GetAtt': [roleId, 'Arn'] } })]);
  });

  it('lets the forwarder role, trusted by EventBridge, put events on exactly the hub bus', () => {
    // Prepare
    const forwarder = Object.values(resources).find(
      (resource) => resource.Type === 'AWS::IAM::Role' && resource.Properties.RoleName === undefined,
    );
    const policy = Object.values(resources).find((resource) => resource.Type === 'AWS::IAM::Policy');
    // Act
    const statements = (policy?.Properties.PolicyDocument as { Statement: unknown[] }).Statement;
    // Assess
    expect(JSON.stringify(forwarder?.Properties.AssumeRolePolicyDocument)).toContain('events.amazonaws.com');
    expect(statements).toEqual([{ Action: 'events:PutEvents', Effect: 'Allow', Resource: HUB_BUS_ARN }]);
  });

  it("lets EventBridge assume the forwarder role only for this account's forwarding rule", () => {
    // Prepare
    const forwarder = Object.values(resources).find(
      (resource) => resource.Type === 'AWS::IAM::Role' && resource.Properties.RoleName === undefined,
    );
    // Act
    const trust = JSON.stringify(forwarder?.Properties.AssumeRolePolicyDocument);
    // Assess
    expect(trust).toContain('"aws:SourceAccount"');
    expect(trust).toContain('"aws:SourceArn"');
    expect(trust).toContain(':rule/subzone-forward');
  });
});

describe('SubzoneSpoke outcome delivery', () => {
  it("lets the hub worker role put subzone's outcome events on the default bus, and no other source", () => {
    // Act
    const policy = only('AWS::Events::EventBusPolicy');

    // Assess
    expect(policy.EventBusName).toBe('default');
    expect(policy.Statement).toEqual({
      Effect: 'Allow',
      Principal: { AWS: WORKER_ROLE_ARN },
      Action: 'events:PutEvents',
      Resource: {
        'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':events:us-east-1:', { Ref: 'AWS::AccountId' }, ':event-bus/default']],
      },
      Condition: { StringEquals: { 'events:source': 'subzone' } },
    });
  });
});

describe('SubzoneSpoke reader role', () => {
  it('is named after the config and trusts only the worker role', () => {
    // Prepare
    const reader = Object.values(resources).find(
      (resource) => resource.Type === 'AWS::IAM::Role' && resource.Properties.RoleName === 'subzone-reader',
    );
    // Act
    const trust = reader?.Properties.AssumeRolePolicyDocument;
    // Assess
    expect(trust).toEqual({
      Version: '2012-10-17',
      Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { AWS: WORKER_ROLE_ARN } }],
    });
  });

  it('trusts the operator role as well when one is given', () => {
    // Prepare
    const stack = new Stack(new App(), 'WithOperator', { env: { region: 'us-east-1' } });
    // Act
    new SubzoneSpoke(stack, 'Spoke', { ...props, operatorRoleArn: OPERATOR_ROLE_ARN });
    // Assess
    const reader = Object.values(
      Template.fromStack(stack).findResources('AWS::IAM::Role', { Properties: { RoleName: 'subzone-reader' } }),
    )[0] as {
      Properties: { AssumeRolePolicyDocument: { Statement: { Action: string; Principal: { AWS: string } }[] } };
    };
    const trust = reader.Properties.AssumeRolePolicyDocument;
    expect(trust.Statement.map((statement) => [statement.Action, statement.Principal.AWS]).sort()).toEqual([
      ['sts:AssumeRole', OPERATOR_ROLE_ARN],
      ['sts:AssumeRole', WORKER_ROLE_ARN],
    ]);
  });

  it.each([
    ['route53:ListHostedZones', '*', 'allowed'],
    // Same-name siblings come from the ledger, not from a listing by name.
    ['route53:ListHostedZonesByName', '*', 'implicitly-denied'],
    ['route53:GetHostedZone', 'arn:aws:route53:::hostedzone/Z1', 'allowed'],
    ['route53:ListTagsForResources', 'arn:aws:route53:::hostedzone/Z1', 'allowed'],
    // The worker reads a zone's signing when the hub's config turns DNSSEC on.
    ['route53:GetDNSSEC', 'arn:aws:route53:::hostedzone/Z1', 'allowed'],
    // ...and whether the change that enabled signing is INSYNC, before the first DS.
    ['route53:GetChange', 'arn:aws:route53:::change/C0222EXAMPLE', 'allowed'],
    ['route53:GetChange', 'arn:aws:route53:::hostedzone/Z1', 'implicitly-denied'],
    // Only the reads the worker makes: the single-zone tag read is not among them.
    ['route53:ListTagsForResource', 'arn:aws:route53:::hostedzone/Z1', 'implicitly-denied'],
    ['route53:ChangeResourceRecordSets', 'arn:aws:route53:::hostedzone/Z1', 'implicitly-denied'],
    ['route53:ChangeTagsForResource', 'arn:aws:route53:::hostedzone/Z1', 'implicitly-denied'],
    ['route53:DeleteHostedZone', 'arn:aws:route53:::hostedzone/Z1', 'implicitly-denied'],
    ['route53:ListResourceRecordSets', 'arn:aws:route53:::hostedzone/Z1', 'implicitly-denied'],
  ])('decides %s on %s: %s', (action, resource, decision) => {
    // Prepare
    const documents = policyDocumentsOfRole(template.toJSON(), 'subzone-reader');
    // Act
    const result = evaluate(documents, { action, resource, context: {} });
    // Assess
    expect(result).toBe(decision);
  });
});

describe('SubzoneSpoke synthesis', () => {
  it('needs no CDK bootstrap: no bootstrap version rule nor parameter', () => {
    // Prepare
    const spokeTemplate = template.toJSON() as { Rules?: Record<string, unknown>; Parameters?: Record<string, unknown> };
    // Act
    const bootstrapBits = [spokeTemplate.Rules?.CheckBootstrapVersion, spokeTemplate.Parameters?.BootstrapVersion];
    // Assess
    expect(bootstrapBits).toEqual([undefined, undefined]);
  });

  it('renders its template as a JSON string for a StackSet', () => {
    // Prepare / Act
    const body = JSON.parse(renderSpokeTemplate({ env: { region: 'us-east-1' }, ...props })) as { Resources: Resources };
    // Assess
    expect(
      Object.values(body.Resources)
        .map((resource) => resource.Type)
        .sort(),
    ).toEqual(['AWS::Events::EventBusPolicy', 'AWS::Events::Rule', 'AWS::IAM::Policy', 'AWS::IAM::Role', 'AWS::IAM::Role']);
  });
});

describe('SubzoneSpoke validation', () => {
  const spokeIn =
    (region: string | undefined, overrides: Partial<SubzoneSpokeProps> = {}) =>
    () =>
      new SubzoneSpoke(new Stack(new App(), 'Stack', region === undefined ? {} : { env: { region } }), 'Spoke', { ...props, ...overrides });

  it('rejects a stack region other than us-east-1', () => {
    // Prepare
    const build = spokeIn('eu-west-1');
    // Act / Assess
    expect(build).toThrow(/stack region "eu-west-1"; expected us-east-1/);
  });

  it('accepts a stack whose region is not known at synth time', () => {
    // Prepare
    const build = spokeIn(undefined);
    // Act / Assess
    expect(build).not.toThrow();
  });

  it.each([
    ['hubEventBusArn', { hubEventBusArn: 'subzone-hub' }, /hubEventBusArn "subzone-hub"; expected an event bus ARN/],
    ['hubEventBusArn', { hubEventBusArn: 'arn:aws:events:eu-west-1:111111111111:event-bus/subzone-hub' }, /expected a bus in us-east-1/],
    ['hubWorkerRoleArn', { hubWorkerRoleArn: 'subzone-worker' }, /hubWorkerRoleArn "subzone-worker"; expected a role ARN/],
    ['operatorRoleArn', { operatorRoleArn: 'arn:aws:iam::1:role/x' }, /operatorRoleArn "arn:aws:iam::1:role\/x"; expected a role ARN/],
    ['readerRoleName', { readerRoleName: 'bad name!' }, /readerRoleName "bad name!"; expected an IAM role name/],
  ])('rejects an invalid %s', (_prop, overrides, message) => {
    // Prepare
    const build = spokeIn('us-east-1', overrides);
    // Act / Assess
    expect(build).toThrow(message);
  });
});
