/**
 * Asks a delegation's name servers over DNS whether they still serve the name (docs/safety-rails.md,
 * removal of dangling suspects). Each name server's addresses are resolved through a
 * resolver, then each address is asked directly, without recursion, for `<name> SOA`:
 * UDP first, TCP when the answer is truncated, every query bounded by a timeout.
 *
 * Verdicts, most conservative first, since `not-serving` lets a delegation be removed:
 * - `serving`: some server answered authoritatively (AA, NOERROR, the name's SOA in the answer);
 * - `unknown`: no server served it, and some server (or its address lookup) could not be
 *   asked: timeout, socket error, resolver failure; also when no name server is given;
 * - `not-serving`: every server answered, none authoritatively for the name (REFUSED,
 *   SERVFAIL, NXDOMAIN, a referral, a non-AA answer), or its name no longer resolves.
 */
import { randomInt } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { Resolver } from 'node:dns/promises';
import { isIPv6, connect } from 'node:net';
import * as dnsPacket from 'dns-packet';
import type { DelegationProbe } from '../core/ports';
import type { DnsName } from '../core/types';

/** What a probe concludes. */
export type ProbeVerdict = 'serving' | 'not-serving' | 'unknown';

/** Default per-query timeout. */
export const DEFAULT_PROBE_TIMEOUT_MS = 2000;

const RCODE_NOERROR = 0;

/** Options of DnsDelegationProbe. */
export interface DnsDelegationProbeOptions {
  /** Resolvers for the name servers' addresses, as `ip` or `ip:port`. @default the system's */
  readonly resolverServers?: readonly string[];
  /** Port the name servers are asked on. @default 53 */
  readonly port?: number;
  /** Timeout of each address lookup and each query. @default DEFAULT_PROBE_TIMEOUT_MS */
  readonly timeoutMs?: number;
}

type Lookup =
  | { readonly kind: 'addresses'; readonly addresses: readonly string[] }
  | { readonly kind: 'none' }
  | { readonly kind: 'failed' };

/** DelegationProbe over DNS (dns-packet on node:dgram and node:net). */
export class DnsDelegationProbe implements DelegationProbe {
  private readonly resolver: Resolver;
  private readonly port: number;
  private readonly timeoutMs: number;

  constructor(options: DnsDelegationProbeOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;
    this.port = options.port ?? 53;
    if (!Number.isInteger(this.timeoutMs) || this.timeoutMs <= 0) {
      throw new Error(`DnsDelegationProbe: timeoutMs must be a positive integer, got ${options.timeoutMs}`);
    }
    if (!Number.isInteger(this.port) || this.port <= 0 || this.port > 65535) {
      throw new Error(`DnsDelegationProbe: port must be an integer from 1 to 65535, got ${options.port}`);
    }
    this.resolver = new Resolver({ timeout: this.timeoutMs, tries: 1 });
    if (options.resolverServers) this.resolver.setServers([...options.resolverServers]);
  }

  async check(name: DnsName, nameServers: readonly DnsName[]): Promise<ProbeVerdict> {
    // No name server asked is no evidence: never conclude `not-serving` from nothing.
    if (nameServers.length === 0) return 'unknown';
    const verdicts = await Promise.all(nameServers.map((server) => this.checkServer(name, server)));
    if (verdicts.includes('serving')) return 'serving';
    return verdicts.includes('unknown') ? 'unknown' : 'not-serving';
  }

  /** One name server: one definite answer from any of its addresses speaks for it. */
  private async checkServer(name: DnsName, server: DnsName): Promise<ProbeVerdict> {
    const lookup = await this.lookup(server);
    if (lookup.kind === 'none') return 'not-serving';
    if (lookup.kind === 'failed') return 'unknown';
    const verdicts = await Promise.all(lookup.addresses.map((address) => this.ask(name, address)));
    if (verdicts.includes('serving')) return 'serving';
    return verdicts.includes('not-serving') ? 'not-serving' : 'unknown';
  }

  /**
   * IPv4 addresses when there are any: a Lambda outside a VPC has no IPv6 route, and a
   * silent IPv6 address must not make a server that answers over IPv4 look unknown.
   */
  private async lookup(server: DnsName): Promise<Lookup> {
    const [v4, v6] = await Promise.all([addressesOrCode(this.resolver.resolve4(server)), addressesOrCode(this.resolver.resolve6(server))]);
    for (const result of [v4, v6]) if (Array.isArray(result) && result.length > 0) return { kind: 'addresses', addresses: result };
    // NXDOMAIN or no address records on both: the name server's name no longer leads anywhere.
    return isAbsent(v4) && isAbsent(v6) ? { kind: 'none' } : { kind: 'failed' };
  }

  private async ask(name: DnsName, address: string): Promise<ProbeVerdict> {
    const query: dnsPacket.Packet = {
      type: 'query',
      id: randomInt(0, 0x10000),
      flags: 0,
      questions: [{ type: 'SOA', class: 'IN', name }],
    };
    try {
      let response = await queryUdp(query, address, this.port, this.timeoutMs);
      if (response.flag_tc) response = await queryTcp(query, address, this.port, this.timeoutMs);
      return servesName(response, name) ? 'serving' : 'not-serving';
    } catch {
      // Timeouts and socket errors are "could not ask", never "does not serve".
      return 'unknown';
    }
  }
}

function addressesOrCode(lookup: Promise<string[]>): Promise<string[] | string> {
  return lookup.catch((error: unknown) => String((error as { code?: unknown }).code ?? 'UNKNOWN'));
}

function isAbsent(result: string[] | string): boolean {
  return result === 'ENOTFOUND' || result === 'ENODATA' || (Array.isArray(result) && result.length === 0);
}

function canonical(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

function servesName(response: dnsPacket.DecodedPacket, name: DnsName): boolean {
  const rcode = (response.flags ?? 0) & 0xf;
  return (
    response.flag_aa &&
    rcode === RCODE_NOERROR &&
    (response.answers ?? []).some((answer) => answer.type === 'SOA' && canonical(answer.name) === canonical(name))
  );
}

function isResponseTo(response: dnsPacket.DecodedPacket, query: dnsPacket.Packet): boolean {
  const question = response.questions?.[0];
  const asked = query.questions?.[0];
  return (
    response.flag_qr &&
    response.id === query.id &&
    question !== undefined &&
    asked !== undefined &&
    question.type === asked.type &&
    canonical(question.name) === canonical(asked.name)
  );
}

class ProbeTimeoutError extends Error {
  constructor(address: string, transport: 'UDP' | 'TCP', timeoutMs: number) {
    super(`no ${transport} answer from ${address} within ${timeoutMs} ms`);
    this.name = 'ProbeTimeoutError';
  }
}

function queryUdp(query: dnsPacket.Packet, address: string, port: number, timeoutMs: number): Promise<dnsPacket.DecodedPacket> {
  return new Promise((resolve, reject) => {
    const socket = createSocket(isIPv6(address) ? 'udp6' : 'udp4');
    let settled = false;
    const finish = (settle: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.close();
      settle();
    };
    const timer = setTimeout(() => finish(() => reject(new ProbeTimeoutError(address, 'UDP', timeoutMs))), timeoutMs);
    socket.on('error', (error) => finish(() => reject(error)));
    socket.on('message', (message, remote) => {
      // Only the asked server's answer to this very query counts; anything else is ignored.
      if (remote.address !== address || remote.port !== port) return;
      let response: dnsPacket.DecodedPacket;
      try {
        response = dnsPacket.decode(message);
      } catch {
        return;
      }
      if (isResponseTo(response, query)) finish(() => resolve(response));
    });
    socket.send(dnsPacket.encode(query), port, address);
  });
}

function queryTcp(query: dnsPacket.Packet, address: string, port: number, timeoutMs: number): Promise<dnsPacket.DecodedPacket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: address, port });
    let received = Buffer.alloc(0);
    let settled = false;
    const finish = (settle: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      settle();
    };
    const timer = setTimeout(() => finish(() => reject(new ProbeTimeoutError(address, 'TCP', timeoutMs))), timeoutMs);
    socket.on('error', (error) => finish(() => reject(error)));
    socket.on('connect', () => socket.write(dnsPacket.streamEncode(query)));
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length < 2 || received.length < 2 + received.readUInt16BE(0)) return;
      try {
        const response = dnsPacket.decode(received.subarray(2, 2 + received.readUInt16BE(0)));
        finish(() => (isResponseTo(response, query) ? resolve(response) : reject(new Error(`unexpected TCP answer from ${address}`))));
      } catch (error) {
        finish(() => reject(error));
      }
    });
    socket.on('end', () => finish(() => reject(new Error(`${address} closed the TCP connection without an answer`))));
  });
}
