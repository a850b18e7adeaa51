/**
 * The audit's judgement of one NS record in a parent zone, from facts already read: pure, so
 * every class is tested side by side without AWS. Classes are checked in this order:
 * - `below-delegation` (low): a delegation above it means the record is never served;
 * - `foreign` (low): its name servers are not Route 53's, so no zone here can be checked;
 * - `delegated` (ok): a live zone with these name servers, in an account the winning rule lists
 *   (`low` when that zone is not opted in: it works, but subzone does not manage it);
 * - `outside-allowlist` (medium): a live zone serves it, but no rule lets its account claim it;
 * - `mismatched` (high): the name's live zone has other name servers;
 * - `dangling` (critical): no live zone a readable account holds serves the name: anyone who
 *   creates a zone on those name servers takes the name over.
 * An account that could not be read is named on the finding, never guessed about.
 * Next to a delegation a live zone serves, its DS (docs/dnssec.md):
 * - `ds-mismatch` (critical): the parent's DS matches no active key of the zone, so validating
 *   resolvers fail the name;
 * - `unsigned-chain` (low): the zone signs with an active key but the parent holds no DS, so
 *   resolvers do not validate it.
 */
import { canonicalDsValue } from '../functions/core/ds-policy';
import { isStrictlyBelow, sameValueSet } from '../functions/core/names';
import { winningRule } from '../functions/core/rules';
import type { AccountId, DnsName, RecordSet, SubzoneConfig, ZoneId } from '../functions/core/types';

export type FindingClass =
  | 'delegated'
  | 'dangling'
  | 'mismatched'
  | 'foreign'
  | 'outside-allowlist'
  | 'below-delegation'
  | 'ds-mismatch'
  | 'unsigned-chain';
export type Severity = 'ok' | 'low' | 'medium' | 'high' | 'critical';

/** Severities in rising order; `high` and above make the audit exit 2. */
export const SEVERITIES: readonly Severity[] = ['ok', 'low', 'medium', 'high', 'critical'];

/** A public hosted zone in a child account, with its name servers. */
export interface LiveZone {
  readonly account: AccountId;
  readonly zoneId: ZoneId;
  readonly name: DnsName;
  readonly optedIn: boolean;
  readonly nameServers: readonly DnsName[];
  /** Its signing, read for zones whose names a parent delegates: signing or not, and the DS value of each active key. */
  readonly signing?: { readonly signing: boolean; readonly activeDs: readonly string[] };
}

/** One finding (the JSON contract: name, parentZone, class, severity, and more). */
export interface Finding {
  readonly name: DnsName;
  readonly parentZone: DnsName;
  readonly parentZoneId: ZoneId;
  readonly class: FindingClass;
  readonly severity: Severity;
  readonly nameServers: readonly string[];
  /** The zone that serves the name (delegated, outside-allowlist) or holds it (mismatched). */
  readonly account?: AccountId;
  readonly zoneId?: ZoneId;
  /** The parent's DS values at the name (`ds-mismatch`). */
  readonly dsValues?: readonly string[];
  /** Accounts that might hold the name but could not be read. */
  readonly unreadableAccounts?: readonly AccountId[];
  /** What the finding means, in words. */
  readonly detail: string;
}

/** Everything the audit read about one parent zone. */
export interface ParentFacts {
  readonly config: SubzoneConfig;
  readonly parentZoneId: ZoneId;
  readonly apex: DnsName;
  /** Every NS record of the parent, the apex's included (it is skipped). */
  readonly nsRecords: readonly RecordSet[];
  /** Every DS record of the parent. */
  readonly dsRecords?: readonly RecordSet[];
  /** Live public zones of every readable account. */
  readonly liveZones: readonly LiveZone[];
  readonly unreadableAccounts: readonly AccountId[];
}

/** Route 53's name servers: `ns-<n>.awsdns-<nn>.<com|net|org|co.uk>`. */
const ROUTE53_NAME_SERVER = /^ns-\d{1,4}\.awsdns-\d{2}\.(com|net|org|co\.uk)\.?$/i;

/** Classifies every NS record below the apex of one parent zone. */
export function auditParent(facts: ParentFacts): Finding[] {
  const delegations = facts.nsRecords.filter((record) => record.name !== facts.apex);
  // Worst first, then by name, so the finding to act on leads.
  return delegations
    .flatMap((record) => {
      const finding = classify(record, delegations, facts);
      const ds = dsFinding(finding, facts);
      return ds === undefined ? [finding] : [finding, ds];
    })
    .sort((a, b) => SEVERITIES.indexOf(b.severity) - SEVERITIES.indexOf(a.severity) || a.name.localeCompare(b.name));
}

function classify(record: RecordSet, delegations: readonly RecordSet[], facts: ParentFacts): Finding {
  const base = { name: record.name, parentZone: facts.apex, parentZoneId: facts.parentZoneId, nameServers: record.values };
  const above = delegations.find((other) => isStrictlyBelow(record.name, other.name));
  if (above !== undefined) {
    return { ...base, class: 'below-delegation', severity: 'low', detail: `never served: ${above.name} is delegated above it` };
  }
  if (!record.values.every((value) => ROUTE53_NAME_SERVER.test(value))) {
    return { ...base, class: 'foreign', severity: 'low', detail: 'name servers outside Route 53: not checked' };
  }
  const rule = winningRule(facts.config, record.name);
  const zones = facts.liveZones.filter((zone) => zone.name === record.name);
  const serving = zones.find((zone) => sameValueSet(zone.nameServers, record.values));
  if (serving !== undefined) {
    const at = { account: serving.account, zoneId: serving.zoneId };
    if (rule === undefined || !rule.accounts.includes(serving.account)) {
      const why = rule === undefined ? 'no rule allows the name' : `rule ${rule.name} does not list account ${serving.account}`;
      return {
        ...base,
        ...at,
        class: 'outside-allowlist',
        severity: 'medium',
        detail: `served by zone ${serving.zoneId} in account ${serving.account}, but ${why}`,
      };
    }
    return serving.optedIn
      ? { ...base, ...at, class: 'delegated', severity: 'ok', detail: `served by zone ${serving.zoneId} in account ${serving.account}` }
      : {
          ...base,
          ...at,
          class: 'delegated',
          severity: 'low',
          detail: `served by zone ${serving.zoneId} in account ${serving.account}, which is not opted in: subzone does not manage it`,
        };
  }
  const unreadable = possibleHolders(facts.unreadableAccounts, rule?.accounts);
  const unknown = unreadable.length > 0 ? { unreadableAccounts: unreadable } : {};
  const caveat = unreadable.length > 0 ? `; account(s) ${unreadable.join(', ')} could not be read` : '';
  const holder = zones[0];
  if (holder !== undefined) {
    return {
      ...base,
      account: holder.account,
      zoneId: holder.zoneId,
      ...unknown,
      class: 'mismatched',
      severity: 'high',
      detail: `zone ${holder.zoneId} in account ${holder.account} holds the name with other name servers${caveat}`,
    };
  }
  return {
    ...base,
    ...unknown,
    class: 'dangling',
    severity: 'critical',
    detail: `no live zone of a readable account serves the name: it can be taken over${caveat}`,
  };
}

/** The DS finding next to a delegation a live zone serves, if its DS and its keys disagree. */
function dsFinding(delegation: Finding, facts: ParentFacts): Finding | undefined {
  if (delegation.class !== 'delegated' && delegation.class !== 'outside-allowlist') return undefined;
  const serving = facts.liveZones.find((zone) => zone.zoneId === delegation.zoneId && zone.account === delegation.account);
  const ds = facts.dsRecords?.find((record) => record.name === delegation.name);
  const active = new Set(serving?.signing?.activeDs.map(canonicalDsValue) ?? []);
  const { name, parentZone, parentZoneId, nameServers, account, zoneId } = delegation;
  const base = { name, parentZone, parentZoneId, nameServers, account, zoneId };
  if (ds !== undefined) {
    if (ds.values.some((value) => active.has(canonicalDsValue(value)))) return undefined;
    const detail = `the DS matches no active key of zone ${delegation.zoneId}: validating resolvers fail the name`;
    return { ...base, dsValues: ds.values, class: 'ds-mismatch', severity: 'critical', detail };
  }
  if (serving?.signing?.signing !== true || active.size === 0) return undefined;
  const detail = `zone ${delegation.zoneId} signs but the parent holds no DS: resolvers do not validate it`;
  return { ...base, class: 'unsigned-chain', severity: 'low', detail };
}

/** The unreadable accounts that might hold a name: those the rule lists, or all when no rule does. */
function possibleHolders(unreadable: readonly AccountId[], listed: readonly AccountId[] | undefined): AccountId[] {
  return unreadable.filter((account) => listed === undefined || listed.includes(account));
}

/** True when a finding is `high` or worse (the audit exits 2). */
export function isSerious(finding: Finding): boolean {
  return SEVERITIES.indexOf(finding.severity) >= SEVERITIES.indexOf('high');
}

/** True for a finding about a DS record rather than a delegation's NS. */
export function isDsFinding(finding: Finding): boolean {
  return finding.class === 'ds-mismatch' || finding.class === 'unsigned-chain';
}
