import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { STATIC_SECRET_ACCESS_KEY, staticAccessKeyId } from '../../emulator/accounts';
import { type LedgerDatabase, startLedgerDatabase } from '../../emulator/dynamo';
import { LEDGER_ATTRIBUTE_DEFINITIONS, LEDGER_BILLING_MODE, LEDGER_KEY_SCHEMA } from '../../functions/adapters/ledger-table';

const HUB = '111111111111';

describe('the emulator ledger table', () => {
  let database: LedgerDatabase;
  let client: DynamoDBClient;

  beforeAll(async () => {
    database = await startLedgerDatabase({ tableName: 'subzone-ledger-emulated', account: HUB });
    client = new DynamoDBClient({
      endpoint: database.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: staticAccessKeyId(HUB), secretAccessKey: STATIC_SECRET_ACCESS_KEY },
    });
  });

  afterAll(async () => {
    client.destroy();
    await database.stop();
  });

  it('is active with the keys and capacity mode the hub stack declares', async () => {
    // Act
    const { Table: table } = await client.send(new DescribeTableCommand({ TableName: database.tableName }));

    // Assess
    expect(table?.TableStatus).toBe('ACTIVE');
    expect(table?.KeySchema).toEqual(LEDGER_KEY_SCHEMA);
    expect(table?.AttributeDefinitions).toEqual(expect.arrayContaining([...LEDGER_ATTRIBUTE_DEFINITIONS]));
    expect(table?.AttributeDefinitions).toHaveLength(LEDGER_ATTRIBUTE_DEFINITIONS.length);
    expect(table?.BillingModeSummary?.BillingMode).toBe(LEDGER_BILLING_MODE);
  });
});
