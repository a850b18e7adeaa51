import { Annotations, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { LEDGER_ATTRIBUTE_DEFINITIONS, LEDGER_KEY_SCHEMA, LEDGER_TTL_ATTRIBUTE } from '../../functions/adapters/ledger-table';
import { OUTCOME_SOURCE } from '../../functions/core/event-pattern';
import { accountsInAllowlist } from '../../functions/core/rules';
import { SUBZONE_MESSAGE_VERSION } from '../../functions/core/sweep-messages';
import type { SubzoneConfig } from '../../functions/core/types';
import {
  CONTROL_PARAMETER_NAME,
  HUB_EVENT_BUS_NAME,
  INITIAL_CONTROLS,
  METRICS_NAMESPACE,
  ORGANIZATION_ID_PATTERN,
  SPOKE_RULE_NAME,
  SUBZONE_REGION,
  WORKER_ROLE_NAME,
} from './constants';
import { InvalidPropError } from './errors';
import { route53EventPattern } from './event-pattern';
import { SubzoneHubMonitoring } from './hub-monitoring';
import { acknowledge } from './nag';
import { DEFAULT_POLICY_SIZE_BUDGET, MANAGED_POLICY_SIZE_LIMIT, hostedZoneArn, route53WritePolicy } from './route53-write-policy';
import { createWorkerFunction } from './worker-function';

/** Properties of the hub, deployed once in the DNS account, us-east-1. */
export interface SubzoneHubProps {
  /** The validated config (config-schema.ts `parseConfig`); the worker's IAM is derived from it. */
  readonly config: SubzoneConfig;
  /** The organisation whose accounts may put events on the hub bus, `o-` and 10 to 32 of a-z 0-9. */
  readonly organizationId: string;
  /** Topic for alarm notifications. @default - a new topic, SSL-only */
  readonly alarmTopic?: sns.ITopic;
  /** Topic for the alarms that page (dangling suspects). @default - the alarm topic */
  readonly pagingTopic?: sns.ITopic;
  /** How often EventBridge Scheduler asks for a sweep, 5 minutes to 12 hours. @default Duration.minutes(15) */
  readonly sweepInterval?: Duration;
  /** The worker's timeout, long enough for a cold reconcile, 10 s to 15 minutes. @default Duration.seconds(60) */
  readonly workerTimeout?: Duration;
  /** The worker's memory, 128 to 10240 MB. @default 512 */
  readonly workerMemorySize?: number;
  /**
   * Most concurrent worker instances, set on the event source mapping (never as reserved
   * concurrency, which would throttle and push messages into the DLQ), 2 to 1000.
   * @default 2
   */
  readonly maxConcurrency?: number;
  /** Messages per worker invocation, 1 to 100. @default 10 */
  readonly batchSize?: number;
  /** How long the event source gathers a batch, 0 to 300 s. @default Duration.seconds(5) */
  readonly maxBatchingWindow?: Duration;
  /**
   * Route 53 requests per second each worker instance allows itself (its token bucket).
   * The hub account's quota is shared with every concurrent instance and other tools.
   * @default 5
   */
  readonly route53RequestsPerSecond?: number;
  /** Receives before a message goes to the dead-letter queue, at least 5. @default 5 */
  readonly maxReceiveCount?: number;
  /** Age of the oldest queued message that raises an alarm. @default Duration.minutes(30) */
  readonly maxMessageAge?: Duration;
  /** Retention of the worker's logs. @default logs.RetentionDays.THREE_MONTHS */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Who may assume the read-only operator role used by the `subzone` CLI (its spoke reads
   * go through the reader roles, which then trust it too). @default - no operator role
   */
  readonly operatorPrincipal?: iam.IPrincipal;
  /**
   * Size, in characters, above which the rendered names of a parent zone are collapsed to
   * `*.<parent>` (with a synth warning), at most the managed policy limit of 6144.
   * @default 5120
   */
  readonly policySizeBudget?: number;
}

/** Fixed name of the optional operator role, so spokes can trust it by ARN. */
export const OPERATOR_ROLE_NAME = 'subzone-operator';

function checkRange(prop: string, value: number, min: number, max: number, unit = ''): void {
  if (Token.isUnresolved(value)) return;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new InvalidPropError('SubzoneHub', prop, value, `an integer from ${min} to ${max}${unit}`);
  }
}

/**
 * The hub of subzone (DESIGN §1, §7, §8): the bus that receives the spokes' Route 53
 * events, the queue, the worker, the ledger, the sweep schedule, the kill switch, the
 * alarms and the dashboard, with the worker's IAM derived from the config.
 */
export class SubzoneHub extends Construct {
  public readonly eventBus: events.EventBus;
  public readonly hubRule: events.Rule;
  public readonly queue: sqs.Queue;
  public readonly deadLetterQueue: sqs.Queue;
  /** Where the hub rule and the sweep schedule put what they could not deliver. */
  public readonly deliveryDeadLetterQueue: sqs.Queue;
  public readonly worker: lambda.IFunction;
  public readonly workerRole: iam.Role;
  public readonly ledger: dynamodb.Table;
  public readonly controlParameter: ssm.StringParameter;
  public readonly alarmTopic: sns.ITopic;
  public readonly monitoring: SubzoneHubMonitoring;
  public readonly operatorRole?: iam.Role;

  constructor(scope: Construct, id: string, props: SubzoneHubProps) {
    super(scope, id);
    if (!Token.isUnresolved(props.organizationId) && !ORGANIZATION_ID_PATTERN.test(props.organizationId)) {
      throw new InvalidPropError('SubzoneHub', 'organizationId', props.organizationId, 'o- followed by 10 to 32 of a-z 0-9, e.g. o-a1b2c3d4e5');
    }
    const region = Stack.of(this).region;
    if (!Token.isUnresolved(region) && region !== SUBZONE_REGION) {
      throw new InvalidPropError('SubzoneHub', 'stack region', region, `${SUBZONE_REGION}: Route 53 events reach EventBridge only there`);
    }
    const sweepInterval = props.sweepInterval ?? Duration.minutes(15);
    const workerTimeout = props.workerTimeout ?? Duration.seconds(60);
    const maxBatchingWindow = props.maxBatchingWindow ?? Duration.seconds(5);
    const memorySize = props.workerMemorySize ?? 512;
    const maxConcurrency = props.maxConcurrency ?? 2;
    const batchSize = props.batchSize ?? 10;
    const requestsPerSecond = props.route53RequestsPerSecond ?? 5;
    const maxReceiveCount = props.maxReceiveCount ?? 5;
    const policySizeBudget = props.policySizeBudget ?? DEFAULT_POLICY_SIZE_BUDGET;
    checkRange('sweepInterval', sweepInterval.toMinutes(), 5, 720, ' minutes');
    checkRange('workerTimeout', workerTimeout.toSeconds(), 10, 900, ' seconds');
    checkRange('maxBatchingWindow', maxBatchingWindow.toSeconds(), 0, 300, ' seconds');
    checkRange('workerMemorySize', memorySize, 128, 10240, ' MB');
    checkRange('maxConcurrency', maxConcurrency, 2, 1000);
    checkRange('batchSize', batchSize, 1, 100);
    checkRange('route53RequestsPerSecond', requestsPerSecond, 1, 50);
    checkRange('maxReceiveCount', maxReceiveCount, 5, 1000);
    checkRange('policySizeBudget', policySizeBudget, 1, MANAGED_POLICY_SIZE_LIMIT);
    if (batchSize > 10 && maxBatchingWindow.toSeconds() === 0) {
      throw new InvalidPropError('SubzoneHub', 'batchSize', batchSize, 'at most 10 when maxBatchingWindow is 0 (an SQS event source limit)');
    }

    // Queues: SSE-SQS, because EventBridge cannot send to a queue under the AWS-managed KMS key.
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', { encryption: sqs.QueueEncryption.SQS_MANAGED, enforceSSL: true, retentionPeriod: Duration.days(14) });
    this.deliveryDeadLetterQueue = new sqs.Queue(this, 'DeliveryDeadLetterQueue', { encryption: sqs.QueueEncryption.SQS_MANAGED, enforceSSL: true, retentionPeriod: Duration.days(14) });
    this.queue = new sqs.Queue(this, 'WorkQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // AWS's advice for Lambda event sources: six times the function timeout, plus the batching window.
      visibilityTimeout: Duration.seconds(workerTimeout.toSeconds() * 6 + maxBatchingWindow.toSeconds()),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount },
    });
    for (const dlq of [this.deadLetterQueue, this.deliveryDeadLetterQueue]) {
      acknowledge(dlq, [
        { id: 'AwsSolutions-SQS3', reason: 'This is a dead-letter queue; an alarm fires as soon as it holds a message.' },
        { id: 'Serverless-SQSRedrivePolicy', reason: 'This is a dead-letter queue; an alarm fires as soon as it holds a message.' },
      ]);
    }

    // The hub bus admits only Route 53 events forwarded by the spoke rules of the organisation.
    this.eventBus = new events.EventBus(this, 'EventBus', { eventBusName: HUB_EVENT_BUS_NAME, description: 'subzone: Route 53 events from the organisation, and subzone outcome events' });
    this.eventBus.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'OrganisationSpokeRulesOnly',
        principals: [new iam.AnyPrincipal()],
        actions: ['events:PutEvents'],
        resources: [this.eventBus.eventBusArn],
        conditions: {
          StringEquals: { 'aws:PrincipalOrgID': props.organizationId, 'events:source': 'aws.route53' },
          Bool: { 'events:eventBusInvocation': 'true' },
          ArnLike: { 'aws:SourceArn': `arn:aws:events:${SUBZONE_REGION}:*:rule/${SPOKE_RULE_NAME}` },
        },
      }),
    );
    this.hubRule = new events.Rule(this, 'HubRule', {
      eventBus: this.eventBus,
      ruleName: 'subzone-route53',
      description: 'subzone: Route 53 hosted-zone events to the work queue',
      eventPattern: route53EventPattern(),
      targets: [new targets.SqsQueue(this.queue, { deadLetterQueue: this.deliveryDeadLetterQueue, retryAttempts: 185, maxEventAge: Duration.hours(24) })],
    });

    this.ledger = new dynamodb.Table(this, 'Ledger', {
      partitionKey: keyAttribute('HASH'),
      sortKey: keyAttribute('RANGE'),
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      timeToLiveAttribute: LEDGER_TTL_ATTRIBUTE,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.controlParameter = new ssm.StringParameter(this, 'Controls', {
      parameterName: CONTROL_PARAMETER_NAME,
      description: 'subzone kill switch and name holds: {"writesPaused":bool,"holds":[names],"setBy":"who and why"}',
      stringValue: JSON.stringify(INITIAL_CONTROLS),
    });

    // A fixed name, retained on deletion: every spoke's reader role trusts this ARN.
    this.workerRole = new iam.Role(this, 'WorkerRole', {
      roleName: WORKER_ROLE_NAME,
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'subzone worker: writes NS delegations into the parent zones the config names',
    });
    this.workerRole.applyRemovalPolicy(RemovalPolicy.RETAIN);
    const logGroup = new logs.LogGroup(this, 'WorkerLogs', { retention: props.logRetention ?? logs.RetentionDays.THREE_MONTHS });
    logGroup.grantWrite(this.workerRole);

    const worker = createWorkerFunction(this, 'Worker', {
      role: this.workerRole,
      logGroup,
      timeout: workerTimeout,
      memorySize,
      environment: {
        LEDGER_TABLE_NAME: this.ledger.tableName,
        HUB_EVENT_BUS_NAME: this.eventBus.eventBusName,
        WORK_QUEUE_URL: this.queue.queueUrl,
        CONTROL_PARAMETER_NAME: this.controlParameter.parameterName,
        ROUTE53_REQUESTS_PER_SECOND: String(requestsPerSecond),
        // A lease must outlive any invocation that holds it (DESIGN §2).
        LEASE_TTL_SECONDS: String(Math.max(180, workerTimeout.toSeconds() * 3)),
        POWERTOOLS_SERVICE_NAME: 'subzone',
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
      },
    });
    worker.addEventSource(new sources.SqsEventSource(this.queue, { batchSize, maxBatchingWindow, reportBatchItemFailures: true, maxConcurrency }));
    this.worker = worker;
    acknowledge(worker, [
      { id: 'Serverless-LambdaDLQ', reason: 'The worker is fed by an SQS event source; the work queue has its own dead-letter queue (redrive policy).' },
      { id: 'Serverless-LambdaAsyncFailureDestination', reason: 'The worker is never invoked asynchronously: only the SQS event source mapping invokes it.' },
      { id: 'Serverless-LambdaTracing', reason: 'The worker reports through structured logs and embedded metrics; it carries no tracer, so X-Ray would show one segment.' },
    ]);
    acknowledge(this, [
      { id: 'Serverless-LambdaEventSourceMappingDestination', reason: 'SQS event source mappings take no on-failure destination; the work queue redrives to its dead-letter queue.' },
    ]);

    // The queue may feed the worker as soon as it exists: the write policy must be attached first.
    worker.node.addDependency(this.grantWorker(props, policySizeBudget));

    new scheduler.Schedule(this, 'SweepSchedule', {
      description: 'subzone: ask the worker for a sweep of every account',
      schedule: scheduler.ScheduleExpression.rate(sweepInterval),
      target: new schedulerTargets.SqsSendMessage(this.queue, {
        input: scheduler.ScheduleTargetInput.fromObject({
          subzone: 'sweep',
          version: SUBZONE_MESSAGE_VERSION,
          // The worker derives the sweep id from the scheduled time, so a redelivered request
          // keeps it; Scheduler documents its placeholders as whole values only.
          requestedAt: scheduler.ContextAttribute.scheduledTime,
        }),
        deadLetterQueue: this.deliveryDeadLetterQueue,
        retryAttempts: 3,
        maxEventAge: sweepInterval,
      }),
    });

    this.alarmTopic = props.alarmTopic ?? this.createAlarmTopic();
    this.monitoring = new SubzoneHubMonitoring(this, 'Monitoring', {
      worker,
      queue: this.queue,
      deadLetterQueue: this.deadLetterQueue,
      deliveryDeadLetterQueue: this.deliveryDeadLetterQueue,
      eventBusName: this.eventBus.eventBusName,
      hubRuleName: this.hubRule.ruleName,
      alarmTopic: this.alarmTopic,
      pagingTopic: props.pagingTopic ?? this.alarmTopic,
      sweepInterval,
      maxMessageAge: props.maxMessageAge ?? Duration.minutes(30),
    });

    if (props.operatorPrincipal !== undefined) this.operatorRole = this.createOperatorRole(props, props.operatorPrincipal);
  }

  /** Least privilege for the worker, derived from the config (DESIGN §7). */
  /** Grants the worker role what the worker calls; returns the parent-zone write policy. */
  private grantWorker(props: SubzoneHubProps, policySizeBudget: number): iam.ManagedPolicy {
    const { config } = props;
    const writes = route53WritePolicy(config, policySizeBudget);
    for (const zone of writes.collapsedZones) {
      Annotations.of(this).addWarningV2(
        'subzone:iam-names-collapsed',
        `The allowlisted names of parent zone ${zone} would push the worker's Route 53 policy past ${policySizeBudget} characters; IAM now allows NS creation anywhere below ${zone} (the worker still enforces the allowlist).`,
      );
    }
    if (writes.size > MANAGED_POLICY_SIZE_LIMIT) {
      throw new InvalidPropError('SubzoneHub', 'config.parentZones', config.parentZones.length, `few enough parent zones that the worker's Route 53 policy fits in ${MANAGED_POLICY_SIZE_LIMIT} characters even collapsed (it needs ${writes.size})`);
    }
    const writesPolicy = new iam.ManagedPolicy(this, 'ParentZoneWrites', {
      description: 'subzone worker: NS delegations in the configured parent zones, at the allowlisted names',
      roles: [this.workerRole],
      statements: [...writes.statements],
    });

    const parentZoneArns = config.parentZones.map((parent) => hostedZoneArn(parent.hostedZoneId));
    const role = this.workerRole;
    role.addToPolicy(new iam.PolicyStatement({ sid: 'ReadParentZones', actions: ['route53:GetHostedZone', 'route53:ListResourceRecordSets'], resources: parentZoneArns }));
    role.addToPolicy(this.assumeReaderStatement(props));
    this.ledger.grant(role, 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:Query', 'dynamodb:Scan');
    this.eventBus.grantPutEventsTo(role);
    // Outcome events also go to each allowlisted account's own default bus (its spoke admits them).
    const childBuses = [...accountsInAllowlist(config)].sort().map((account) => `arn:aws:events:${SUBZONE_REGION}:${account}:event-bus/default`);
    if (childBuses.length > 0) {
      role.addToPolicy(new iam.PolicyStatement({
        sid: 'DeliverOutcomesToChildren',
        actions: ['events:PutEvents'],
        resources: childBuses,
        conditions: { StringEquals: { 'events:source': OUTCOME_SOURCE } },
      }));
    }
    this.queue.grantSendMessages(role);
    role.addToPolicy(new iam.PolicyStatement({ sid: 'ReadControls', actions: ['ssm:GetParameter'], resources: [this.controlParameter.parameterArn] }));

    const readerArn = `Resource::arn:aws:iam::*:role/${config.readerRoleName}`;
    acknowledge(role, [
      { id: `AwsSolutions-IAM5[${readerArn}]`, reason: 'The reader role exists in every account of the organisation; aws:ResourceOrgID limits it to the organisation.' },
      { id: 'Serverless-StarPermissions', reason: 'Only the reader roles across the organisation are a wildcard, explained on AwsSolutions-IAM5.' },
    ]);
    return writesPolicy;
  }

  private assumeReaderStatement(props: SubzoneHubProps): iam.PolicyStatement {
    return new iam.PolicyStatement({
      sid: 'AssumeReaderRoles',
      actions: ['sts:AssumeRole'],
      resources: [`arn:aws:iam::*:role/${props.config.readerRoleName}`],
      conditions: { StringEquals: { 'aws:ResourceOrgID': props.organizationId } },
    });
  }

  private createAlarmTopic(): sns.Topic {
    const topic = new sns.Topic(this, 'AlarmTopic', { displayName: 'subzone alarms', enforceSSL: true });
    // enforceSSL writes a topic policy, which replaces SNS's default: CloudWatch needs its own Allow.
    const stack = Stack.of(this);
    topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowSubzoneAlarms',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: { 'aws:SourceArn': `arn:${stack.partition}:cloudwatch:${stack.region}:${stack.account}:alarm:subzone-*` },
        },
      }),
    );
    acknowledge(topic, [
      { id: 'AwsSolutions-SNS2', reason: 'Alarm notifications carry no secrets, and CloudWatch cannot publish to a topic under the AWS-managed SNS key; pass alarmTopic to use a customer-managed key.' },
    ]);
    return topic;
  }

  /** Read-only access for the `subzone` CLI: parent zones, ledger, controls, reader roles. */
  private createOperatorRole(props: SubzoneHubProps, principal: iam.IPrincipal): iam.Role {
    const role = new iam.Role(this, 'OperatorRole', { roleName: OPERATOR_ROLE_NAME, assumedBy: principal, description: 'subzone operator (CLI): read-only' });
    role.addToPolicy(new iam.PolicyStatement({ sid: 'ReadParentZones', actions: ['route53:GetHostedZone', 'route53:ListResourceRecordSets'], resources: props.config.parentZones.map((parent) => hostedZoneArn(parent.hostedZoneId)) }));
    role.addToPolicy(this.assumeReaderStatement(props));
    this.ledger.grant(role, 'dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan');
    role.addToPolicy(new iam.PolicyStatement({ sid: 'ReadControls', actions: ['ssm:GetParameter'], resources: [this.controlParameter.parameterArn] }));
    acknowledge(role, [
      { id: `AwsSolutions-IAM5[Resource::arn:aws:iam::*:role/${props.config.readerRoleName}]`, reason: 'The reader role exists in every account of the organisation; aws:ResourceOrgID limits it to the organisation.' },
    ]);
    return role;
  }
}

function keyAttribute(keyType: 'HASH' | 'RANGE'): dynamodb.Attribute {
  const key = LEDGER_KEY_SCHEMA.find((element) => element.KeyType === keyType);
  const definition = LEDGER_ATTRIBUTE_DEFINITIONS.find((element) => element.AttributeName === key?.AttributeName);
  if (key?.AttributeName === undefined || definition?.AttributeType !== 'S') {
    throw new Error(`ledger-table.ts: expected a string ${keyType} key, got ${JSON.stringify(key)} / ${JSON.stringify(definition)}`);
  }
  return { name: key.AttributeName, type: dynamodb.AttributeType.STRING };
}
