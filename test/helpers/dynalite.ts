/**
 * An in-memory DynamoDB (dynalite) on loopback with the ledger table created, for tests that
 * must run the real SDK against real conditional-write semantics, never a mock. The table is
 * the emulator's own definition (emulator/dynamo.ts), not one built by the adapter under test.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { STATIC_SECRET_ACCESS_KEY, staticAccessKeyId } from '../../emulator/accounts';
import { startLedgerDatabase } from '../../emulator/dynamo';

const ACCOUNT = '111111111111';

/** A running dynalite with the ledger table in it. */
export interface DynaliteLedger {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  /** Closes the client and the server. */
  stop(): Promise<void>;
}

/** Starts dynalite on 127.0.0.1 (a free port) with the ledger table created. */
export async function startDynalite(tableName = 'subzone-ledger-test'): Promise<DynaliteLedger> {
  const database = await startLedgerDatabase({ tableName, account: ACCOUNT });
  const client = new DynamoDBClient({
    endpoint: database.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: staticAccessKeyId(ACCOUNT), secretAccessKey: STATIC_SECRET_ACCESS_KEY },
  });
  return {
    client,
    tableName,
    endpoint: database.endpoint,
    stop: async () => {
      client.destroy();
      await database.stop();
    },
  };
}
