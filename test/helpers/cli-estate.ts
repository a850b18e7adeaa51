/**
 * A seeded estate for the `subzone` command tests: one parent zone, `example.com`, holding an
 * NS record of every audit class, child zones in three accounts (one of them unreadable), and
 * commands run in-process against the emulator with the environment `subzone emulator` prints.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { startEmulator, type Emulator } from '../../emulator';
import { useEmulatorEnvironment } from '../../emulator/environment';
import type { HostedZone } from '../../emulator/route53/state';
import { main } from '../../cli/main';

export const HUB = '111111111111';
/** Holds foo (delegated), bar (mismatched), legacy (outside the allowlist), new (to create). */
export const TEAM_A = '222222222222';
/** Claims rogue.example.com, which no rule allows. */
export const TEAM_B = '333333333333';
/** Its reader role refuses every AssumeRole. */
export const TEAM_C = '444444444444';

/** Route 53-style name servers that no zone of the estate has. */
export const ORPHAN_NAME_SERVERS = ['ns-2040.awsdns-63.co.uk', 'ns-1.awsdns-00.com', 'ns-600.awsdns-11.net', 'ns-1100.awsdns-09.org'];

export interface CommandRun {
  readonly code: number;
  readonly out: string[];
  readonly err: string[];
}

export interface Estate {
  readonly emulator: Emulator;
  readonly parentZoneId: string;
  readonly configPath: string;
  readonly zones: {
    readonly foo: HostedZone;
    readonly bar: HostedZone;
    readonly legacy: HostedZone;
    readonly fresh: HostedZone;
    readonly rogue: HostedZone;
  };
  /** Runs `subzone ARGV --config <estate config>`. */
  run(argv: readonly string[]): Promise<CommandRun>;
  /** Runs it as on a terminal whose person answers with `confirm`; resolves to the exit code. */
  runWith(argv: readonly string[], confirm: (question: string) => Promise<boolean>): Promise<number>;
  /** The ledger table's items, sorted, for before/after comparisons. */
  ledgerItems(): Promise<string[]>;
  stop(): Promise<void>;
}

function optIn(zone: HostedZone): HostedZone {
  zone.tags.set('subzone:delegate', 'true');
  return zone;
}

/** Starts the emulator and seeds the estate (in-process: no CloudTrail event reaches the worker). */
export async function startEstate(): Promise<Estate> {
  const emulator = await startEmulator({ spokeAccounts: [TEAM_A, TEAM_B, TEAM_C] });
  const route53 = emulator.route53;
  const parentZoneId = route53.createZone(HUB, 'example.com').id;
  const config = {
    version: 1,
    mode: 'enforce',
    parentZones: [{ name: 'example.com', hostedZoneId: parentZoneId }],
    rules: [
      { name: 'foo.example.com', accounts: [TEAM_A] },
      { name: 'bar.example.com', accounts: [TEAM_A] },
      { name: 'new.example.com', accounts: [TEAM_A] },
      { name: '*.dev.example.com', accounts: [TEAM_B, TEAM_C] },
    ],
  };
  const configPath = join(mkdtempSync(join(tmpdir(), 'subzone-estate-')), 'subzone.config.json');
  writeFileSync(configPath, JSON.stringify(config, null, 2));

  const foo = optIn(route53.createZone(TEAM_A, 'foo.example.com'));
  const bar = optIn(route53.createZone(TEAM_A, 'bar.example.com'));
  const legacy = route53.createZone(TEAM_A, 'legacy.example.com');
  const fresh = optIn(route53.createZone(TEAM_A, 'new.example.com'));
  const rogue = optIn(route53.createZone(TEAM_B, 'rogue.example.com'));
  const ns = (name: string, values: readonly string[]) => ({ name, type: 'NS' as const, ttl: 3600, values });
  route53.putRecords(HUB, parentZoneId, [
    ns('foo.example.com', foo.nameServers),
    ns('bar.example.com', ORPHAN_NAME_SERVERS.slice(0, 2)),
    ns('legacy.example.com', legacy.nameServers),
    ns('old.dev.example.com', ORPHAN_NAME_SERVERS),
    ns('ext.example.com', ['ns1.example.net', 'ns2.example.net']),
    ns('www.ext.example.com', ORPHAN_NAME_SERVERS.slice(2)),
  ]);
  emulator.accounts.denyRole(`arn:aws:iam::${TEAM_C}:role/subzone-reader`);
  useEmulatorEnvironment(emulator);

  const dynamo = new DynamoDBClient({ endpoint: emulator.dynamoEndpoint, region: 'us-east-1', credentials: emulator.credentialsFor(HUB) });
  return {
    emulator,
    parentZoneId,
    configPath,
    zones: { foo, bar, legacy, fresh, rogue },
    run: async (argv) => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await main([...argv, '--config', configPath], { out: (line) => out.push(line), err: (line) => err.push(line) });
      return { code, out, err };
    },
    runWith: (argv, confirm) => main([...argv, '--config', configPath], { out: () => undefined, err: () => undefined, confirm }),
    ledgerItems: async () => {
      const scanned = await dynamo.send(new ScanCommand({ TableName: emulator.names.ledgerTableName, ConsistentRead: true }));
      return (scanned.Items ?? []).map((item) => JSON.stringify(item)).sort();
    },
    stop: async () => {
      dynamo.destroy();
      await emulator.stop();
    },
  };
}
