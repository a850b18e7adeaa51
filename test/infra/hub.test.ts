import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Duration, Errors, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { matchesPattern, validatePattern } from '../../emulator/eventbridge/pattern';
import { LEDGER_ATTRIBUTE_DEFINITIONS, LEDGER_KEY_SCHEMA } from '../../functions/adapters/ledger-table';
import { OUTCOME_SOURCE, ROUTE53_EVENT_PATTERN } from '../../functions/core/event-pattern';
import type { OutcomeDetailType } from '../../functions/core/types';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../../functions/adapters/observability';
import type { SubzoneConfigInput } from '../../functions/core/config-schema';
import type { SubzoneConfig } from '../../functions/core/types';
import { BUNDLED_CONFIG_FILE_NAME } from '../../functions/worker/bundled-config';
import { SubzoneHub } from '../../infra/lib/subzone-hub';
import { WORKER_BUNDLE } from '../../infra/lib/worker-bundling';
import { WORKER_RUNTIME } from '../../infra/lib/worker-function';
import { HUB_ENV, ORGANIZATION_ID, buildHubStack, rawConfig, testConfig } from './fixtures';

type Resources = Record<
  string,
  { Type: string; Properties: Record<string, unknown>; DeletionPolicy?: string; UpdateReplacePolicy?: string }
>;

let stack: Stack;
let template: Template;
let resources: Resources;

function onlyResource(type: string): { Properties: Record<string, unknown>; DeletionPolicy?: string; UpdateReplacePolicy?: string } {
  const found = Object.values(resources).filter((resource) => resource.Type === type);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0] as Resources[string];
}

function logicalIdOf(type: string, match: (properties: Record<string, unknown>) => boolean): string {
  const entry = Object.entries(resources).find(([, resource]) => resource.Type === type && match(resource.Properties ?? {}));
  if (entry === undefined) throw new Error(`no ${type} matching`);
  return entry[0];
}

beforeAll(() => {
  stack = buildHubStack({ operatorPrincipal: new iam.AccountPrincipal('999999999999') });
  template = Template.fromStack(stack);
  resources = template.toJSON().Resources as Resources;
});

describe('SubzoneHub bus and hub rule', () => {
  it('names the hub bus subzone-hub', () => {
    // Prepare / Act: the stack is built once in beforeAll
    // Assess
    template.hasResourceProperties('AWS::Events::EventBus', { Name: 'subzone-hub' });
  });

  it('admits only rule deliveries of aws.route53 events from the spoke rule of the organisation', () => {
    // Prepare / Act: built in beforeAll
    // Assess
    template.hasResourceProperties('AWS::Events::EventBusPolicy', {
      Statement: {
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: 'events:PutEvents',
        Condition: {
          StringEquals: { 'aws:PrincipalOrgID': ORGANIZATION_ID, 'events:source': 'aws.route53' },
          Bool: { 'events:eventBusInvocation': 'true' },
          ArnLike: { 'aws:SourceArn': 'arn:aws:events:us-east-1:*:rule/subzone-forward' },
        },
      },
    });
  });

  it('matches exactly the core Route 53 pattern on the hub bus', () => {
    // Prepare
    const rule = onlyResource('AWS::Events::Rule');
    // Act
    const pattern = rule.Properties.EventPattern;
    // Assess
    expect(pattern).toEqual(ROUTE53_EVENT_PATTERN);
    expect(rule.Properties.EventBusName).toEqual({ Ref: logicalIdOf('AWS::Events::EventBus', () => true) });
  });

  it('sends matched events to the work queue with a retry policy and a dead-letter queue', () => {
    // Prepare
    const queueId = logicalIdOf('AWS::SQS::Queue', (properties) => properties.RedrivePolicy !== undefined);
    // Act
    const rule = onlyResource('AWS::Events::Rule');
    // Assess
    expect(rule.Properties.Targets).toEqual([
      expect.objectContaining({
        Arn: { 'Fn::GetAtt': [queueId, 'Arn'] },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [expect.stringMatching(/DeliveryDeadLetterQueue/), 'Arn'] } },
        RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86400 },
      }),
    ]);
  });

  it.each<OutcomeDetailType>([
    'Delegation Created',
    'Delegation Updated',
    'Delegation Removed',
    'Delegation Rejected',
    'Delegation Suspect',
    'Delegation Removal Pending',
    'Sweep Completed',
  ])('never feeds the outcome event %s back into the hub rule', (detailType) => {
    // Prepare
    const pattern: unknown = onlyResource('AWS::Events::Rule').Properties.EventPattern;
    validatePattern(pattern);
    const outcome = {
      source: OUTCOME_SOURCE,
      'detail-type': detailType,
      account: '111111111111',
      region: 'us-east-1',
      detail: { account: '222222222222', zoneId: 'Z1', name: 'foo.example.com', reason: 'test', applied: true },
    };
    // Act
    const matched = matchesPattern(pattern, outcome);
    // Assess
    expect(matched).toBe(false);
  });

  it.each([
    ['create-hosted-zone.json', true],
    ['create-hosted-zone-error-code.json', false],
    ['other-source.json', false],
  ])('matches the sample event %s: %s', (file, expected) => {
    // Prepare
    const pattern: unknown = onlyResource('AWS::Events::Rule').Properties.EventPattern;
    validatePattern(pattern);
    const event: unknown = JSON.parse(fs.readFileSync(path.join(__dirname, '../../events', file), 'utf8'));
    // Act
    const matched = matchesPattern(pattern, event);
    // Assess
    expect(matched).toBe(expected);
  });
});

describe('SubzoneHub queues', () => {
  it('encrypts every queue with SSE-SQS, never a KMS key', () => {
    // Prepare
    const queues = Object.values(resources).filter((resource) => resource.Type === 'AWS::SQS::Queue');
    // Act
    const settings = queues.map((queue) => [queue.Properties.SqsManagedSseEnabled, queue.Properties.KmsMasterKeyId]);
    // Assess
    expect(queues).toHaveLength(3);
    expect(settings).toEqual([
      [true, undefined],
      [true, undefined],
      [true, undefined],
    ]);
  });

  it('redrives the work queue to its dead-letter queue after at least 5 receives', () => {
    // Prepare
    const dlqId = logicalIdOf(
      'AWS::SQS::Queue',
      (properties) => properties.RedrivePolicy === undefined && properties.MessageRetentionPeriod === 1209600,
    );
    // Act
    const workQueue = Object.values(resources).find(
      (resource) => resource.Type === 'AWS::SQS::Queue' && resource.Properties.RedrivePolicy !== undefined,
    );
    // Assess
    const redrive = workQueue?.Properties.RedrivePolicy as { maxReceiveCount: number; deadLetterTargetArn: unknown };
    expect(redrive.maxReceiveCount).toBeGreaterThanOrEqual(5);
    expect(redrive.deadLetterTargetArn).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^SubzoneHubDeadLetterQueue/), 'Arn'] });
    expect(dlqId).toBeDefined();
  });

  it('keeps the visibility timeout at least six times the worker timeout', () => {
    // Prepare
    const workQueue = Object.values(resources).find(
      (resource) => resource.Type === 'AWS::SQS::Queue' && resource.Properties.RedrivePolicy !== undefined,
    );
    // Act
    const timeout = onlyResource('AWS::Lambda::Function').Properties.Timeout as number;
    // Assess
    expect(workQueue?.Properties.VisibilityTimeout as number).toBeGreaterThanOrEqual(6 * timeout);
  });

  it('refuses plain-HTTP access to the queues', () => {
    // Prepare / Act: built in beforeAll
    // Assess
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      },
    });
  });
});

describe('SubzoneHub worker', () => {
  it('runs on arm64 with the newest Node.js runtime, a minute of timeout and explicit memory', () => {
    // Prepare / Act: built in beforeAll
    // Assess
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Timeout: 60,
      MemorySize: 512,
      Handler: 'index.handler',
    });
  });

  it('sets every environment variable the worker reads', () => {
    // Prepare
    const fn = onlyResource('AWS::Lambda::Function');
    // Act
    const variables = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    // Assess
    expect(Object.keys(variables).sort()).toEqual([
      'CONTROL_PARAMETER_NAME',
      'HUB_EVENT_BUS_NAME',
      'LEASE_TTL_SECONDS',
      'LEDGER_TABLE_NAME',
      'NODE_OPTIONS',
      'POWERTOOLS_METRICS_NAMESPACE',
      'POWERTOOLS_SERVICE_NAME',
      'ROUTE53_REQUESTS_PER_SECOND',
      'WORKER_MAX_CONCURRENCY',
      'WORK_QUEUE_URL',
    ]);
    expect(variables).toMatchObject({
      NODE_OPTIONS: '--enable-source-maps',
      POWERTOOLS_SERVICE_NAME: 'subzone',
      POWERTOOLS_METRICS_NAMESPACE: 'Subzone',
      ROUTE53_REQUESTS_PER_SECOND: '5',
      WORKER_MAX_CONCURRENCY: '2',
      LEASE_TTL_SECONDS: '180',
      CONTROL_PARAMETER_NAME: { Ref: expect.any(String) },
    });
  });

  it('never sets reserved concurrency', () => {
    // Prepare
    const fn = onlyResource('AWS::Lambda::Function');
    // Act
    const reserved = fn.Properties.ReservedConcurrentExecutions;
    // Assess
    expect(reserved).toBeUndefined();
  });

  it('caps concurrency on the event source mapping, with batching and partial batch responses', () => {
    // Prepare / Act: built in beforeAll
    // Assess
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: 2,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 2 },
    });
  });

  it('logs to its own log group with a retention', () => {
    // Prepare
    const logGroupId = logicalIdOf('AWS::Logs::LogGroup', () => true);
    // Act
    const fn = onlyResource('AWS::Lambda::Function');
    // Assess
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
    expect(fn.Properties.LoggingConfig).toMatchObject({ LogGroup: { Ref: logGroupId }, LogFormat: 'JSON' });
  });

  it('runs as the fixed role subzone-worker, retained on deletion', () => {
    // Prepare
    const roleId = logicalIdOf('AWS::IAM::Role', (properties) => properties.RoleName === 'subzone-worker');
    // Act
    const role = resources[roleId];
    // Assess
    expect(role?.DeletionPolicy).toBe('Retain');
    expect(role?.UpdateReplacePolicy).toBe('Retain');
    expect(onlyResource('AWS::Lambda::Function').Properties.Role).toEqual({ 'Fn::GetAtt': [roleId, 'Arn'] });
  });

  function workerBundle(): { dir: string; code: string } {
    const assembly = (stack.node.root as App).synth();
    const code = onlyResource('AWS::Lambda::Function').Properties.Code as { S3Key: string };
    const dir = path.join(assembly.directory, `asset.${code.S3Key.replace(/\.zip$/, '')}`);
    return { dir, code: fs.readFileSync(path.join(dir, 'index.js'), 'utf8') };
  }

  it('bundles the worker as CommonJS with source maps and the SDK inside', () => {
    // Prepare / Act
    const bundle = workerBundle();
    // Assess
    expect(fs.existsSync(path.join(bundle.dir, 'index.js.map'))).toBe(true);
    // Error messages in the SDK quote `[require("@aws-sdk/...")]`; only real loads matter.
    expect(/(?<!\[)\brequire\(\s*["']@aws-sdk\/|\bfrom\s*["']@aws-sdk\/|\bimport\s*\(\s*["']@aws-sdk\//.test(bundle.code)).toBe(false);
    expect(bundle.code.includes('AWSDnsV20130401')).toBe(true);
  });

  it('writes the config prop, parsed, into the worker asset', () => {
    // Prepare / Act
    const bundle = workerBundle();
    // Assess
    expect(JSON.parse(fs.readFileSync(path.join(bundle.dir, BUNDLED_CONFIG_FILE_NAME), 'utf8'))).toEqual(testConfig());
  });

  it('gives each config its own worker asset, carrying that config', () => {
    // Prepare
    const other = rawConfig([{ name: 'other.example.com', accounts: ['555555555555'] }]) as SubzoneConfigInput;
    const otherStack = buildHubStack({ config: other });
    // Act
    const assembly = (otherStack.node.root as App).synth();
    const code = Template.fromStack(otherStack).toJSON().Resources as Resources;
    const key = (Object.values(code).find((resource) => resource.Type === 'AWS::Lambda::Function')?.Properties.Code as { S3Key: string })
      .S3Key;
    const carried = JSON.parse(
      fs.readFileSync(path.join(assembly.directory, `asset.${key.replace(/\.zip$/, '')}`, BUNDLED_CONFIG_FILE_NAME), 'utf8'),
    ) as SubzoneConfig;
    // Assess
    expect(key).not.toBe((onlyResource('AWS::Lambda::Function').Properties.Code as { S3Key: string }).S3Key);
    expect(carried.rules.map((rule) => rule.name)).toContain('other.example.com');
  });

  it('ships a bundle that delegates a tagged zone when run against the emulator', () => {
    // Prepare
    const bundle = workerBundle();
    const script = path.join(__dirname, '..', 'helpers', 'run-worker-bundle.ts');
    // Act: in a process of its own, as Lambda loads it.
    const run = spawnSync(process.execPath, ['--import', 'tsx', script, bundle.dir], {
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
    // Assess
    const result = JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}') as { ns?: Array<{ name: string; ttl: number }>; error?: string };
    expect(result.error).toBeUndefined();
    expect(result.ns?.map((record) => [record.name, record.ttl])).toEqual([
      ['example.com.', 172800],
      ['foo.example.com.', 3600],
    ]);
  });

  it('bundles the environment credential provider instead of the default chain (size: see npm run bench)', () => {
    // Prepare / Act
    const bundle = workerBundle();
    // Assess: the SSO provider's profile key would be there if the default chain were bundled.
    expect(bundle.code.includes('sso_start_url')).toBe(false);
    expect(bundle.code.includes('AWS_SECRET_ACCESS_KEY')).toBe(true);
  });

  it('bundles with the shared options: for the runtime it runs on, the SSM client and full zod left out, no legal comments', () => {
    // Prepare / Act
    const bundle = workerBundle();
    // Assess: the SSM client's error names, classic zod's toJSONSchema and esbuild's licence block would show.
    expect(WORKER_RUNTIME.name).toBe(`nodejs${WORKER_BUNDLE.target.replace('node', '')}.x`);
    expect(bundle.code.includes('ParameterVersionLabelLimitExceeded')).toBe(false);
    expect(bundle.code.includes('toJSONSchema')).toBe(false);
    expect(bundle.code.includes('Bundled license information')).toBe(false);
  });
});

describe('SubzoneHub ledger, schedule and controls', () => {
  it('builds the ledger with the shared key schema, on demand, with PITR, deletion protection and encryption', () => {
    // Prepare / Act: built in beforeAll
    // Assess
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [...LEDGER_KEY_SCHEMA],
      AttributeDefinitions: [...LEDGER_ATTRIBUTE_DEFINITIONS],
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
      SSESpecification: { SSEEnabled: true },
      TimeToLiveSpecification: { AttributeName: 'expiresAtEpoch', Enabled: true },
    });
  });

  it('retains the ledger when the stack goes', () => {
    // Prepare
    const table = onlyResource('AWS::DynamoDB::Table');
    // Act
    const policies = [table.DeletionPolicy, table.UpdateReplacePolicy];
    // Assess
    expect(policies).toEqual(['Retain', 'Retain']);
  });

  it('asks for a sweep every 15 minutes by sending the sweep request to the work queue', () => {
    // Prepare
    const schedule = onlyResource('AWS::Scheduler::Schedule');
    const queueId = logicalIdOf('AWS::SQS::Queue', (properties) => properties.RedrivePolicy !== undefined);
    // Act
    const target = schedule.Properties.Target as { Arn: unknown; Input: string; DeadLetterConfig: unknown };
    // Assess
    expect(schedule.Properties.ScheduleExpression).toBe('rate(15 minutes)');
    expect(target.Arn).toEqual({ 'Fn::GetAtt': [queueId, 'Arn'] });
    expect(JSON.parse(target.Input)).toEqual({
      subzone: 'sweep',
      version: 1,
      requestedAt: '<aws.scheduler.scheduled-time>',
    });
    expect(target.DeadLetterConfig).toEqual({ Arn: { 'Fn::GetAtt': [expect.stringMatching(/DeliveryDeadLetterQueue/), 'Arn'] } });
  });

  it('creates the control parameter with writes allowed and no holds', () => {
    // Prepare
    const parameter = onlyResource('AWS::SSM::Parameter');
    // Act
    const value: unknown = JSON.parse(parameter.Properties.Value as string);
    // Assess
    expect(parameter.Properties.Name).toBe('/subzone/controls');
    expect(value).toEqual({ writesPaused: false, holds: [] });
  });
});

describe('SubzoneHub alarms and dashboard', () => {
  const alarmsByName = (): Record<string, Record<string, unknown>> =>
    Object.fromEntries(
      Object.values(resources)
        .filter((resource) => resource.Type === 'AWS::CloudWatch::Alarm')
        .map((resource) => [resource.Properties.AlarmName as string, resource.Properties]),
    );

  it('raises one alarm per failure mode', () => {
    // Prepare / Act
    const names = Object.keys(alarmsByName()).sort();
    // Assess
    expect(names).toEqual(
      [
        'DanglingSuspects',
        'DeadLetterQueueNotEmpty',
        'DelegationOccluded',
        'DelegationRejected',
        'DeliveryDeadLetterQueueNotEmpty',
        'HubRuleFailedInvocations',
        'HubRuleInvocationsSentToDlq',
        'OldestMessageTooOld',
        'ReconcileErrors',
        'RemovalBudgetHit',
        'SweepHeartbeatMissing',
        'WorkerErrors',
      ].map((name) => `subzone-${name}`),
    );
  });

  it.each([
    ['subzone-SweepHeartbeatMissing', 'Subzone', 'SweepCompleted', 'LessThanThreshold', 'breaching'],
    ['subzone-DanglingSuspects', 'Subzone', 'DanglingSuspects', 'GreaterThanOrEqualToThreshold', 'ignore'],
    ['subzone-RemovalBudgetHit', 'Subzone', 'RemovalBudgetHit', 'GreaterThanOrEqualToThreshold', 'notBreaching'],
    ['subzone-ReconcileErrors', 'Subzone', 'ReconcileError', 'GreaterThanOrEqualToThreshold', 'notBreaching'],
    ['subzone-DelegationRejected', 'Subzone', 'DelegationRejected', 'GreaterThanOrEqualToThreshold', 'notBreaching'],
    ['subzone-DelegationOccluded', 'Subzone', 'DelegationOccluded', 'GreaterThanThreshold', 'notBreaching'],
    ['subzone-HubRuleFailedInvocations', 'AWS/Events', 'FailedInvocations', 'GreaterThanOrEqualToThreshold', 'notBreaching'],
    // EventBridge spells it InvocationsSentToDlq; metric names are case-sensitive.
    ['subzone-HubRuleInvocationsSentToDlq', 'AWS/Events', 'InvocationsSentToDlq', 'GreaterThanOrEqualToThreshold', 'notBreaching'],
    ['subzone-WorkerErrors', 'AWS/Lambda', 'Errors', 'GreaterThanOrEqualToThreshold', 'notBreaching'],
    ['subzone-DeadLetterQueueNotEmpty', 'AWS/SQS', 'ApproximateNumberOfMessagesVisible', 'GreaterThanOrEqualToThreshold', 'notBreaching'],
    ['subzone-OldestMessageTooOld', 'AWS/SQS', 'ApproximateAgeOfOldestMessage', 'GreaterThanThreshold', 'notBreaching'],
  ])('alarm %s watches %s %s (%s, missing data %s)', (name, namespace, metric, comparison, missing) => {
    // Prepare
    const alarm = alarmsByName()[name];
    // Act
    const watched = [alarm?.Namespace, alarm?.MetricName, alarm?.ComparisonOperator, alarm?.TreatMissingData];
    // Assess
    expect(watched).toEqual([namespace, metric, comparison, missing]);
  });

  it('asks for the service dimension the worker publishes its metrics with', () => {
    // Prepare
    const subzoneAlarms = Object.values(alarmsByName()).filter((alarm) => alarm.Namespace === METRICS_NAMESPACE);
    // Act
    const dimensions = subzoneAlarms.map((alarm) => alarm.Dimensions);
    // Assess
    expect(subzoneAlarms).toHaveLength(6);
    for (const found of dimensions) expect(found).toEqual([{ Name: 'service', Value: SERVICE_NAME }]);
  });

  it('sends every alarm and its recovery to the alarm topic', () => {
    // Prepare
    const topicId = logicalIdOf('AWS::SNS::Topic', () => true);
    // Act
    const alarms = Object.values(alarmsByName());
    // Assess
    for (const alarm of alarms) {
      expect(alarm.AlarmActions).toEqual([{ Ref: topicId }]);
      expect(alarm.OKActions).toEqual([{ Ref: topicId }]);
    }
  });

  it('makes the alarm topic SSL-only', () => {
    // Prepare / Act: built in beforeAll
    // Assess
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      },
    });
  });

  it("lets CloudWatch, and only this account's subzone alarms, publish to the alarm topic", () => {
    // Prepare / Act: built in beforeAll
    // Assess
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
            Condition: Match.objectLike({ StringEquals: { 'aws:SourceAccount': Match.anyValue() } }),
          }),
        ]),
      },
    });
  });

  it('creates the worker only once its Route 53 write policy is attached', () => {
    // Prepare
    const policyId = logicalIdOf('AWS::IAM::ManagedPolicy', () => true);
    // Act
    const dependsOn = (resources[logicalIdOf('AWS::Lambda::Function', () => true)] as { DependsOn?: string[] }).DependsOn ?? [];
    // Assess
    expect(dependsOn).toContain(policyId);
  });

  it('draws a dashboard of the flow', () => {
    // Prepare / Act: built in beforeAll
    // Assess
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'subzone' });
  });
});

describe('SubzoneHub metrics and grants', () => {
  it('alarms on any occluded delegation in five minutes', () => {
    // Prepare / Act
    const alarm = Object.values(resources).find(
      (resource) => resource.Type === 'AWS::CloudWatch::Alarm' && resource.Properties.AlarmName === 'subzone-DelegationOccluded',
    );
    // Assess
    expect(alarm?.Properties).toMatchObject({
      Statistic: 'Sum',
      Period: 300,
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 1,
    });
  });

  it.each([
    ['metricDelegationOccluded', 'DelegationOccluded', 'Sum'],
    ['metricDelegationCreated', 'DelegationCreated', 'Sum'],
    ['metricDanglingSuspects', 'DanglingSuspects', 'Maximum'],
    ['metricSweepCompleted', 'SweepCompleted', 'Sum'],
  ] as const)('%s reads the worker metric %s (%s) with its service dimension', (method, metricName, statistic) => {
    // Prepare
    const hub = (stack as unknown as { hub: SubzoneHub }).hub;
    // Act
    const metric = hub[method]();
    // Assess
    expect([metric.namespace, metric.metricName, metric.statistic, metric.dimensions]).toEqual([
      METRICS_NAMESPACE,
      metricName,
      statistic,
      { service: SERVICE_NAME },
    ]);
  });

  it("grants a principal of the user's read-only access for the CLI, and returns the grant", () => {
    // Prepare
    const hubStack = new Stack(new App(), 'Granted', { env: HUB_ENV });
    const hub = new SubzoneHub(hubStack, 'Hub', { config: testConfig(), organizationId: ORGANIZATION_ID });
    const role = new iam.Role(hubStack, 'Auditor', { assumedBy: new iam.AccountPrincipal('999999999999') });
    // Act
    const grant = hub.grantOperatorRead(role);
    // Assess
    expect(grant.success).toBe(true);
    const roleId = hubStack.getLogicalId(role.node.defaultChild as iam.CfnRole);
    Template.fromStack(hubStack).hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: roleId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: ['route53:GetHostedZone', 'route53:ListResourceRecordSets'] }),
          Match.objectLike({ Action: 'route53:GetChange', Resource: 'arn:aws:route53:::change/*' }),
          Match.objectLike({
            Action: 'sts:AssumeRole',
            Resource: 'arn:aws:iam::*:role/subzone-reader',
            Condition: { StringEquals: { 'aws:ResourceOrgID': ORGANIZATION_ID } },
          }),
        ]),
      },
    });
  });
});

describe('SubzoneHub operator role', () => {
  it('creates a read-only operator role with the fixed name when asked', () => {
    // Prepare
    const roleId = logicalIdOf('AWS::IAM::Role', (properties) => properties.RoleName === 'subzone-operator');
    // Act
    const actions = Object.values(resources)
      .filter((resource) => resource.Type === 'AWS::IAM::Policy' && JSON.stringify(resource.Properties.Roles).includes(roleId))
      .flatMap((resource) =>
        (resource.Properties.PolicyDocument as { Statement: { Action: string | string[] }[] }).Statement.flatMap(
          (statement) => statement.Action,
        ),
      );
    // Assess
    expect(actions.length).toBeGreaterThan(0);
    expect(actions.filter((action) => !/:(Get|List|Query|Scan|Describe|AssumeRole|BatchGet|ConditionCheck)/.test(action))).toEqual([]);
  });
});

describe('SubzoneHub validation', () => {
  const hubIn =
    (props: Partial<ConstructorParameters<typeof SubzoneHub>[2]>, region = 'us-east-1'): (() => SubzoneHub) =>
    () =>
      new SubzoneHub(new Stack(new App(), 'Stack', { env: { ...HUB_ENV, region } }), 'Hub', {
        config: testConfig(),
        organizationId: ORGANIZATION_ID,
        ...props,
      });

  it.each([
    ['organizationId', { organizationId: 'o-short' }, /organizationId "o-short"; expected o- followed by 10 to 32/],
    ['maxReceiveCount', { maxReceiveCount: 3 }, /maxReceiveCount 3; expected an integer from 5 to 1000/],
    ['maxConcurrency', { maxConcurrency: 1 }, /maxConcurrency 1; expected an integer from 2 to 1000/],
    [
      'route53RequestsPerSecond',
      { maxConcurrency: 10 },
      /route53RequestsPerSecond 5; expected at least maxConcurrency \(10\): one request per second for each worker instance/,
    ],
    ['workerTimeout', { workerTimeout: Duration.minutes(20) }, /workerTimeout 1200; expected an integer from 10 to 900 seconds/],
    ['sweepInterval', { sweepInterval: Duration.minutes(1) }, /sweepInterval 1; expected an integer from 5 to 720 minutes/],
    [
      'batchSize',
      { batchSize: 50, maxBatchingWindow: Duration.seconds(0) },
      /batchSize 50; expected at most 10 when maxBatchingWindow is 0/,
    ],
  ])('rejects an invalid %s', (_prop, props, message) => {
    // Prepare
    const build = hubIn(props);
    // Act / Assess
    expect(build).toThrow(message);
  });

  it.each([
    ['an unknown key', { ...rawConfig(), colour: 'blue' }, /colour: unknown key/],
    ['a rule outside every parent zone', rawConfig([{ name: 'foo.example.org', accounts: ['555555555555'] }]), /rules\[2\]/],
  ])("rejects a config with %s with a ValidationError at the hub's path", (_what, config, message) => {
    // Prepare
    const build = hubIn({ config: config as SubzoneConfigInput });
    // Act
    let thrown: unknown;
    try {
      build();
    } catch (error) {
      thrown = error;
    }
    // Assess
    expect(Errors.isValidationError(thrown)).toBe(true);
    expect((thrown as Error).message).toMatch(message);
    expect((thrown as { constructPath?: string }).constructPath).toBe('Stack/Hub');
  });

  it('rejects a region other than us-east-1', () => {
    // Prepare
    const build = hubIn({}, 'eu-west-1');
    // Act / Assess
    expect(build).toThrow(/stack region "eu-west-1"; expected us-east-1/);
  });

  it('uses a given alarm topic instead of creating one', () => {
    // Prepare
    const app = new App();
    const topicStack = new Stack(app, 'Topics', { env: HUB_ENV });
    const topic = new sns.Topic(topicStack, 'Mine');
    // Act
    const hubStack = buildHubStackIn(app, topic);
    // Assess
    Template.fromStack(hubStack).resourceCountIs('AWS::SNS::Topic', 0);
  });
});

function buildHubStackIn(app: App, alarmTopic: sns.ITopic): Stack {
  const hubStack = new Stack(app, 'WithTopic', { env: HUB_ENV });
  new SubzoneHub(hubStack, 'Hub', { config: testConfig(), organizationId: ORGANIZATION_ID, alarmTopic });
  return hubStack;
}
