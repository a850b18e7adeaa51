/**
 * An iterative resolver in the manner of `dig +trace`: ask the first server for the name, and
 * while the reply is a referral, ask one of the name servers it refers to (its address from
 * the glue, else from an A query), until an authoritative answer or an error. No recursion is
 * requested, so each step shows what one authoritative server says. UDP first, TCP when the
 * reply is truncated; loopback only in practice, but nothing here assumes it.
 */
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { randomInt } from 'node:crypto';
import { decode, DNSSEC_OK, encode, TRUNCATED_RESPONSE, type Answer, type DecodedPacket, type RecordType } from 'dns-packet';
import { dsText, rrsigTime } from './dnssec-chain';

/** A server to ask: its address, port, and how to print it (`ns-1.awsdns-01.com`). */
export interface DnsServerAddress {
  readonly address: string;
  readonly port: number;
  readonly label: string;
}

/** One query of a trace and what came back. */
export interface TraceStep {
  readonly server: DnsServerAddress;
  readonly rcode: string;
  readonly authoritative: boolean;
  readonly answers: readonly Answer[];
  readonly authorities: readonly Answer[];
  readonly additionals: readonly Answer[];
  readonly bytes: number;
  readonly elapsedMs: number;
  readonly transport: 'udp' | 'tcp';
}

/** A whole trace: the steps, and the final answer if one came. */
export interface Trace {
  readonly name: string;
  readonly type: RecordType;
  readonly steps: readonly TraceStep[];
  /** `answer`: records of the type asked for; `nodata` / `nxdomain`: an authoritative no. */
  readonly outcome: 'answer' | 'nodata' | 'nxdomain';
  /** Records of the answer section of the last step. */
  readonly answers: readonly Answer[];
}

/** Options of trace(). */
export interface TraceOptions {
  /** Where the trace starts (the servers of the top zone, as the root servers for dig). */
  readonly start: DnsServerAddress;
  /** Port of every name server referred to. @default start.port */
  readonly port?: number;
  /** A name server's address. @default an A query to the start server */
  readonly resolveAddress?: (host: string) => Promise<string | undefined>;
  /** Per query. @default 2000 */
  readonly timeoutMs?: number;
  /** Referrals followed at most. @default 16 */
  readonly maxSteps?: number;
  /** Set the DO bit (EDNS), so that referrals carry the DS and answers their RRSIGs. @default false */
  readonly dnssec?: boolean;
}

/** The trace could not finish; the steps made so far are kept for printing. */
export class TraceError extends Error {
  public readonly steps: readonly TraceStep[];
  constructor(message: string, steps: readonly TraceStep[], options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TraceError';
    this.steps = steps;
  }
}

const RCODES = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED'] as const;

/** Follows referrals from `options.start` until `name`/`type` is answered or denied. */
export async function trace(name: string, type: RecordType, options: TraceOptions): Promise<Trace> {
  const port = options.port ?? options.start.port;
  const timeoutMs = options.timeoutMs ?? 2000;
  const resolveAddress = options.resolveAddress ?? ((host: string) => addressByQuery(host, options.start, timeoutMs));
  const steps: TraceStep[] = [];
  let server = options.start;
  for (let hop = 0; hop < (options.maxSteps ?? 16); hop += 1) {
    const step = await ask(server, name, type, timeoutMs, options.dnssec).catch((error: unknown) => {
      throw new TraceError(`no reply from ${server.label} (${server.address}#${server.port}) for ${name} ${type}`, steps, { cause: error });
    });
    steps.push(step);
    if (step.rcode === 'NXDOMAIN' && step.authoritative) return { name, type, steps, outcome: 'nxdomain', answers: [] };
    if (step.rcode !== 'NOERROR') throw new TraceError(`${step.server.label} answered ${step.rcode} for ${name} ${type}`, steps);
    if (step.answers.length > 0) return { name, type, steps, outcome: 'answer', answers: step.answers };
    const referral = step.authorities.filter((record) => record.type === 'NS');
    if (step.authoritative || referral.length === 0) return { name, type, steps, outcome: 'nodata', answers: [] };
    server = await nextServer(referral, step.additionals, port, resolveAddress, steps);
  }
  throw new TraceError(`more than ${options.maxSteps ?? 16} referrals for ${name} ${type}`, steps);
}

/** The first name server of a referral whose address is known (glue first, then lookup). */
async function nextServer(
  referral: readonly Answer[],
  glue: readonly Answer[],
  port: number,
  resolveAddress: (host: string) => Promise<string | undefined>,
  steps: readonly TraceStep[],
): Promise<DnsServerAddress> {
  const hosts = referral.flatMap((record) => textOf(record) ?? []).map((host) => host.replace(/\.$/, '').toLowerCase());
  for (const host of hosts) {
    const glued = glue.find((record) => record.type === 'A' && record.name.toLowerCase().replace(/\.$/, '') === host);
    const address = (glued && textOf(glued)) ?? (await resolveAddress(host).catch(() => undefined));
    if (address !== undefined) return { address, port, label: host };
  }
  throw new TraceError(`no address for any name server of the referral (${hosts.join(', ')})`, steps);
}

/** The first A record for `host`, asked of `server`. */
async function addressByQuery(host: string, server: DnsServerAddress, timeoutMs: number): Promise<string | undefined> {
  const step = await ask(server, host, 'A', timeoutMs);
  const found = step.answers.find((record) => record.type === 'A');
  return found && textOf(found);
}

/** The data of a record whose data is one string (A, AAAA, NS, CNAME, ...). */
function textOf(record: Answer): string | undefined {
  return 'data' in record && typeof record.data === 'string' ? record.data : undefined;
}

/** Larger than a signed referral needs; what DNS flag day 2020 recommends. */
const EDNS_UDP_SIZE = 1232;

/** One query without recursion, over UDP, repeated over TCP if the reply was truncated; `dnssec` sets the DO bit. */
export async function ask(server: DnsServerAddress, name: string, type: RecordType, timeoutMs = 2000, dnssec = false): Promise<TraceStep> {
  const edns = dnssec ? [{ type: 'OPT' as const, name: '.', udpPayloadSize: EDNS_UDP_SIZE, flags: DNSSEC_OK }] : [];
  const query = encode({
    type: 'query',
    id: randomInt(65536),
    flags: 0,
    questions: [{ type, name, class: 'IN' }],
    additionals: edns as Answer[],
  });
  const started = performance.now();
  let transport: 'udp' | 'tcp' = 'udp';
  let raw = await exchangeUdp(server, query, timeoutMs);
  if ((decode(raw).flags ?? 0) & TRUNCATED_RESPONSE) {
    transport = 'tcp';
    raw = await exchangeTcp(server, query, timeoutMs);
  }
  const reply: DecodedPacket = decode(raw);
  return {
    server,
    rcode: RCODES[(reply.flags ?? 0) & 0xf] ?? `RCODE${(reply.flags ?? 0) & 0xf}`,
    authoritative: reply.flag_aa,
    answers: reply.answers ?? [],
    authorities: reply.authorities ?? [],
    additionals: (reply.additionals ?? []).filter((record) => record.type !== 'OPT'),
    bytes: raw.length,
    elapsedMs: performance.now() - started,
    transport,
  };
}

function exchangeUdp(server: DnsServerAddress, query: Buffer, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = createSocket(server.address.includes(':') ? 'udp6' : 'udp4');
    const timer = setTimeout(() => finish(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
    const finish = (error: Error | undefined, reply?: Buffer): void => {
      clearTimeout(timer);
      socket.close();
      if (error) reject(error);
      else resolve(reply as Buffer);
    };
    socket.on('error', (error) => finish(error));
    socket.on('message', (message) => {
      if (message.length >= 2 && message.readUInt16BE(0) === query.readUInt16BE(0)) finish(undefined, message);
    });
    socket.send(query, server.port, server.address);
  });
}

function exchangeTcp(server: DnsServerAddress, query: Buffer, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: server.address, port: server.port });
    let received = Buffer.alloc(0);
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`timed out after ${timeoutMs} ms`)));
    socket.on('error', reject);
    socket.on('connect', () => {
      const prefix = Buffer.alloc(2);
      prefix.writeUInt16BE(query.length);
      socket.write(Buffer.concat([prefix, query]));
    });
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length >= 2 && received.length >= 2 + received.readUInt16BE(0)) {
        socket.end();
        resolve(received.subarray(2, 2 + received.readUInt16BE(0)));
      }
    });
  });
}

/** A record as dig prints it: `name.  TTL  IN  TYPE  data`. */
export function formatRecord(record: Answer): string {
  const owner = record.name === '.' || record.name.endsWith('.') ? record.name : `${record.name}.`;
  const ttl = 'ttl' in record ? (record.ttl ?? 0) : 0;
  return `${owner.padEnd(31)} ${String(ttl).padEnd(7)} IN ${record.type.padEnd(5)} ${formatData(record)}`;
}

function fqdn(name: string): string {
  return name.endsWith('.') ? name : `${name}.`;
}

function formatData(record: Answer): string {
  switch (record.type) {
    case 'NS':
    case 'CNAME':
    case 'PTR':
    case 'DNAME':
      return fqdn(record.data);
    case 'MX':
      return `${record.data.preference ?? 0} ${fqdn(record.data.exchange)}`;
    case 'TXT': {
      const parts = Array.isArray(record.data) ? record.data : [record.data];
      return parts.map((part) => JSON.stringify(part.toString())).join(' ');
    }
    case 'SOA': {
      const soa = record.data;
      return `${fqdn(soa.mname)} ${fqdn(soa.rname)} ${soa.serial ?? 0} ${soa.refresh ?? 0} ${soa.retry ?? 0} ${soa.expire ?? 0} ${soa.minimum ?? 0}`;
    }
    case 'DS':
      return dsText(record.data);
    case 'DNSKEY':
      return `${record.data.flags} 3 ${record.data.algorithm} ${Buffer.from(record.data.key).toString('base64')}`;
    case 'RRSIG': {
      const sig = record.data;
      const times = `${rrsigTime(sig.expiration)} ${rrsigTime(sig.inception)}`;
      return `${sig.typeCovered} ${sig.algorithm} ${sig.labels} ${sig.originalTTL} ${times} ${sig.keyTag} ${fqdn(sig.signersName)} ${Buffer.from(sig.signature).toString('base64')}`;
    }
    default:
      return textOf(record) ?? ('data' in record ? JSON.stringify(record.data) : '');
  }
}

/**
 * The trace as `dig +trace` prints it: for each step the records that matter (the answer, or
 * the referral's NS set), then `;; Received N bytes from ADDRESS#PORT(NAME) in T ms`.
 */
export function formatTrace(steps: readonly TraceStep[]): string[] {
  const lines: string[] = [];
  for (const step of steps) {
    const shown = step.answers.length > 0 ? step.answers : step.authorities;
    for (const record of shown) lines.push(formatRecord(record));
    const via = step.transport === 'tcp' ? ' over TCP' : '';
    lines.push(
      `;; Received ${step.bytes} bytes from ${step.server.address}#${step.server.port}(${step.server.label}) in ${Math.max(0, Math.round(step.elapsedMs))} ms${via}`,
    );
    lines.push('');
  }
  return lines;
}
