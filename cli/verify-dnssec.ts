/**
 * The DNSSEC part of `subzone verify`: from the parent's referral (asked with the DO bit) to the
 * child's answer, the chain of trust a validating resolver follows. The DS in the referral must
 * name a DNSKEY the child serves; that key must sign the child's DNSKEY RRset; a key of the set
 * must sign the child's SOA. When the parent signs, the DS's own RRSIG must validate with a
 * DNSKEY of the parent. Each break is a finding; any finding makes the chain `broken`.
 */
import type { Answer, DnskeyAnswer, DSAnswer, RrsigAnswer } from 'dns-packet';
import type { Hop } from './commands/verify';
import { ask, formatRecord, type TraceStep } from './dig';
import { dsMatchesKey, dsText, keyTagOf, sameName, validatedBy } from './dnssec-chain';

/** What breaks a chain of trust. */
export type DnssecFindingCode =
  /** The parent holds a DS, the child serves no DNSKEY: validating resolvers fail the name. */
  | 'ds-without-signing'
  /** No DS of the parent names a DNSKEY the child serves. */
  | 'ds-matches-no-dnskey'
  /** The DNSKEY RRset is not signed by a key a DS names. */
  | 'dnskey-not-validated'
  /** The child's SOA is not signed by a key of its DNSKEY RRset. */
  | 'answer-not-validated'
  /** The parent signs, but the DS's RRSIG does not validate with the parent's DNSKEY. */
  | 'ds-not-validated'
  /** The child's server gave no reply to the DNSKEY query: nothing can be validated. */
  | 'dnskey-unanswered';

export interface DnssecFinding {
  readonly code: DnssecFindingCode;
  readonly message: string;
}

/** The chain of trust from the parent's DS to the child's answer. */
export interface DnssecVerification {
  /** `secure`: every link validates; `unsigned`: the parent holds no DS (nothing to follow); `broken`: see `findings`. */
  readonly status: 'secure' | 'unsigned' | 'broken';
  /** The DS values in the parent's referral. */
  readonly ds: readonly string[];
  /** Whether the parent signs its DS (an RRSIG came with it). */
  readonly dsSigned: boolean;
  /** Key tags of the child's DNSKEYs a DS names. */
  readonly matchedKeyTags: readonly number[];
  readonly findings: readonly DnssecFinding[];
}

const UNSIGNED: DnssecVerification = { status: 'unsigned', ds: [], dsSigned: false, matchedKeyTags: [], findings: [] };

function broken(ds: readonly DSAnswer[], dsSigs: readonly RrsigAnswer[], findings: readonly DnssecFinding[]): DnssecVerification {
  return { status: 'broken', ds: ds.map((record) => dsText(record.data)), dsSigned: dsSigs.length > 0, matchedKeyTags: [], findings };
}

/** A hop of the report: what one server answered, the records shown as one line each. */
export function hop(kind: Hop['kind'], step: TraceStep, records: readonly Answer[]): Hop {
  return {
    kind,
    server: step.server.label,
    address: `${step.server.address}#${step.server.port}`,
    rcode: step.rcode,
    authoritative: step.authoritative,
    records: records.map((record) => formatRecord(record).replace(/\s+/g, ' ')),
  };
}

function ofType<T extends Answer['type']>(records: readonly Answer[], type: T, owner: string): Array<Extract<Answer, { type: T }>> {
  return records.filter((record): record is Extract<Answer, { type: T }> => record.type === type && sameName(record.name, owner));
}

function signaturesOver(records: readonly Answer[], covered: string, owner: string): RrsigAnswer[] {
  return ofType(records, 'RRSIG', owner).filter((sig) => sig.data.typeCovered === covered);
}

/**
 * Follows the chain for `name` over the steps of a trace that resolved it (the parent's referral,
 * then the child's answer), asking the child's server for its DNSKEY RRset and, when the parent
 * signs, the parent's server for the parent's.
 */
export async function followChainOfTrust(
  name: string,
  parentZone: string,
  steps: readonly TraceStep[],
  now: Date,
): Promise<{ verification: DnssecVerification; ds?: Hop; dnskey?: Hop }> {
  const referral = steps.at(-2);
  const answer = steps.at(-1);
  const ds = referral === undefined ? [] : ofType(referral.authorities, 'DS', name);
  if (referral === undefined || answer === undefined || ds.length === 0) return { verification: UNSIGNED };
  const dsSigs = signaturesOver(referral.authorities, 'DS', name);
  const findings: DnssecFinding[] = [];
  if (dsSigs.length > 0) findings.push(...(await dsSignatureFindings(ds, dsSigs, parentZone, referral, now)));

  const keyStep = await ask(answer.server, name, 'DNSKEY', 2000, true).catch((error: unknown) => error as Error);
  if (keyStep instanceof Error) {
    const message = `no reply from ${answer.server.label} for ${name} DNSKEY: ${keyStep.message}`;
    findings.push({ code: 'dnskey-unanswered', message });
    return { verification: broken(ds, dsSigs, findings), ds: hop('ds', referral, [...ds, ...dsSigs]) };
  }
  const keys = ofType(keyStep.answers, 'DNSKEY', name);
  const keySigs = signaturesOver(keyStep.answers, 'DNSKEY', name);
  const matched = keys.filter((key) => ds.some((record) => dsMatchesKey(name, record.data, key.data)));
  findings.push(...childFindings(name, parentZone, { ds, keys, keySigs, matched, answer }, now));
  const verification: DnssecVerification = {
    status: findings.length === 0 ? 'secure' : 'broken',
    ds: ds.map((record) => dsText(record.data)),
    dsSigned: dsSigs.length > 0,
    matchedKeyTags: matched.map((key) => keyTagOf(key.data)),
    findings,
  };
  return { verification, ds: hop('ds', referral, [...ds, ...dsSigs]), dnskey: hop('dnskey', keyStep, [...keys, ...keySigs]) };
}

/** DS → DNSKEY → RRSIG(DNSKEY) → RRSIG(SOA), each link a finding when it breaks. */
function childFindings(
  name: string,
  parentZone: string,
  found: {
    readonly ds: readonly DSAnswer[];
    readonly keys: readonly DnskeyAnswer[];
    readonly keySigs: readonly RrsigAnswer[];
    readonly matched: readonly DnskeyAnswer[];
    readonly answer: TraceStep;
  },
  now: Date,
): DnssecFinding[] {
  const { ds, keys, keySigs, matched, answer } = found;
  if (keys.length === 0) {
    return [
      {
        code: 'ds-without-signing',
        message: `${parentZone} holds a DS for ${name}, but ${answer.server.label} serves no DNSKEY for it: validating resolvers fail the name`,
      },
    ];
  }
  if (matched.length === 0) {
    const tags = ds.map((record) => record.data.keyTag).join(', ');
    const served = keys.map((key) => keyTagOf(key.data)).join(', ');
    return [{ code: 'ds-matches-no-dnskey', message: `no DS of ${parentZone} (key ${tags}) names a DNSKEY of ${name} (keys ${served})` }];
  }
  const findings: DnssecFinding[] = [];
  const keySet = validatedBy(
    keys,
    keySigs,
    matched.map((key) => key.data),
    now,
  );
  if ('problem' in keySet) findings.push({ code: 'dnskey-not-validated', message: `the DNSKEY RRset of ${name}: ${keySet.problem}` });
  const soa = ofType(answer.answers, 'SOA', name);
  const soaSet = validatedBy(
    soa,
    signaturesOver(answer.answers, 'SOA', name),
    keys.map((key) => key.data),
    now,
  );
  if ('problem' in soaSet) findings.push({ code: 'answer-not-validated', message: `the SOA of ${name}: ${soaSet.problem}` });
  return findings;
}

/** The DS's RRSIG against the parent's DNSKEY RRset, asked of the server that gave the referral. */
async function dsSignatureFindings(
  ds: readonly DSAnswer[],
  dsSigs: readonly RrsigAnswer[],
  parentZone: string,
  referral: TraceStep,
  now: Date,
): Promise<DnssecFinding[]> {
  const parentStep = await ask(referral.server, parentZone, 'DNSKEY', 2000, true).catch((error: unknown) => error as Error);
  if (parentStep instanceof Error) {
    return [
      { code: 'ds-not-validated', message: `no reply from ${referral.server.label} for ${parentZone} DNSKEY: ${parentStep.message}` },
    ];
  }
  const parentKeys = ofType(parentStep.answers, 'DNSKEY', parentZone);
  const checked = validatedBy(
    ds,
    dsSigs,
    parentKeys.map((key) => key.data),
    now,
  );
  return 'problem' in checked ? [{ code: 'ds-not-validated', message: `the DS in ${parentZone}: ${checked.problem}` }] : [];
}

/** The chain in words, one line each, and whether each is good news. */
export function dnssecLines(name: string, parentZone: string, dnssec: DnssecVerification): Array<{ text: string; ok: boolean }> {
  if (dnssec.status === 'unsigned')
    return [{ text: `DNSSEC: ${parentZone} holds no DS for ${name}; there is no chain of trust to follow.`, ok: true }];
  const lines = dnssec.findings.map((finding) => ({ text: `DNSSEC ${finding.code}: ${finding.message}`, ok: false }));
  if (dnssec.status === 'secure') {
    const signedBy = dnssec.dsSigned ? `signed by ${parentZone}` : `unsigned: ${parentZone} does not sign`;
    lines.push({
      text: `DNSSEC: the DS in ${parentZone} (${signedBy}) names DNSKEY ${dnssec.matchedKeyTags.join(', ')} of ${name}, which signs its DNSKEY RRset; its SOA's RRSIG validates.`,
      ok: true,
    });
  }
  return lines;
}
