/**
 * A small evaluator of IAM identity policies, enough to run subzone's change batches through
 * the synthesized worker policy. It implements the evaluation order (an explicit Deny wins,
 * then any Allow, else implicit deny) and the condition operators subzone's constructs use:
 * String(Not)Equals, String(Not)Like, Arn(Not)Equals, Arn(Not)Like, Bool and Null, with the
 * ForAllValues:/ForAnyValue: qualifiers and the IfExists suffix. Any other operator throws,
 * so a policy this evaluator cannot judge never passes silently.
 *
 * Written by hand: the one maintained simulator on npm (@cloud-copilot/iam-simulate) is
 * AGPL-licensed and pulls 15 MB of service data, for the six operators needed here.
 */
import { normaliseName } from '../../functions/core/names';

/** A policy statement as CloudFormation holds it. */
export interface PolicyStatementJson {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action?: string | readonly string[];
  readonly NotAction?: string | readonly string[];
  readonly Resource?: unknown;
  readonly NotResource?: unknown;
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

/** A policy document as CloudFormation holds it. */
export interface PolicyDocumentJson {
  readonly Version?: string;
  readonly Statement: PolicyStatementJson | readonly PolicyStatementJson[];
}

/** Request context: single values, multi-valued keys as arrays; an absent key is left out. */
export type RequestContext = Readonly<Record<string, string | boolean | readonly string[]>>;

/** One API request, as IAM authorises it. */
export interface IamRequest {
  readonly action: string;
  readonly resource: string;
  readonly context: RequestContext;
}

/** The outcome of an evaluation. */
export type Decision = 'allowed' | 'explicitly-denied' | 'implicitly-denied';

/** One change of a batch, as the worker sends it (names in any Route 53 spelling). */
export interface ChangeToCheck {
  readonly action: string;
  readonly name: string;
  readonly type: string;
}

/** Raised for a policy feature this evaluator does not implement. */
export class UnsupportedPolicyError extends Error {
  constructor(what: string) {
    super(`iam-evaluator does not support ${what}`);
    this.name = 'UnsupportedPolicyError';
  }
}

function asList(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function globToRegExp(pattern: string, caseInsensitive: boolean): RegExp {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`, caseInsensitive ? 'is' : 's');
}

function globMatches(pattern: string, value: string, caseInsensitive = false): boolean {
  return globToRegExp(pattern, caseInsensitive).test(value);
}

/** ArnLike compares the six colon-separated parts one by one; the resource part keeps its colons. */
function arnLike(pattern: string, value: string): boolean {
  const split = (arn: string): string[] => {
    const parts = arn.split(':');
    return [...parts.slice(0, 5), parts.slice(5).join(':')];
  };
  const patternParts = split(pattern);
  const valueParts = split(value);
  if (patternParts.length !== 6 || valueParts.length !== 6) return false;
  return patternParts.every((part, index) => globMatches(part, valueParts[index] ?? ''));
}

type Comparator = (policyValue: string, contextValue: string) => boolean;

const COMPARATORS: Readonly<Record<string, { compare: Comparator; negated: boolean }>> = {
  StringEquals: { compare: (p, c) => p === c, negated: false },
  StringNotEquals: { compare: (p, c) => p === c, negated: true },
  StringEqualsIgnoreCase: { compare: (p, c) => p.toLowerCase() === c.toLowerCase(), negated: false },
  StringLike: { compare: (p, c) => globMatches(p, c), negated: false },
  StringNotLike: { compare: (p, c) => globMatches(p, c), negated: true },
  ArnEquals: { compare: (p, c) => p === c, negated: false },
  ArnNotEquals: { compare: (p, c) => p === c, negated: true },
  ArnLike: { compare: arnLike, negated: false },
  ArnNotLike: { compare: arnLike, negated: true },
  Bool: { compare: (p, c) => p.toLowerCase() === c.toLowerCase(), negated: false },
};

function contextValues(context: RequestContext, key: string): string[] | undefined {
  const entry = Object.entries(context).find(([name]) => name.toLowerCase() === key.toLowerCase());
  if (entry === undefined) return undefined;
  const values = asList(entry[1]).map(String);
  return values.length === 0 ? undefined : values;
}

function policyValues(key: string, value: unknown): string[] {
  return asList(value).map((item) => {
    if (typeof item === 'string' || typeof item === 'boolean' || typeof item === 'number') return String(item);
    throw new UnsupportedPolicyError(`a non-literal condition value for ${key}: ${JSON.stringify(item)}`);
  });
}

function conditionHolds(operator: string, key: string, rawPolicyValues: unknown, context: RequestContext): boolean {
  const values = contextValues(context, key);
  const expected = policyValues(key, rawPolicyValues);
  if (operator === 'Null') {
    const wantsAbsent = expected.some((value) => value.toLowerCase() === 'true');
    return wantsAbsent === (values === undefined);
  }
  const qualifier = operator.startsWith('ForAllValues:') ? 'all' : operator.startsWith('ForAnyValue:') ? 'any' : 'single';
  let base = qualifier === 'single' ? operator : operator.slice(operator.indexOf(':') + 1);
  const ifExists = base.endsWith('IfExists');
  if (ifExists) base = base.slice(0, -'IfExists'.length);
  const comparator = COMPARATORS[base];
  if (comparator === undefined) throw new UnsupportedPolicyError(`the condition operator ${operator}`);
  const matchesOne = (value: string): boolean => {
    const matched = expected.some((policyValue) => comparator.compare(policyValue, value));
    return comparator.negated ? !matched : matched;
  };
  if (values === undefined) {
    // ForAllValues holds vacuously for a missing key: the reason for the Null guard.
    if (qualifier === 'all') return true;
    if (qualifier === 'any') return false;
    return ifExists || comparator.negated;
  }
  if (qualifier === 'all') return values.every(matchesOne);
  if (qualifier === 'any') return values.some(matchesOne);
  return comparator.negated ? values.every(matchesOne) : values.some(matchesOne);
}

function matchesAction(statement: PolicyStatementJson, action: string): boolean {
  if (statement.NotAction !== undefined) {
    return !asList(statement.NotAction).some((pattern) => globMatches(String(pattern), action, true));
  }
  return asList(statement.Action).some((pattern) => globMatches(String(pattern), action, true));
}

function matchesResource(statement: PolicyStatementJson, resource: string): boolean {
  // CloudFormation intrinsics (Fn::GetAtt, Fn::Join) name resources of the stack; they never match a literal ARN here.
  const literalMatch = (patterns: unknown): boolean =>
    asList(patterns).some((pattern) => typeof pattern === 'string' && globMatches(pattern, resource));
  if (statement.NotResource !== undefined) return !literalMatch(statement.NotResource);
  return literalMatch(statement.Resource);
}

function statementApplies(statement: PolicyStatementJson, request: IamRequest): boolean {
  if (!matchesAction(statement, request.action) || !matchesResource(statement, request.resource)) return false;
  return Object.entries(statement.Condition ?? {}).every(([operator, keys]) =>
    Object.entries(keys).every(([key, value]) => conditionHolds(operator, key, value, request.context)),
  );
}

function statementsOf(documents: readonly PolicyDocumentJson[]): PolicyStatementJson[] {
  return documents.flatMap((document) => asList(document.Statement) as PolicyStatementJson[]);
}

/** Evaluates a request against identity policies: explicit Deny, then Allow, else implicit deny. */
export function evaluate(documents: readonly PolicyDocumentJson[], request: IamRequest): Decision {
  const applying = statementsOf(documents).filter((statement) => statementApplies(statement, request));
  if (applying.some((statement) => statement.Effect === 'Deny')) return 'explicitly-denied';
  return applying.some((statement) => statement.Effect === 'Allow') ? 'allowed' : 'implicitly-denied';
}

/** The ChangeResourceRecordSets request IAM sees for a change batch (aws-facts §3.2). */
export function changeBatchRequest(parentZoneId: string, changes: readonly ChangeToCheck[], context: RequestContext = {}): IamRequest {
  return {
    action: 'route53:ChangeResourceRecordSets',
    resource: `arn:aws:route53:::hostedzone/${parentZoneId}`,
    context: {
      ...context,
      'route53:ChangeResourceRecordSetsActions': [...new Set(changes.map((change) => change.action.toUpperCase()))],
      'route53:ChangeResourceRecordSetsRecordTypes': [...new Set(changes.map((change) => change.type.toUpperCase()))],
      'route53:ChangeResourceRecordSetsNormalizedRecordNames': [...new Set(changes.map((change) => normaliseName(change.name)))],
    },
  };
}

/** True when the policies allow this change batch on this parent zone (`context`: the caller's other keys). */
export function isChangeBatchAllowed(
  documents: readonly PolicyDocumentJson[],
  parentZoneId: string,
  changes: readonly ChangeToCheck[],
  context: RequestContext = {},
): boolean {
  return evaluate(documents, changeBatchRequest(parentZoneId, changes, context)) === 'allowed';
}

interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Readonly<Record<string, unknown>>;
}

/**
 * Every identity policy document attached to the role named `roleName` in a synthesized
 * template (`Template.toJSON()`): its inline policies, and the AWS::IAM::Policy and
 * AWS::IAM::ManagedPolicy resources that list it.
 */
export function policyDocumentsOfRole(
  template: { readonly Resources?: Readonly<Record<string, unknown>> },
  roleName: string,
): PolicyDocumentJson[] {
  const resources = Object.entries(template.Resources ?? {}) as [string, TemplateResource][];
  const role = resources.find(([, resource]) => resource.Type === 'AWS::IAM::Role' && resource.Properties?.RoleName === roleName);
  if (role === undefined) throw new Error(`no AWS::IAM::Role named ${roleName} in the template`);
  const [logicalId, { Properties: roleProperties }] = role;
  const inline = asList(roleProperties?.Policies).map((policy) => (policy as { PolicyDocument: PolicyDocumentJson }).PolicyDocument);
  const attached = resources
    .filter(([, resource]) => resource.Type === 'AWS::IAM::Policy' || resource.Type === 'AWS::IAM::ManagedPolicy')
    .filter(([, resource]) =>
      asList(resource.Properties?.Roles).some((entry) => JSON.stringify(entry) === JSON.stringify({ Ref: logicalId })),
    )
    .map(([, resource]) => resource.Properties?.PolicyDocument as PolicyDocumentJson);
  return [...inline, ...attached];
}
