import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRIC, type MetricName, SERVICE_NAME } from '../../functions/core/contract';
import { METRICS_NAMESPACE, METRICS_SERVICE_DIMENSION } from './constants';

/** What the monitoring watches; every resource is the hub's own. */
export interface SubzoneHubMonitoringProps {
  readonly worker: lambda.IFunction;
  readonly queue: sqs.IQueue;
  /** The worker queue's dead-letter queue. */
  readonly deadLetterQueue: sqs.IQueue;
  /** Where the hub rule and the sweep schedule put what they could not deliver. */
  readonly deliveryDeadLetterQueue: sqs.IQueue;
  readonly eventBusName: string;
  readonly hubRuleName: string;
  readonly alarmTopic: sns.ITopic;
  /** Topic for the alarms that must wake someone (dangling suspects). */
  readonly pagingTopic: sns.ITopic;
  readonly sweepInterval: Duration;
  /** Age of the oldest queued message above which the flow is stuck. */
  readonly maxMessageAge: Duration;
}

/** The custom metrics the worker emits (namespace Subzone, dimension `service`). */
export type SubzoneMetricName = Exclude<MetricName, typeof METRIC.minutesSinceLastEvent>;

/** A worker metric, summed over five minutes unless told otherwise. */
export function subzoneMetric(name: SubzoneMetricName, options: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: METRICS_NAMESPACE,
    metricName: name,
    dimensionsMap: { ...METRICS_SERVICE_DIMENSION },
    statistic: 'Sum',
    period: Duration.minutes(5),
    ...options,
  });
}

/** Every alarm of the hub, by the name the deployment guide uses. */
export type SubzoneAlarmName =
  | 'WorkerErrors'
  | 'DeadLetterQueueNotEmpty'
  | 'DeliveryDeadLetterQueueNotEmpty'
  | 'HubRuleFailedInvocations'
  | 'HubRuleInvocationsSentToDlq'
  | 'OldestMessageTooOld'
  | 'SweepHeartbeatMissing'
  | 'DanglingSuspects'
  | 'RemovalBudgetHit'
  | 'ReconcileErrors'
  | 'DelegationRejected'
  | 'DelegationOccluded';

/** Alarms on every failure mode of the flow (docs/operations.md), and a dashboard of it. */
export class SubzoneHubMonitoring extends Construct {
  /** The alarms, by name. */
  public readonly alarms: Readonly<Record<SubzoneAlarmName, cloudwatch.Alarm>>;
  public readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: SubzoneHubMonitoringProps) {
    super(scope, id);
    const ruleMetric = (metricName: string): cloudwatch.Metric =>
      new cloudwatch.Metric({
        namespace: 'AWS/Events',
        metricName,
        dimensionsMap: { EventBusName: props.eventBusName, RuleName: props.hubRuleName },
        statistic: 'Sum',
        period: Duration.minutes(5),
      });
    const atLeastOnce = {
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    };
    // Twice the interval: one late sweep is not an outage, two missed ones are.
    const heartbeatPeriod = Duration.minutes(Math.max(props.sweepInterval.toMinutes() * 2, 5));

    const alarm = (
      name: SubzoneAlarmName,
      description: string,
      metric: cloudwatch.Metric,
      options: Partial<cloudwatch.CreateAlarmOptions> = {},
      topic = props.alarmTopic,
    ): cloudwatch.Alarm => {
      const created = metric.createAlarm(this, name, {
        alarmName: `subzone-${name}`,
        alarmDescription: description,
        ...atLeastOnce,
        ...options,
      });
      created.addAlarmAction(new actions.SnsAction(topic));
      created.addOkAction(new actions.SnsAction(topic));
      return created;
    };

    this.alarms = {
      WorkerErrors: alarm(
        'WorkerErrors',
        'The worker failed an invocation (an uncaught error, a timeout or running out of memory).',
        props.worker.metricErrors({ period: Duration.minutes(5) }),
      ),
      DeadLetterQueueNotEmpty: alarm(
        'DeadLetterQueueNotEmpty',
        'Messages failed the worker maxReceiveCount times and wait in its dead-letter queue.',
        props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period: Duration.minutes(5) }),
      ),
      DeliveryDeadLetterQueueNotEmpty: alarm(
        'DeliveryDeadLetterQueueNotEmpty',
        'The hub rule or the sweep schedule could not deliver to the work queue.',
        props.deliveryDeadLetterQueue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period: Duration.minutes(5) }),
      ),
      HubRuleFailedInvocations: alarm(
        'HubRuleFailedInvocations',
        'The hub rule failed to deliver events to the work queue.',
        ruleMetric('FailedInvocations'),
      ),
      HubRuleInvocationsSentToDlq: alarm(
        'HubRuleInvocationsSentToDlq',
        'The hub rule gave up on events and sent them to the delivery dead-letter queue.',
        ruleMetric('InvocationsSentToDlq'),
      ),
      OldestMessageTooOld: alarm(
        'OldestMessageTooOld',
        `The oldest message in the work queue is older than ${props.maxMessageAge.toHumanString()}: the worker is not keeping up or is failing.`,
        props.queue.metricApproximateAgeOfOldestMessage({ statistic: 'Maximum', period: Duration.minutes(5) }),
        { threshold: props.maxMessageAge.toSeconds(), comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD },
      ),
      SweepHeartbeatMissing: alarm(
        'SweepHeartbeatMissing',
        `No sweep completed in ${heartbeatPeriod.toHumanString()}: the schedule, the queue or the worker is broken.`,
        subzoneMetric('SweepCompleted', { period: heartbeatPeriod }),
        { comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD, treatMissingData: cloudwatch.TreatMissingData.BREACHING },
      ),
      // Every reconcile reports its account's suspects (zero included) and sweeps come every
      // interval, so between them the alarm keeps its state: it pages once, clears once.
      DanglingSuspects: alarm(
        'DanglingSuspects',
        'A delegation points at an account that cannot be read: a possible subdomain takeover. Page.',
        subzoneMetric('DanglingSuspects', { statistic: 'Maximum' }),
        { treatMissingData: cloudwatch.TreatMissingData.IGNORE },
        props.pagingTopic,
      ),
      RemovalBudgetHit: alarm(
        'RemovalBudgetHit',
        'A sweep wanted to remove more delegations than the removal budget allows and removed none.',
        subzoneMetric('RemovalBudgetHit'),
      ),
      ReconcileErrors: alarm(
        'ReconcileErrors',
        'Reconciles keep failing (throttling, access denied, conflicts) in two of three periods.',
        subzoneMetric('ReconcileError'),
        { evaluationPeriods: 3, datapointsToAlarm: 2 },
      ),
      DelegationRejected: alarm(
        'DelegationRejected',
        'A zone claimed a name it may not have (not allowlisted, contested, delegated elsewhere).',
        subzoneMetric('DelegationRejected'),
      ),
      DelegationOccluded: alarm(
        'DelegationOccluded',
        'A delegation subzone holds is occluded by another delegation above it or records below it: part of its name answers from the wrong zone.',
        subzoneMetric('DelegationOccluded'),
        { threshold: 0, comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD },
      ),
    };

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: SERVICE_NAME,
      defaultInterval: Duration.days(1),
      widgets: [
        [
          new cloudwatch.GraphWidget({
            title: 'Hub rule',
            left: [
              ruleMetric('MatchedEvents'),
              ruleMetric('Invocations'),
              ruleMetric('FailedInvocations'),
              ruleMetric('InvocationsSentToDlq'),
            ],
            width: 8,
          }),
          new cloudwatch.GraphWidget({
            title: 'Work queue',
            left: [props.queue.metricNumberOfMessagesSent(), props.queue.metricApproximateNumberOfMessagesVisible()],
            right: [props.queue.metricApproximateAgeOfOldestMessage()],
            width: 8,
          }),
          new cloudwatch.GraphWidget({
            title: 'Dead-letter queues',
            left: [
              props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ label: 'worker DLQ' }),
              props.deliveryDeadLetterQueue.metricApproximateNumberOfMessagesVisible({ label: 'delivery DLQ' }),
            ],
            width: 8,
          }),
        ],
        [
          new cloudwatch.GraphWidget({
            title: 'Worker',
            left: [props.worker.metricInvocations(), props.worker.metricErrors(), props.worker.metricThrottles()],
            right: [props.worker.metricDuration({ statistic: 'p99' })],
            width: 8,
          }),
          new cloudwatch.GraphWidget({
            title: 'Delegations',
            left: (['DelegationCreated', 'DelegationUpdated', 'DelegationRemoved', 'DelegationRejected'] as const).map((name) =>
              subzoneMetric(name),
            ),
            width: 8,
          }),
          new cloudwatch.GraphWidget({
            title: 'Attention',
            left: (
              [
                'StandingRejections',
                'DelegationOccluded',
                'DanglingSuspects',
                'RemovalBudgetHit',
                'ReconcileError',
                'InvalidEvent',
                'IgnoredEvent',
              ] as const
            ).map((name) => subzoneMetric(name)),
            width: 8,
          }),
        ],
        [
          new cloudwatch.GraphWidget({
            title: 'Sweeps',
            left: [subzoneMetric('SweepCompleted')],
            right: [subzoneMetric('SweepDurationMs', { statistic: 'Maximum' })],
            width: 12,
          }),
          new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: Object.values(this.alarms), width: 12 }),
        ],
        [
          // One line per account: a spoke whose events stopped arriving climbs while the others reset.
          new cloudwatch.GraphWidget({
            title: 'Minutes since the last event, per account',
            left: [
              new cloudwatch.MathExpression({
                expression: `SEARCH('{${METRICS_NAMESPACE},account,service} MetricName="${METRIC.minutesSinceLastEvent}"', 'Maximum', 900)`,
                label: '',
                period: Duration.minutes(15),
              }),
            ],
            width: 24,
          }),
        ],
      ],
    });
  }
}
