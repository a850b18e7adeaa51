/**
 * What a sweep's reading of a big parent zone costs to keep, and what its slices weigh:
 * `npx tsx scripts/measure-sweep-reading.ts [accounts] [zonesPerAccount]` (default 5,000 x 20,
 * 100,000 records). Builds the parent's NS records with Route 53-style name servers (one of
 * each block of 512, as Route 53 gives a zone), packs them as the ledger keeps them, slices
 * them as the fan-out does, and prints the sizes and the DynamoDB request units a sweep spends
 * (docs/cost.md).
 */
import { randomInt } from 'node:crypto';
import { packReadingPart } from '../functions/adapters/reading-chunks';
import { ParentReading, sliceFor } from '../functions/core/parent-slices';
import { sweepAccountMessage } from '../functions/core/sweep-messages';
import type { LedgerEntry, RecordSet } from '../functions/core/types';
import { nameServerHost } from '../emulator/route53/name-servers';

const PARENT = { name: 'bench.example.com', hostedZoneId: 'ZPARENT' };
/** DynamoDB bills a write by the KB and a strongly consistent read by the 4 KB. */
const WRITE_UNIT_BYTES = 1024;
const READ_UNIT_BYTES = 4096;

const [accounts = 5_000, zonesPerAccount = 20] = process.argv.slice(2).map(Number);
const records: RecordSet[] = [];
const entries: LedgerEntry[] = [];
for (let account = 1; account <= accounts; account += 1) {
  for (let zone = 1; zone <= zonesPerAccount; zone += 1) {
    const name = `s${zone}-a${account}.${PARENT.name}`;
    const values = [0, 1, 2, 3].map((block) => `${nameServerHost(block * 512 + randomInt(512))}.`);
    records.push({ name, type: 'NS', ttl: 3600, values });
    entries.push({
      account: String(100_000_000_000 + account),
      zoneId: `Z${account}X${zone}`,
      name,
      parentZoneId: PARENT.hostedZoneId,
      state: 'delegated',
      origin: 'written',
      records: [{ type: 'NS', ttl: 3600, values }],
      nameServers: values,
      version: 1,
      updatedAt: '2026-01-01T00:00:00.000Z',
    });
  }
}

const raw = Buffer.byteLength(JSON.stringify(records.map((record) => [record.name, record.type, record.ttl, record.values])));
const chunks = packReadingPart(records);
const writeUnits = chunks.reduce((sum, chunk) => sum + Math.ceil(chunk.length / WRITE_UNIT_BYTES), 0);
const readUnits = chunks.reduce((sum, chunk) => sum + chunk.length, 0) / READ_UNIT_BYTES;
const reading = new ParentReading(PARENT, records);
let messageBytes = 0;
for (let account = 0; account < accounts; account += 1) {
  const own = entries.slice(account * zonesPerAccount, (account + 1) * zonesPerAccount);
  const slice = sliceFor(own, [reading], '2026-01-01T00:00:00.000Z');
  messageBytes += Buffer.byteLength(JSON.stringify(sweepAccountMessage(own[0]?.account ?? '', 'sweep-measure', slice)));
}

console.log(`parent records: ${records.length}`);
console.log(
  `reading: ${(raw / 1e6).toFixed(1)} MB of JSON, ${(chunks.reduce((sum, chunk) => sum + chunk.length, 0) / 1e6).toFixed(2)} MB gzip in ${chunks.length} items`,
);
console.log(
  `per sweep: ${2 * writeUnits} write units (written, then deleted), ${Math.ceil(2 * readUnits)} read units (loaded, then listed to delete)`,
);
console.log(`account messages: ${Math.round(messageBytes / accounts)} bytes each on average`);
