/**
 * Route 53's presentation-format record values turned into dns-packet record data, and
 * names between Route 53's canonical form and dns-packet's (plain text labels).
 */
import type { Answer } from 'dns-packet';
import type { DnsName } from '../../functions/core/types';
import { nameFromBytes, parseName } from '../domain-names';
import type { StoredRecordSet } from '../route53/records';

/**
 * A canonical name (octal escapes) as dns-packet writes it: escapes decoded. A dot inside a
 * label (`\056`) cannot be expressed to dns-packet and comes out as a label separator.
 */
export function toWireName(name: DnsName): string {
  return name.replace(/\\([0-7]{3})/g, (_match, digits: string) => String.fromCharCode(parseInt(digits, 8)));
}

/** A name from a DNS message in canonical form, or undefined when it is not a valid name. */
export function fromWireName(name: string): DnsName | undefined {
  return name === '.' ? undefined : nameFromBytes(name.split('.').map((label) => Array.from(label, (char) => char.charCodeAt(0))));
}

/** A name-valued field of a record value (`ns-1.awsdns-01.com.`) for dns-packet. */
function nameField(value: string): string {
  const parsed = parseName(value);
  if (!parsed.ok) throw new Error(`not a domain name: ${value}`);
  return toWireName(parsed.name);
}

/**
 * The DNS records of a record set, owner `owner` (as dns-packet writes it). Types and values
 * dns-packet cannot encode are left out: the emulator answers what it can.
 */
export function toAnswers(set: StoredRecordSet, owner: string): Answer[] {
  const answers: Answer[] = [];
  for (const value of set.values) {
    try {
      const answer = toAnswer(set.type, value.trim(), owner, set.ttl);
      if (answer) answers.push(answer);
    } catch {
      // A value the emulator cannot render is skipped; Route 53 validated it on the way in.
    }
  }
  return answers;
}

function toAnswer(type: string, value: string, name: string, ttl: number): Answer | undefined {
  const fields = value.split(/\s+/);
  const field = (index: number): string => fields[index] ?? '';
  const number = (index: number): number => Number(field(index));
  switch (type) {
    case 'A':
    case 'AAAA':
      return { type, name, ttl, data: value };
    case 'NS':
    case 'CNAME':
    case 'PTR':
      return { type, name, ttl, data: nameField(value) };
    case 'MX':
      return { type, name, ttl, data: { preference: number(0), exchange: nameField(field(1)) } };
    case 'SRV':
      return { type, name, ttl, data: { priority: number(0), weight: number(1), port: number(2), target: nameField(field(3)) } };
    case 'SOA':
      return {
        type,
        name,
        ttl,
        data: {
          mname: nameField(field(0)),
          rname: nameField(field(1)),
          serial: number(2),
          refresh: number(3),
          retry: number(4),
          expire: number(5),
          minimum: number(6),
        },
      };
    case 'DS':
      return {
        type,
        name,
        ttl,
        data: { keyTag: number(0), algorithm: number(1), digestType: number(2), digest: Buffer.from(fields.slice(3).join(''), 'hex') },
      };
    case 'TXT':
    case 'SPF':
      return { type: 'TXT', name, ttl, data: characterStrings(value) };
    case 'CAA': {
      const [flags = '0', tag = '', ...rest] = fields;
      if (tag !== 'issue' && tag !== 'issuewild' && tag !== 'iodef') return undefined;
      return { type, name, ttl, data: { flags: Number(flags), tag, value: characterStrings(rest.join(' ')).join('') } };
    }
    default:
      return undefined;
  }
}

/**
 * Splits a TXT value into its character strings: `"a b" "c"` -> ['a b', 'c'], with `\"`,
 * `\\` and octal `\ddd` escapes decoded; an unquoted value is one string per word.
 */
export function characterStrings(value: string): string[] {
  const strings: string[] = [];
  let index = 0;
  while (index < value.length) {
    while (value[index] === ' ' || value[index] === '\t') index += 1;
    if (index >= value.length) break;
    const quoted = value[index] === '"';
    if (quoted) index += 1;
    let current = '';
    while (index < value.length) {
      const char = value[index] as string;
      if (quoted ? char === '"' : char === ' ' || char === '\t') break;
      if (char === '\\' && index + 1 < value.length) {
        const digits = value.slice(index + 1, index + 4);
        // Route 53 writes TXT escapes as octal, like names (Route 53 Developer Guide, 'Supported DNS record types': TXT).
        if (/^[0-7]{3}$/.test(digits)) {
          current += String.fromCharCode(parseInt(digits, 8));
          index += 4;
          continue;
        }
        current += value[index + 1];
        index += 2;
        continue;
      }
      current += char;
      index += 1;
    }
    if (quoted) index += 1;
    strings.push(current);
  }
  return strings;
}
