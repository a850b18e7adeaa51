/**
 * `subzone audit`: every NS record in every configured parent zone, classified against the
 * live zones of every account subzone knows (the allowlist's and the ledger's), read through
 * the reader roles. Exit 0 nothing `high` or worse, 2 something is, 1 an error.
 */
import { GetDNSSECCommand, GetHostedZoneCommand } from '@aws-sdk/client-route-53';
import { SpokeReadError } from '../../functions/core/errors';
import { normaliseName } from '../../functions/core/names';
import type { AccountId, DnsName } from '../../functions/core/types';
import { auditParent, isDsFinding, isSerious, type Finding, type LiveZone } from '../audit-findings';
import type { CommandContext } from '../command-context';
import { accountsToPlan, type PlanError } from './plan';

/** An account whose zones could not be read (the shape of a plan's errors). */
export type UnreadableAccount = PlanError;

/** What the audit found. */
export interface Audit {
  readonly findings: readonly Finding[];
  readonly unreadableAccounts: readonly UnreadableAccount[];
}

/** Reads the parents and the child accounts, then classifies. */
export async function runAudit(context: CommandContext): Promise<Audit> {
  const { config } = context.loaded;
  const { readers, out } = context;
  const parents = [];
  for (const parent of config.parentZones) {
    out.progress(`reading parent zone ${parent.name}...`);
    const view = await readers.parents.readAround(parent.hostedZoneId, parent.name, [parent.name]);
    parents.push({
      parent,
      nsRecords: view.records.filter((record) => record.type === 'NS'),
      dsRecords: view.records.filter((record) => record.type === 'DS'),
    });
  }
  const delegatedNames = new Set(parents.flatMap(({ nsRecords }) => nsRecords.map((record) => record.name)));
  const accounts = await accountsToPlan(config, () => readers.ledger.listAccounts(), []);
  const liveZones: LiveZone[] = [];
  const unreadableAccounts: UnreadableAccount[] = [];
  for (const account of accounts) {
    out.progress(`reading account ${account}...`);
    try {
      liveZones.push(...(await liveZonesOf(context, account, delegatedNames)));
    } catch (error) {
      if (!(error instanceof SpokeReadError)) throw error;
      unreadableAccounts.push({ account, error: error.message });
    }
  }
  const unreadable = unreadableAccounts.map((entry) => entry.account);
  const findings = parents.flatMap(({ parent, nsRecords, dsRecords }) =>
    auditParent({
      config,
      parentZoneId: parent.hostedZoneId,
      apex: parent.name,
      nsRecords,
      dsRecords,
      liveZones,
      unreadableAccounts: unreadable,
    }),
  );
  return { findings, unreadableAccounts };
}

/**
 * The public zones of an account, with name servers for those whose names the parents
 * delegate (the reader reads them only for opted-in zones; the audit needs them for all).
 */
async function liveZonesOf(context: CommandContext, account: AccountId, delegatedNames: ReadonlySet<DnsName>): Promise<LiveZone[]> {
  const snapshot = await context.readers.reader.readZones(account, { kind: 'account' }, new Map());
  const zones: LiveZone[] = [];
  for (const zone of snapshot.zones) {
    if (zone.privateZone) continue;
    let { nameServers } = zone;
    if (nameServers.length === 0 && delegatedNames.has(zone.name)) {
      try {
        const read = await context.readers.spokeRoute53(account).send(new GetHostedZoneCommand({ Id: zone.zoneId }));
        nameServers = (read.DelegationSet?.NameServers ?? []).map(normaliseName).sort();
      } catch (error) {
        throw new SpokeReadError(account, 'unavailable', { cause: error });
      }
    }
    const signing = delegatedNames.has(zone.name) ? await signingOf(context, account, zone.zoneId) : undefined;
    zones.push({ account, zoneId: zone.zoneId, name: zone.name, optedIn: zone.optedIn, nameServers, ...(signing && { signing }) });
  }
  return zones;
}

/** GetDNSSEC of a zone whose name a parent delegates: is it signing, and the DS value of each active key. */
async function signingOf(context: CommandContext, account: AccountId, zoneId: string): Promise<NonNullable<LiveZone['signing']>> {
  try {
    const read = await context.readers.spokeRoute53(account).send(new GetDNSSECCommand({ HostedZoneId: zoneId }));
    const activeDs = (read.KeySigningKeys ?? []).flatMap((key) =>
      key.Status === 'ACTIVE' && key.DSRecord !== undefined ? [key.DSRecord] : [],
    );
    return { signing: read.Status?.ServeSignature === 'SIGNING', activeDs };
  } catch (error) {
    throw new SpokeReadError(account, 'unavailable', { cause: error });
  }
}

/** Prints the audit and returns the exit code. */
export function reportAudit(context: CommandContext, audit: Audit): number {
  const { out } = context;
  const serious = audit.findings.filter(isSerious);
  if (context.json) {
    out.json({ findings: audit.findings, unreadableAccounts: audit.unreadableAccounts });
  } else {
    const colour = { ok: 'green', low: 'dim', medium: 'yellow', high: 'red', critical: 'red' } as const;
    out.table(
      ['NAME', 'PARENT', 'CLASS', 'SEVERITY', 'DETAIL'],
      audit.findings.map((finding) => [
        finding.name,
        finding.parentZone,
        finding.class,
        out.style(colour[finding.severity], finding.severity),
        finding.detail,
      ]),
    );
    out.line();
    for (const entry of audit.unreadableAccounts)
      out.line(out.style('yellow', `account ${entry.account} could not be read: ${entry.error}`));
    const delegations = audit.findings.filter((finding) => !isDsFinding(finding)).length;
    out.line(`${delegations} delegation(s) audited, ${serious.length} high or critical.`);
  }
  return serious.length > 0 ? 2 : 0;
}
