/**
 * Domain names as the emulated Route 53 reads, stores, orders and returns them. Written for
 * the emulator alone: the code it tests has its own normaliser, and a mistake shared by both
 * would pass every test and fail against AWS.
 *
 * Route 53's rules, from "DNS domain name format"
 * (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/DomainNameFormat.html):
 * - a label holds at most 63 bytes and a name at most 255 (counted as RFC 1035 §2.3.4 counts
 *   them: each label with its length byte, plus the root's byte);
 * - printable ASCII other than the space may be written as is; bytes 000 to 040 and 177 to
 *   377 octal, and a dot inside a label, only as a backslash and three octal digits (`\056`);
 * - letters are stored in lower case, whether typed in either case or escaped (`\101` is `a`);
 * - the API returns every byte other than a-z, 0-9, `-` and `_` as an octal escape
 *   (`*.example.com` comes back as `\052.example.com.`);
 * - an internationalized name is sent in Punycode: the API is given ASCII only.
 *
 * The stored form (a `DnsName`) is that returned form without its trailing dot.
 */
import type { DnsName } from '../functions/core/types';

const MAX_LABEL_BYTES = 63;
const MAX_NAME_BYTES = 255;
const BACKSLASH = 0x5c;
const DOT = 0x2e;

/** A parsed name, or the reason it is not one. */
export type ParsedName = { readonly ok: true; readonly name: DnsName } | { readonly ok: false; readonly reason: string };

/**
 * Reads a name as a Route 53 request gives it (trailing dot optional, any case, `\ddd`
 * octal escapes) into its stored form. `\` before a character that is not a digit stands
 * for that character, as in DNS presentation format (RFC 1035 §5.1); the Route 53 page
 * lists only the octal form but also allows `\` in names.
 */
export function parseName(input: string): ParsedName {
  const labels = readLabels(input);
  if (typeof labels === 'string') return { ok: false, reason: labels };
  const empty = labels.findIndex((label) => label.length === 0);
  if (empty >= 0) return { ok: false, reason: labels.length === 1 ? 'the name is empty' : `label ${empty + 1} is empty` };
  const long = labels.findIndex((label) => label.length > MAX_LABEL_BYTES);
  if (long >= 0) {
    return { ok: false, reason: `label ${long + 1} is ${labels[long]?.length} bytes; a label holds at most ${MAX_LABEL_BYTES}` };
  }
  const size = labels.reduce((sum, label) => sum + 1 + label.length, 1);
  if (size > MAX_NAME_BYTES) return { ok: false, reason: `the name is ${size} bytes; a name holds at most ${MAX_NAME_BYTES}` };
  return { ok: true, name: labels.map(formatLabel).join('.') };
}

/** The stored form of a name whose labels arrive as bytes (a DNS message). */
export function nameFromBytes(labels: readonly (readonly number[])[]): DnsName | undefined {
  if (labels.some((label) => label.some((byte) => byte > 0xff))) return undefined;
  const text = labels.map((label) => label.map((byte) => `\\${octal(byte)}`).join('')).join('.');
  const parsed = parseName(text);
  return parsed.ok ? parsed.name : undefined;
}

/** The name as the API returns it: with its trailing dot. */
export function toFqdn(name: DnsName): string {
  return `${name}.`;
}

/** Splits `input` into labels of bytes, or returns why it cannot. */
function readLabels(input: string): number[][] | string {
  const labels: number[][] = [];
  let label: number[] = [];
  let endsWithDot = false;
  for (let index = 0; index < input.length; index += 1) {
    const code = input.charCodeAt(index);
    endsWithDot = false;
    if (code === DOT) {
      labels.push(label);
      label = [];
      endsWithDot = true;
      continue;
    }
    if (code === BACKSLASH) {
      const escape = readEscape(input, index);
      if (typeof escape === 'string') return escape;
      label.push(lowerCase(escape.byte));
      index += escape.length;
      continue;
    }
    if (code > 0x7e) return `character ${index + 1} is not ASCII; send an internationalized name in Punycode (xn--...)`;
    if (code <= 0x20) return `character ${index + 1} (byte \\${octal(code)}) must be written as an octal escape`;
    label.push(lowerCase(code));
  }
  if (!endsWithDot) labels.push(label);
  return labels;
}

/** The escape starting at the backslash at `index`: its byte and how many characters follow the backslash. */
function readEscape(input: string, index: number): { byte: number; length: number } | string {
  const next = input.charCodeAt(index + 1);
  if (Number.isNaN(next)) return 'the name ends with a lone backslash';
  if (next >= 0x30 && next <= 0x39) {
    const digits = input.slice(index + 1, index + 4);
    const byte = /^[0-7]{3}$/.test(digits) ? Number.parseInt(digits, 8) : Number.NaN;
    if (!(byte <= 0o377)) return `escape "\\${digits}" is not three octal digits from \\000 to \\377`;
    return { byte, length: 3 };
  }
  if (next <= 0x20 || next > 0x7e) return `character ${index + 2} after a backslash must be printable ASCII`;
  return { byte: next, length: 1 };
}

function lowerCase(byte: number): number {
  return byte >= 0x41 && byte <= 0x5a ? byte + 0x20 : byte;
}

function octal(byte: number): string {
  return byte.toString(8).padStart(3, '0');
}

function isReturnedAsIs(byte: number): boolean {
  return (byte >= 0x61 && byte <= 0x7a) || (byte >= 0x30 && byte <= 0x39) || byte === 0x2d || byte === 0x5f;
}

function formatLabel(bytes: readonly number[]): string {
  return bytes.map((byte) => (isReturnedAsIs(byte) ? String.fromCharCode(byte) : `\\${octal(byte)}`)).join('');
}

/** The bytes of one stored label (only `\ddd` escapes occur in the stored form). */
function bytesOfLabel(label: string): number[] {
  const bytes: number[] = [];
  for (let index = 0; index < label.length; index += 1) {
    if (label.charCodeAt(index) === BACKSLASH) {
      bytes.push(Number.parseInt(label.slice(index + 1, index + 4), 8));
      index += 3;
    } else {
      bytes.push(label.charCodeAt(index));
    }
  }
  return bytes;
}

/** The stored labels, leftmost first. A dot inside a label is escaped, so splitting is safe. */
export function labelsOf(name: DnsName): string[] {
  return name.split('.');
}

/** True when `name` lies below `ancestor`, not at it. */
export function isStrictlyBelow(name: DnsName, ancestor: DnsName): boolean {
  const labels = labelsOf(name);
  const ancestorLabels = labelsOf(ancestor);
  const offset = labels.length - ancestorLabels.length;
  return offset > 0 && ancestorLabels.every((label, index) => labels[offset + index] === label);
}

/** True when `name` is `ancestor` or lies below it. */
export function isAtOrBelow(name: DnsName, ancestor: DnsName): boolean {
  return name === ancestor || isStrictlyBelow(name, ancestor);
}

/** The names strictly between `apex` and `name`, nearest the apex first; empty when `name` is not below `apex`. */
export function namesBetween(name: DnsName, apex: DnsName): DnsName[] {
  if (!isStrictlyBelow(name, apex)) return [];
  const labels = labelsOf(name);
  const between: DnsName[] = [];
  for (let first = labels.length - labelsOf(apex).length - 1; first > 0; first -= 1) between.push(labels.slice(first).join('.'));
  return between;
}

/**
 * A text whose plain string order is Route 53's listing order of names. The
 * ListResourceRecordSets page (https://docs.aws.amazon.com/Route53/latest/APIReference/API_ListResourceRecordSets.html)
 * sorts "by DNS name with the labels reversed, for example: com.example.www." in ASCII
 * order, and notes that the trailing dot changes the order of names holding characters below
 * `.` (`! " # $ % & ' ( ) * + , -`): `a-b.example.com` comes before `a.example.com`.
 *
 * So: labels from the right, each label's bytes, then the dot that ends it. Each byte b
 * becomes the character 2b + 2 and each ending dot 2 x 0x2e + 3: bytes keep their order, an
 * ending dot sorts where `.` sorts, and a dot inside a label (`\056`, which the page leaves
 * unordered) sorts just before an ending one, so two different names never share a key and
 * every name below another follows it directly. Every character is at least 2, leaving
 * 0 and 1 free for whoever appends to a key.
 */
export function orderKey(name: DnsName): string {
  const labelEnd = String.fromCharCode(2 * DOT + 3);
  return labelsOf(name)
    .reverse()
    .map((label) => String.fromCharCode(...bytesOfLabel(label).map((byte) => 2 * byte + 2)) + labelEnd)
    .join('');
}

/** Orders two stored names as Route 53 lists them. */
export function compareNames(a: DnsName, b: DnsName): number {
  const left = orderKey(a);
  const right = orderKey(b);
  return left < right ? -1 : left > right ? 1 : 0;
}
