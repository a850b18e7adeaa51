/**
 * The ledger's single DynamoDB table: key schema, name and item layout, shared by the
 * CDK hub stack, the emulator and the tests so that all three build the same table.
 *
 * Item layout (partition key `pk`, sort key `sk`, both strings):
 *
 * | item         | pk                              | sk               | other attributes                                   |
 * | ------------ | ------------------------------- | ---------------- | -------------------------------------------------- |
 * | delegation   | `ACCOUNT#<account>`             | `ZONE#<zoneId>`  | every LedgerEntry field, natively (maps and lists) |
 * | lease        | `ACCOUNT#<account>`             | `LEASE`          | account, holder, expiresAt (ISO 8601)              |
 * | last event   | `ACCOUNT#<account>`             | `LAST_EVENT`     | lastEventAt (ISO 8601): the newest event seen      |
 * | name owner   | `NAME#<parentZoneId>#<name>`    | `OWNER`          | parentZoneId, name, account, zoneId                |
 * | sweep        | `SWEEP#<sweepId>`               | `SWEEP`          | remaining (string set), remainingCount, total, startedAt, expiresAtEpoch |
 *
 * A delegation and its account's lease share a partition, so an account's entries are one
 * strongly consistent Query (`begins_with(sk, 'ZONE#')`) that never returns the lease.
 */
import {
  type AttributeDefinition,
  type DynamoDBClient,
  type KeySchemaElement,
  CreateTableCommand,
  ResourceInUseException,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';

/** Partition key `pk`, sort key `sk`. */
export const LEDGER_KEY_SCHEMA: readonly KeySchemaElement[] = [
  { AttributeName: 'pk', KeyType: 'HASH' },
  { AttributeName: 'sk', KeyType: 'RANGE' },
];

/** Both keys are strings; no other attribute is indexed. */
export const LEDGER_ATTRIBUTE_DEFINITIONS: readonly AttributeDefinition[] = [
  { AttributeName: 'pk', AttributeType: 'S' },
  { AttributeName: 'sk', AttributeType: 'S' },
];

/** On-demand capacity. */
export const LEDGER_BILLING_MODE = 'PAY_PER_REQUEST';

/**
 * Epoch-seconds attribute for DynamoDB TTL. Only sweep items carry it: delegations, leases
 * and name owners must never expire on their own.
 */
export const LEDGER_TTL_ATTRIBUTE = 'expiresAtEpoch';

/** Key builders for the item layout above. */
export const ledgerKeys = {
  delegation: (account: string, zoneId: string) => ({ pk: `ACCOUNT#${account}`, sk: `ZONE#${zoneId}` }),
  lease: (account: string) => ({ pk: `ACCOUNT#${account}`, sk: 'LEASE' }),
  lastEvent: (account: string) => ({ pk: `ACCOUNT#${account}`, sk: 'LAST_EVENT' }),
  nameOwner: (parentZoneId: string, name: string) => ({ pk: `NAME#${parentZoneId}#${name}`, sk: 'OWNER' }),
  sweep: (sweepId: string) => ({ pk: `SWEEP#${sweepId}`, sk: 'SWEEP' }),
} as const;

/** Prefixes used to recognise item kinds in queries and scans. */
export const LEDGER_PREFIXES = { account: 'ACCOUNT#', zone: 'ZONE#' } as const;

/**
 * Creates the ledger table (if it does not exist yet) and waits until it is ACTIVE.
 * Used by the emulator and the tests; in AWS the hub stack creates the table.
 */
export async function createLedgerTable(client: DynamoDBClient, tableName: string, maxWaitSeconds = 30): Promise<void> {
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        KeySchema: [...LEDGER_KEY_SCHEMA],
        AttributeDefinitions: [...LEDGER_ATTRIBUTE_DEFINITIONS],
        BillingMode: LEDGER_BILLING_MODE,
      }),
    );
  } catch (error) {
    // An existing table is fine (a restarted emulator): it still has to be ACTIVE.
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  await waitUntilTableExists({ client, maxWaitTime: maxWaitSeconds, minDelay: 1, maxDelay: 2 }, { TableName: tableName });
}
