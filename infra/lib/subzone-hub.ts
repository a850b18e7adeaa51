import { Annotations, Duration, RemovalPolicy, Stack, Token, ValidationError } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
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
import { parseConfig, type SubzoneConfigInput } from '../../functions/core/config-schema';
import { ConfigError } from '../../functions/core/errors';
import { requestsPerEnvironment } from '../../functions/adapters/rate-limiter';
import {
  HUB_RULE_NAME,
  SERVICE_NAME,
  WORKER_MAX_CONCURRENCY_VARIABLE,
  WORKER_TIMEOUT_SECONDS_DEFAULT,
} from '../../functions/core/contract';
import type { SubzoneConfig } from '../../functions/core/types';
import {
  CONTROL_PARAMETER_NAME,
  DEFAULT_BATCH_SIZE,
  DEFAULT_MAX_BATCHING_WINDOW_SECONDS,
  HUB_EVENT_BUS_NAME,
  INITIAL_CONTROLS,
  METRICS_NAMESPACE,
  ORGANIZATION_ID_PATTERN,
  SPOKE_RULE_NAME,
  SUBZONE_REGION,
  WORKER_FUNCTION_NAME,
  WORKER_ROLE_NAME,
} from './constants';
import { InvalidPropError } from './errors';
import { route53EventPattern } from './event-pattern';
import { SubzoneHubMonitoring, subzoneMetric, type SubzoneMetricName } from './hub-monitoring';
import { acknowledge } from './nag';
import {
  DEFAULT_POLICY_SIZE_BUDGET,
  MANAGED_POLICY_SIZE_LIMIT,
  hostedZoneArn,
  route53WritePolicy,
  sourceFunctionCondition,
} from './route53-write-policy';
import { createWorkerFunction } from './worker-function';

/** Properties of the hub, deployed once in the DNS account, us-east-1. */
export interface SubzoneHubProps {
  /**
   * The config, as the config file holds it (`loadConfigFile(path)` reads one). It is
   * validated when the hub is created: a bad config fails synth with a ValidationError
   * naming the field. The worker's asset carries exactly this config and its write policy is
   * rendered from it, so the two cannot disagree.
   */
  readonly config: SubzoneConfigInput | SubzoneConfig;
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
  /**
   * Messages per worker invocation, 1 to 100: larger batches mean fewer parent reads and change
   * batches per change (docs/benchmarks.md). @default 100
   */
  readonly batchSize?: number;
  /**
   * How long the event source gathers a batch, 0 to 300 s: the most a lone event waits before
   * the worker sees it, against fewer, fuller invocations. @default Duration.seconds(2)
   */
  readonly maxBatchingWindow?: Duration;
  /**
   * Route 53 requests per second the whole worker allows itself in the hub account, all its
   * concurrent instances together: each instance takes the whole number share of
   * route53RequestsPerSecond / maxConcurrency, so this must be at least maxConcurrency.
   * The rest of the account's quota is left to other tools.
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
   * Size, in characters, above which the rendered names of a parent zone are collapsed to
   * `*.<parent>` (with a synth warning), at most the managed policy limit of 6144.
   * @default 5120
   */
  readonly policySizeBudget?: number;
}

function checkRange(prop: string, value: number, min: number, max: number, unit = ''): void {
  if (Token.isUnresolved(value)) return;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new InvalidPropError('SubzoneHub', prop, value, `an integer from ${min} to ${max}${unit}`);
  }
}

/** The CDK brands the error's name as a literal; this one is. */
const INVALID_CONFIG = 'SubzoneInvalidConfig' as ConstructorParameters<typeof ValidationError>[0];

/** Parses the config prop; a bad one is a ValidationError naming each field, at this construct's path. */
function validConfig(scope: Construct, raw: SubzoneHubProps['config']): SubzoneConfig {
  try {
    const { config, warnings } = parseConfig(raw);
    for (const warning of warnings) Annotations.of(scope).addWarningV2('subzone:config', warning);
    return config;
  } catch (error) {
    if (error instanceof ConfigError) throw new ValidationError(INVALID_CONFIG, `SubzoneHub: ${error.message}`, scope);
    throw error;
  }
}

/**
 * The hub of subzone, deployed once in the DNS account (docs/concepts.md): the bus that
 * receives the spokes' Route 53 events, the queue, the worker, the ledger, the sweep
 * schedule, the kill switch, the alarms and the dashboard, with the worker's IAM derived
 * from the config.
 */
export class SubzoneHub extends Construct {
  /** The config in canonical form, defaults filled in: what the worker runs. */
  public readonly config: SubzoneConfig;
  /** The hub bus: the spokes' Route 53 events arrive here, subzone's outcome events leave from here. */
  public readonly eventBus: events.IEventBus;
  /** The rule that sends the spokes' Route 53 events to the work queue. */
  public readonly hubRule: events.IRule;
  /** The worker's queue: events, sweep requests and requests from the `subzone` CLI. */
  public readonly queue: sqs.IQueue;
  /** Where messages the worker failed `maxReceiveCount` times wait for a person. */
  public readonly deadLetterQueue: sqs.IQueue;
  /** Where the hub rule and the sweep schedule put what they could not deliver. */
  public readonly deliveryDeadLetterQueue: sqs.IQueue;
  /** The worker function, named `subzone-worker`. */
  public readonly worker: lambda.IFunction;
  /** The worker's role, named `subzone-worker`: every spoke's reader role trusts it. */
  public readonly workerRole: iam.IRole;
  /** The ledger: what subzone wrote, who owns each name, the accounts' leases. */
  public readonly ledger: dynamodb.ITable;
  /** The kill switch and the name holds, as JSON. */
  public readonly controlParameter: ssm.IStringParameter;
  /** Where the alarms notify. */
  public readonly alarmTopic: sns.ITopic;
  /** The alarms and the dashboard. */
  public readonly monitoring: SubzoneHubMonitoring;
  private readonly organizationId: string;

  constructor(scope: Construct, id: string, props: SubzoneHubProps) {
    super(scope, id);
    const config = validConfig(this, props.config);
    this.config = config;
    this.organizationId = props.organizationId;
    if (!Token.isUnresolved(props.organizationId) && !ORGANIZATION_ID_PATTERN.test(props.organizationId)) {
      throw new InvalidPropError(
        'SubzoneHub',
        'organizationId',
        props.organizationId,
        'o- followed by 10 to 32 of a-z 0-9, e.g. o-a1b2c3d4e5',
      );
    }
    const region = Stack.of(this).region;
    if (!Token.isUnresolved(region) && region !== SUBZONE_REGION) {
      throw new InvalidPropError('SubzoneHub', 'stack region', region, `${SUBZONE_REGION}: Route 53 events reach EventBridge only there`);
    }
    const sweepInterval = props.sweepInterval ?? Duration.minutes(15);
    const workerTimeout = props.workerTimeout ?? Duration.seconds(WORKER_TIMEOUT_SECONDS_DEFAULT);
    const maxBatchingWindow = props.maxBatchingWindow ?? Duration.seconds(DEFAULT_MAX_BATCHING_WINDOW_SECONDS);
    const memorySize = props.workerMemorySize ?? 512;
    const maxConcurrency = props.maxConcurrency ?? 2;
    const batchSize = props.batchSize ?? DEFAULT_BATCH_SIZE;
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
    if (requestsPerEnvironment(requestsPerSecond, maxConcurrency) < 1) {
      throw new InvalidPropError(
        'SubzoneHub',
        'route53RequestsPerSecond',
        requestsPerSecond,
        `at least maxConcurrency (${maxConcurrency}): one request per second for each worker instance`,
      );
    }
    checkRange('maxReceiveCount', maxReceiveCount, 5, 1000);
    checkRange('policySizeBudget', policySizeBudget, 1, MANAGED_POLICY_SIZE_LIMIT);
    if (batchSize > 10 && maxBatchingWindow.toSeconds() === 0) {
      throw new InvalidPropError(
        'SubzoneHub',
        'batchSize',
        batchSize,
        'at most 10 when maxBatchingWindow is 0 (an SQS event source limit)',
      );
    }

    // Queues: SSE-SQS, because EventBridge cannot send to a queue under the AWS-managed KMS key.
    const deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    const deliveryDeadLetterQueue = new sqs.Queue(this, 'DeliveryDeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.deadLetterQueue = deadLetterQueue;
    this.deliveryDeadLetterQueue = deliveryDeadLetterQueue;
    this.queue = new sqs.Queue(this, 'WorkQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // AWS's advice for Lambda event sources: six times the function timeout, plus the batching window.
      visibilityTimeout: Duration.seconds(workerTimeout.toSeconds() * 6 + maxBatchingWindow.toSeconds()),
      deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount },
    });
    for (const dlq of [deadLetterQueue, deliveryDeadLetterQueue]) {
      acknowledge(dlq, [
        { id: 'AwsSolutions-SQS3', reason: 'This is a dead-letter queue; an alarm fires as soon as it holds a message.' },
        { id: 'Serverless-SQSRedrivePolicy', reason: 'This is a dead-letter queue; an alarm fires as soon as it holds a message.' },
      ]);
    }

    // The hub bus admits only Route 53 events forwarded by the spoke rules of the organisation.
    const eventBus = new events.EventBus(this, 'EventBus', {
      eventBusName: HUB_EVENT_BUS_NAME,
      description: 'subzone: Route 53 events from the organisation, and subzone outcome events',
    });
    this.eventBus = eventBus;
    eventBus.addToResourcePolicy(
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
    const hubRule = new events.Rule(this, 'HubRule', {
      eventBus: this.eventBus,
      ruleName: HUB_RULE_NAME,
      description: 'subzone: Route 53 hosted-zone events to the work queue',
      eventPattern: route53EventPattern(),
      targets: [
        new targets.SqsQueue(this.queue, { deadLetterQueue: deliveryDeadLetterQueue, retryAttempts: 185, maxEventAge: Duration.hours(24) }),
      ],
    });
    this.hubRule = hubRule;

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
    const workerRole = new iam.Role(this, 'WorkerRole', {
      roleName: WORKER_ROLE_NAME,
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'subzone worker: writes NS delegations into the parent zones the config names',
    });
    workerRole.applyRemovalPolicy(RemovalPolicy.RETAIN);
    this.workerRole = workerRole;
    const logGroup = new logs.LogGroup(this, 'WorkerLogs', { retention: props.logRetention ?? logs.RetentionDays.THREE_MONTHS });
    logGroup.grantWrite(workerRole);

    const worker = createWorkerFunction(this, 'Worker', {
      functionName: WORKER_FUNCTION_NAME,
      config,
      role: workerRole,
      logGroup,
      timeout: workerTimeout,
      memorySize,
      environment: {
        LEDGER_TABLE_NAME: this.ledger.tableName,
        HUB_EVENT_BUS_NAME: this.eventBus.eventBusName,
        WORK_QUEUE_URL: this.queue.queueUrl,
        CONTROL_PARAMETER_NAME: this.controlParameter.parameterName,
        ROUTE53_REQUESTS_PER_SECOND: String(requestsPerSecond),
        [WORKER_MAX_CONCURRENCY_VARIABLE]: String(maxConcurrency),
        // A lease must outlive any invocation that holds it (docs/concepts.md, the ledger).
        LEASE_TTL_SECONDS: String(Math.max(180, workerTimeout.toSeconds() * 3)),
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
      },
    });
    worker.addEventSource(
      new sources.SqsEventSource(this.queue, { batchSize, maxBatchingWindow, reportBatchItemFailures: true, maxConcurrency }),
    );
    this.worker = worker;
    acknowledge(worker, [
      {
        id: 'Serverless-LambdaDLQ',
        reason: 'The worker is fed by an SQS event source; the work queue has its own dead-letter queue (redrive policy).',
      },
      {
        id: 'Serverless-LambdaAsyncFailureDestination',
        reason: 'The worker is never invoked asynchronously: only the SQS event source mapping invokes it.',
      },
      {
        id: 'Serverless-LambdaTracing',
        reason: 'The worker reports through structured logs and embedded metrics; it carries no tracer, so X-Ray would show one segment.',
      },
    ]);
    acknowledge(this, [
      {
        id: 'Serverless-LambdaEventSourceMappingDestination',
        reason: 'SQS event source mappings take no on-failure destination; the work queue redrives to its dead-letter queue.',
      },
    ]);

    // The queue may feed the worker as soon as it exists: the write policy must be attached first.
    worker.node.addDependency(this.grantWorker(workerRole, policySizeBudget));

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
        deadLetterQueue: deliveryDeadLetterQueue,
        retryAttempts: 3,
        maxEventAge: sweepInterval,
      }),
    });

    this.alarmTopic = props.alarmTopic ?? this.createAlarmTopic();
    this.monitoring = new SubzoneHubMonitoring(this, 'Monitoring', {
      worker,
      queue: this.queue,
      deadLetterQueue,
      deliveryDeadLetterQueue,
      eventBusName: eventBus.eventBusName,
      hubRuleName: hubRule.ruleName,
      alarmTopic: this.alarmTopic,
      pagingTopic: props.pagingTopic ?? this.alarmTopic,
      sweepInterval,
      maxMessageAge: props.maxMessageAge ?? Duration.minutes(30),
    });
  }

  /**
   * Read-only access for the `subzone` CLI (audit, plan, explain, verify, ledger): the parent
   * zones, the ledger, the controls, and the reader role of every account of the
   * organisation (each spoke must also trust the grantee: `SubzoneSpoke`'s `operatorRoleArn`).
   */
  public grantOperatorRead(grantee: iam.IGrantable): iam.Grant {
    return (
      iam.Grant.addToPrincipal({
        grantee,
        actions: ['route53:GetHostedZone', 'route53:ListResourceRecordSets'],
        resourceArns: this.parentZoneArns(),
      })
        // `subzone verify` asks whether the change that last wrote a delegation is INSYNC.
        .combine(iam.Grant.addToPrincipal({ grantee, actions: ['route53:GetChange'], resourceArns: ['arn:aws:route53:::change/*'] }))
        .combine(this.ledger.grant(grantee, 'dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan'))
        .combine(this.controlParameter.grantRead(grantee))
        .combine(iam.Grant.addToPrincipal({ grantee, ...this.readerRoles() }))
    );
  }

  /** Lets the grantee queue work for the worker (`subzone apply`, `subzone invoke`): every write still passes the worker. */
  public grantSendWork(grantee: iam.IGrantable): iam.Grant {
    return this.queue.grantSendMessages(grantee);
  }

  /** Lets the grantee pause all writes or hold names (the kill switch), without a deploy. */
  public grantControlsWrite(grantee: iam.IGrantable): iam.Grant {
    return this.controlParameter.grantWrite(grantee);
  }

  /** A metric the worker emits (namespace `Subzone`, dimension `service`), summed over five minutes by default. */
  public metric(metricName: SubzoneMetricName, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return subzoneMetric(metricName, props);
  }

  /** Delegations written. */
  public metricDelegationCreated(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('DelegationCreated', props);
  }

  /** Delegations removed (zone gone, opted out, rule dropped). */
  public metricDelegationRemoved(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('DelegationRemoved', props);
  }

  /** Claims rejected (not allowlisted, contested, delegated elsewhere). */
  public metricDelegationRejected(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('DelegationRejected', props);
  }

  /** Held delegations found occluded by another delegation above them or records below them. */
  public metricDelegationOccluded(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('DelegationOccluded', props);
  }

  /** Delegations whose account cannot be read: possible takeovers (the maximum is what matters). */
  public metricDanglingSuspects(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('DanglingSuspects', { statistic: 'Maximum', ...props });
  }

  /** Reconciles that failed and will be retried. */
  public metricReconcileErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('ReconcileError', props);
  }

  /** Sweeps that completed: the heartbeat. */
  public metricSweepCompleted(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('SweepCompleted', props);
  }

  private parentZoneArns(): string[] {
    return this.config.parentZones.map((parent) => hostedZoneArn(parent.hostedZoneId));
  }

  /** sts:AssumeRole on the reader role, in the organisation's accounts only. */
  private readerRoles(): { actions: string[]; resourceArns: string[]; conditions: Record<string, Record<string, string>> } {
    return {
      actions: ['sts:AssumeRole'],
      resourceArns: [`arn:aws:iam::*:role/${this.config.readerRoleName}`],
      conditions: { StringEquals: { 'aws:ResourceOrgID': this.organizationId } },
    };
  }

  /** Grants the worker role what the worker calls; returns the parent-zone write policy. */
  private grantWorker(role: iam.Role, policySizeBudget: number): iam.ManagedPolicy {
    const { config } = this;
    // The writes and the reader roles need the worker's own code: not the role's credentials used elsewhere.
    const sourceFunctionArn = `arn:aws:lambda:${Stack.of(this).region}:${Stack.of(this).account}:function:${WORKER_FUNCTION_NAME}`;
    const writes = route53WritePolicy(config, { sizeBudget: policySizeBudget, sourceFunctionArn });
    for (const zone of writes.collapsedZones) {
      Annotations.of(this).addWarningV2(
        'subzone:iam-names-collapsed',
        `The allowlisted names of parent zone ${zone} would push the worker's Route 53 policy past ${policySizeBudget} characters; IAM now allows NS creation anywhere below ${zone} (the worker still enforces the allowlist).`,
      );
    }
    if (writes.size > MANAGED_POLICY_SIZE_LIMIT) {
      throw new InvalidPropError(
        'SubzoneHub',
        'config.parentZones',
        config.parentZones.length,
        `few enough parent zones that the worker's Route 53 policy fits in ${MANAGED_POLICY_SIZE_LIMIT} characters even collapsed (it needs ${writes.size})`,
      );
    }
    const writesPolicy = new iam.ManagedPolicy(this, 'ParentZoneWrites', {
      description: 'subzone worker: NS delegations in the configured parent zones, at the allowlisted names',
      roles: [role],
      statements: [...writes.statements],
    });

    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ReadParentZones',
        actions: ['route53:GetHostedZone', 'route53:ListResourceRecordSets'],
        resources: this.parentZoneArns(),
      }),
    );
    const readers = this.readerRoles();
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'AssumeReaderRoles',
        actions: readers.actions,
        resources: readers.resourceArns,
        conditions: { ...readers.conditions, ...sourceFunctionCondition(sourceFunctionArn) },
      }),
    );
    this.ledger.grant(
      role,
      'dynamodb:GetItem',
      // The owners of the names an invocation judges, 100 a call.
      'dynamodb:BatchGetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:DeleteItem',
      'dynamodb:Query',
      'dynamodb:Scan',
    );
    this.eventBus.grantPutEventsTo(role);
    // Outcome events also go to each allowlisted account's own default bus (its spoke admits them).
    const childBuses = [...accountsInAllowlist(config)]
      .sort()
      .map((account) => `arn:aws:events:${SUBZONE_REGION}:${account}:event-bus/default`);
    if (childBuses.length > 0) {
      role.addToPolicy(
        new iam.PolicyStatement({
          sid: 'DeliverOutcomesToChildren',
          actions: ['events:PutEvents'],
          resources: childBuses,
          conditions: { StringEquals: { 'events:source': OUTCOME_SOURCE } },
        }),
      );
    }
    this.queue.grantSendMessages(role);
    role.addToPolicy(
      new iam.PolicyStatement({ sid: 'ReadControls', actions: ['ssm:GetParameter'], resources: [this.controlParameter.parameterArn] }),
    );

    const readerArn = `Resource::arn:aws:iam::*:role/${config.readerRoleName}`;
    acknowledge(role, [
      {
        id: `AwsSolutions-IAM5[${readerArn}]`,
        reason: 'The reader role exists in every account of the organisation; aws:ResourceOrgID limits it to the organisation.',
      },
      {
        id: 'Serverless-StarPermissions',
        reason: 'Only the reader roles across the organisation are a wildcard, explained on AwsSolutions-IAM5.',
      },
    ]);
    return writesPolicy;
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
      {
        id: 'AwsSolutions-SNS2',
        reason:
          'Alarm notifications carry no secrets, and CloudWatch cannot publish to a topic under the AWS-managed SNS key; pass alarmTopic to use a customer-managed key.',
      },
    ]);
    return topic;
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
