/**
 * The chaos harness's own reading of the rules, written from the README and never from
 * subzone's policy code, so the two cannot share a mistake: which rule wins a name, which
 * zone is a valid claim, how names nest and how record values compare.
 */
import type { AccountId, ZoneId } from '../../functions/core/types';

/** A child zone as the emulator holds it. */
export interface ChildZone {
  readonly account: AccountId;
  readonly zoneId: ZoneId;
  /** Lower case, no trailing dot. */
  readonly name: string;
  readonly privateZone: boolean;
  /** The opt-in tag's value, if the tag is there. */
  readonly tagValue: string | undefined;
  /** Host names without trailing dot. */
  readonly nameServers: readonly string[];
  readonly signing: ZoneSigning;
}

/** A zone's DNSSEC as its team set it: signing, its ACTIVE keys, and the two DNSSEC tags. */
export interface ZoneSigning {
  readonly signing: boolean;
  /** The ACTIVE key-signing keys: name and DS value. */
  readonly activeKeys: readonly { readonly name: string; readonly ds: string }[];
  /** Tagged `subzone:dnssec=off`. */
  readonly dsOff: boolean;
  /** The key named by `subzone:ds-retire`. */
  readonly retiredKey: string | undefined;
}

export interface TruthRule {
  readonly name: string;
  readonly accounts: readonly AccountId[];
  readonly nsTtl?: number;
}

/** The part of the config the truth needs. */
export interface TruthPolicy {
  readonly apex: string;
  readonly rules: readonly TruthRule[];
  readonly defaultTtl: number;
  readonly optInValue: string;
  /** The config's `dnssec.enabled`, and the TTL of the DS records. */
  readonly dnssec: boolean;
  readonly dsTtl: number;
}

/** Lower case, no trailing dot. */
export function canonical(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

/** Values as a comparable key: normalised, order ignored. */
export function valuesKey(values: readonly string[]): string {
  return values.map(canonical).sort().join(' ');
}

/** `name` lies strictly below `ancestor`. */
export function isStrictlyBelow(name: string, ancestor: string): boolean {
  return name.endsWith(`.${ancestor}`);
}

/** The rule that decides `name`: an exact rule beats a one-label wildcard. */
export function winningRule(policy: TruthPolicy, name: string): TruthRule | undefined {
  const exact = policy.rules.find((rule) => rule.name === name);
  if (exact) return exact;
  const firstDot = name.indexOf('.');
  if (firstDot < 0) return undefined;
  return policy.rules.find((rule) => rule.name === `*.${name.slice(firstDot + 1)}`);
}

/** A live, public, opted-in zone strictly below the apex whose winning rule lists its account. */
export function isValidClaim(policy: TruthPolicy, zone: ChildZone): boolean {
  if (zone.privateZone || zone.tagValue !== policy.optInValue) return false;
  if (!isStrictlyBelow(zone.name, policy.apex)) return false;
  return winningRule(policy, zone.name)?.accounts.includes(zone.account) ?? false;
}

/** The TTL a delegation of `name` is written with. */
export function expectedTtl(policy: TruthPolicy, name: string): number {
  return winningRule(policy, name)?.nsTtl ?? policy.defaultTtl;
}

/** One DS value, spelled one way: whitespace collapsed, upper case. */
export function dsValue(value: string): string {
  return value.trim().split(/\s+/).join(' ').toUpperCase();
}

/**
 * The DS values a delegated zone should have in the parent once signing has been seen long
 * enough: the DS of every ACTIVE key but the retired one; none when DNSSEC is off in the config,
 * the zone does not sign, or it is tagged `subzone:dnssec=off`.
 */
export function wantedDsValues(policy: TruthPolicy, zone: ChildZone): string[] {
  const { signing } = zone;
  if (!policy.dnssec || !signing.signing || signing.dsOff) return [];
  return signing.activeKeys.filter((key) => key.name !== signing.retiredKey).map((key) => dsValue(key.ds));
}
