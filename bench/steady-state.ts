/**
 * A steady-state organisation set up without running the worker over it: every child zone
 * created in the emulator's state, tagged, its NS delegation already in the parent, and the
 * ledger holding its entry and name owner as the worker leaves them after a delegation.
 *
 * A first sweep would do the same through the worker, but at thousands of accounts that
 * sweep takes longer than the one being measured. The ledger items are made by the real
 * DynamoDB ledger adapter (its putEntry and claimName, the items the worker writes), collected
 * instead of sent one by one, and written 25 to a BatchWriteItem: one PutItem each would take
 * half an hour for 100,000 zones on dynalite. The zones and records go through the emulator's
 * in-process API (the same validation as its HTTP API). A measured sweep that writes nothing
 * shows the seeding matched what the worker would have left.
 */
import {
  type AttributeValue,
  BatchWriteItemCommand,
  type BatchWriteItemCommandOutput,
  DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { DynamoDbLedger } from '../functions/adapters/dynamodb-ledger';
import { mapBounded } from '../functions/core/bounded';
import { normaliseValueSet } from '../functions/core/names';
import { desiredRecord } from '../functions/core/policy';
import type { AccountId, LedgerEntry, SpokeZone } from '../functions/core/types';
import { BENCH_DOMAIN, type BenchWorld, HUB, PARENT_NAME } from './bench-world';

/** Record sets per in-process change batch: the emulator applies Route 53's limit of 100 changes. */
const CHANGES_PER_BATCH = 100;
/** DynamoDB's limit of items per BatchWriteItem. */
const ITEMS_PER_BATCH_WRITE = 25;
/** Batch writes in flight at once while seeding (dynalite runs in this process: more does not help). */
const BATCH_WRITES_IN_FLIGHT = 4;

/** How long each part of the seeding took, in seconds. */
export interface SeedTimes {
  readonly zonesSeconds: number;
  readonly parentSeconds: number;
  readonly ledgerSeconds: number;
}

/** Names of the delegated zones of the `accountIndex`-th account (1-based). */
export function steadyZoneNames(accountIndex: number, zones: number): string[] {
  return Array.from({ length: zones }, (_, zoneIndex) => `s${zoneIndex + 1}-a${accountIndex}.${BENCH_DOMAIN}`);
}

/** Adds `count` A records to the parent, spread over names that sort among the delegations and around them. */
export function seedOtherRecords(world: BenchWorld, count: number): number {
  const started = Date.now();
  const records = Array.from({ length: count }, (_, index) => ({
    // Half below the bench domain (between delegations), half elsewhere in the parent.
    name: index % 2 === 0 ? `host${index}.${BENCH_DOMAIN}` : `host${index}.${PARENT_NAME}`,
    type: 'A' as const,
    ttl: 300,
    values: [`10.${(index >> 16) & 255}.${(index >> 8) & 255}.${index & 255}`],
  }));
  for (let start = 0; start < records.length; start += CHANGES_PER_BATCH) {
    world.emulator.route53.putRecords(HUB, world.parentZoneId, records.slice(start, start + CHANGES_PER_BATCH));
  }
  return (Date.now() - started) / 1000;
}

/**
 * Seeds each account's zones as delegated: zones (tagged) in the child, NS records in the
 * parent, entries and name owners in the ledger.
 */
export async function seedDelegated(
  world: BenchWorld,
  accounts: ReadonlyArray<{ readonly account: AccountId; readonly names: readonly string[] }>,
): Promise<SeedTimes> {
  let started = Date.now();
  const zones: Array<{ readonly account: AccountId; readonly zone: SpokeZone }> = [];
  for (const { account, names } of accounts) {
    const ids = world.seedZones(account, names, true);
    ids.forEach((zoneId) => {
      const stored = world.emulator.route53.getHostedZone(account, zoneId);
      zones.push({
        account,
        zone: { zoneId, name: stored.name, privateZone: false, optedIn: true, nameServers: normaliseValueSet(stored.nameServers) },
      });
    });
  }
  const zonesSeconds = (Date.now() - started) / 1000;

  started = Date.now();
  const records = zones.map(({ zone }) => ({ name: zone.name, ...desiredRecord(world.config, zone) }));
  for (let start = 0; start < records.length; start += CHANGES_PER_BATCH) {
    world.emulator.route53.putRecords(HUB, world.parentZoneId, records.slice(start, start + CHANGES_PER_BATCH));
  }
  const parentSeconds = (Date.now() - started) / 1000;

  started = Date.now();
  const items = await ledgerItems(world, zones);
  const client = new DynamoDBClient({ region: 'us-east-1', maxAttempts: 10 });
  try {
    const batches = Array.from({ length: Math.ceil(items.length / ITEMS_PER_BATCH_WRITE) }, (_, index) =>
      items.slice(index * ITEMS_PER_BATCH_WRITE, (index + 1) * ITEMS_PER_BATCH_WRITE),
    );
    await mapBounded(batches, BATCH_WRITES_IN_FLIGHT, (batch) => batchWrite(client, world.emulator.names.ledgerTableName, batch));
  } finally {
    client.destroy();
  }
  return { zonesSeconds, parentSeconds, ledgerSeconds: (Date.now() - started) / 1000 };
}

type Item = Record<string, AttributeValue>;

/** The items the real ledger adapter writes for each zone's entry and name owner, collected rather than sent. */
async function ledgerItems(
  world: BenchWorld,
  zones: ReadonlyArray<{ readonly account: AccountId; readonly zone: SpokeZone }>,
): Promise<Item[]> {
  const items: Item[] = [];
  const collector = {
    send: async (command: unknown) => {
      // The held counts are left out: the ledger counts them from a scan the first time it is asked.
      if (command instanceof UpdateItemCommand) return {};
      if (!(command instanceof PutItemCommand) || command.input.Item === undefined)
        throw new Error('seeding: the ledger adapter sent something other than a PutItem');
      items.push(command.input.Item);
      return {};
    },
  } as unknown as DynamoDBClient;
  const ledger = new DynamoDbLedger(collector, { tableName: world.emulator.names.ledgerTableName });
  const now = new Date().toISOString();
  for (const { account, zone } of zones) {
    const entry: LedgerEntry = {
      account,
      zoneId: zone.zoneId,
      name: zone.name,
      parentZoneId: world.parentZoneId,
      state: 'delegated',
      origin: 'written',
      records: [desiredRecord(world.config, zone)],
      nameServers: zone.nameServers,
      reason: 'new-delegation',
      version: 1,
      updatedAt: now,
    };
    await ledger.putEntry(entry);
    await ledger.claimName({ parentZoneId: world.parentZoneId, name: zone.name, account, zoneId: zone.zoneId, claimedAt: now });
  }
  return items;
}

/** Writes up to 25 items, sending again whatever DynamoDB left unprocessed. */
async function batchWrite(client: DynamoDBClient, tableName: string, items: readonly Item[]): Promise<void> {
  let requests = items.map((item) => ({ PutRequest: { Item: item } }));
  while (requests.length > 0) {
    const output: BatchWriteItemCommandOutput = await client.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: requests } }));
    requests = (output.UnprocessedItems?.[tableName] ?? []).flatMap((request) =>
      request.PutRequest?.Item ? [{ PutRequest: { Item: request.PutRequest.Item } }] : [],
    );
  }
}
