/**
 * Spoke accounts in memory. A `zones` read returns the requested zones and their same-name
 * public siblings that the ledger knows (`known`), as the Route 53 reader does; `failures`
 * makes an account's reads throw.
 */
import { SpokeReadError, type SpokeReadFailure } from '../../functions/core/errors';
import type { SpokeZoneReader } from '../../functions/core/ports';
import type { AccountId, KnownZone, SigningChangeStatus, SpokeSnapshot, SpokeZone, ZoneId, ZoneScope } from '../../functions/core/types';
import { tick } from './fake-clock';

export class FakeSpokeReader implements SpokeZoneReader {
  readonly accounts = new Map<AccountId, SpokeZone[]>();
  /** Accounts whose reads fail, and how. */
  readonly failures = new Map<AccountId, SpokeReadFailure>();
  /** Zone ids whose zone could not be read (the snapshot lists them as unknown). */
  readonly unreadableZones = new Set<ZoneId>();
  readonly reads: Array<{ readonly account: AccountId; readonly scope: ZoneScope }> = [];
  /** Signing changes by id, as GetChange reports them (an id not here is one Route 53 does not know). */
  readonly changes = new Map<string, SigningChangeStatus>();
  /** Every GetChange asked, by change id. */
  readonly changeReads: string[] = [];

  /** Sets the zones of an account (replacing what it had). */
  set(account: AccountId, zones: readonly SpokeZone[]): void {
    this.accounts.set(account, [...zones]);
  }

  async readZones(account: AccountId, scope: ZoneScope, known: ReadonlyMap<ZoneId, KnownZone>): Promise<SpokeSnapshot> {
    this.reads.push({ account, scope });
    await tick();
    const failure = this.failures.get(account);
    if (failure !== undefined) throw new SpokeReadError(account, failure);
    const all = this.accounts.get(account) ?? [];
    const unknownZoneIds = all.map((zone) => zone.zoneId).filter((zoneId) => this.unreadableZones.has(zoneId));
    const readable = all.filter((zone) => !this.unreadableZones.has(zone.zoneId));
    if (scope.kind === 'account') {
      return {
        account,
        scope,
        zones: readable,
        coveredZoneIds: all.map((zone) => zone.zoneId),
        ...(unknownZoneIds.length ? { unknownZoneIds } : {}),
      };
    }
    const requested = readable.filter((zone) => scope.zoneIds.includes(zone.zoneId));
    const names = new Set(requested.filter((zone) => !zone.privateZone).map((zone) => zone.name));
    const siblings = [...known]
      .filter(([zoneId, zone]) => !scope.zoneIds.includes(zoneId) && names.has(zone.name))
      .map(([zoneId]) => zoneId);
    const coveredZoneIds = [...new Set([...scope.zoneIds, ...siblings])];
    const zones = readable.filter((zone) => coveredZoneIds.includes(zone.zoneId));
    const unknownCovered = unknownZoneIds.filter((zoneId) => coveredZoneIds.includes(zoneId));
    return { account, scope, zones, coveredZoneIds, ...(unknownCovered.length ? { unknownZoneIds: unknownCovered } : {}) };
  }

  async signingChangeStatus(account: AccountId, changeId: string): Promise<SigningChangeStatus> {
    this.changeReads.push(changeId);
    await tick();
    const failure = this.failures.get(account);
    if (failure !== undefined) throw new SpokeReadError(account, failure);
    return this.changes.get(changeId) ?? 'unknown';
  }
}
