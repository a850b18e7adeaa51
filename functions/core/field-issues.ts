/**
 * Turns zod issues into FieldIssues whose messages read `expected <what>, got <value>`,
 * with paths written the way people read them: `detail.requestParameters.id`, `rules[2].name`.
 */
import type { FieldIssue } from './errors';
import * as z from 'zod/mini';
import './validation';

const MAX_SHOWN = 80;

/**
 * The value as it appears in a message: JSON, shortened; `nothing` when absent. Never throws:
 * a value too deep or too odd to serialise (a hostile body nests arrays 100,000 deep, and both
 * JSON.stringify and String then overflow the stack) is described by its type alone.
 */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  let shown: string;
  try {
    shown = JSON.stringify(value) ?? String(value);
  } catch {
    shown = Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'an object' : `a ${typeof value}`;
  }
  return shown.length > MAX_SHOWN ? `${shown.slice(0, MAX_SHOWN)}...` : shown;
}

/** A zod path as `a.b[0].c`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.map((key, index) => (typeof key === 'number' ? `[${key}]` : index === 0 ? String(key) : `.${String(key)}`)).join('');
}

/** A schema-level error that states what was expected, e.g. `expected('a 12-digit account id')`. */
export function expected(what: string): { error: (issue: { input?: unknown }) => string } {
  return { error: (issue) => `expected ${what}, got ${describeValue(issue.input)}` };
}

function typeName(expectedType: string): string {
  return /^[aeiou]/.test(expectedType) ? `an ${expectedType}` : `a ${expectedType}`;
}

/** Per-parse fallback for issues whose schema names no expectation of its own. */
const fallbackMessage: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${typeName(issue.expected)}, got ${describeValue(issue.input)}`;
    case 'invalid_value':
      return `expected ${issue.values.map((value) => describeValue(value)).join(' or ')}, got ${describeValue(issue.input)}`;
    default:
      return undefined;
  }
};

/**
 * One FieldIssue per zod issue, the path prefixed with `prefix` when given. Two checks of one
 * field that fail with the same words (format and length of one value) are reported once.
 */
export function fieldIssues(error: z.core.$ZodError, prefix: readonly PropertyKey[] = []): FieldIssue[] {
  const issues = error.issues.flatMap((issue) =>
    // One issue per unknown key, at the key's own path, so each is named where it sits.
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: formatPath([...prefix, ...issue.path, key]), message: 'unknown key' }))
      : [{ path: formatPath([...prefix, ...issue.path]), message: issue.message }],
  );
  return issues.filter(
    (issue, index) => issues.findIndex((other) => other.path === issue.path && other.message === issue.message) === index,
  );
}

/** The outcome of `safeParseFields`. */
export type FieldsResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly issues: FieldIssue[] };

/**
 * Parses `value` found at `prefix` (for the paths of issues); on failure returns the
 * issues instead of throwing.
 */
export function safeParseFields<S extends z.ZodMiniType>(
  schema: S,
  value: unknown,
  prefix: readonly PropertyKey[] = [],
): FieldsResult<z.output<S>> {
  const result = schema.safeParse(value, { error: fallbackMessage });
  return result.success ? { ok: true, value: result.data } : { ok: false, issues: fieldIssues(result.error, prefix) };
}
