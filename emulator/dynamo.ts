/**
 * The ledger's DynamoDB for the emulator: dynalite (an existing DynamoDB implementation from
 * npm, in memory) on loopback, with the ledger table created; never a hand-written DynamoDB.
 *
 * The table is written out here, as the hub stack declares it, rather than built by the
 * ledger adapter's code: a key the adapter got wrong must fail against this table.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CreateTableCommandInput, CreateTableCommand, DynamoDBClient, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import type { AccountId } from '../functions/core/types';
import { STATIC_SECRET_ACCESS_KEY, staticAccessKeyId } from './accounts';

/** dynalite ships no types: the part of its API used here. */
type DynaliteFactory = (options: { createTableMs?: number; deleteTableMs?: number; updateTableMs?: number }) => Server;

const dynalite = require('dynalite') as DynaliteFactory;

/** The ledger table: partition key `pk` and sort key `sk`, both strings, on-demand capacity. */
export function ledgerTableDefinition(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'S' },
    ],
    BillingMode: 'PAY_PER_REQUEST',
  };
}

/** dynalite makes a table ACTIVE at once (createTableMs 0); the wait only confirms it. */
const TABLE_WAIT_SECONDS = 10;

/** Where dynalite listens and which table it holds. */
export interface LedgerDatabaseOptions {
  readonly tableName: string;
  /** The account whose credentials create the table (dynalite checks none). */
  readonly account: AccountId;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** @default 0 (any free port) */
  readonly port?: number;
}

/** A running dynalite holding the ledger table. */
export interface LedgerDatabase {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  readonly tableName: string;
  stop(): Promise<void>;
}

/** Starts dynalite and creates the ledger table in it. */
export async function startLedgerDatabase(options: LedgerDatabaseOptions): Promise<LedgerDatabase> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  const endpoint = `http://${address}:${port}`;
  const stop = () =>
    new Promise<void>((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()));
      server.closeAllConnections();
    });
  // The endpoint is dynalite's own, known only now: it cannot come from the environment.
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: staticAccessKeyId(options.account), secretAccessKey: STATIC_SECRET_ACCESS_KEY },
  });
  try {
    await client.send(new CreateTableCommand(ledgerTableDefinition(options.tableName)));
    await waitUntilTableExists({ client, maxWaitTime: TABLE_WAIT_SECONDS, minDelay: 1, maxDelay: 1 }, { TableName: options.tableName });
  } catch (error) {
    await stop();
    throw new Error(`could not create the ledger table ${options.tableName} in dynalite at ${endpoint}`, { cause: error });
  } finally {
    client.destroy();
  }
  return { endpoint, tableName: options.tableName, stop };
}
