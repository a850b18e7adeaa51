/**
 * Operator controls (docs/safety-rails.md, kill switch and holds) from one SSM String parameter holding JSON:
 *
 * ```json
 * { "writesPaused": false, "holds": ["foo.example.com"], "setBy": "alice: incident 42", "approvedRemovals": ["sweep-1"] }
 * ```
 *
 * `writesPaused` is required: for a kill switch, a missing value must not silently mean
 * "off". `holds` are exact names (normalised, no wildcards); the others are optional.
 *
 * Failure policy, chosen for safety:
 * - parameter absent (ParameterNotFound): no controls, so a hub without the parameter works;
 * - value malformed (not JSON, unknown key, wrong type, bad name): writes paused, because an
 *   operator who meant to pause or hold something and mistyped must not be ignored. The
 *   reason travels in `setBy`, which the reconcile logs with every pause, and to `onInvalid`;
 * - the parameter cannot be read (AccessDenied, throttling after retries): ControlsReadError,
 *   so the reconcile fails and is retried, writing nothing meanwhile.
 *
 * The parameter is read through a ParameterReader: signed requests in the worker
 * (signed-parameter-reader.ts), the SDK's SSM client in the CLI (sdk-parameter-reader.ts).
 */
import type { FieldIssue } from '../core/errors';
import { describeValue, safeParseFields } from '../core/field-issues';
import { tryNormaliseName } from '../core/names';
import type { Clock, ControlSource } from '../core/ports';
import type { Controls } from '../core/types';
import * as z from 'zod/mini';
import '../core/validation';

/** No pause, no holds: what an absent parameter means. */
export const NO_CONTROLS: Controls = Object.freeze({ writesPaused: false, holds: Object.freeze([]) });

/** How long a read value is reused by default. */
export const DEFAULT_CONTROLS_MAX_AGE_MS = 5000;

/** The controls parameter holds a value that is not valid controls JSON. */
export class ControlsParameterError extends Error {
  public readonly parameterName: string;
  public readonly issues: readonly FieldIssue[];
  constructor(parameterName: string, issues: readonly FieldIssue[]) {
    super(`invalid controls parameter ${parameterName}: ${issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ')}`);
    this.name = 'ControlsParameterError';
    this.parameterName = parameterName;
    this.issues = issues;
  }
}

/** The controls parameter could not be read: nothing may be written on an unknown kill switch. */
export class ControlsReadError extends Error {
  constructor(parameterName: string, options?: { cause?: unknown }) {
    super(`could not read controls parameter ${parameterName}`, options);
    this.name = 'ControlsReadError';
  }
}

const controlsSchema = z.strictObject({
  writesPaused: z.boolean(),
  holds: z._default(z.array(z.string()), []),
  setBy: z.optional(z.string()),
  approvedRemovals: z.optional(z.array(z.string())),
});

/** Parses the parameter's value into Controls, or throws ControlsParameterError naming each field. */
export function parseControls(parameterName: string, value: string): Controls {
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch {
    throw new ControlsParameterError(parameterName, [{ path: '', message: `expected JSON, got ${describeValue(value)}` }]);
  }
  const parsed = safeParseFields(controlsSchema, json);
  if (!parsed.ok) throw new ControlsParameterError(parameterName, parsed.issues);
  const issues: FieldIssue[] = [];
  const holds = parsed.value.holds.flatMap((hold, index) => {
    const result = tryNormaliseName(hold);
    if (result.ok) return [result.name];
    issues.push({ path: `holds[${index}]`, message: result.error.message });
    return [];
  });
  if (issues.length > 0) throw new ControlsParameterError(parameterName, issues);
  const { setBy, approvedRemovals, writesPaused } = parsed.value;
  return {
    writesPaused,
    holds: [...new Set(holds)],
    ...(setBy !== undefined ? { setBy } : {}),
    ...(approvedRemovals !== undefined ? { approvedRemovals } : {}),
  };
}

/** The fail-safe reading of a malformed parameter: all writes paused, the reason in `setBy`. */
export function pausedByInvalidParameter(error: ControlsParameterError): Controls {
  return { writesPaused: true, holds: [], setBy: `subzone (fail-safe): ${error.message}` };
}

/** Reads an SSM String parameter: its value, or undefined when it does not exist; throws when it cannot be read. */
export interface ParameterReader {
  read(name: string): Promise<string | undefined>;
}

/** Options of SsmControlSource. */
export interface SsmControlSourceOptions {
  /** Name of the SSM String parameter. */
  readonly parameterName: string;
  /** How long a value is reused before the parameter is read again. @default DEFAULT_CONTROLS_MAX_AGE_MS */
  readonly maxAgeMs?: number;
  /** @default the system clock */
  readonly clock?: Pick<Clock, 'now'>;
  /** Told of a malformed value (to log it) each time it is read. */
  readonly onInvalid?: (error: ControlsParameterError) => void;
}

/** ControlSource over one SSM parameter, cached for `maxAgeMs`. */
export class SsmControlSource implements ControlSource {
  private readonly parameters: ParameterReader;
  private readonly parameterName: string;
  private readonly maxAgeMs: number;
  private readonly clock: Pick<Clock, 'now'>;
  private readonly onInvalid: ((error: ControlsParameterError) => void) | undefined;
  private cached: { readonly controls: Controls; readonly readAt: number } | undefined;

  constructor(parameters: ParameterReader, options: SsmControlSourceOptions) {
    if (!options.parameterName) throw new Error('SsmControlSource: parameterName is required, got an empty string');
    const maxAgeMs = options.maxAgeMs ?? DEFAULT_CONTROLS_MAX_AGE_MS;
    if (!Number.isFinite(maxAgeMs) || maxAgeMs < 0) {
      throw new Error(`SsmControlSource: maxAgeMs must be a number >= 0, got ${maxAgeMs}`);
    }
    this.parameters = parameters;
    this.parameterName = options.parameterName;
    this.maxAgeMs = maxAgeMs;
    this.clock = options.clock ?? { now: () => new Date() };
    this.onInvalid = options.onInvalid;
  }

  /** The controls, from the cache while it is younger than `maxAgeMs`. */
  async read(): Promise<Controls> {
    const now = this.clock.now().getTime();
    if (this.cached && now - this.cached.readAt < this.maxAgeMs) return this.cached.controls;
    const controls = await this.fetch();
    this.cached = { controls, readAt: now };
    return controls;
  }

  private async fetch(): Promise<Controls> {
    let value: string | undefined;
    try {
      value = await this.parameters.read(this.parameterName);
    } catch (error) {
      throw new ControlsReadError(this.parameterName, { cause: error });
    }
    if (value === undefined) return NO_CONTROLS;
    try {
      return parseControls(this.parameterName, value);
    } catch (error) {
      if (!(error instanceof ControlsParameterError)) throw error;
      this.onInvalid?.(error);
      return pausedByInvalidParameter(error);
    }
  }
}

/** A ControlSource that always returns the same controls (tests, the CLI's dry runs). */
export function staticControls(controls: Controls = NO_CONTROLS): ControlSource {
  return { read: async () => controls };
}
