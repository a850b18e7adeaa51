import { Stack, Token } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { DEFAULT_READER_ROLE_NAME } from '../../functions/core/contract';
import { SPOKE_RULE_NAME, SUBZONE_REGION } from './constants';
import { InvalidPropError } from './errors';
import { OUTCOME_SOURCE } from '../../functions/core/event-pattern';
import { route53EventPattern } from './event-pattern';
import { acknowledge } from './nag';

/** Properties of a spoke, deployed in every child account, us-east-1. ARNs are plain strings: they live in another account. */
export interface SubzoneSpokeProps {
  /** ARN of the hub bus, `arn:aws:events:us-east-1:<hub account>:event-bus/<name>`. */
  readonly hubEventBusArn: string;
  /** ARN of the hub worker's role, `arn:aws:iam::<hub account>:role/<name>`; the only principal the reader role trusts by default. */
  readonly hubWorkerRoleArn: string;
  /** Name of the reader role (the config's `readerRoleName`). @default 'subzone-reader' */
  readonly readerRoleName?: string;
  /** ARN of the hub's read-only operator role, trusted as well. @default - the worker role only */
  readonly operatorRoleArn?: string;
}

const EVENT_BUS_ARN = /^arn:aws:events:([a-z0-9-]+):(\d{12}):event-bus\/[A-Za-z0-9._\-/]+$/;
const ROLE_ARN = /^arn:aws:iam::\d{12}:role\/[\w+=,.@\-/]+$/;
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;

function checkArn(prop: string, value: string | undefined, pattern: RegExp, allowed: string): void {
  if (value === undefined || Token.isUnresolved(value)) return;
  if (!pattern.test(value)) throw new InvalidPropError('SubzoneSpoke', prop, value, allowed);
}

/**
 * A child account's part (docs/concepts.md, docs/deploying.md): the rule that forwards its Route 53 events to the
 * hub bus, and the read-only role the worker reads the truth through.
 */
export class SubzoneSpoke extends Construct {
  /** The rule `subzone-forward` on the account's default bus: Route 53 events to the hub bus. */
  public readonly forwardRule: events.IRule;
  /** The role the forwarding rule puts events on the hub bus with. */
  public readonly forwarderRole: iam.IRole;
  /** The read-only role the hub worker (and the operator role, if given) reads the account's zones through. */
  public readonly readerRole: iam.IRole;
  /** Lets the hub worker put subzone's outcome events, and nothing else, on this account's default bus. */
  public readonly outcomeDelivery: events.CfnEventBusPolicy;

  constructor(scope: Construct, id: string, props: SubzoneSpokeProps) {
    super(scope, id);
    const region = Stack.of(this).region;
    if (!Token.isUnresolved(region) && region !== SUBZONE_REGION) {
      throw new InvalidPropError('SubzoneSpoke', 'stack region', region, `${SUBZONE_REGION}: Route 53 events reach EventBridge only there`);
    }
    checkArn(
      'hubEventBusArn',
      props.hubEventBusArn,
      EVENT_BUS_ARN,
      `an event bus ARN in ${SUBZONE_REGION}, arn:aws:events:${SUBZONE_REGION}:<account>:event-bus/<name>`,
    );
    const busRegion = EVENT_BUS_ARN.exec(props.hubEventBusArn)?.[1];
    if (busRegion !== undefined && busRegion !== SUBZONE_REGION) {
      throw new InvalidPropError('SubzoneSpoke', 'hubEventBusArn', props.hubEventBusArn, `a bus in ${SUBZONE_REGION}`);
    }
    checkArn('hubWorkerRoleArn', props.hubWorkerRoleArn, ROLE_ARN, 'a role ARN, arn:aws:iam::<account>:role/<name>');
    checkArn('operatorRoleArn', props.operatorRoleArn, ROLE_ARN, 'a role ARN, arn:aws:iam::<account>:role/<name>');
    const readerRoleName = props.readerRoleName ?? DEFAULT_READER_ROLE_NAME;
    if (!Token.isUnresolved(readerRoleName) && !ROLE_NAME.test(readerRoleName)) {
      throw new InvalidPropError(
        'SubzoneSpoke',
        'readerRoleName',
        readerRoleName,
        'an IAM role name, 1 to 64 of A-Z a-z 0-9 + = , . @ _ -',
      );
    }

    const hubBus = events.EventBus.fromEventBusArn(this, 'HubBus', props.hubEventBusArn);
    const here = Stack.of(this);
    const forwarderRole = new iam.Role(this, 'ForwarderRole', {
      // Only this account's forwarding rule may use the role (confused-deputy guard).
      assumedBy: new iam.ServicePrincipal('events.amazonaws.com').withConditions({
        StringEquals: { 'aws:SourceAccount': here.account },
        ArnEquals: { 'aws:SourceArn': `arn:${here.partition}:events:${here.region}:${here.account}:rule/${SPOKE_RULE_NAME}` },
      }),
      description: 'subzone: lets the forwarding rule put Route 53 events on the hub bus',
    });
    forwarderRole.addToPolicy(new iam.PolicyStatement({ actions: ['events:PutEvents'], resources: [props.hubEventBusArn] }));
    this.forwarderRole = forwarderRole;
    this.forwardRule = new events.Rule(this, 'ForwardRule', {
      ruleName: SPOKE_RULE_NAME,
      description: 'subzone: forward Route 53 hosted-zone events to the hub',
      eventPattern: route53EventPattern(),
      // A role is required when the receiving bus admits the organisation rather than accounts.
      targets: [new targets.EventBus(hubBus, { role: forwarderRole })],
    });
    acknowledge(this.forwardRule, [
      {
        id: 'Serverless-EventBusDLQ',
        reason:
          'Events lost on the way to the hub are recovered by the hub sweep; a dead-letter queue in every account would go unwatched.',
      },
    ]);

    // The team sees what became of its zones in its own account (a rule on its default bus).
    this.outcomeDelivery = new events.CfnEventBusPolicy(this, 'OutcomeDelivery', {
      eventBusName: 'default',
      statementId: 'SubzoneOutcomeEvents',
      statement: {
        Effect: 'Allow',
        Principal: { AWS: props.hubWorkerRoleArn },
        Action: 'events:PutEvents',
        Resource: `arn:${here.partition}:events:${here.region}:${here.account}:event-bus/default`,
        Condition: { StringEquals: { 'events:source': OUTCOME_SOURCE } },
      },
    });

    const trusted: iam.IPrincipal[] = [new iam.ArnPrincipal(props.hubWorkerRoleArn)];
    if (props.operatorRoleArn !== undefined) trusted.push(new iam.ArnPrincipal(props.operatorRoleArn));
    this.readerRole = new iam.Role(this, 'ReaderRole', {
      roleName: readerRoleName,
      assumedBy: new iam.CompositePrincipal(...trusted),
      description: "subzone: read-only view of this account's hosted zones for the hub worker",
      inlinePolicies: {
        ReadHostedZones: new iam.PolicyDocument({
          statements: [
            new iam.PolicyStatement({
              sid: 'ListZones',
              actions: ['route53:ListHostedZones'],
              resources: ['*'],
            }),
            new iam.PolicyStatement({
              sid: 'ReadZones',
              actions: ['route53:GetHostedZone', 'route53:ListTagsForResources', 'route53:GetDNSSEC'],
              resources: ['arn:aws:route53:::hostedzone/*'],
            }),
            // With DNSSEC on, the worker asks whether the zone's signing change is INSYNC before its first DS.
            new iam.PolicyStatement({
              sid: 'ReadSigningChanges',
              actions: ['route53:GetChange'],
              resources: ['arn:aws:route53:::change/*'],
            }),
          ],
        }),
      },
    });
    acknowledge(this.readerRole, [
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'ListHostedZones is an account-level action that takes no resource.',
      },
      {
        id: 'AwsSolutions-IAM5[Resource::arn:aws:route53:::hostedzone/*]',
        reason: 'The worker must read every hosted zone the account creates, whose ids are unknown in advance; the actions are read-only.',
      },
      {
        id: 'AwsSolutions-IAM5[Resource::arn:aws:route53:::change/*]',
        reason:
          'GetChange (read-only) names the change of a signing the team enables, unknown in advance; IAM offers no narrower resource.',
      },
    ]);
  }
}
