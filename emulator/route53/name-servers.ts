/**
 * Route 53's name-server host names and their emulated loopback addresses.
 *
 * Route 53 runs 2,048 name servers, `ns-0` to `ns-2047`, 512 under each of four top-level
 * domains; the `awsdns-NN` label is the server's number within its block divided by 8
 * (`ns-162.awsdns-20.com`, `ns-1890.awsdns-44.co.uk`). A zone gets one server from each
 * block, so its four name servers span four TLDs.
 */
import { randomInt } from 'node:crypto';

const BLOCK_SIZE = 512;
/** The top-level domain of each block of 512 servers, in number order. */
const BLOCK_TLDS = ['com', 'net', 'org', 'co.uk'] as const;
const HOST_PATTERN = /^ns-(\d{1,4})\.awsdns-(\d{2})\.(com|net|org|co\.uk)\.?$/i;

/** The host name of name server number `serverNumber` (0 to 2047). */
export function nameServerHost(serverNumber: number): string {
  if (!Number.isInteger(serverNumber) || serverNumber < 0 || serverNumber >= BLOCK_SIZE * BLOCK_TLDS.length) {
    throw new Error(`invalid name server number ${serverNumber}: expected 0 to ${BLOCK_SIZE * BLOCK_TLDS.length - 1}`);
  }
  const block = Math.floor(serverNumber / BLOCK_SIZE);
  const group = Math.floor((serverNumber % BLOCK_SIZE) / 8);
  return `ns-${serverNumber}.awsdns-${String(group).padStart(2, '0')}.${BLOCK_TLDS[block]}`;
}

/**
 * The number of a Route 53 name-server host name (with or without trailing dot, any case),
 * or undefined when the name is not one that nameServerHost would produce.
 */
export function nameServerNumber(host: string): number | undefined {
  const match = HOST_PATTERN.exec(host);
  if (!match) return undefined;
  const serverNumber = Number(match[1]);
  if (serverNumber >= BLOCK_SIZE * BLOCK_TLDS.length) return undefined;
  return nameServerHost(serverNumber) === host.toLowerCase().replace(/\.$/, '') ? serverNumber : undefined;
}

/**
 * The loopback address the emulated name server listens on: 127.53.x.y with
 * x = 1 + number / 256 and y = number % 256, so every host has its own address.
 */
export function loopbackAddressOf(host: string): string | undefined {
  const serverNumber = nameServerNumber(host);
  if (serverNumber === undefined) return undefined;
  return `127.53.${1 + Math.floor(serverNumber / 256)}.${serverNumber % 256}`;
}

/**
 * Picks four name servers, one per block, none of them in `avoid` (the servers of zones
 * that must not share one: same name, parent or child). Undefined when a block has no
 * free server left.
 */
export function allocateNameServers(avoid: ReadonlySet<string>): string[] | undefined {
  const chosen: string[] = [];
  for (let block = 0; block < BLOCK_TLDS.length; block += 1) {
    const start = randomInt(BLOCK_SIZE);
    let host: string | undefined;
    for (let offset = 0; offset < BLOCK_SIZE && host === undefined; offset += 1) {
      const candidate = nameServerHost(block * BLOCK_SIZE + ((start + offset) % BLOCK_SIZE));
      if (!avoid.has(candidate)) host = candidate;
    }
    if (host === undefined) return undefined;
    chosen.push(host);
  }
  return chosen;
}
