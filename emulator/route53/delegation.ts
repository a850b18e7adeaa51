/**
 * How a zone looks from its parent, found the way a resolver finds it: from the top of the
 * emulated tree down the NS delegations. Route 53 checks this view before it changes signing
 * (the parent's NS must match the zone's name servers, the parent's DS must not name a key
 * being withdrawn), see
 * https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-configuring-dnssec-troubleshoot.html
 */
import { recordKey } from './records';
import type { HostedZone } from './state';

export type ParentView =
  /** No served zone encloses the zone: it is a top of the emulated tree, trusted as delegated. */
  | { readonly kind: 'top' }
  /** The parent delegates the zone's name: its NS values and DS values there. */
  | { readonly kind: 'delegated'; readonly parent: HostedZone; readonly nameServers: readonly string[]; readonly ds: readonly string[] }
  /** An enclosing zone exists but the delegations do not lead to the zone's name. */
  | { readonly kind: 'not-delegated' };

/** `zone` as seen from above, among `zones` (the public zones, oldest first). */
export function parentViewOf(zone: HostedZone, zones: readonly HostedZone[]): ParentView {
  const enclosing = zones.filter((candidate) => isBelow(zone.name, candidate.name));
  let current = enclosing.find((candidate) => !enclosing.some((other) => isBelow(candidate.name, other.name)));
  if (!current) return { kind: 'top' };
  for (;;) {
    const cut = highestCut(zone.name, current);
    const ns = cut === undefined ? undefined : current.records.get(recordKey(cut, 'NS'));
    if (cut === undefined || !ns) return { kind: 'not-delegated' };
    if (cut === zone.name) {
      return { kind: 'delegated', parent: current, nameServers: ns.values, ds: current.records.get(recordKey(cut, 'DS'))?.values ?? [] };
    }
    const hosts = new Set(ns.values.map(hostOf));
    current = zones.find((candidate) => candidate.name === cut && candidate.nameServers.some((host) => hosts.has(host)));
    if (!current) return { kind: 'not-delegated' };
  }
}

/** True when the parent's NS values are exactly the zone's name servers. */
export function delegatesTo(view: ParentView, zone: HostedZone): boolean {
  if (view.kind === 'top') return true;
  if (view.kind === 'not-delegated') return false;
  const published = new Set(view.nameServers.map(hostOf));
  return published.size === zone.nameServers.length && zone.nameServers.every((host) => published.has(host));
}

/** A name-server value compared as a host: lower case, no trailing dot. */
function hostOf(value: string): string {
  return value.trim().toLowerCase().replace(/\.$/, '');
}

/** The highest name with an NS set in `zone`, strictly below its apex, at or above `name`. */
function highestCut(name: string, zone: HostedZone): string | undefined {
  const labels = name.split('.');
  const depth = zone.name.split('.').length;
  for (let count = depth + 1; count <= labels.length; count += 1) {
    const candidate = labels.slice(labels.length - count).join('.');
    if (zone.records.has(recordKey(candidate, 'NS'))) return candidate;
  }
  return undefined;
}

/** Canonical names (Route 53's escapes keep a dot inside a label out of the way). */
function isBelow(name: string, ancestor: string): boolean {
  return name.endsWith(`.${ancestor}`);
}
