/**
 * Authoritative answers, as a Route 53 name server gives them for the zones it serves:
 * records with AA set, referrals (NS in authority, glue in additional, no AA) at delegation
 * points, NODATA and NXDOMAIN with the zone's SOA in authority, REFUSED outside its zones.
 * Also answers A queries for Route 53's name-server host names with their emulated
 * loopback addresses, so a resolver pointed at the emulator can reach every name server.
 *
 * DNSSEC: when the query sets the DO bit, a signing zone's records come with their RRSIGs,
 * its apex answers DNSKEY, and a referral carries the DS RRset of the delegated name (signed
 * when the parent signs). Denial of existence (NSEC) is not served.
 */
import type { Answer, Packet, Question } from 'dns-packet';
import type { DnsName } from '../../functions/core/types';
import { isAtOrBelow, isStrictlyBelow, namesBetween } from '../domain-names';
import { loopbackAddressOf, nameServerNumber } from '../route53/name-servers';
import { recordKey, type RecordSetStore, type StoredRecordSet } from '../route53/records';
import { fromWireName, toAnswers, toWireName } from './rdata';
import type { ZoneSigner } from './signer';

/** A zone as the name server sees it. */
export interface ServedZone {
  readonly name: DnsName;
  readonly records: RecordSetStore;
  /** Present while the zone signs. */
  readonly signer?: ZoneSigner | undefined;
}

const AUTHORITATIVE = 1 << 10;
const RECURSION_DESIRED = 1 << 8;
const RCODE = { NOERROR: 0, FORMERR: 1, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;
/** The DO bit of the EDNS flags (RFC 3225). */
const DNSSEC_OK = 1 << 15;
/** How many CNAMEs inside one zone an answer follows. */
const MAX_CNAME_CHAIN = 8;
/** Name-server host names are answered with this TTL (Route 53's own use 172800). */
const NAME_SERVER_TTL = 172800;

interface Reply {
  rcode: number;
  authoritative: boolean;
  answers: Answer[];
  authorities: Answer[];
  additionals: Answer[];
}

/** Answers `query` from `zones` (the zones this name server serves). */
export function answerQuery(query: Packet, zones: readonly ServedZone[]): Packet {
  const question = query.questions?.[0];
  const base = {
    id: query.id ?? 0,
    type: 'response' as const,
    questions: question ? [question] : [],
  };
  const opcode = ((query.flags ?? 0) >> 11) & 0xf;
  const reply =
    opcode !== 0
      ? empty(RCODE.NOTIMP, false)
      : question && query.questions?.length === 1
        ? resolve(question, zones, wantsDnssec(query))
        : empty(RCODE.FORMERR, false);
  const flags = (reply.authoritative ? AUTHORITATIVE : 0) | ((query.flags ?? 0) & RECURSION_DESIRED) | reply.rcode;
  return {
    ...base,
    flags,
    answers: reply.answers,
    authorities: reply.authorities,
    additionals: [...reply.additionals, ...ednsOf(query)],
  };
}

/** Echo EDNS when the query used it, so resolvers keep their larger UDP size; DO is echoed too. */
function ednsOf(query: Packet): Answer[] {
  const opt = query.additionals?.find((record) => record.type === 'OPT');
  const flags = wantsDnssec(query) ? DNSSEC_OK : 0;
  return opt ? [{ type: 'OPT', name: '.', udpPayloadSize: 1232, flags, options: [] } as unknown as Answer] : [];
}

function wantsDnssec(query: Packet): boolean {
  const opt = query.additionals?.find((record) => record.type === 'OPT') as { flags?: number } | undefined;
  return ((opt?.flags ?? 0) & DNSSEC_OK) !== 0;
}

/** QTYPE 255; dns-packet's type list leaves it out but decodes it as 'ANY'. */
function isAny(question: Question): boolean {
  return (question.type as string) === 'ANY';
}

function empty(rcode: number, authoritative: boolean): Reply {
  return { rcode, authoritative, answers: [], authorities: [], additionals: [] };
}

function resolve(question: Question, zones: readonly ServedZone[], dnssec: boolean): Reply {
  const qname = fromWireName(question.name);
  if (qname === undefined) return empty(RCODE.FORMERR, false);
  if (question.class !== undefined && question.class !== 'IN') return empty(RCODE.REFUSED, false);
  if (nameServerNumber(qname) !== undefined) return nameServerAddress(question, qname);
  const zone = closestZone(qname, zones);
  if (!zone) return empty(RCODE.REFUSED, false);
  return resolveInZone(question, qname, zone, dnssec ? zone.signer : undefined, dnssec);
}

/** The deepest served zone that holds `qname`. */
function closestZone(qname: DnsName, zones: readonly ServedZone[]): ServedZone | undefined {
  let best: ServedZone | undefined;
  for (const zone of zones) {
    if (isAtOrBelow(qname, zone.name) && (!best || isStrictlyBelow(zone.name, best.name))) best = zone;
  }
  return best;
}

function nameServerAddress(question: Question, qname: DnsName): Reply {
  const reply = empty(RCODE.NOERROR, true);
  const address = loopbackAddressOf(qname);
  if (address && (question.type === 'A' || isAny(question))) {
    reply.answers.push({ type: 'A', name: question.name, ttl: NAME_SERVER_TTL, data: address });
  }
  return reply;
}

/** `signer` is set when the client asked for DNSSEC and the zone signs; `dnssec` when the client asked. */
function resolveInZone(question: Question, qname: DnsName, zone: ServedZone, signer: ZoneSigner | undefined, dnssec: boolean): Reply {
  const cut = delegationAbove(qname, zone);
  // The DS at a delegation point belongs to the parent side: answer it, don't refer.
  if (cut !== undefined && !(question.type === 'DS' && cut === qname)) return referral(zone, cut, signer, dnssec);

  const reply = empty(RCODE.NOERROR, true);
  if (question.type === 'DNSKEY' && qname === zone.name && zone.signer) {
    reply.answers.push(...zone.signer.dnskeys.map((record) => ({ ...record, name: question.name })));
    if (signer) reply.answers.push(...signer.sign(zone.signer.dnskeys, question.name));
    return reply;
  }
  let owner = question.name;
  let name = qname;
  for (let step = 0; step <= MAX_CNAME_CHAIN; step += 1) {
    const sets = setsAt(zone, name);
    const source = sets.length > 0 || hasDescendants(zone, name) ? sets : setsAt(zone, wildcardFor(zone, name));
    if (source.length === 0 && !hasDescendants(zone, name)) {
      // After a CNAME the code speaks of the last name in the chain (RFC 6604).
      reply.rcode = RCODE.NXDOMAIN;
      return withSoa(reply, zone, signer);
    }
    const matching = source.filter((set) => isAny(question) || set.type === question.type);
    if (matching.length > 0) {
      for (const set of matching) reply.answers.push(...signed(set, owner, signer));
      return reply;
    }
    const cname = source.find((set) => set.type === 'CNAME');
    const target = cname ? fromWireName(cname.values[0] ?? '') : undefined;
    if (!cname || target === undefined) return withSoa(reply, zone, signer);
    reply.answers.push(...signed(cname, owner, signer));
    if (!isAtOrBelow(target, zone.name) || delegationAbove(target, zone) !== undefined) return reply;
    name = target;
    owner = toWireName(target);
  }
  return reply;
}

/** The highest NS record set strictly below the apex at or above `qname`. */
function delegationAbove(qname: DnsName, zone: ServedZone): DnsName | undefined {
  if (qname === zone.name) return undefined;
  for (const name of [...namesBetween(qname, zone.name), qname]) {
    if (zone.records.has(recordKey(name, 'NS'))) return name;
  }
  return undefined;
}

/** A set's records owned by `owner`, followed by their RRSIGs when `signer` is set (signed under the set's own name). */
function signed(set: StoredRecordSet, owner: string, signer: ZoneSigner | undefined): Answer[] {
  const records = toAnswers(set, owner);
  return signer ? [...records, ...signer.sign(toAnswers(set, toWireName(set.name)), owner)] : records;
}

/** The delegation NS (never signed: the child owns it), and the DS for a DNSSEC client. */
function referral(zone: ServedZone, cut: DnsName, signer: ZoneSigner | undefined, dnssec: boolean): Reply {
  const reply = empty(RCODE.NOERROR, false);
  const ns = zone.records.get(recordKey(cut, 'NS'));
  if (!ns) return reply;
  reply.authorities.push(...toAnswers(ns, toWireName(cut)));
  const ds = zone.records.get(recordKey(cut, 'DS'));
  if (dnssec && ds) reply.authorities.push(...signed(ds, toWireName(cut), signer));
  for (const value of ns.values) {
    const host = fromWireName(value);
    // Glue only for name servers inside the delegated name: the others resolve on their own.
    if (host === undefined || !isAtOrBelow(host, cut)) continue;
    for (const type of ['A', 'AAAA']) {
      const glue = zone.records.get(recordKey(host, type));
      if (glue) reply.additionals.push(...toAnswers(glue, toWireName(host)));
    }
  }
  return reply;
}

function setsAt(zone: ServedZone, name: DnsName): StoredRecordSet[] {
  return zone.records.setsNamed(name);
}

/** True when some record lies below `name` (an empty non-terminal exists: NODATA, not NXDOMAIN). */
function hasDescendants(zone: ServedZone, name: DnsName): boolean {
  return zone.records.hasBelow(name);
}

/** The wildcard that would cover `name`: `*.` + its closest existing ancestor. */
function wildcardFor(zone: ServedZone, name: DnsName): DnsName {
  let encloser = name.slice(name.indexOf('.') + 1);
  while (encloser !== zone.name && setsAt(zone, encloser).length === 0 && !hasDescendants(zone, encloser)) {
    encloser = encloser.slice(encloser.indexOf('.') + 1);
  }
  return `\\052.${encloser}`;
}

/** NODATA / NXDOMAIN: the SOA goes in authority with its negative-caching TTL (RFC 2308). */
function withSoa(reply: Reply, zone: ServedZone, signer: ZoneSigner | undefined): Reply {
  const soa = zone.records.get(recordKey(zone.name, 'SOA'));
  if (soa) {
    const minimum = Number(soa.values[0]?.trim().split(/\s+/)[6] ?? soa.ttl);
    const owner = toWireName(zone.name);
    reply.authorities.push(...toAnswers({ ...soa, ttl: Math.min(soa.ttl, minimum) }, owner));
    if (signer) reply.authorities.push(...signer.sign(toAnswers(soa, owner), owner));
  }
  return reply;
}
