/**
 * An in-memory DynamoDB (dynalite) on loopback with the ledger table created, for tests that
 * must run the real SDK against real conditional-write semantics, never a mock.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createLedgerTable } from '../../functions/adapters/ledger-table';

/** dynalite ships no types: the part of its API used here. */
type DynaliteFactory = (options: { createTableMs?: number; deleteTableMs?: number; updateTableMs?: number }) => Server;

const dynalite = require('dynalite') as DynaliteFactory;

/** A running dynalite with the ledger table in it. */
export interface DynaliteLedger {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  /** Closes the client and the server. */
  stop(): Promise<void>;
}

/** Starts dynalite on 127.0.0.1 (a free port), creates the ledger table and waits for it. */
export async function startDynalite(tableName = 'subzone-ledger-test'): Promise<DynaliteLedger> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  await createLedgerTable(client, tableName);
  return {
    client,
    tableName,
    endpoint,
    stop: async () => {
      client.destroy();
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}
