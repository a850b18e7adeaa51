/**
 * ChangeResourceRecordSets as Route 53 judges it: the whole batch is validated against the
 * zone, and either every change applies or none does.
 *
 * Order of judgement: request shape (InvalidInput, first problem only), batch size limits,
 * then every change in order against the zone as the earlier changes left it, then the
 * zone's invariants (apex SOA and NS). Every problem of the last two steps is collected
 * into one InvalidChangeBatch.
 *
 * Where Route 53's documentation leaves its behaviour open, the stricter reading is taken:
 * - values are compared exactly, as strings (a trailing dot on an NS value matters, as
 *   does case): a DELETE must send back what was read;
 * - a record set may be named by at most two changes of one batch, and then only as
 *   DELETE followed by CREATE (the documented replace); anything else is "an invalid set
 *   of changes";
 * - the 100-changes limit of older quota pages is still enforced;
 * - a DS record set needs an NS record set at the same name and is refused at the apex;
 * - texts not seen in real output (marked "wording chosen here") follow Route 53's style.
 */
import { isIPv4, isIPv6 } from 'node:net';
import type { DnsName } from '../../functions/core/types';
import { isStrictlyBelow, parseName, toFqdn } from '../domain-names';
import { constraintViolation, InvalidChangeBatchError } from './errors';
import { isRecordType, RECORD_TYPES, type RecordSetStore, type RecordType, recordKey, type StoredRecordSet } from './records';

/**
 * Route 53's per-request limits (https://docs.aws.amazon.com/Route53/latest/APIReference/API_ChangeResourceRecordSets.html
 * and https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/DNSLimitations.html).
 */
export const MAX_CHANGES = 100;
export const MAX_RECORD_VALUES = 1000;
export const MAX_VALUE_CHARACTERS = 32000;
/** Per record set and per value (DNSLimitations.html, "Quotas on records"). */
export const MAX_VALUES_PER_SET = 400;
export const MAX_VALUE_LENGTH = 4000;
const MAX_TTL = 2147483647;

const ACTIONS = ['CREATE', 'DELETE', 'UPSERT'] as const;
type Action = (typeof ACTIONS)[number];

/** One change as it arrived, before any validation. */
export interface ChangeRequest {
  readonly action: string | undefined;
  readonly name: string | undefined;
  readonly type: string | undefined;
  readonly ttl: string | undefined;
  readonly values: readonly string[] | undefined;
  /** ResourceRecordSet members the emulator does not implement (AliasTarget, SetIdentifier, ...). */
  readonly unsupported: readonly string[];
}

/** A zone's name and record sets, the input and output of a batch. */
export interface ZoneRecords {
  readonly name: DnsName;
  readonly records: RecordSetStore;
}

interface CheckedChange {
  readonly action: Action;
  readonly rawName: string;
  readonly type: RecordType;
  readonly ttl: number;
  readonly values: readonly string[];
}

/**
 * Applies `changes` to a copy of the zone's record sets and returns it, or throws
 * InvalidInput / InvalidChangeBatch (EmulatedServiceError) leaving the zone untouched.
 * Costs O(changes x log(zone size)): nothing here walks the whole zone.
 */
export function applyChangeBatch(zone: ZoneRecords, changes: readonly ChangeRequest[]): RecordSetStore {
  const checked = changes.map(checkShape);
  if (checked.length === 0) {
    throw constraintViolation('[]', 'changeBatch.changes', 'Member must have length greater than or equal to 1');
  }
  const limitMessages = batchLimitMessages(checked);
  if (limitMessages.length > 0) throw new InvalidChangeBatchError(limitMessages);

  const zoneFqdn = toFqdn(zone.name);
  const records = zone.records.edit();
  const messages: string[] = [];
  const actionsBySet = new Map<string, Action[]>();
  const touched = new Set<DnsName>();
  for (const change of checked) {
    const parsed = recordNameOf(change.rawName);
    if (!parsed.ok) {
      messages.push(`FATAL problem: DomainNameInvalid (${parsed.reason}) encountered with '${change.rawName}'`);
      continue;
    }
    const name = parsed.name;
    touched.add(name);
    const set: StoredRecordSet = { name, type: change.type, ttl: change.ttl, values: change.values };
    const key = recordKey(name, change.type);
    const seen = [...(actionsBySet.get(key) ?? []), change.action];
    actionsBySet.set(key, seen);
    if (seen.length > 2 || (seen.length === 2 && !(seen[0] === 'DELETE' && seen[1] === 'CREATE'))) {
      messages.push(`The request contains an invalid set of changes for a resource record set '${change.type} ${toFqdn(name)}'`);
      continue;
    }
    const problems = placementMessages(set, zone.name, zoneFqdn);
    if (change.action !== 'DELETE') problems.push(...valueMessages(set));
    if (problems.length > 0) {
      messages.push(...problems);
      continue;
    }
    messages.push(...applyOne(records, change.action, set, zoneFqdn));
  }
  messages.push(...invariantMessages(records, zone.name, touched));
  if (messages.length > 0) throw new InvalidChangeBatchError(messages);
  return records;
}

/** The request shape, as Route 53's model validation sees it (first problem only). */
function checkShape(change: ChangeRequest, index: number): CheckedChange {
  const member = `changeBatch.changes.${index + 1}.member`;
  const action = change.action;
  if (!isAction(action)) {
    throw constraintViolation(String(action), `${member}.action`, `Member must satisfy enum value set: [${ACTIONS.join(', ')}]`);
  }
  if (change.unsupported.length > 0) {
    throw constraintViolation(
      change.unsupported.join(', '),
      `${member}.resourceRecordSet`,
      'The emulator supports only simple record sets (Name, Type, TTL, ResourceRecords)',
    );
  }
  if (change.name === undefined || change.name === '') {
    throw constraintViolation('null', `${member}.resourceRecordSet.name`, 'Member must not be null');
  }
  const type = change.type;
  if (type === undefined || !isRecordType(type)) {
    throw constraintViolation(
      String(type),
      `${member}.resourceRecordSet.type`,
      `Member must satisfy enum value set: [${RECORD_TYPES.join(', ')}]`,
    );
  }
  if (change.ttl === undefined || change.values === undefined) {
    // Route 53's own wording for a record set with neither alias nor TTL + values.
    throw constraintViolation(
      'null',
      `${member}.resourceRecordSet`,
      `Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords], or TrafficPolicyInstanceId], but found none in Change with [Action=${action}, Name=${change.name}, Type=${type}, SetIdentifier=null]`,
    );
  }
  const ttl = Number(change.ttl);
  if (!/^\d+$/.test(change.ttl.trim()) || ttl > MAX_TTL) {
    throw constraintViolation(change.ttl, `${member}.resourceRecordSet.tTL`, `Member must have value between 0 and ${MAX_TTL}`);
  }
  if (change.values.length === 0) {
    throw constraintViolation('[]', `${member}.resourceRecordSet.resourceRecords`, 'Member must have length greater than or equal to 1');
  }
  change.values.forEach((value, valueIndex) => {
    if (value.length === 0 || value.length > MAX_VALUE_LENGTH) {
      throw constraintViolation(
        value.length > 40 ? `${value.slice(0, 40)}...` : value,
        `${member}.resourceRecordSet.resourceRecords.${valueIndex + 1}.member.value`,
        `Member must have length between 1 and ${MAX_VALUE_LENGTH}`,
      );
    }
  });
  return { action, rawName: change.name, type, ttl, values: change.values };
}

function isAction(action: string | undefined): action is Action {
  return (ACTIONS as readonly (string | undefined)[]).includes(action);
}

/**
 * A record's name. A `*` in the leftmost label must be that whole label: "you can't specify
 * *prod.example.com or prod*.example.com" (DomainNameFormat.html, "Using an asterisk");
 * anywhere else it is a plain character.
 */
function recordNameOf(rawName: string): ReturnType<typeof parseName> {
  const parsed = parseName(rawName);
  if (!parsed.ok) return parsed;
  const leftmost = parsed.name.split('.')[0] ?? '';
  if (leftmost !== '\\052' && leftmost.includes('\\052')) {
    return { ok: false, reason: 'a "*" in the leftmost label must be the whole label, as in "*.example.com"' };
  }
  return parsed;
}

/** The per-request limits; an UPSERT's values count twice (DNSLimitations.html). */
function batchLimitMessages(changes: readonly CheckedChange[]): string[] {
  const messages: string[] = [];
  let values = 0;
  let characters = 0;
  for (const change of changes) {
    const weight = change.action === 'UPSERT' ? 2 : 1;
    values += weight * change.values.length;
    characters += weight * change.values.reduce((sum, value) => sum + value.length, 0);
  }
  // Wording chosen here, after the real "Number of records limit of 1000 exceeded."
  if (changes.length > MAX_CHANGES) messages.push(`Number of changes limit of ${MAX_CHANGES} exceeded.`);
  if (values > MAX_RECORD_VALUES) messages.push(`Number of records limit of ${MAX_RECORD_VALUES} exceeded.`);
  if (characters > MAX_VALUE_CHARACTERS) {
    messages.push(`Number of characters in records limit of ${MAX_VALUE_CHARACTERS} exceeded.`);
  }
  return messages;
}

/** Where a record set may stand in the zone. */
function placementMessages(set: StoredRecordSet, zoneName: DnsName, zoneFqdn: string): string[] {
  const fqdn = toFqdn(set.name);
  const atApex = set.name === zoneName;
  if (!atApex && !isStrictlyBelow(set.name, zoneName)) {
    return [`RRSet with DNS name ${fqdn} is not permitted in zone ${zoneFqdn}`];
  }
  const messages: string[] = [];
  if (set.type === 'CNAME' && atApex)
    messages.push(`RRSet of type CNAME with DNS name ${fqdn} is not permitted at apex in zone ${zoneFqdn}`);
  // Wording chosen here for the three below.
  if (set.type === 'DS' && atApex) messages.push(`RRSet of type DS with DNS name ${fqdn} is not permitted at apex in zone ${zoneFqdn}`);
  if (set.type === 'SOA' && !atApex)
    messages.push(`RRSet of type SOA with DNS name ${fqdn} is not permitted; SOA is allowed only at apex in zone ${zoneFqdn}`);
  if (set.type === 'NS' && set.name.startsWith('\\052.')) {
    messages.push(`RRSet of type NS with DNS name ${fqdn} is not permitted; a wildcard name cannot hold NS records`);
  }
  return messages;
}

/** The values of a CREATE or UPSERT, checked per type. */
function valueMessages(set: StoredRecordSet): string[] {
  const messages: string[] = [];
  if ((set.type === 'CNAME' || set.type === 'SOA') && set.values.length > 1) {
    messages.push(`RRSet of type ${set.type} with DNS name ${toFqdn(set.name)} must have exactly one value`);
  }
  if (set.values.length > MAX_VALUES_PER_SET) messages.push(`Cannot have more than ${MAX_VALUES_PER_SET} records in a RRSet.`);
  const seen = new Set<string>();
  for (const value of set.values) {
    if (seen.has(value)) messages.push(`Duplicate Resource Record: '${value}'`);
    seen.add(value);
    const problem = valueProblem(set.type, value);
    if (problem) messages.push(`Invalid Resource Record: 'FATAL problem: ${problem} encountered with '${value}''`);
  }
  return messages;
}

const VALUE_SHAPES: Partial<Record<RecordType, { readonly test: (value: string) => boolean; readonly problem: string }>> = {
  A: { test: isIPv4, problem: 'ARRDATAIllegalIPv4Address (Value is not a valid IPv4 address)' },
  AAAA: { test: isIPv6, problem: 'AAAARRDATAIllegalIPv6Address (Value is not a valid IPv6 address)' },
  NS: { test: isDomainName, problem: 'DomainNameInvalid (Value is not a valid domain name)' },
  CNAME: { test: isDomainName, problem: 'DomainNameInvalid (Value is not a valid domain name)' },
  PTR: { test: isDomainName, problem: 'DomainNameInvalid (Value is not a valid domain name)' },
  MX: {
    test: (value) => fieldsMatch(value, [isUint16, isDomainName]),
    problem: 'MXRRDATAIllegal (Value is not of the form "priority host")',
  },
  SRV: {
    test: (value) => fieldsMatch(value, [isUint16, isUint16, isUint16, isDomainName]),
    problem: 'SRVRRDATAIllegal (Value is not of the form "priority weight port target")',
  },
  DS: {
    test: (value) => fieldsMatch(value, [isUint16, isUint8, isUint8, (digest) => /^[0-9a-fA-F]+$/.test(digest) && digest.length % 2 === 0]),
    problem: 'DSRRDATAIllegal (Value is not of the form "key-tag algorithm digest-type digest")',
  },
  SOA: {
    test: (value) => fieldsMatch(value, [isDomainName, isDomainName, isUint32, isUint32, isUint32, isUint32, isUint32]),
    problem: 'SOARRDATAIllegal (Value is not of the form "mname rname serial refresh retry expire minimum")',
  },
};

function valueProblem(type: RecordType, value: string): string | undefined {
  const shape = VALUE_SHAPES[type];
  return shape && !shape.test(value) ? shape.problem : undefined;
}

function fieldsMatch(value: string, tests: readonly ((field: string) => boolean)[]): boolean {
  const fields = value.trim().split(/\s+/);
  return fields.length === tests.length && tests.every((test, index) => test(fields[index] as string));
}

function isDomainName(value: string): boolean {
  return parseName(value).ok;
}

function isUintBelow(limit: number): (value: string) => boolean {
  return (value) => /^\d+$/.test(value) && Number(value) < limit;
}
const isUint8 = isUintBelow(2 ** 8);
const isUint16 = isUintBelow(2 ** 16);
const isUint32 = isUintBelow(2 ** 32);

/** One change against the record sets as the earlier changes of the batch left them. */
function applyOne(records: RecordSetStore, action: Action, set: StoredRecordSet, zoneFqdn: string): string[] {
  const key = recordKey(set.name, set.type);
  const current = records.get(key);
  const described = `[name='${toFqdn(set.name)}', type='${set.type}']`;
  if (action === 'DELETE') {
    if (!current) return [`Tried to delete resource record set ${described} but it was not found`];
    if (!sameRecordSet(current, set)) {
      return [`Tried to delete resource record set ${described} but the values provided do not match the current values`];
    }
    records.remove(set.name, set.type);
    return [];
  }
  if (action === 'CREATE' && current) return [`Tried to create resource record set ${described} but it already exists`];
  const conflict = cnameConflict(records, set, zoneFqdn);
  if (conflict) return [conflict];
  records.put(set);
  return [];
}

/** A CNAME shares its name with no other record set (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/ResourceRecordTypes.html#CNAMEFormat). */
function cnameConflict(records: RecordSetStore, set: StoredRecordSet, zoneFqdn: string): string | undefined {
  const others = records.setsNamed(set.name).filter((other) => other.type !== set.type);
  const fqdn = toFqdn(set.name);
  if (set.type === 'CNAME' && others.length > 0) {
    return `RRSet of type CNAME with DNS name ${fqdn} is not permitted as it conflicts with other records with the same DNS name in zone ${zoneFqdn}`;
  }
  if (others.some((other) => other.type === 'CNAME')) {
    return `RRSet of type ${set.type} with DNS name ${fqdn} is not permitted because a conflicting RRSet of type CNAME with the same DNS name already exists in zone ${zoneFqdn}`;
  }
  return undefined;
}

/** Same TTL and the same values as a set, compared exactly. */
function sameRecordSet(current: StoredRecordSet, requested: StoredRecordSet): boolean {
  if (current.ttl !== requested.ttl) return false;
  const currentValues = new Set(current.values);
  const requestedValues = new Set(requested.values);
  return currentValues.size === requestedValues.size && [...requestedValues].every((value) => currentValues.has(value));
}

/**
 * The apex keeps its SOA and NS; every DS stands next to an NS. The zone met these before
 * the batch, so only the names the batch touched can break them.
 */
function invariantMessages(records: RecordSetStore, zoneName: DnsName, touched: ReadonlySet<DnsName>): string[] {
  const messages: string[] = [];
  // Wording chosen here for the SOA; the NS text is Route 53's.
  if (!records.has(recordKey(zoneName, 'SOA'))) messages.push('A HostedZone must contain exactly one SOA record.');
  if (!records.has(recordKey(zoneName, 'NS'))) messages.push('A HostedZone must contain at least one NS record for the zone itself.');
  for (const name of touched) {
    if (name !== zoneName && records.has(recordKey(name, 'DS')) && !records.has(recordKey(name, 'NS'))) {
      messages.push(
        `RRSet of type DS with DNS name ${toFqdn(name)} is not permitted because no RRSet of type NS with the same DNS name exists in zone ${toFqdn(zoneName)}`,
      );
    }
  }
  return messages;
}
