/**
 * How the emulated Route 53 copes with large zones and many zones: a script that prints
 * figures, not a test. Calls the emulator in process (Route53State and Route53Service.handle,
 * no sockets, no SDK), so the figures are the emulator's own work.
 *
 *   npx tsx scripts/emulator-scale.ts [--records 20000,100000] [--zones 20000] [--budget-seconds 120]
 *
 * For each zone size: the time to fill the zone by change batches of 100 (first and last
 * tenth, to show whether a batch gets dearer as the zone grows), one ListResourceRecordSets
 * page at the start, middle and end of the zone, and a full read by pages. Then the time to
 * create many zones (20 per account), first and last tenth. A step that runs past the budget
 * stops and says how far it got.
 */
import { performance } from 'node:perf_hooks';
import { CredentialRegistry } from '../emulator/accounts';
import { Route53Service } from '../emulator/route53/route53-service';
import { Route53State } from '../emulator/route53/state';

const HUB = '111111111111';
const BATCH = 100;
const PAGE = 300;

interface Options {
  readonly records: readonly number[];
  readonly zones: number;
  readonly budgetSeconds: number;
}

function parseOptions(argv: readonly string[]): Options {
  const value = (flag: string): string | undefined => {
    const index = argv.indexOf(flag);
    return index >= 0 ? argv[index + 1] : undefined;
  };
  const records = (value('--records') ?? '20000,100000').split(',').map(Number);
  const zones = Number(value('--zones') ?? '20000');
  const budgetSeconds = Number(value('--budget-seconds') ?? '120');
  if (records.some((count) => !Number.isInteger(count) || count < BATCH) || !Number.isInteger(zones) || !(budgetSeconds > 0)) {
    throw new Error(`usage: --records N[,N...] (each >= ${BATCH}) --zones N --budget-seconds S`);
  }
  return { records, zones, budgetSeconds };
}

/** Names spread over three levels, as a parent zone holding delegations and other records would. */
function recordName(index: number): string {
  return `h${index % 997}.g${Math.floor(index / 997) % 101}.t${Math.floor(index / 100_000)}.example.com`;
}

function milliseconds(start: number): number {
  return performance.now() - start;
}

function format(value: number, digits = 1): string {
  return value.toFixed(digits);
}

/** Fills a zone; returns the batch times of the first and last tenth, or where the budget ran out. */
function fill(state: Route53State, zoneId: string, count: number, budgetMs: number) {
  const batchTimes: number[] = [];
  const start = performance.now();
  for (let first = 0; first < count; first += BATCH) {
    const batchStart = performance.now();
    const records = [];
    for (let index = first; index < Math.min(count, first + BATCH); index += 1) {
      records.push({ name: recordName(index), type: 'A' as const, ttl: 300, values: ['192.0.2.1'] });
    }
    state.putRecords(HUB, zoneId, records);
    batchTimes.push(milliseconds(batchStart));
    if (milliseconds(start) > budgetMs) return { done: first + BATCH, seconds: milliseconds(start) / 1000, batchTimes };
  }
  return { done: count, seconds: milliseconds(start) / 1000, batchTimes };
}

function averageOf(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length);
}

async function listPage(service: Route53Service, zoneId: string, start?: { name: string; type: string }) {
  const query = new URLSearchParams({ maxitems: String(PAGE) });
  if (start) {
    query.set('name', start.name);
    query.set('type', start.type);
  }
  const response = await service.handle({
    account: HUB,
    accessKeyId: 'unused',
    method: 'GET',
    path: `/2013-04-01/hostedzone/${zoneId}/rrset`,
    query,
    headers: {},
    body: '',
  });
  const next = /<NextRecordName>([^<]*)<\/NextRecordName><NextRecordType>([^<]*)<\/NextRecordType>/.exec(response.body);
  return next ? { name: next[1] as string, type: next[2] as string } : undefined;
}

async function measureZone(count: number, budgetMs: number): Promise<void> {
  const state = new Route53State();
  const service = new Route53Service({ state, credentials: new CredentialRegistry() });
  const zone = state.createZone(HUB, 'example.com');
  const filled = fill(state, zone.id, count, budgetMs);
  const tenth = Math.max(1, Math.floor(filled.batchTimes.length / 10));
  const firstTenth = averageOf(filled.batchTimes.slice(0, tenth));
  const lastTenth = averageOf(filled.batchTimes.slice(-tenth));
  if (filled.done < count) {
    console.log(
      `records ${count}: fill stopped at ${filled.done} records after ${format(filled.seconds)} s ` +
        `(batch of ${BATCH}: ${format(firstTenth, 2)} ms in the first tenth, ${format(lastTenth, 2)} ms in the last)`,
    );
  } else {
    console.log(
      `records ${count}: filled in ${format(filled.seconds)} s (batch of ${BATCH}: ${format(firstTenth, 2)} ms in the first tenth, ` +
        `${format(lastTenth, 2)} ms in the last)`,
    );
  }
  const middle = { name: recordName(Math.floor(filled.done / 2)), type: 'A' };
  const last = { name: recordName(filled.done - 1), type: 'A' };
  for (const [label, start] of [
    ['first page', undefined],
    ['middle page', middle],
    ['last page', last],
  ] as const) {
    const pageStart = performance.now();
    await listPage(service, zone.id, start);
    console.log(`records ${filled.done}: ListResourceRecordSets ${label}: ${format(milliseconds(pageStart), 2)} ms`);
  }
  const readStart = performance.now();
  let pages = 0;
  let next: { name: string; type: string } | undefined;
  do {
    next = await listPage(service, zone.id, next);
    pages += 1;
  } while (next !== undefined && milliseconds(readStart) < budgetMs);
  const complete = next === undefined ? 'whole zone' : `stopped by the budget`;
  const seconds = milliseconds(readStart) / 1000;
  console.log(
    `records ${filled.done}: full read, ${complete}: ${pages} pages in ${format(seconds, 2)} s (${format((seconds * 1000) / pages, 2)} ms a page)`,
  );
}

function measureZones(count: number, budgetMs: number): void {
  const state = new Route53State();
  const times: number[] = [];
  const start = performance.now();
  state.createZone(HUB, 'example.com');
  let created = 0;
  for (; created < count && milliseconds(start) < budgetMs; created += 1) {
    const account = String(200_000_000_000 + Math.floor(created / 20));
    const zoneStart = performance.now();
    state.createZone(account, `z${created % 20}.a${Math.floor(created / 20)}.example.com`);
    times.push(milliseconds(zoneStart));
  }
  const tenth = Math.max(1, Math.floor(times.length / 10));
  const stopped = created < count ? ` (stopped by the budget, of ${count})` : '';
  console.log(
    `zones ${created}${stopped}: created in ${format(milliseconds(start) / 1000)} s ` +
      `(one CreateHostedZone: ${format(averageOf(times.slice(0, tenth)), 3)} ms in the first tenth, ` +
      `${format(averageOf(times.slice(-tenth)), 3)} ms in the last)`,
  );
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const budgetMs = options.budgetSeconds * 1000;
  for (const count of options.records) await measureZone(count, budgetMs);
  measureZones(options.zones, budgetMs);
}

void main();
