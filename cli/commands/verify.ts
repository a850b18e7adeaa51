/**
 * `subzone verify NAME`: follows the delegation chain over DNS, as `dig +trace` does, from the
 * parent zone's own authoritative name servers (asked directly, no recursion) to the child
 * zone's answer for the name's SOA, and reports each hop; also whether the Route 53 change that
 * last wrote the delegation (the ledger remembers it; `--change-id` names another) is INSYNC.
 * Exit 0 the name resolves through the chain, 2 it does not (or its chain of trust is broken).
 *
 * A hop is one server asked; its `kind` says what it answered. Where the parent's referral holds
 * a DS, DNSSEC adds hops of its own (`ds` at the parent, `dnskey` at the child) and the chain of
 * trust is followed (dnssec-chain.ts): the DS names a DNSKEY of the child, that key signs the
 * DNSKEY RRset, and a key of that set signs the child's SOA.
 */
import { lookup } from 'node:dns/promises';
import { GetChangeCommand, GetHostedZoneCommand } from '@aws-sdk/client-route-53';
import { normaliseName } from '../../functions/core/names';
import { parentFor } from '../../functions/core/rules';
import type { CommandContext } from '../command-context';
import { trace, TraceError, type DnsServerAddress, type TraceOptions, type TraceStep } from '../dig';
import { UsageError } from '../usage-error';
import { dnssecLines, type DnssecVerification, followChainOfTrust, hop } from '../verify-dnssec';

/** One server asked on the way. */
export interface Hop {
  readonly kind: 'referral' | 'answer' | 'nodata' | 'nxdomain' | 'error' | 'ds' | 'dnskey';
  readonly server: string;
  readonly address: string;
  readonly rcode: string;
  readonly authoritative: boolean;
  /** The records that matter: the referral's NS set, or the answer. */
  readonly records: readonly string[];
}

/** What verify found. */
export interface Verification {
  readonly name: string;
  readonly parentZone: string;
  readonly resolves: boolean;
  readonly hops: readonly Hop[];
  readonly error?: string;
  /** GetChange's status of `--change-id`, when one was given. */
  readonly change?: { readonly id: string; readonly status: string };
  /** The chain of trust, once the name resolved through the delegation. */
  readonly dnssec?: DnssecVerification;
}

/** Where DNS questions go: the parent's name servers (port 53 in AWS), or a given server. */
export interface DnsSettings {
  /** `ip[:port]` of a server answering as the parent's name servers (the emulator's DNS listener). */
  readonly server?: string;
  readonly port: number;
}

/** Reads DNS_RESOLVERS and DNS_PORT, which `subzone emulator` prints. */
export function dnsSettings(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): DnsSettings {
  const server = flag ?? env.DNS_RESOLVERS?.split(',')[0]?.trim();
  const port = Number(env.DNS_PORT ?? 53);
  return { ...(server ? { server } : {}), port: Number.isInteger(port) && port > 0 ? port : 53 };
}

function hopOf(step: TraceStep, kind: Hop['kind']): Hop {
  // A referral shows the delegation: its DS, if any, is the `ds` hop's.
  const shown = step.answers.length > 0 ? step.answers : step.authorities.filter((record) => kind !== 'referral' || record.type === 'NS');
  return hop(kind, step, shown);
}

function hopsOf(steps: readonly TraceStep[], last: Hop['kind']): Hop[] {
  return steps.map((step, index) => hopOf(step, index === steps.length - 1 ? last : 'referral'));
}

/** The first server of the chain and how later servers' addresses are found. */
async function startOf(context: CommandContext, parentZoneId: string, settings: DnsSettings): Promise<TraceOptions> {
  if (settings.server !== undefined) {
    const [address = '', port] = settings.server.split(':');
    return { start: { address, port: Number(port ?? settings.port), label: address }, port: settings.port };
  }
  const zone = await context.readers.route53.send(new GetHostedZoneCommand({ Id: parentZoneId }));
  const host = zone.DelegationSet?.NameServers?.[0];
  if (host === undefined) throw new Error(`parent zone ${parentZoneId} has no name servers`);
  const resolveAddress = async (name: string) => (await lookup(name, { family: 4 })).address;
  const start: DnsServerAddress = { address: await resolveAddress(host), port: settings.port, label: host };
  return { start, port: settings.port, resolveAddress };
}

/** Follows the chain for `input`. */
export async function verifyName(context: CommandContext, input: string, settings: DnsSettings, changeId?: string): Promise<Verification> {
  let name: string;
  try {
    name = normaliseName(input);
  } catch (error) {
    throw new UsageError(`NAME ${JSON.stringify(input)} is not a domain name: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parent = parentFor(context.loaded.config, name);
  if (parent === undefined) throw new UsageError(`${name} is under none of the configured parent zones`);
  const lastChange = changeId ?? (await lastChangeOf(context, parent.hostedZoneId, name));
  const change = lastChange === undefined ? {} : { change: await changeStatus(context, lastChange) };
  const options = await startOf(context, parent.hostedZoneId, settings);
  context.out.progress(`asking ${options.start.label} (${options.start.address}#${options.start.port}) for ${name} SOA...`);
  try {
    const result = await trace(name, 'SOA', { ...options, dnssec: true });
    const answered =
      result.outcome === 'answer' && result.answers.some((record) => record.type === 'SOA' && normaliseName(record.name) === name);
    // Resolving "through the chain" means a referral from the parent, then the child's own answer.
    const resolves = answered && result.steps.length >= 2;
    const hops = hopsOf(result.steps, result.outcome);
    if (!resolves) return { name, parentZone: parent.name, resolves, hops, ...change };
    const chain = await followChainOfTrust(name, parent.name, result.steps, new Date());
    return { name, parentZone: parent.name, resolves, hops: withDnssecHops(hops, chain), dnssec: chain.verification, ...change };
  } catch (error) {
    if (!(error instanceof TraceError)) throw error;
    return { name, parentZone: parent.name, resolves: false, hops: hopsOf(error.steps, 'referral'), error: error.message, ...change };
  }
}

/** The Route 53 change that last wrote the name's delegation, as the ledger remembers it. */
async function lastChangeOf(context: CommandContext, parentZoneId: string, name: string): Promise<string | undefined> {
  const owner = await context.readers.ledger.getNameOwner(parentZoneId, name);
  if (owner === undefined) return undefined;
  return (await context.readers.ledger.getEntry(owner.account, owner.zoneId))?.lastChangeId;
}

async function changeStatus(context: CommandContext, id: string): Promise<{ id: string; status: string }> {
  const read = await context.readers.route53.send(new GetChangeCommand({ Id: id.replace(/^\/change\//, '') }));
  return { id, status: read.ChangeInfo?.Status ?? 'UNKNOWN' };
}

/** The `ds` hop after the parent's referral, the `dnskey` hop before the child's answer. */
function withDnssecHops(hops: readonly Hop[], dnssec: { readonly ds?: Hop; readonly dnskey?: Hop }): Hop[] {
  const answer = hops.at(-1);
  return [...hops.slice(0, -1), ...(dnssec.ds ? [dnssec.ds] : []), ...(dnssec.dnskey ? [dnssec.dnskey] : []), ...(answer ? [answer] : [])];
}

/** Prints the hops; exit 0 resolves (with an unbroken chain of trust where the parent holds a DS), 2 does not. */
export function reportVerification(context: CommandContext, verification: Verification): number {
  const { out } = context;
  if (context.json) {
    out.json(verification);
  } else {
    out.table(
      ['HOP', 'SERVER', 'ADDRESS', 'RCODE', 'AA', 'RECORDS'],
      verification.hops.map((hop) => [
        hop.kind,
        hop.server,
        hop.address,
        hop.rcode,
        hop.authoritative ? 'yes' : 'no',
        hop.records.join('\n'),
      ]),
    );
    out.line();
    if (verification.error) out.line(out.style('red', verification.error));
    if (verification.change) out.line(`change ${verification.change.id}: ${verification.change.status}`);
    for (const line of verification.dnssec ? dnssecLines(verification.name, verification.parentZone, verification.dnssec) : []) {
      out.line(out.style(line.ok ? 'green' : 'red', line.text));
    }
    out.line(
      verification.resolves
        ? out.style('green', `${verification.name} resolves through the delegation chain from ${verification.parentZone}.`)
        : out.style('red', `${verification.name} does not resolve through the delegation chain from ${verification.parentZone}.`),
    );
  }
  return verification.resolves && verification.dnssec?.status !== 'broken' ? 0 : 2;
}
