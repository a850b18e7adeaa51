import * as iam from 'aws-cdk-lib/aws-iam';
import { toIamNamePattern } from '../../functions/core/names';
import { parentFor } from '../../functions/core/rules';
import type { DnsName, ParentZoneConfig, SubzoneConfig } from '../../functions/core/types';

/** IAM's limit on a customer managed policy, in characters without whitespace. */
export const MANAGED_POLICY_SIZE_LIMIT = 6144;

/**
 * Above this size the rendered names are collapsed, largest zone first, so that the
 * policy stays clear of the hard limit with room for a few more rules.
 */
export const DEFAULT_POLICY_SIZE_BUDGET = 5120;

/** Multi-valued condition keys of ChangeResourceRecordSets (aws-facts §3.2). */
export const CHANGE_KEYS = {
  names: 'route53:ChangeResourceRecordSetsNormalizedRecordNames',
  types: 'route53:ChangeResourceRecordSetsRecordTypes',
  actions: 'route53:ChangeResourceRecordSetsActions',
} as const;

/** ARN of a hosted zone: Route 53 ARNs carry neither region nor account. */
export function hostedZoneArn(zoneId: string): string {
  return `arn:aws:route53:::hostedzone/${zoneId}`;
}

/** The names one parent zone's create statement allows, in IAM's rendering. */
export interface ParentZoneNames {
  readonly parent: ParentZoneConfig;
  /** IAM `StringLike` patterns, sorted; `*.<parent>` alone when collapsed. */
  readonly names: readonly string[];
  /** True when the rule names were replaced by `*.<parent>` to respect the size budget. */
  readonly collapsed: boolean;
}

/** The Route 53 write permissions of the worker, derived from the config. */
export interface Route53WritePolicy {
  readonly statements: readonly iam.PolicyStatement[];
  /** Per parent zone, the names CREATE is allowed at. */
  readonly zones: readonly ParentZoneNames[];
  /** Parent zones whose names were collapsed (each deserves a synth warning). */
  readonly collapsedZones: readonly DnsName[];
  /** Size of the rendered policy document, in characters without whitespace. */
  readonly size: number;
}

/** The IAM pattern for every name strictly below a parent's apex. */
function belowApex(parent: ParentZoneConfig): string {
  return `*.${toIamNamePattern(parent.name)}`;
}

function namesByParent(config: SubzoneConfig): ParentZoneNames[] {
  return config.parentZones.map((parent) => {
    const names = config.rules
      .filter((rule) => parentFor(config, rule.name)?.hostedZoneId === parent.hostedZoneId)
      .map((rule) => toIamNamePattern(rule.name));
    return { parent, names: [...new Set(names)].sort(), collapsed: false };
  });
}

function collapse(zone: ParentZoneNames): ParentZoneNames {
  return { parent: zone.parent, names: [belowApex(zone.parent)], collapsed: true };
}

/**
 * CREATE and DELETE of NS only, at the names the zone's rules allow. `ForAllValues`
 * holds for an empty or missing key, hence the `Null` guard on every key it reads.
 */
function createStatement(zone: ParentZoneNames): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: `CreateDelegations${zone.parent.hostedZoneId}`,
    actions: ['route53:ChangeResourceRecordSets'],
    resources: [hostedZoneArn(zone.parent.hostedZoneId)],
    conditions: {
      'ForAllValues:StringEquals': { [CHANGE_KEYS.actions]: ['CREATE', 'DELETE'], [CHANGE_KEYS.types]: ['NS'] },
      'ForAllValues:StringLike': { [CHANGE_KEYS.names]: [...zone.names] },
      Null: { [CHANGE_KEYS.names]: 'false', [CHANGE_KEYS.types]: 'false', [CHANGE_KEYS.actions]: 'false' },
    },
  });
}

/** DELETE only, of NS and DS, anywhere below the apex: removals outlive the rule that allowed them. */
function removeStatement(parent: ParentZoneConfig): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: `RemoveDelegations${parent.hostedZoneId}`,
    actions: ['route53:ChangeResourceRecordSets'],
    resources: [hostedZoneArn(parent.hostedZoneId)],
    conditions: {
      'ForAllValues:StringEquals': { [CHANGE_KEYS.actions]: ['DELETE'], [CHANGE_KEYS.types]: ['NS', 'DS'] },
      'ForAllValues:StringLike': { [CHANGE_KEYS.names]: [belowApex(parent)] },
      Null: { [CHANGE_KEYS.names]: 'false', [CHANGE_KEYS.types]: 'false', [CHANGE_KEYS.actions]: 'false' },
    },
  });
}

/**
 * No change may touch the apex of any managed parent, in any parent zone: with nested
 * parents (`example.com` and `dev.example.com`), `*.example.com` would otherwise let the
 * worker remove the delegation of `dev.example.com` itself.
 */
function apexGuardStatement(config: SubzoneConfig): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'NeverTouchParentApexes',
    effect: iam.Effect.DENY,
    actions: ['route53:ChangeResourceRecordSets'],
    resources: config.parentZones.map((parent) => hostedZoneArn(parent.hostedZoneId)),
    conditions: {
      'ForAnyValue:StringEquals': { [CHANGE_KEYS.names]: config.parentZones.map((parent) => toIamNamePattern(parent.name)) },
    },
  });
}

function render(config: SubzoneConfig, zones: readonly ParentZoneNames[]): { statements: iam.PolicyStatement[]; size: number } {
  const statements = [
    ...zones.filter((zone) => zone.names.length > 0).map(createStatement),
    ...config.parentZones.map(removeStatement),
    apexGuardStatement(config),
  ];
  const document = { Version: '2012-10-17', Statement: statements.map((statement) => statement.toStatementJson()) };
  return { statements, size: JSON.stringify(document).length };
}

/**
 * The worker's Route 53 write statements for a config (DESIGN §7). Never UPSERT. When the
 * rendered names exceed `sizeBudget`, zones are collapsed to `*.<parent>`, the zone with
 * the most name characters first, until the policy fits.
 */
export function route53WritePolicy(config: SubzoneConfig, sizeBudget: number = DEFAULT_POLICY_SIZE_BUDGET): Route53WritePolicy {
  let zones = namesByParent(config);
  let rendered = render(config, zones);
  while (rendered.size > sizeBudget) {
    const candidates = zones.filter((zone) => !zone.collapsed && zone.names.length > 0);
    const largest = candidates.sort((a, b) => b.names.join().length - a.names.join().length)[0];
    if (largest === undefined) break;
    zones = zones.map((zone) => (zone === largest ? collapse(zone) : zone));
    rendered = render(config, zones);
  }
  return {
    statements: rendered.statements,
    zones,
    collapsedZones: zones.filter((zone) => zone.collapsed).map((zone) => zone.parent.name),
    size: rendered.size,
  };
}
