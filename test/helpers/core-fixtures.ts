/**
 * Builders for the pure core's inputs: configs, spoke zones, snapshots, ledger entries,
 * parent records and the facts `decideAccount` takes. Defaults describe one account (A)
 * under `example.com`; every builder takes overrides so a test states only what matters.
 */
import { parseConfig } from '../../functions/core/config-schema';
import { ProjectedParents } from '../../functions/core/parent-view';
import { type AccountFacts, type Decision, decideAccount, ownerKey, subjectOf } from '../../functions/core/policy';
import type {
  AccountId,
  Controls,
  DnsName,
  LedgerEntry,
  NameOwner,
  ParentView,
  RecordChange,
  RecordSet,
  SpokeSnapshot,
  SpokeZone,
  SubzoneConfig,
  ZoneId,
  ZoneScope,
} from '../../functions/core/types';

export const ACCOUNT_A: AccountId = '222222222222';
export const ACCOUNT_B: AccountId = '333333333333';
export const ACCOUNT_C: AccountId = '444444444444';
/** An account no rule lists. */
export const STRANGER: AccountId = '999999999999';

export const PARENT_ID: ZoneId = 'ZPARENT';
export const PARENT_NAME: DnsName = 'example.com';
export const ORG_PARENT_ID: ZoneId = 'ZORG';
export const ORG_PARENT_NAME: DnsName = 'example.org';
/** A parent nested in another: names below it are delegated in it, not in example.com. */
export const PROD_PARENT_ID: ZoneId = 'ZPROD';
export const PROD_PARENT_NAME: DnsName = 'prod.example.com';

/** A fixed "now" for every test; times are derived from it. */
export const NOW = new Date('2025-06-01T12:00:00.000Z');

/** `NOW` shifted by some minutes (negative for the past). */
export function minutesFrom(base: Date, minutes: number): Date {
  return new Date(base.getTime() + minutes * 60_000);
}

/** The raw config file every test starts from (docs/configuration.md shape). */
export function rawConfig(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    version: 1,
    mode: 'enforce',
    parentZones: [
      { name: PARENT_NAME, hostedZoneId: PARENT_ID },
      { name: ORG_PARENT_NAME, hostedZoneId: ORG_PARENT_ID },
      { name: PROD_PARENT_NAME, hostedZoneId: PROD_PARENT_ID },
    ],
    rules: [
      { name: 'foo.example.com', accounts: [ACCOUNT_A] },
      { name: 'a.foo.example.com', accounts: [ACCOUNT_A] },
      { name: 'bar.example.com', accounts: [ACCOUNT_A, ACCOUNT_B] },
      { name: 'baz.example.com', accounts: [ACCOUNT_A] },
      { name: '*.dev.example.com', accounts: [ACCOUNT_B, ACCOUNT_C], nsTtl: 300 },
      { name: 'api.dev.example.com', accounts: [ACCOUNT_C] },
      { name: 'shop.example.org', accounts: [ACCOUNT_A] },
      { name: '*.prod.example.com', accounts: [ACCOUNT_A] },
    ],
    graceMinutes: 60,
    ...overrides,
  };
}

/** A parsed config: the same path the worker takes. */
export function makeConfig(overrides: Record<string, unknown> = {}): SubzoneConfig {
  return parseConfig(rawConfig(overrides)).config;
}

/** Four name servers, canonical and sorted, distinct per `seed`. */
export function nameServersFor(seed: number): DnsName[] {
  return [
    `ns-${seed}.awsdns-01.org`,
    `ns-${seed + 1}.awsdns-02.co.uk`,
    `ns-${seed + 2}.awsdns-03.com`,
    `ns-${seed + 3}.awsdns-04.net`,
  ].sort();
}

let zoneCounter = 0;

/** A live, public, opted-in zone named `name` (canonical). */
export function makeZone(name: DnsName, overrides: Partial<SpokeZone> = {}): SpokeZone {
  zoneCounter += 1;
  return {
    zoneId: `ZSPOKE${String(zoneCounter).padStart(6, '0')}`,
    name,
    privateZone: false,
    optedIn: true,
    nameServers: nameServersFor(100 + zoneCounter * 10),
    ...overrides,
  };
}

/** A complete read of the whole account. */
export function accountSnapshot(
  zones: readonly SpokeZone[],
  account: AccountId = ACCOUNT_A,
  goneIds: readonly ZoneId[] = [],
): SpokeSnapshot {
  return {
    account,
    scope: { kind: 'account' },
    zones,
    coveredZoneIds: [...zones.map((zone) => zone.zoneId), ...goneIds],
  };
}

/** A read narrowed to some zone ids; `covered` defaults to exactly those ids. */
export function zonesSnapshot(
  zones: readonly SpokeZone[],
  zoneIds: readonly ZoneId[],
  account: AccountId = ACCOUNT_A,
  covered: readonly ZoneId[] = zoneIds,
): SpokeSnapshot {
  const scope: ZoneScope = { kind: 'zones', zoneIds };
  return { account, scope, zones, coveredZoneIds: covered };
}

/** A record set as Route 53 returns it. */
export function recordSet(name: DnsName, type: string, values: readonly string[], ttl = 3600): RecordSet {
  return { name, type, ttl, values };
}

/** NS values the way Route 53 writes them back: fully qualified. */
export function asRoute53Values(nameServers: readonly DnsName[]): string[] {
  return nameServers.map((server) => `${server}.`);
}

/** The NS record set delegating `zone` in its parent, as Route 53 returns it. */
export function nsRecordFor(zone: SpokeZone, ttl = 3600): RecordSet {
  return recordSet(zone.name, 'NS', asRoute53Values(zone.nameServers), ttl);
}

/** A ledger entry holding the NS record delegating `zone` (state `delegated`, origin `written`). */
export function makeEntry(zone: SpokeZone, overrides: Partial<LedgerEntry> = {}, account: AccountId = ACCOUNT_A): LedgerEntry {
  const ttl = overrides.records?.[0]?.ttl ?? 3600;
  return {
    account,
    zoneId: zone.zoneId,
    name: zone.name,
    parentZoneId: PARENT_ID,
    state: 'delegated',
    origin: 'written',
    records: [{ type: 'NS', ttl, values: asRoute53Values(zone.nameServers) }],
    nameServers: zone.nameServers,
    version: 3,
    updatedAt: minutesFrom(NOW, -600).toISOString(),
    ...overrides,
  };
}

/** The name owner item saying `zone` (in `account`) holds its name in `parentZoneId`. */
export function ownerOf(zone: SpokeZone, account: AccountId = ACCOUNT_A, parentZoneId: ZoneId = PARENT_ID): NameOwner {
  return { parentZoneId, name: zone.name, account, zoneId: zone.zoneId };
}

/** Owners keyed as the policy looks them up. */
export function ownersMap(owners: readonly NameOwner[]): Map<string, NameOwner> {
  return new Map(owners.map((owner) => [ownerKey(owner.parentZoneId, owner.name), owner]));
}

export const NO_CONTROLS: Controls = { writesPaused: false, holds: [] };

/** A parent view read around some names. */
export function parentView(records: readonly RecordSet[], parentZoneId: ZoneId = PARENT_ID, apex: DnsName = PARENT_NAME): ParentView {
  return { parentZoneId, apex, records };
}

/** The three configured parents, each holding the given records (by parent zone id). */
export function projected(records: Partial<Record<ZoneId, readonly RecordSet[]>> = {}): ProjectedParents {
  return new ProjectedParents([
    parentView(records[PARENT_ID] ?? [], PARENT_ID, PARENT_NAME),
    parentView(records[ORG_PARENT_ID] ?? [], ORG_PARENT_ID, ORG_PARENT_NAME),
    parentView(records[PROD_PARENT_ID] ?? [], PROD_PARENT_ID, PROD_PARENT_NAME),
  ]);
}

/** Everything one account's decisions depend on, with quiet defaults. */
export interface FactsInput {
  readonly config?: SubzoneConfig;
  readonly account?: AccountId;
  readonly now?: Date;
  readonly zones?: readonly SpokeZone[];
  readonly snapshot?: SpokeSnapshot;
  /** Zone ids the read covered but did not find (their zones are gone). */
  readonly goneIds?: readonly ZoneId[];
  readonly entries?: readonly LedgerEntry[];
  readonly owners?: readonly NameOwner[];
  readonly controls?: Controls;
}

export function makeFacts(input: FactsInput = {}): AccountFacts {
  const account = input.account ?? ACCOUNT_A;
  const zones = input.zones ?? [];
  return {
    config: input.config ?? makeConfig(),
    account,
    now: input.now ?? NOW,
    snapshot: input.snapshot ?? accountSnapshot(zones, account, input.goneIds ?? []),
    entries: input.entries ?? [],
    owners: ownersMap(input.owners ?? []),
    controls: input.controls ?? NO_CONTROLS,
  };
}

/** Runs the policy for one account against parents holding `records` (example.com by default). */
export function decide(
  input: FactsInput = {},
  records: Partial<Record<ZoneId, readonly RecordSet[]>> = {},
): {
  decisions: Decision[];
  view: ProjectedParents;
} {
  const view = projected(records);
  return { decisions: decideAccount(makeFacts(input), view), view };
}

/** The one decision about a zone (or entry) id; fails the test if there is not exactly one. */
export function decisionFor(decisions: readonly Decision[], zoneId: ZoneId): Decision {
  const found = decisions.filter((decision) => zoneIdOf(decision) === zoneId);
  if (found.length !== 1) throw new Error(`expected one decision for ${zoneId}, got ${found.length}`);
  return found[0]!;
}

/** The zone id a decision is about. */
export function zoneIdOf(decision: Decision): ZoneId {
  return subjectOf(decision).zoneId;
}

/** A short summary of a decision, for table assertions: `kind` or `kind:reason`. */
export function verdictOf(decision: Decision): string {
  if (decision.kind === 'frozen') return `frozen(${verdictOf(decision.instead)})`;
  return `${decision.kind}:${decision.reason}`;
}

/** A change of a change batch. */
export function change(action: RecordChange['action'], record: RecordSet): RecordChange {
  return { action, record };
}
