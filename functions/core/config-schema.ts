/**
 * The one schema of subzone's config file (docs/configuration.md), run at synth time and when the worker
 * starts. `parseConfig` turns any input into a `SubzoneConfig` with canonical names, or
 * throws one ConfigError listing every problem with its path.
 */
import { createHash } from 'node:crypto';
import { ACCOUNT_ID_PATTERN, DEFAULT_OPT_IN_TAG, DEFAULT_READER_ROLE_NAME } from './contract';
import { ConfigError, type FieldIssue, NameError } from './errors';
import { describeValue, formatPath } from './field-issues';
import { isAtOrBelow, isStrictlyBelow, isWildcardPattern, normaliseRulePattern, tryNormaliseName } from './names';
import type { ParentZoneConfig, RuleConfig, SubzoneConfig } from './types';
import { hostedZoneIdSchema } from './zone-ids';
import * as z from 'zod/mini';
import './validation';

/** Defaults of the optional settings (docs/configuration.md). */
export const CONFIG_DEFAULTS = {
  optInTag: DEFAULT_OPT_IN_TAG,
  readerRoleName: DEFAULT_READER_ROLE_NAME,
  nsTtl: 3600,
  graceMinutes: 60,
  removalBudget: { records: 5, percent: 10 },
  dnssec: { enabled: false, dsTtl: 3600 },
} as const;

/** The TTL range accepted for the NS records subzone writes (seconds). */
export const NS_TTL_RANGE = { min: 60, max: 172800 } as const;

/** A zod error function: "required: expected X" or "expected X, got <value>". */
function expected(what: string) {
  return (issue: { readonly input?: unknown }): string =>
    issue.input === undefined ? `required: expected ${what}` : `expected ${what}, got ${describeValue(issue.input)}`;
}

/** `schema` with a description (and title) for the published JSON Schema. */
function described<S extends z.ZodMiniType>(schema: S, meta: { readonly description: string; readonly title?: string }): S {
  const copy: z.ZodMiniType = schema.clone();
  copy.register(z.globalRegistry, { ...meta });
  return copy as S;
}

/** A strict object whose unknown-key message lists the keys it knows. */
function strictObject<Shape extends z.core.$ZodLooseShape>(shape: Shape, what: string) {
  const known = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? `unknown key; expected one of: ${known}` : expected(what)(issue)),
  });
}

function integer(what: string, min: number, max?: number) {
  const error = expected(what);
  const schema = z.int({ error }).check(z.gte(min, { error }));
  return max === undefined ? schema : schema.check(z.lte(max, { error }));
}

const ttl = integer(`an integer from ${NS_TTL_RANGE.min} to ${NS_TTL_RANGE.max} (seconds)`, NS_TTL_RANGE.min, NS_TTL_RANGE.max);

const accountId = described(
  z.string({ error: expected('a 12-digit account id') }).check(z.regex(ACCOUNT_ID_PATTERN, { error: expected('a 12-digit account id') })),
  { description: 'A 12-digit AWS account id.' },
);

const domainName = z.pipe(
  z.string({ error: expected('a domain name') }),
  z.transform((value: string, ctx) => {
    const result = tryNormaliseName(value);
    if (result.ok) return result.name;
    ctx.issues.push({ code: 'custom', input: value, message: result.error.message });
    return z.NEVER;
  }),
);

const rulePattern = z.pipe(
  z.string({ error: expected('a domain name or "*." + a domain name') }),
  z.transform((value: string, ctx) => {
    const result = tryRulePattern(value);
    if (result.ok) return result.pattern;
    ctx.issues.push({ code: 'custom', input: value, message: result.message });
    return z.NEVER;
  }),
);

function tryRulePattern(value: string): { ok: true; pattern: string } | { ok: false; message: string } {
  try {
    return { ok: true, pattern: normaliseRulePattern(value) };
  } catch (error) {
    if (error instanceof NameError) return { ok: false, message: error.message };
    throw error;
  }
}

const hostedZoneId = hostedZoneIdSchema(
  expected('a hosted zone id such as "Z0123456789ABCDEFGHIJ" or "/hostedzone/Z0123456789ABCDEFGHIJ"'),
);

const parentZoneSchema = described(
  strictObject(
    {
      name: described(domainName, { description: 'Name of the parent zone, e.g. "example.com".' }),
      hostedZoneId: described(hostedZoneId, {
        description: 'Its hosted zone id in the DNS ("hub") account, bare or "/hostedzone/" form.',
      }),
    },
    'a parent zone { name, hostedZoneId }',
  ),
  { description: 'A public hosted zone in the hub account in which subzone writes delegations.' },
);

const ruleSchema = described(
  strictObject(
    {
      name: described(rulePattern, {
        description: 'A name, or "*." + a name where "*" stands for exactly one label (e.g. "*.dev.example.com").',
      }),
      accounts: described(
        z
          .array(accountId, { error: expected('a list of 12-digit account ids') })
          .check(z.minLength(1, { error: expected('at least one account id') })),
        { description: 'Accounts that may claim the names of this rule.' },
      ),
      nsTtl: described(z.optional(ttl), { description: 'TTL of the NS records written for this rule. Defaults to the top-level nsTtl.' }),
      dsTtl: described(z.optional(ttl), { description: 'TTL of the DS records written for this rule. Defaults to dnssec.dsTtl.' }),
    },
    'a rule { name, accounts, nsTtl?, dsTtl? }',
  ),
  { description: 'An allowlist rule: which accounts may claim which name.' },
);

const tagKeyError = { error: expected('a tag key of 1 to 128 characters') };
const tagValueError = { error: expected('a tag value of at most 256 characters') };
const percentError = { error: expected('a percentage from 0 to 100') };

const configSchema = described(
  strictObject(
    {
      $schema: described(z.optional(z.string()), { description: 'Path or URL of this JSON Schema, for editors; ignored.' }),
      version: described(z.literal(1, { error: expected('1') }), { description: 'Version of the config format.' }),
      mode: described(z.enum(['enforce', 'observe'], { error: expected('"enforce" or "observe"') }), {
        description: '"enforce" writes delegations; "observe" decides, logs and emits but writes nothing.',
      }),
      parentZones: described(
        z
          .array(parentZoneSchema, { error: expected('a list of parent zones') })
          .check(z.minLength(1, { error: expected('at least one parent zone') })),
        { description: 'The parent zones subzone manages.' },
      ),
      rules: described(z.array(ruleSchema, { error: expected('a list of rules') }), {
        description: 'The allowlist. When several rules match a name, the most specific wins.',
      }),
      optInTag: described(
        z.prefault(
          strictObject(
            {
              key: z._default(
                z.string(tagKeyError).check(z.minLength(1, tagKeyError), z.maxLength(128, tagKeyError)),
                CONFIG_DEFAULTS.optInTag.key,
              ),
              value: z._default(z.string(tagValueError).check(z.maxLength(256, tagValueError)), CONFIG_DEFAULTS.optInTag.value),
            },
            'a tag { key, value }',
          ),
          {},
        ),
        { description: 'The tag a hosted zone must carry, value compared exactly, to be delegated.' },
      ),
      readerRoleName: described(
        z._default(
          z
            .string({ error: expected('an IAM role name') })
            .check(z.regex(/^[\w+=,.@-]{1,64}$/, { error: expected('an IAM role name (1 to 64 of A-Z a-z 0-9 + = , . @ _ -)') })),
          CONFIG_DEFAULTS.readerRoleName,
        ),
        { description: 'Name of the read-only role subzone assumes in each child account.' },
      ),
      nsTtl: described(z._default(ttl, CONFIG_DEFAULTS.nsTtl), { description: 'TTL of the NS records subzone writes, in seconds.' }),
      graceMinutes: described(z._default(integer('a whole number of minutes, 0 or more', 0), CONFIG_DEFAULTS.graceMinutes), {
        description: 'How long an opt-out or a dropped rule must hold before the delegation is removed.',
      }),
      removalBudget: described(
        z.prefault(
          strictObject(
            {
              records: z._default(integer('a whole number of records, 0 or more', 0), CONFIG_DEFAULTS.removalBudget.records),
              percent: z._default(
                z.number(percentError).check(z.gte(0, percentError), z.lte(100, percentError)),
                CONFIG_DEFAULTS.removalBudget.percent,
              ),
            },
            'a budget { records, percent }',
          ),
          {},
        ),
        { description: 'A sweep that would remove more than the larger of these removes nothing and alarms.' },
      ),
      dnssec: described(
        z.prefault(
          strictObject(
            {
              enabled: described(z._default(z.boolean({ error: expected('true or false') }), CONFIG_DEFAULTS.dnssec.enabled), {
                description: 'Publish a DS record next to the NS of every child zone that signs.',
              }),
              dsTtl: described(z._default(ttl, CONFIG_DEFAULTS.dnssec.dsTtl), {
                description: 'TTL of the DS records subzone writes, in seconds (a rule may override it).',
              }),
            },
            'a dnssec setting { enabled, dsTtl? }',
          ),
          {},
        ),
        { description: 'DS records in the parent for child zones that sign. Off by default: no DS is ever written.' },
      ),
    },
    'a subzone config object',
  ),
  { title: 'subzone config', description: 'Allowlist and settings of subzone (docs/configuration.md).' },
);

function toFieldIssues(error: z.core.$ZodError): FieldIssue[] {
  return error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: formatPath([...issue.path, key]), message: issue.message }))
      : [{ path: formatPath(issue.path), message: issue.message }],
  );
}

interface Indexed<T> {
  readonly index: number;
  readonly value: T;
}

/**
 * `raw[list][i][field]` for every element whose field parses on its own, so the cross-checks
 * run (and report) even when other fields or the rest of the file are invalid.
 */
function parsedFields<T>(raw: unknown, list: string, field: string, schema: z.ZodMiniType<T>): Indexed<T>[] {
  const elements = isRecord(raw) ? raw[list] : undefined;
  if (!Array.isArray(elements)) return [];
  return elements.flatMap((element: unknown, index) => {
    const result = isRecord(element) ? schema.safeParse(element[field]) : undefined;
    return result?.success ? [{ index, value: result.data }] : [];
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** Values listed twice in one list (parent zone names, parent zone ids, rule patterns). */
function duplicates(values: readonly Indexed<string>[], path: (index: number) => string, list: string): FieldIssue[] {
  const first = new Map<string, number>();
  return values.flatMap(({ index, value }) => {
    const earlier = first.get(value);
    if (earlier === undefined) {
      first.set(value, index);
      return [];
    }
    return [{ path: path(index), message: `${describeValue(value)} is already listed at ${list}[${earlier}]` }];
  });
}

/** The first element of each value, in list order (later ones are reported as duplicates). */
function firstOfEach(values: readonly Indexed<string>[]): Indexed<string>[] {
  const first = new Map<string, Indexed<string>>();
  for (const element of values) if (!first.has(element.value)) first.set(element.value, element);
  return [...first.values()];
}

/** The name every match of a wildcard rule is one label below; the rule's own name otherwise. */
function patternBase(pattern: string): string {
  return isWildcardPattern(pattern) ? pattern.slice(2) : pattern;
}

/** Rules outside every parent zone, or at a parent zone's apex. */
function checkRulePlacement(patterns: readonly Indexed<string>[], parentNames: readonly string[]): FieldIssue[] {
  if (parentNames.length === 0) return [];
  return patterns.flatMap(({ index, value }) => {
    const path = `rules[${index}].name`;
    const wildcard = isWildcardPattern(value);
    const base = patternBase(value);
    const apexIndex = parentNames.indexOf(base);
    if (!wildcard && apexIndex >= 0) {
      const apex = `the apex of parent zone parentZones[${apexIndex}]`;
      return [{ path, message: `${describeValue(value)} is ${apex}; expected a name below it` }];
    }
    const inside = parentNames.some((parent) => (wildcard ? isAtOrBelow(base, parent) : isStrictlyBelow(base, parent)));
    if (inside) return [];
    const message = `expected a name below a parent zone (${parentNames.join(', ')}), got ${describeValue(value)}`;
    return [{ path, message }];
  });
}

/** The name one label above `name`, or undefined for a single label (canonical names). */
function parentName(name: string): string | undefined {
  const dot = name.indexOf('.');
  return dot < 0 ? undefined : name.slice(dot + 1);
}

/**
 * Accounts a more specific rule shadows, duplicate accounts, wildcards over a parent's apex.
 * Each rule is compared with the one wildcard that could cover it, found by its parent name,
 * so the checks grow with the number of rules, not its square.
 */
function ruleWarnings(rules: readonly RuleConfig[], parents: readonly ParentZoneConfig[]): string[] {
  const warnings: string[] = [];
  if (rules.length === 0) warnings.push('rules: the allowlist is empty; no name can be delegated');
  const wildcardIndexByBase = new Map<string, number>();
  rules.forEach((rule, index) => {
    const base = patternBase(rule.name);
    if (isWildcardPattern(rule.name) && !wildcardIndexByBase.has(base)) wildcardIndexByBase.set(base, index);
  });
  rules.forEach((rule, index) => {
    const seen = new Set<string>();
    rule.accounts.forEach((account, position) => {
      if (seen.has(account)) {
        warnings.push(`rules[${index}].accounts[${position}]: account "${account}" is listed twice`);
      }
      seen.add(account);
    });
    if (isWildcardPattern(rule.name)) {
      for (const parent of parents) {
        if (isOneLabelBelow(parent.name, patternBase(rule.name))) {
          warnings.push(
            `rules[${index}].name: "${rule.name}" also matches the apex of parent zone "${parent.name}", ` + 'which is never delegated',
          );
        }
      }
      return;
    }
    const parent = parentName(rule.name);
    const wildcardIndex = parent === undefined ? undefined : wildcardIndexByBase.get(parent);
    const wildcard = wildcardIndex === undefined ? undefined : rules[wildcardIndex];
    if (wildcard === undefined) return;
    const ruleAccounts = new Set(rule.accounts);
    for (const account of new Set(wildcard.accounts)) {
      if (!ruleAccounts.has(account)) {
        warnings.push(
          `rules[${index}] "${rule.name}" shadows rules[${wildcardIndex}] "${wildcard.name}" for account ${account}: ` +
            `that account cannot claim ${rule.name}`,
        );
      }
    }
  });
  return warnings;
}

function isOneLabelBelow(name: string, base: string): boolean {
  return parentName(name) === base;
}

/** The config file's shape as written (names in any spelling, defaults left out), before `parseConfig`. */
export type SubzoneConfigInput = z.input<typeof configSchema>;

/**
 * Validates a config file's content and returns it in canonical form, with defaults filled
 * in, plus warnings (shadowed accounts, duplicate accounts). Throws ConfigError listing
 * every violation and contradiction, each with its path.
 */
export function parseConfig(raw: unknown): { config: SubzoneConfig; warnings: string[] } {
  const result = configSchema.safeParse(raw);
  const parentNames = parsedFields(raw, 'parentZones', 'name', domainName);
  const parentIds = parsedFields(raw, 'parentZones', 'hostedZoneId', hostedZoneId);
  const patterns = parsedFields(raw, 'rules', 'name', rulePattern);
  const issues = [
    ...(result.success ? [] : toFieldIssues(result.error)),
    ...duplicates(parentNames, (index) => `parentZones[${index}].name`, 'parentZones'),
    ...duplicates(parentIds, (index) => `parentZones[${index}].hostedZoneId`, 'parentZones'),
    ...duplicates(patterns, (index) => `rules[${index}].name`, 'rules'),
    ...checkRulePlacement(
      firstOfEach(patterns),
      parentNames.map((parent) => parent.value),
    ),
  ];
  if (!result.success || issues.length > 0) throw new ConfigError(issues);
  const { $schema: _ignored, ...data } = result.data;
  const config: SubzoneConfig = {
    ...data,
    rules: data.rules.map((rule) => ({ ...rule, accounts: [...new Set(rule.accounts)] })),
  };
  return { config, warnings: ruleWarnings(data.rules, data.parentZones) };
}

function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${stableStringify(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** SHA-256 (hex) of a key-order-independent serialisation of a parsed config; the worker logs it. */
export function configHash(config: SubzoneConfig): string {
  return createHash('sha256').update(stableStringify(config)).digest('hex');
}

/** The JSON Schema of the config file (its input form), published for editors. */
export function configJsonSchema(): object {
  return z.toJSONSchema(configSchema, { io: 'input', target: 'draft-2020-12' });
}
