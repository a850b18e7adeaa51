/**
 * EventBridge event-pattern matching, for the subset of the pattern language subzone uses:
 * exact values, `exists`, `prefix`, `anything-but` (values or a prefix), nested objects,
 * and event arrays matching when any element matches. No npm matcher of EventBridge's
 * language is well kept enough to depend on, so this is a small one.
 */

/** A pattern as EventBridge takes it: nested objects whose leaves are arrays of matchers. */
export type EventPattern = { readonly [key: string]: EventPattern | readonly unknown[] };

/** A pattern that EventBridge would refuse (InvalidEventPatternException). */
export class InvalidEventPatternError extends Error {
  constructor(path: string, reason: string) {
    super(`Event pattern is not valid at ${path || '(root)'}: ${reason}`);
    this.name = 'InvalidEventPatternError';
  }
}

type Scalar = string | number | boolean | null;

function isScalar(value: unknown): value is Scalar {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks a pattern's shape and operators; throws InvalidEventPatternError naming the path.
 * Accepts the parsed JSON of a rule's EventPattern.
 */
export function validatePattern(pattern: unknown, path = ''): asserts pattern is EventPattern {
  if (!isObject(pattern)) throw new InvalidEventPatternError(path, 'expected a JSON object');
  for (const [key, value] of Object.entries(pattern)) {
    const at = path ? `${path}.${key}` : key;
    if (Array.isArray(value)) {
      if (value.length === 0) throw new InvalidEventPatternError(at, 'empty arrays match nothing');
      value.forEach((matcher) => validateMatcher(matcher, at));
    } else if (isObject(value)) {
      validatePattern(value, at);
    } else {
      throw new InvalidEventPatternError(at, `expected an array or an object, got ${JSON.stringify(value)}`);
    }
  }
}

function validateMatcher(matcher: unknown, path: string): void {
  if (isScalar(matcher)) return;
  if (!isObject(matcher)) throw new InvalidEventPatternError(path, `unsupported matcher ${JSON.stringify(matcher)}`);
  const keys = Object.keys(matcher);
  const [operator] = keys;
  if (keys.length !== 1 || operator === undefined) {
    throw new InvalidEventPatternError(path, `a matcher object has exactly one operator, got ${JSON.stringify(matcher)}`);
  }
  const operand = matcher[operator];
  switch (operator) {
    case 'exists':
      if (typeof operand !== 'boolean') throw new InvalidEventPatternError(path, 'exists takes true or false');
      return;
    case 'prefix':
      if (typeof operand !== 'string') throw new InvalidEventPatternError(path, 'prefix takes a string');
      return;
    case 'anything-but':
      if (isScalar(operand)) return;
      if (Array.isArray(operand) && operand.every(isScalar)) return;
      if (isObject(operand) && typeof operand.prefix === 'string' && Object.keys(operand).length === 1) return;
      throw new InvalidEventPatternError(path, 'anything-but takes a value, a list of values or {"prefix": string}');
    default:
      throw new InvalidEventPatternError(path, `unsupported operator ${JSON.stringify(operator)}`);
  }
}

/** True when `event` matches `pattern`, as EventBridge decides it. */
export function matchesPattern(pattern: EventPattern, event: unknown): boolean {
  const fields = isObject(event) ? event : {};
  return Object.entries(pattern).every(([key, expected]) => {
    const actual = fields[key];
    if (Array.isArray(expected)) return matchesLeaf(expected, actual);
    return matchesPattern(expected as EventPattern, actual);
  });
}

function matchesLeaf(matchers: readonly unknown[], actual: unknown): boolean {
  // An array in the event matches when any of its elements matches.
  const values: readonly unknown[] | undefined = actual === undefined ? undefined : Array.isArray(actual) ? actual : [actual];
  return matchers.some((matcher) => matchesOne(matcher, values));
}

function matchesOne(matcher: unknown, values: readonly unknown[] | undefined): boolean {
  if (isScalar(matcher)) return values?.some((value) => value === matcher) ?? false;
  const [operator, operand] = Object.entries(matcher as Record<string, unknown>)[0] ?? [];
  switch (operator) {
    case 'exists':
      // `exists` applies to leaves only: an object or an empty array is not a present leaf.
      return operand === (values !== undefined && values.some(isScalar));
    case 'prefix':
      return values?.some((value) => typeof value === 'string' && value.startsWith(operand as string)) ?? false;
    case 'anything-but':
      return values?.some((value) => isScalar(value) && !excluded(operand, value)) ?? false;
    default:
      return false;
  }
}

function excluded(operand: unknown, value: Scalar): boolean {
  if (Array.isArray(operand)) return operand.includes(value);
  if (isObject(operand)) return typeof value === 'string' && value.startsWith(operand.prefix as string);
  return operand === value;
}
