/**
 * Reads the config file for every entry point (the `subzone` commands, the emulator, `npm
 * start`): a file that is not JSON is one line naming the file, line and column; a file the
 * schema refuses is one line naming each field. Warnings (shadowed accounts) come back with
 * the config, so every caller can show them.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { parseConfig } from '../../functions/core/config-schema';
import { ConfigError, type FieldIssue } from '../../functions/core/errors';
import type { SubzoneConfig } from '../../functions/core/types';

/** A config file, parsed and checked. */
export interface LoadedConfig {
  readonly path: string;
  /** The file's JSON as written (the emulator rewrites its parent zone ids). */
  readonly raw: unknown;
  readonly config: SubzoneConfig;
  readonly warnings: readonly string[];
}

/**
 * The config file cannot be used; the message is one line: `PATH:LINE:COLUMN: reason` or
 * `PATH: field: reason`. A ConfigError, whose issues name the fields.
 */
export class ConfigFileError extends ConfigError {
  constructor(message: string, issues: readonly FieldIssue[], options?: { cause?: unknown }) {
    super(issues);
    this.name = 'ConfigFileError';
    this.message = message;
    if (options !== undefined) this.cause = options.cause;
  }
}

/** Reads, parses and checks the config at `path`; throws ConfigFileError. */
export function loadConfigFile(path: string): LoadedConfig {
  const shown = displayPath(path);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    // Not instanceof: fs errors may come from another realm (jest's vm contexts).
    const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : 'unreadable';
    const reason = `cannot read the file (${code})`;
    throw new ConfigFileError(`${shown}: ${reason}`, [{ path: '', message: reason }], { cause: error });
  }
  const raw = parseJson(text, shown);
  try {
    const { config, warnings } = parseConfig(raw);
    return { path, raw, config, warnings };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const issues = error.issues.map((issue) => describeIssue(issue, raw));
    throw new ConfigFileError(`${shown}: invalid subzone config: ${issues.join('; ')}`, error.issues, { cause: error });
  }
}

/** `text` as JSON, or ConfigFileError with the line and column of the first error. */
function parseJson(text: string, shown: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // V8 reports an offset ("... in JSON at position 42", newer ones add the line and column).
    const position = /at position (\d+)/.exec(message)?.[1];
    const reason = message.replace(/\s*(in JSON )?at position \d+.*$/, '').replace(/^JSON\.parse: /, '') || 'not valid JSON';
    const issues = [{ path: '', message: `not valid JSON: ${reason}` }];
    if (position === undefined) throw new ConfigFileError(`${shown}: not valid JSON: ${reason}`, issues, { cause: error });
    const before = text.slice(0, Number(position)).split('\n');
    const line = before.length;
    const column = (before.at(-1)?.length ?? 0) + 1;
    throw new ConfigFileError(`${shown}:${line}:${column}: not valid JSON: ${reason}`, issues, { cause: error });
  }
}

/** One issue, with its own message for an account id written as a number. */
function describeIssue(issue: FieldIssue, raw: unknown): string {
  const value = valueAt(raw, issue.path);
  if (/^rules\[\d+\]\.accounts\[\d+\]$/.test(issue.path) && typeof value === 'number') {
    return `${issue.path}: an account id is a string of 12 digits in quotes, got the number ${value} (a number loses leading zeros): write "${String(value).padStart(12, '0')}"`;
  }
  return issue.path ? `${issue.path}: ${issue.message}` : issue.message;
}

/** The value at a path like `rules[0].accounts[1]`, if there is one. */
function valueAt(raw: unknown, path: string): unknown {
  let current: unknown = raw;
  for (const key of path.split(/[.[\]]/).filter(Boolean)) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** A path relative to the working directory when it is below it. */
export function displayPath(path: string): string {
  const shown = relative(process.cwd(), path);
  return shown.startsWith('..') || shown === '' ? path : shown;
}
