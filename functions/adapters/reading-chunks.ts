/**
 * A sweep's reading of a parent zone as DynamoDB items: record sets as compact JSON tuples,
 * gzip-compressed, cut into chunks that each fit one item. Parent zones hold mostly NS records
 * of similar names and name servers, which compress several times over (docs/cost.md).
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import type { RecordSet } from '../core/types';

/**
 * Raw JSON per chunk: gzip never grows its input by more than a few bytes in a thousand, so a
 * chunk stays under DynamoDB's 400 KB item limit with room for its keys.
 */
export const READING_CHUNK_RAW_BYTES = 350_000;

type Tuple = [name: string, type: string, ttl: number, values: readonly string[]];

/** The records, compressed, in chunks of at most READING_CHUNK_RAW_BYTES of JSON each (at least one chunk). */
export function packReadingPart(records: readonly RecordSet[]): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  let pending: string[] = [];
  let size = 2;
  const flush = () => {
    chunks.push(gzipSync(`[${pending.join(',')}]`));
    pending = [];
    size = 2;
  };
  for (const record of records) {
    const json = JSON.stringify([record.name, record.type, record.ttl, record.values] satisfies Tuple);
    const bytes = Buffer.byteLength(json) + 1;
    if (pending.length > 0 && size + bytes > READING_CHUNK_RAW_BYTES) flush();
    pending.push(json);
    size += bytes;
  }
  if (pending.length > 0 || chunks.length === 0) flush();
  return chunks;
}

/** The records of one chunk. */
export function unpackReadingChunk(data: Uint8Array): RecordSet[] {
  const tuples = JSON.parse(gunzipSync(data).toString('utf8')) as Tuple[];
  return tuples.map(([name, type, ttl, values]) => ({ name, type, ttl, values }));
}
