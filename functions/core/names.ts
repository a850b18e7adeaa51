/**
 * The one normalisation of domain names used everywhere in subzone.
 *
 * Canonical form (the `DnsName` of types.ts): lower case, no trailing dot, IDN labels as
 * punycode, and every byte outside [a-z0-9_-] written as Route 53's backslash + three-digit
 * octal escape (`*` -> `\052`, a dot inside a label -> `\056`). That is what Route 53 returns
 * (minus the trailing dot), so names read from Route 53 and names typed by people compare
 * equal once normalised.
 */
import { toASCII } from 'punycode/punycode.js';
import { NameError } from './errors';
import type { DnsName } from './types';

/** Longest label, in bytes (RFC 1035; Route 53 enforces the same). */
export const MAX_LABEL_BYTES = 63;
/** Longest name, in bytes of its wire form (length-prefixed labels plus the root byte). */
export const MAX_NAME_WIRE_BYTES = 255;

/** Characters that end a label: the dot, and the full stops IDNA treats as dots. */
const LABEL_SEPARATORS = new Set(['.', '\u3002', '\uff0e', '\uff61']);
const DOT = 0x2e;

interface RawLabel {
  /** Decoded characters; an octal escape contributes the character of its byte. */
  text: string;
  hasEscape: boolean;
  hasUnicode: boolean;
}

/** Splits `input` into labels, decoding `\ddd` and `\X` escapes. Throws NameError. */
function splitLabels(input: string): RawLabel[] {
  const labels: RawLabel[] = [];
  let current: RawLabel = { text: '', hasEscape: false, hasUnicode: false };
  let endsWithSeparator = false;
  const chars = Array.from(input);
  for (let i = 0; i < chars.length; i += 1) {
    const char = chars[i] as string;
    endsWithSeparator = false;
    if (char === '\\') {
      const next = chars[i + 1];
      if (next === undefined) throw new NameError(input, 'it ends with a lone backslash');
      current.hasEscape = true;
      if (/[0-9]/.test(next)) {
        const digits = chars.slice(i + 1, i + 4).join('');
        if (!/^[0-7]{3}$/.test(digits)) {
          throw new NameError(input, `malformed escape "\\${digits}": expected three octal digits (\\000 to \\377)`);
        }
        const byte = parseInt(digits, 8);
        if (byte > 0o377) throw new NameError(input, `escape "\\${digits}" is above \\377`);
        current.text += String.fromCharCode(byte);
        i += 3;
      } else {
        current.text += next;
        if (next.codePointAt(0)! > 0x7f) current.hasUnicode = true;
        i += 1;
      }
    } else if (LABEL_SEPARATORS.has(char)) {
      labels.push(current);
      current = { text: '', hasEscape: false, hasUnicode: false };
      endsWithSeparator = true;
    } else {
      current.text += char;
      if (char.codePointAt(0)! > 0x7f) current.hasUnicode = true;
    }
  }
  // One trailing (unescaped) dot marks a fully qualified name and is dropped.
  if (!endsWithSeparator) labels.push(current);
  return labels;
}

/** Turns one decoded label into its bytes: IDN to punycode, ASCII letters to lower case. */
function labelBytes(input: string, label: RawLabel, position: number): number[] {
  if (label.hasUnicode) {
    if (label.hasEscape) {
      throw new NameError(input, `label ${position} mixes Unicode characters with backslash escapes`);
    }
    const ascii = toASCII(label.text.normalize('NFC').toLowerCase());
    return Array.from(ascii, (char) => char.charCodeAt(0));
  }
  return Array.from(label.text, (char) => {
    const code = char.charCodeAt(0);
    return code >= 0x41 && code <= 0x5a ? code + 0x20 : code;
  });
}

function isPlainByte(byte: number): boolean {
  return (byte >= 0x61 && byte <= 0x7a) || (byte >= 0x30 && byte <= 0x39) || byte === 0x2d || byte === 0x5f;
}

function encodeLabel(bytes: readonly number[]): string {
  return bytes.map((byte) => (isPlainByte(byte) ? String.fromCharCode(byte) : `\\${byte.toString(8).padStart(3, '0')}`)).join('');
}

/** Decodes a canonical label (only `\ddd` escapes occur in it) into its bytes. */
function decodeCanonicalLabel(label: string): number[] {
  const bytes: number[] = [];
  for (let i = 0; i < label.length; i += 1) {
    if (label[i] === '\\') {
      bytes.push(parseInt(label.slice(i + 1, i + 4), 8));
      i += 3;
    } else {
      bytes.push(label.charCodeAt(i));
    }
  }
  return bytes;
}

/**
 * Normalises a domain name to canonical form. Accepts a trailing dot or not, upper case,
 * Route 53's octal escapes (`\052`), `\X` for a literal non-digit character, and Unicode
 * (IDN) labels. Throws NameError naming the input and the reason.
 */
export function normaliseName(input: string): DnsName {
  if (input === '' || input === '.') throw new NameError(input, 'the name is empty');
  const labels = splitLabels(input).map((label, index) => {
    if (label.text === '') throw new NameError(input, `label ${index + 1} is empty`);
    const bytes = labelBytes(input, label, index + 1);
    if (bytes.length > MAX_LABEL_BYTES) {
      const reason = `label ${index + 1} is ${bytes.length} bytes long; at most ${MAX_LABEL_BYTES} are allowed`;
      throw new NameError(input, reason);
    }
    return bytes;
  });
  const wireLength = labels.reduce((sum, bytes) => sum + bytes.length + 1, 1);
  if (wireLength > MAX_NAME_WIRE_BYTES) {
    const reason = `the name is ${wireLength} bytes long in wire format; at most ${MAX_NAME_WIRE_BYTES} are allowed`;
    throw new NameError(input, reason);
  }
  return labels.map(encodeLabel).join('.');
}

/** `normaliseName` that returns its NameError instead of throwing it. */
export function tryNormaliseName(input: string): { ok: true; name: DnsName } | { ok: false; error: NameError } {
  try {
    return { ok: true, name: normaliseName(input) };
  } catch (error) {
    if (error instanceof NameError) return { ok: false, error };
    throw error;
  }
}

/**
 * Normalises an allowlist rule pattern: a name, or `*.` + a name where `*` stands for exactly
 * one label. The result is the canonical name, or `*.` + the canonical rest. Throws NameError
 * when an unescaped `*` appears anywhere but as the whole leftmost label.
 */
export function normaliseRulePattern(input: string): string {
  const wildcard = input.startsWith('*.');
  const rest = wildcard ? input.slice(2) : input;
  if (hasBareAsterisk(rest)) {
    throw new NameError(input, 'a "*" is allowed only as the whole leftmost label, as in "*.dev.example.com"');
  }
  if (wildcard && (rest === '' || rest === '.')) {
    throw new NameError(input, 'a wildcard needs a name after "*.", as in "*.dev.example.com"');
  }
  return wildcard ? `*.${normaliseName(rest)}` : normaliseName(rest);
}

/** True for a rule pattern in the wildcard form `*.` + name. */
export function isWildcardPattern(pattern: string): boolean {
  return pattern.startsWith('*.');
}

function hasBareAsterisk(input: string): boolean {
  for (let i = 0; i < input.length; i += 1) {
    if (input[i] === '\\') i += 1;
    else if (input[i] === '*') return true;
  }
  return false;
}

/** The fully qualified form of a canonical name: with the trailing dot. */
export function toFqdn(name: DnsName): string {
  return `${name}.`;
}

/** The canonical labels of a canonical name, leftmost first. */
export function labelsOf(name: DnsName): string[] {
  return name.split('.');
}

/** True when `name` equals `ancestor` or lies below it (both canonical). */
export function isAtOrBelow(name: DnsName, ancestor: DnsName): boolean {
  return name === ancestor || isStrictlyBelow(name, ancestor);
}

/** True when `name` lies below `ancestor`, not at it (both canonical). */
export function isStrictlyBelow(name: DnsName, ancestor: DnsName): boolean {
  // Dots inside labels are escaped in canonical form, so a suffix match is a label match.
  return name.endsWith(`.${ancestor}`);
}

/**
 * The names strictly between `apex` and `name`, nearest the apex first: for
 * `a.b.c.example.com` under `example.com`, `c.example.com` then `b.c.example.com`.
 * Empty when `name` is not strictly below `apex`.
 */
export function namesBetween(name: DnsName, apex: DnsName): DnsName[] {
  if (!isStrictlyBelow(name, apex)) return [];
  const labels = labelsOf(name);
  const apexCount = labelsOf(apex).length;
  const between: DnsName[] = [];
  for (let count = apexCount + 1; count < labels.length; count += 1) {
    between.push(labels.slice(labels.length - count).join('.'));
  }
  return between;
}

/**
 * Record values that are names (NS), as a sorted set of canonical names: trailing dots,
 * case and escapes no longer matter, nor order or repeats. Throws NameError on a bad value.
 */
export function normaliseValueSet(values: readonly string[]): string[] {
  return [...new Set(values.map(normaliseName))].sort();
}

/** True when two lists of name values hold the same names once normalised. */
export function sameValueSet(a: readonly string[], b: readonly string[]): boolean {
  const left = normaliseValueSet(a);
  const right = normaliseValueSet(b);
  return left.length === right.length && left.every((value, index) => value === right[index]);
}

function orderKey(name: DnsName): number[] {
  return labelsOf(name)
    .reverse()
    .flatMap((label) => [...decodeCanonicalLabel(label), DOT]);
}

/**
 * Orders canonical names as Route 53 lists them: labels reversed (`com.example.www.`),
 * compared on the decoded bytes. Each label is followed by its dot, as in Route 53's own
 * key, so `a-b.example.com` sorts before `a.example.com` ('-' is below '.'; aws-facts §4.3).
 * Ties between different names (a decoded `\056` looks like a dot) fall back to the text.
 */
export function compareCanonicalOrder(a: DnsName, b: DnsName): number {
  const left = orderKey(a);
  const right = orderKey(b);
  const length = Math.min(left.length, right.length);
  for (let i = 0; i < length; i += 1) {
    const diff = (left[i] as number) - (right[i] as number);
    if (diff !== 0) return diff;
  }
  if (left.length !== right.length) return left.length - right.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Renders a rule pattern for IAM's `route53:ChangeResourceRecordSetsNormalizedRecordNames`
 * condition (aws-facts §3.2), used with `StringLike`. The name is escaped exactly as in the
 * canonical form, so no literal `*`, `?` or `$` survives to be read as IAM syntax; only the
 * leftmost `*` of a wildcard rule stays, as the IAM wildcard.
 *
 * IAM's `*` also matches dots, so `*.dev.example.com` lets IAM accept `b.a.dev.example.com`
 * too: the rule check in rules.ts is the exact test, IAM is the outer fence.
 */
export function toIamNamePattern(rulePattern: string): string {
  return normaliseRulePattern(rulePattern);
}
