/**
 * The ledger's DynamoDB for the emulator: dynalite (an existing DynamoDB implementation from
 * npm, in memory) on loopback, with the ledger table created; never a hand-written DynamoDB.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createLedgerTable } from '../functions/adapters/ledger-table';
import { STATIC_SECRET_ACCESS_KEY, staticAccessKeyId } from './accounts';
import type { AccountId } from '../functions/core/types';

/** dynalite ships no types: the part of its API used here. */
type DynaliteFactory = (options: { createTableMs?: number; deleteTableMs?: number; updateTableMs?: number }) => Server;

const dynalite = require('dynalite') as DynaliteFactory;

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
    await createLedgerTable(client, options.tableName);
  } catch (error) {
    await stop();
    throw new Error(`could not create the ledger table ${options.tableName} in dynalite at ${endpoint}`, { cause: error });
  } finally {
    client.destroy();
  }
  return { endpoint, tableName: options.tableName, stop };
}
