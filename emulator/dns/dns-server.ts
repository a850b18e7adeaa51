/**
 * The emulator's DNS listeners (UDP and TCP, loopback only).
 *
 * - The main listener on `host:port` answers as the top zones' name servers would (the hub's
 *   parent zones, e.g. `example.com`): `dig @127.0.0.1 -p N foo.example.com NS` shows the
 *   parent's referral.
 * - Every Route 53 name server in use gets its own loopback address (127.53.x.y, see
 *   name-servers.ts) with a UDP and a TCP socket on the same port, answering only from the
 *   zones that name server serves. Sockets are added as zones appear and closed with the
 *   server. Where an address cannot be bound (systems with only 127.0.0.1), that name
 *   server is simply absent: `addressOf` returns undefined for it.
 */
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server as TcpServer, type Socket as TcpSocket } from 'node:net';
import { type Answer, decode, encode, type Packet, TRUNCATED_RESPONSE } from 'dns-packet';
import type { AccountId } from '../../functions/core/types';
import { isStrictlyBelow } from '../domain-names';
import { loopbackAddressOf } from '../route53/name-servers';
import type { HostedZone, Route53State } from '../route53/state';
import { answerQuery, type ServedZone } from './answer';
import type { ZoneSigner } from './signer';

/** Plain DNS over UDP without EDNS. */
const CLASSIC_UDP_SIZE = 512;

export interface DnsServerOptions {
  readonly route53State: Route53State;
  /** Port of every listener; 0 picks a free one for the main listener and reuses it. */
  readonly port: number;
  /** Address of the main listener. @default '127.0.0.1' */
  readonly host?: string;
  /** The main listener serves this account's top zones only. @default - every account's */
  readonly primaryAccount?: AccountId;
  /** What a signing zone is signed with (emulator/route53/dnssec.ts). @default - no zone signs */
  readonly dnssec?: { signerOf(zone: HostedZone): ZoneSigner | undefined };
}

export interface DnsServer {
  /** The port every listener uses. */
  readonly port: number;
  /** The address a name server (`ns-…awsdns-…`) listens on, once bound. */
  addressOf(nameServer: string): string | undefined;
  /** Resolves once the sockets for every zone created so far are bound. */
  ready(): Promise<void>;
  stop(): Promise<void>;
}

interface Listener {
  readonly udp: UdpSocket;
  readonly tcp: TcpServer;
}

/** Starts the main listener and one per name server in use. */
export async function startDnsServer(options: DnsServerOptions): Promise<DnsServer> {
  const state = options.route53State;
  const host = options.host ?? '127.0.0.1';
  const serve = (zone: HostedZone): ServedZone => (zone.dnssecSigning ? { ...zone, signer: options.dnssec?.signerOf(zone) } : zone);
  const mainZones = (): ServedZone[] => topZones(state.publicZones(), options.primaryAccount).map(serve);
  const openConnections = new Set<TcpSocket>();
  const main = await bindMain(host, options.port, mainZones, openConnections);
  const port = main.port;
  const listeners: Listener[] = [main.listener];
  const bound = new Map<string, string>();
  const pending = new Map<string, Promise<void>>();
  let stopped = false;

  const ensure = (nameServer: string): Promise<void> => {
    const address = loopbackAddressOf(nameServer);
    if (!address || stopped || bound.has(nameServer)) return Promise.resolve();
    const existing = pending.get(nameServer);
    if (existing) return existing;
    const served = (): ServedZone[] =>
      state
        .publicZones()
        .filter((zone) => zone.nameServers.includes(nameServer))
        .map(serve);
    const binding = bindPair(address, port, served, openConnections)
      .then(({ listener }) => {
        listeners.push(listener);
        bound.set(nameServer, address);
        if (stopped) void close(listener);
      })
      .catch(() => undefined)
      .finally(() => pending.delete(nameServer));
    pending.set(nameServer, binding);
    return binding;
  };

  for (const zone of state.publicZones()) for (const nameServer of zone.nameServers) void ensure(nameServer);
  const unsubscribe = state.subscribe((change) => {
    if (change.kind === 'zone-created') for (const nameServer of change.zone.nameServers) void ensure(nameServer);
  });

  return {
    port,
    addressOf: (nameServer) => bound.get(nameServer.toLowerCase().replace(/\.$/, '')),
    ready: async () => {
      await Promise.all([...pending.values()]);
    },
    stop: async () => {
      stopped = true;
      unsubscribe();
      await Promise.all([...pending.values()]);
      for (const connection of openConnections) connection.destroy();
      await Promise.all(listeners.map(close));
    },
  };
}

/**
 * The zones the main listener serves: public zones with no served zone above them (the
 * top of each delegation chain); of several zones with one name, the oldest.
 */
function topZones(zones: readonly HostedZone[], account: AccountId | undefined): HostedZone[] {
  const candidates = zones.filter((zone) => account === undefined || zone.account === account);
  const seen = new Set<string>();
  return candidates.filter((zone) => {
    if (candidates.some((other) => isStrictlyBelow(zone.name, other.name))) return false;
    if (seen.has(zone.name)) return false;
    seen.add(zone.name);
    return true;
  });
}

/**
 * Binds the main pair. With port 0 the free UDP port picked may already be taken for TCP
 * (another process's connection), so a few fresh picks are tried before giving up.
 */
async function bindMain(
  host: string,
  port: number,
  zones: () => readonly ServedZone[],
  connections: Set<TcpSocket>,
): Promise<{ listener: Listener; port: number }> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await bindPair(host, port, zones, connections);
    } catch (error) {
      if (port !== 0 || attempt >= 10 || (error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    }
  }
}

/** Binds UDP then TCP on one address and port; with port 0 the UDP port is reused for TCP. */
async function bindPair(
  address: string,
  port: number,
  zones: () => readonly ServedZone[],
  connections: Set<TcpSocket>,
): Promise<{ listener: Listener; port: number }> {
  const udp = createSocket('udp4');
  udp.on('message', (message, remote) => {
    const response = respond(message, zones(), true);
    if (response) udp.send(response, remote.port, remote.address);
  });
  await new Promise<void>((resolve, reject) => {
    udp.once('error', reject);
    udp.bind(port, address, () => {
      udp.off('error', reject);
      resolve();
    });
  });
  const actualPort = udp.address().port;
  const tcp = createServer((connection) => serveTcp(connection, zones, connections));
  try {
    await new Promise<void>((resolve, reject) => {
      tcp.once('error', reject);
      tcp.listen(actualPort, address, () => {
        tcp.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    udp.close();
    throw error;
  }
  udp.on('error', () => undefined);
  return { listener: { udp, tcp }, port: actualPort };
}

/** DNS over TCP: every message is prefixed by its two-byte length. */
function serveTcp(connection: TcpSocket, zones: () => readonly ServedZone[], connections: Set<TcpSocket>): void {
  connections.add(connection);
  connection.on('close', () => connections.delete(connection));
  connection.on('error', () => connection.destroy());
  let buffered = Buffer.alloc(0);
  connection.on('data', (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    while (buffered.length >= 2) {
      const length = buffered.readUInt16BE(0);
      if (buffered.length < 2 + length) break;
      const message = buffered.subarray(2, 2 + length);
      buffered = buffered.subarray(2 + length);
      const response = respond(message, zones(), false);
      if (!response) continue;
      const prefix = Buffer.alloc(2);
      prefix.writeUInt16BE(response.length);
      connection.write(Buffer.concat([prefix, response]));
    }
  });
}

/** Decodes, answers and encodes one message; undefined for garbage (dropped, as servers do). */
function respond(message: Buffer, zones: readonly ServedZone[], udp: boolean): Buffer | undefined {
  let query: Packet;
  try {
    query = decode(message);
  } catch {
    return undefined;
  }
  if (query.type === 'response') return undefined;
  const response = answerQuery(query, zones);
  const encoded = encode(response);
  const limit = udp ? udpLimitOf(query) : Number.POSITIVE_INFINITY;
  if (encoded.length <= limit) return encoded;
  // Too big for UDP: send the header and question with TC set, so the client retries over TCP.
  return encode({ ...response, flags: (response.flags ?? 0) | TRUNCATED_RESPONSE, answers: [], authorities: [], additionals: [] });
}

function udpLimitOf(query: Packet): number {
  const opt = query.additionals?.find((record: Answer) => record.type === 'OPT') as { udpPayloadSize?: number } | undefined;
  return Math.max(CLASSIC_UDP_SIZE, opt?.udpPayloadSize ?? CLASSIC_UDP_SIZE);
}

function close(listener: Listener): Promise<void> {
  return new Promise((resolve) => {
    let remaining = 2;
    const done = (): void => {
      remaining -= 1;
      if (remaining === 0) resolve();
    };
    try {
      listener.udp.close(done);
    } catch {
      done();
    }
    listener.tcp.close(() => done());
  });
}
