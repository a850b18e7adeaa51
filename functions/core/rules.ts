/**
 * Pure allowlist matching over a parsed config (docs/configuration.md, rules). Every name given here
 * is canonical (names.ts); rule patterns are canonical too, as parseConfig leaves them.
 */
import { isStrictlyBelow, isWildcardPattern } from './names';
import type { AccountId, DnsName, ParentZoneConfig, RuleConfig, SubzoneConfig } from './types';

/**
 * The managed parent zone a name is delegated in: the longest parent strictly above it.
 * Also works for a rule pattern (`*.dev.example.com` lies below `dev.example.com`).
 */
export function parentFor(config: SubzoneConfig, name: DnsName): ParentZoneConfig | undefined {
  let best: ParentZoneConfig | undefined;
  for (const parent of config.parentZones) {
    if (isStrictlyBelow(name, parent.name) && (best === undefined || parent.name.length > best.name.length)) {
      best = parent;
    }
  }
  return best;
}

/** True when the name is the apex of a managed parent zone, which no rule may match. */
export function isParentApex(config: SubzoneConfig, name: DnsName): boolean {
  return config.parentZones.some((parent) => parent.name === name);
}

/** The name with its leftmost label removed; undefined for a one-label name. */
function parentName(name: DnsName): DnsName | undefined {
  const dot = name.indexOf('.');
  return dot < 0 ? undefined : name.slice(dot + 1);
}

/**
 * The most specific rule matching a name: an exact rule beats a wildcard, and a wildcard's
 * `*` matches exactly one label (`*.dev.example.com` matches `a.dev.example.com`, not
 * `dev.example.com` nor `b.a.dev.example.com`). A managed parent's apex matches no rule.
 */
export function winningRule(config: SubzoneConfig, name: DnsName): RuleConfig | undefined {
  if (isParentApex(config, name)) return undefined;
  const exact = config.rules.find((rule) => rule.name === name);
  if (exact !== undefined) return exact;
  const above = parentName(name);
  if (above === undefined) return undefined;
  return config.rules.find((rule) => isWildcardPattern(rule.name) && rule.name.slice(2) === above);
}

/** Every account some rule lists: the accounts the sweep visits besides the ledger's. */
export function accountsInAllowlist(config: SubzoneConfig): Set<AccountId> {
  return new Set(config.rules.flatMap((rule) => rule.accounts));
}

/** The TTL of the NS records written for a name of this rule. */
export function nsTtlFor(config: SubzoneConfig, rule: RuleConfig): number {
  return rule.nsTtl ?? config.nsTtl;
}

/** The TTL of the DS records written for a name of this rule. */
export function dsTtlFor(config: SubzoneConfig, rule: RuleConfig): number {
  return rule.dsTtl ?? config.dnssec.dsTtl;
}
