import { ChangeResourceRecordSetsCommand, Route53Client } from '@aws-sdk/client-route-53';
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { startEmulator, type Emulator } from '../../emulator';
import { InvalidFaultError } from '../../emulator/faults';
import { startLedgerFaultProxy, type LedgerCall, type LedgerFaultProxy } from '../../emulator/ledger-faults';
import type { AppliedChangeBatch } from '../../emulator/route53/state';

const HUB = '111111111111';

let emulator: Emulator;
let proxy: LedgerFaultProxy;
let forwarded: LedgerCall[];
let ledger: DynamoDBClient;
let route53: Route53Client;

beforeAll(async () => {
  emulator = await startEmulator({ spokeAccounts: [] });
  forwarded = [];
  proxy = await startLedgerFaultProxy({
    target: emulator.dynamoEndpoint,
    faults: emulator.faults,
    accounts: emulator.accounts,
    onForward: (call) => forwarded.push(call),
  });
  // One attempt: each test sees exactly what the emulator answered.
  ledger = new DynamoDBClient({ region: 'us-east-1', endpoint: proxy.endpoint, credentials: emulator.credentialsFor(HUB), maxAttempts: 1 });
  route53 = new Route53Client({
    region: 'us-east-1',
    endpoint: emulator.endpoint,
    credentials: emulator.credentialsFor(HUB),
    maxAttempts: 1,
  });
});

afterEach(() => {
  emulator.faults.clear();
  forwarded.length = 0;
});

afterAll(async () => {
  ledger.destroy();
  route53.destroy();
  await proxy.close();
  await emulator.stop();
});

function table(): string {
  return emulator.names.ledgerTableName;
}

function putItem(pk: string): PutItemCommand {
  return new PutItemCommand({ TableName: table(), Item: { pk: { S: pk }, sk: { S: 'CHAOS' } } });
}

async function stored(pk: string): Promise<boolean> {
  const direct = new DynamoDBClient({ region: 'us-east-1', endpoint: emulator.dynamoEndpoint, credentials: emulator.credentialsFor(HUB) });
  try {
    const found = await direct.send(
      new GetItemCommand({ TableName: table(), Key: { pk: { S: pk }, sk: { S: 'CHAOS' } }, ConsistentRead: true }),
    );
    return found.Item !== undefined;
  } finally {
    direct.destroy();
  }
}

describe('ledger fault proxy', () => {
  it('passes calls through to dynalite and shows each to its observer', async () => {
    // Prepare
    const pk = 'pass-through';

    // Act
    await ledger.send(putItem(pk));

    // Assess
    expect(await stored(pk)).toBe(true);
    expect(forwarded.map((call) => call.operation)).toEqual(['PutItem']);
    expect(JSON.parse(forwarded[0]!.body)).toMatchObject({ TableName: table(), Item: { pk: { S: pk } } });
  });

  it("rejects a throttled ledger call with DynamoDB's code and writes nothing", async () => {
    // Prepare
    emulator.faults.add({ kind: 'throttle', operation: 'PutItem', service: 'dynamodb' });

    // Act
    const error = await ledger.send(putItem('throttled')).catch((caught: unknown) => caught as Error);

    // Assess
    expect(error).toMatchObject({ name: 'ThrottlingException' });
    expect(await stored('throttled')).toBe(false);
    expect(forwarded).toEqual([]);
  });

  it('applies a call whose response is lost, and answers the caller with a 500', async () => {
    // Prepare
    emulator.faults.add({ kind: 'lost-response', operation: 'PutItem', service: 'dynamodb' });

    // Act
    const error = await ledger
      .send(putItem('lost'))
      .catch((caught: unknown) => caught as Error & { $metadata?: { httpStatusCode?: number } });

    // Assess
    expect(error).toMatchObject({ name: 'InternalFailure', $metadata: { httpStatusCode: 500 } });
    expect(await stored('lost')).toBe(true);
  });

  it("leaves the ledger alone when a fault targets the front door's services", async () => {
    // Prepare
    emulator.faults.add({ kind: 'throttle', operation: 'PutItem', service: 'route53' });

    // Act
    await ledger.send(putItem('other-service'));

    // Assess
    expect(await stored('other-service')).toBe(true);
  });
});

describe('lost responses and change batch observers in Route 53', () => {
  it('applies a change batch whose response is lost, and shows it to observers with the records before and after', async () => {
    // Prepare
    const zone = emulator.route53.createZone(HUB, 'lost.example.com');
    const batches: AppliedChangeBatch[] = [];
    const unsubscribe = emulator.route53.observeChangeBatches((batch) => batches.push(batch));
    emulator.faults.add({ kind: 'lost-response', operation: 'ChangeResourceRecordSets' });

    // Act
    const error = await route53
      .send(
        new ChangeResourceRecordSetsCommand({
          HostedZoneId: zone.id,
          ChangeBatch: {
            Changes: [
              {
                Action: 'CREATE',
                ResourceRecordSet: { Name: 'a.lost.example.com', Type: 'NS', TTL: 300, ResourceRecords: [{ Value: 'ns1.example.net' }] },
              },
            ],
          },
        }),
      )
      .catch((caught: unknown) => caught as Error);
    unsubscribe();

    // Assess
    expect(error).toMatchObject({ name: 'InternalFailure' });
    expect(emulator.route53.listRecords(HUB, zone.id).map((record) => `${record.type} ${record.name}`)).toContain('NS a.lost.example.com.');
    expect(batches).toHaveLength(1);
    expect(batches[0]).toMatchObject({ account: HUB, zoneId: zone.id, changes: [{ action: 'CREATE', type: 'NS' }] });
    expect(batches[0]!.after.size - batches[0]!.before.size).toBe(1);
  });

  it('stops showing batches to an observer once it unsubscribes', () => {
    // Prepare
    const zone = emulator.route53.createZone(HUB, 'quiet.example.com');
    const batches: AppliedChangeBatch[] = [];
    emulator.route53.observeChangeBatches((batch) => batches.push(batch))();

    // Act
    emulator.route53.putRecords(HUB, zone.id, [{ name: 'a.quiet.example.com', type: 'A', ttl: 60, values: ['192.0.2.1'] }]);

    // Assess
    expect(batches).toEqual([]);
  });

  it('rejects a fault of an unknown kind, naming the kinds it knows', () => {
    // Prepare
    const spec = { kind: 'gremlin', operation: '*' } as never;

    // Act
    const adding = () => emulator.faults.add(spec);

    // Assess
    expect(adding).toThrow(InvalidFaultError);
    expect(adding).toThrow(/lost-response/);
  });
});
