/**
 * The state a chaos run must end in, once the faults have stopped and sweeps have let every
 * grace period pass, computed from the children's final zones, the final allowlist and the
 * name owners the ledger recorded (the owners decide between claims that raced; nothing
 * else from subzone is trusted):
 * - every owner is a valid claim of its name (no orphaned owner);
 * - every NS record subzone holds is its owner's, with the owner's name servers and TTL;
 * - every claimed name is delegated unless a record at, below or a delegation above it
 *   stands in the way; an owned name to its owner, an unowned one to its only claimant;
 * - no delegation subzone holds lies below another;
 * - every delegation subzone holds for a signing owner carries the DS of the owner's active
 *   keys (but the retired one), and no DS subzone holds lies anywhere else (the final sweeps
 *   move the clock past the NS TTL a first DS waits for); below a delegation above it, where
 *   the NS is not served, a DS may only have been withdrawn;
 * - no lease is left behind and no intent is left unsettled.
 */
import type { Violation } from './monitor';
import {
  canonical,
  dsValue,
  expectedTtl,
  isStrictlyBelow,
  isValidClaim,
  valuesKey,
  wantedDsValues,
  type ChildZone,
  type TruthPolicy,
} from './truth';

export interface FinalRecord {
  readonly name: string;
  readonly type: string;
  readonly ttl: number;
  readonly values: readonly string[];
  readonly author: 'subzone' | 'hand';
}

export interface FinalOwner {
  readonly name: string;
  readonly account: string;
  readonly zoneId: string;
}

export interface FinalLedger {
  readonly owners: readonly FinalOwner[];
  readonly leases: readonly string[];
  /** Entries whose intent is still open: `account/zoneId state`. */
  readonly unsettled: readonly string[];
}

export interface FinalState {
  readonly policy: TruthPolicy;
  readonly zones: readonly ChildZone[];
  readonly records: readonly FinalRecord[];
  readonly ledger: FinalLedger;
  /** Names whose DS a person deleted or changed during the run: subzone need not write it again. */
  readonly handDs?: ReadonlySet<string>;
}

/** Every way the final state differs from the oracle's. */
export function checkFinalState(state: FinalState): Violation[] {
  const violations: Violation[] = [];
  const flag = (invariant: string, message: string) => violations.push({ invariant, message });
  const { policy, zones, ledger } = state;
  const records = state.records.map((record) => ({ ...record, name: canonical(record.name) }));
  const zoneById = new Map(zones.map((zone) => [zone.zoneId, zone]));
  const ownerOf = new Map(ledger.owners.map((owner) => [canonical(owner.name), owner]));
  const ownerZone = (name: string) => {
    const owner = ownerOf.get(name);
    return owner === undefined ? undefined : zoneById.get(owner.zoneId);
  };

  for (const owner of ledger.owners) {
    const zone = zoneById.get(owner.zoneId);
    if (!zone || zone.account !== owner.account || zone.name !== canonical(owner.name) || !isValidClaim(policy, zone)) {
      flag('7: no orphaned name owner', `${owner.name} is owned by ${owner.account}/${owner.zoneId}, ${describe(policy, zone)}`);
    }
  }

  const delegations = records.filter((record) => record.type === 'NS' && record.name !== policy.apex);
  const held = delegations.filter((record) => {
    const zone = ownerZone(record.name);
    return record.author === 'subzone' || (zone !== undefined && valuesKey(zone.nameServers) === valuesKey(record.values));
  });
  // Beside a DS a person wrote or changed, subzone never removes the NS: it releases the name instead.
  const handDsAt = (name: string) => records.some((record) => record.name === name && record.type === 'DS' && record.author === 'hand');
  for (const record of delegations.filter((candidate) => candidate.author === 'subzone' && !handDsAt(candidate.name))) {
    const zone = ownerZone(record.name);
    if (!zone || !isValidClaim(policy, zone)) {
      flag(
        '5: no delegation without a standing claim',
        `NS ${record.name} [${valuesKey(record.values)}] stands, ${zone ? describe(policy, zone) : 'no owner in the ledger'}`,
      );
    } else if (valuesKey(zone.nameServers) !== valuesKey(record.values) || record.ttl !== expectedTtl(policy, record.name)) {
      flag(
        "5: a delegation holds its owner's name servers and TTL",
        `NS ${record.name} ${record.ttl} [${valuesKey(record.values)}], owner ${zone.zoneId} wants ${expectedTtl(policy, record.name)} [${valuesKey(zone.nameServers)}]`,
      );
    }
  }
  for (const upper of held) {
    for (const lower of held) {
      if (isStrictlyBelow(lower.name, upper.name))
        flag('3: no delegation under another delegation', `${lower.name} stands below ${upper.name}`);
    }
  }

  const claimed = [...new Set(zones.filter((zone) => isValidClaim(policy, zone)).map((zone) => zone.name))];
  for (const name of claimed) {
    const owner = ownerZone(name);
    const claimants = zones.filter((zone) => zone.name === name && isValidClaim(policy, zone));
    // An orphaned owner is reported above; a name without owner goes to a claimant alone of its name in its account.
    const wanted = owner
      ? [owner].filter((zone) => isValidClaim(policy, zone))
      : claimants.filter((zone) => zones.filter((other) => other.account === zone.account && other.name === name).length === 1);
    if (wanted.length === 0 || blocked(name, records, policy.apex, claimants)) continue;
    const standing = records.find((record) => record.name === name && record.type === 'NS');
    if (!standing || !wanted.some((zone) => valuesKey(zone.nameServers) === valuesKey(standing.values))) {
      flag(
        'convergence: every unobstructed claim is delegated',
        `${name} claimed by ${wanted.map((zone) => `${zone.account}/${zone.zoneId}`).join(', ')}${owner ? ' (owner)' : ' (no owner)'}, parent holds ${standing ? `[${valuesKey(standing.values)}]` : 'nothing'}`,
      );
    }
  }

  violations.push(...checkDs(state, records, ownerZone));
  for (const lease of ledger.leases) flag('no lease left behind', `lease of ${lease}`);
  for (const entry of ledger.unsettled) flag('no intent left unsettled', entry);
  return violations;
}

/** DS records: each delegation of a signing owner carries its wanted DS, and subzone holds no other DS. */
function checkDs(state: FinalState, records: readonly FinalRecord[], ownerZone: (name: string) => ChildZone | undefined): Violation[] {
  const violations: Violation[] = [];
  const { policy } = state;
  const dsKey = (values: readonly string[]) => values.map(dsValue).sort().join(' | ');
  // Below a delegation above it, the NS is not served: subzone only ever withdraws a DS there.
  const hidden = (name: string) =>
    records.some((record) => record.type === 'NS' && record.name !== policy.apex && isStrictlyBelow(name, record.name));
  /** The owner whose name servers the NS at `name` holds, with the DS it wants. */
  const wanted = (name: string) => {
    const zone = ownerZone(name);
    const standing = records.find((record) => record.name === name && record.type === 'NS');
    const delegated = zone && standing && isValidClaim(policy, zone) && valuesKey(zone.nameServers) === valuesKey(standing.values);
    return delegated ? { zone, values: wantedDsValues(policy, zone) } : undefined;
  };
  for (const ds of records.filter((record) => record.type === 'DS' && record.author === 'subzone')) {
    // Beside an NS a person wrote or changed, subzone has released the name and leaves its DS alone.
    if (records.some((record) => record.name === ds.name && record.type === 'NS' && record.author === 'hand')) continue;
    const owner = wanted(ds.name);
    const values = owner?.values ?? [];
    if (values.length === 0) {
      violations.push({ invariant: '8: no DS without a signing, delegated owner', message: `DS ${ds.name} [${dsKey(ds.values)}] stands` });
    } else if (!hidden(ds.name) && (dsKey(values) !== dsKey(ds.values) || ds.ttl !== policy.dsTtl)) {
      violations.push({
        invariant: "8: a DS holds its owner's active keys",
        message: `DS ${ds.name} ${ds.ttl} [${dsKey(ds.values)}], owner ${owner?.zone.zoneId} wants ${policy.dsTtl} [${dsKey(values)}]`,
      });
    }
  }
  const names = new Set(records.filter((record) => record.type === 'NS').map((record) => record.name));
  for (const name of names) {
    const owner = wanted(name);
    if (!owner || owner.values.length === 0 || state.handDs?.has(name) || hidden(name)) continue;
    if (!records.some((record) => record.name === name && record.type === 'DS')) {
      violations.push({
        invariant: 'convergence: a signing delegation carries its DS',
        message: `${name} of ${owner.zone.zoneId} wants DS [${dsKey(owner.values)}], parent holds none`,
      });
    }
  }
  return violations;
}

/** Something in the parent keeps `name` from being delegated: a record at it (other than a claimant's own name servers), below it, or a delegation above it. */
function blocked(name: string, records: readonly FinalRecord[], apex: string, claimants: readonly ChildZone[]): boolean {
  return records.some((record) => {
    // A DS at the name stands beside its NS: it does not keep the name from being delegated.
    if (record.name === name)
      return (
        record.type !== 'DS' &&
        !(record.type === 'NS' && claimants.some((zone) => valuesKey(zone.nameServers) === valuesKey(record.values)))
      );
    if (isStrictlyBelow(record.name, name)) return true;
    return record.type === 'NS' && record.name !== apex && isStrictlyBelow(name, record.name);
  });
}

function describe(policy: TruthPolicy, zone: ChildZone | undefined): string {
  if (!zone) return 'a zone that no longer exists';
  if (zone.privateZone) return 'a private zone';
  if (zone.tagValue !== policy.optInValue) return `a zone not opted in (tag ${JSON.stringify(zone.tagValue)})`;
  return isValidClaim(policy, zone) ? 'a valid claim' : 'a zone no rule allows for its account';
}
