import * as iam from 'aws-cdk-lib/aws-iam';
import { isStrictlyBelow, isWildcardPattern, toIamNamePattern } from '../../functions/core/names';
import { parentFor } from '../../functions/core/rules';
import type { DnsName, ParentZoneConfig, SubzoneConfig } from '../../functions/core/types';

/** IAM's limit on a customer managed policy, in characters without whitespace. */
export const MANAGED_POLICY_SIZE_LIMIT = 6144;

/**
 * Above this size the rendered names are collapsed, largest zone first, so that the
 * policy stays clear of the hard limit with room for a few more rules.
 */
export const DEFAULT_POLICY_SIZE_BUDGET = 5120;

/** Multi-valued condition keys of ChangeResourceRecordSets, as the Route 53 IAM documentation names them. */
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

/** Who may use the write statements; without it (the test world), the statements carry no caller condition. */
export interface Route53WritePolicyOptions {
  /**
   * Above this size, in characters, a zone's names are collapsed to `*.<parent>`.
   * @default DEFAULT_POLICY_SIZE_BUDGET
   */
  readonly sizeBudget?: number;
  /**
   * ARN of the worker function: every Allow then requires `lambda:SourceFunctionArn` to be
   * it, so the role's credentials write nothing when used anywhere else.
   * @default - no caller condition
   */
  readonly sourceFunctionArn?: string;
}

/** The condition that limits a statement to calls made by the worker function itself. */
export function sourceFunctionCondition(sourceFunctionArn: string | undefined): Record<string, Record<string, string>> {
  return sourceFunctionArn === undefined ? {} : { ArnEquals: { 'lambda:SourceFunctionArn': sourceFunctionArn } };
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

/** The record types CREATE may write: DS, at the same names as NS, only when the config turns DNSSEC on. */
function creatableTypes(config: SubzoneConfig): string[] {
  return config.dnssec.enabled ? ['NS', 'DS'] : ['NS'];
}

/**
 * CREATE and DELETE of NS (and DS with DNSSEC on) only, at the names the zone's rules allow.
 * `ForAllValues` holds for an empty or missing key, hence the `Null` guard on every key it reads.
 */
function createStatement(zone: ParentZoneNames, types: readonly string[], sourceFunctionArn: string | undefined): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: `CreateDelegations${zone.parent.hostedZoneId}`,
    actions: ['route53:ChangeResourceRecordSets'],
    resources: [hostedZoneArn(zone.parent.hostedZoneId)],
    conditions: {
      'ForAllValues:StringEquals': { [CHANGE_KEYS.actions]: ['CREATE', 'DELETE'], [CHANGE_KEYS.types]: [...types] },
      'ForAllValues:StringLike': { [CHANGE_KEYS.names]: [...zone.names] },
      Null: { [CHANGE_KEYS.names]: 'false', [CHANGE_KEYS.types]: 'false', [CHANGE_KEYS.actions]: 'false' },
      ...sourceFunctionCondition(sourceFunctionArn),
    },
  });
}

/** DELETE only, of NS and DS, anywhere below the apex: removals outlive the rule that allowed them. */
function removeStatement(parent: ParentZoneConfig, sourceFunctionArn: string | undefined): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: `RemoveDelegations${parent.hostedZoneId}`,
    actions: ['route53:ChangeResourceRecordSets'],
    resources: [hostedZoneArn(parent.hostedZoneId)],
    conditions: {
      'ForAllValues:StringEquals': { [CHANGE_KEYS.actions]: ['DELETE'], [CHANGE_KEYS.types]: ['NS', 'DS'] },
      'ForAllValues:StringLike': { [CHANGE_KEYS.names]: [belowApex(parent)] },
      Null: { [CHANGE_KEYS.names]: 'false', [CHANGE_KEYS.types]: 'false', [CHANGE_KEYS.actions]: 'false' },
      ...sourceFunctionCondition(sourceFunctionArn),
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

/**
 * IAM's `*` spans dots, so the pattern of the wildcard rule `*.dev.example.com` also matches
 * `a.b.dev.example.com`. Per wildcard rule, a batch that creates anything and names anything
 * two or more labels down is denied; DELETE-only batches (the way names no rule allows are
 * removed) stay allowed, so removals outlive rules. A wildcard with another rule two or more
 * labels below it gets no Deny: IAM cannot except one name from a pattern per value, so the
 * worker's own allowlist check is the only guard there.
 */
function deeperThanWildcardNames(config: SubzoneConfig, parent: ParentZoneConfig): string[] {
  const labels = (name: string): number => name.split('.').length;
  const hasDeeperRule = (base: string): boolean =>
    config.rules.some((other) => isStrictlyBelow(other.name, base) && labels(other.name) - labels(base) >= 2);
  return config.rules
    .filter((rule) => isWildcardPattern(rule.name) && parentFor(config, rule.name)?.hostedZoneId === parent.hostedZoneId)
    .map((rule) => rule.name.slice(2))
    .filter((base) => !hasDeeperRule(base))
    .map((base) => `*.*.${toIamNamePattern(base)}`)
    .sort();
}

function deepWildcardGuardStatements(config: SubzoneConfig): iam.PolicyStatement[] {
  return config.parentZones.flatMap((parent) => {
    const names = deeperThanWildcardNames(config, parent);
    if (names.length === 0) return [];
    return [
      new iam.PolicyStatement({
        sid: `OneLabelPerWildcard${parent.hostedZoneId}`,
        effect: iam.Effect.DENY,
        actions: ['route53:ChangeResourceRecordSets'],
        resources: [hostedZoneArn(parent.hostedZoneId)],
        conditions: {
          'ForAnyValue:StringEquals': { [CHANGE_KEYS.actions]: ['CREATE'] },
          'ForAnyValue:StringLike': { [CHANGE_KEYS.names]: names },
        },
      }),
    ];
  });
}

function render(
  config: SubzoneConfig,
  zones: readonly ParentZoneNames[],
  sourceFunctionArn: string | undefined,
): { statements: iam.PolicyStatement[]; size: number } {
  const statements = [
    ...zones.filter((zone) => zone.names.length > 0).map((zone) => createStatement(zone, creatableTypes(config), sourceFunctionArn)),
    ...config.parentZones.map((parent) => removeStatement(parent, sourceFunctionArn)),
    apexGuardStatement(config),
    ...deepWildcardGuardStatements(config),
  ];
  const document = { Version: '2012-10-17', Statement: statements.map((statement) => statement.toStatementJson()) };
  return { statements, size: JSON.stringify(document).length };
}

/**
 * The worker's Route 53 write statements for a config (docs/configuration.md, what IAM allows). Never UPSERT. When the
 * rendered names exceed `sizeBudget`, zones are collapsed to `*.<parent>`, the zone with
 * the most name characters first, until the policy fits.
 */
export function route53WritePolicy(config: SubzoneConfig, options: Route53WritePolicyOptions = {}): Route53WritePolicy {
  const { sizeBudget = DEFAULT_POLICY_SIZE_BUDGET, sourceFunctionArn } = options;
  let zones = namesByParent(config);
  let rendered = render(config, zones, sourceFunctionArn);
  while (rendered.size > sizeBudget) {
    const candidates = zones.filter((zone) => !zone.collapsed && zone.names.length > 0);
    const largest = candidates.sort((a, b) => b.names.join().length - a.names.join().length)[0];
    if (largest === undefined) break;
    zones = zones.map((zone) => (zone === largest ? collapse(zone) : zone));
    rendered = render(config, zones, sourceFunctionArn);
  }
  return {
    statements: rendered.statements,
    zones,
    collapsedZones: zones.filter((zone) => zone.collapsed).map((zone) => zone.parent.name),
    size: rendered.size,
  };
}
