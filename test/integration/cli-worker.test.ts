/**
 * The real worker attached to the emulator: by `subzone emulator` (a zone created and tagged
 * through the SDK is delegated with no further step) and by attach-worker's parts.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ChangeTagsForResourceCommand,
  CreateHostedZoneCommand,
  ListResourceRecordSetsCommand,
  Route53Client,
  type ResourceRecordSet,
} from '@aws-sdk/client-route-53';
import { missingSpokeAccounts, provisionParentZones } from '../../cli/attach-worker';
import { main } from '../../cli/main';
import { parseConfig } from '../../functions/core/config-schema';
import { startEmulator, type Emulator } from '../../emulator';

function capture(): { io: { out: (line: string) => void; err: (line: string) => void }; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (line) => out.push(line), err: (line) => err.push(line) }, out, err };
}

function writeConfig(raw: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'subzone-cli-')), 'config.json');
  writeFileSync(path, typeof raw === 'string' ? raw : JSON.stringify(raw));
  return path;
}

function configFor(parentZoneId: string, accounts: string[] = ['222222222222']): Record<string, unknown> {
  return {
    version: 1,
    mode: 'enforce',
    parentZones: [{ name: 'example.com', hostedZoneId: parentZoneId }],
    rules: [{ name: 'foo.example.com', accounts }],
  };
}

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('subzone emulator with the worker attached', () => {
  it('delegates a zone that a child account creates and tags, with no further step', async () => {
    // Prepare
    const { io, out } = capture();
    const configPath = writeConfig(configFor('Z0EXAMPLEPARENT0000001'));
    let delegation: ResourceRecordSet | undefined;
    let zoneNameServers: string[] = [];

    // Act: as a person with the AWS CLI would, once the emulator prints its variables
    const code = await main(['emulator', '--config', configPath, '--log-level', 'SILENT'], io, async () => {
      const value = (name: string) => out.find((line) => line.startsWith(`export ${name}=`))?.split('=')[1] ?? '';
      const endpoint = value('AWS_ENDPOINT_URL');
      const secretAccessKey = value('AWS_SECRET_ACCESS_KEY');
      const parentZoneId = /# parent zone example\.com: created in hub account 111111111111 as (\w+)/.exec(out.join('\n'))?.[1];
      const child = new Route53Client({
        region: 'us-east-1',
        endpoint,
        credentials: { accessKeyId: 'AKIAEMU222222222222', secretAccessKey },
      });
      const hub = new Route53Client({
        region: 'us-east-1',
        endpoint,
        credentials: { accessKeyId: value('AWS_ACCESS_KEY_ID'), secretAccessKey },
      });
      const created = await child.send(new CreateHostedZoneCommand({ Name: 'foo.example.com', CallerReference: 'cli-test' }));
      zoneNameServers = created.DelegationSet?.NameServers ?? [];
      await child.send(
        new ChangeTagsForResourceCommand({
          ResourceType: 'hostedzone',
          ResourceId: created.HostedZone?.Id?.split('/').pop(),
          AddTags: [{ Key: 'subzone:delegate', Value: 'true' }],
        }),
      );
      delegation = await waitFor(async () => {
        const listed = await hub.send(new ListResourceRecordSetsCommand({ HostedZoneId: parentZoneId }));
        return listed.ResourceRecordSets?.find((set) => set.Name === 'foo.example.com.' && set.Type === 'NS');
      }, 20_000);
      child.destroy();
      hub.destroy();
    });

    // Assess
    expect(code).toBe(0);
    expect(out.join('\n')).toMatch(/# worker attached to queue subzone-work with .*config\.json \(enforce mode, log level SILENT\)/);
    expect(delegation?.TTL).toBe(3600);
    expect(delegation?.ResourceRecords?.map((record) => record.Value?.replace(/\.$/, '')).sort()).toEqual([...zoneNameServers].sort());
  }, 60_000);

  it.each([
    [['--config', '/nonexistent/subzone.json'], /^subzone: \/nonexistent\/subzone\.json: cannot read the file \(ENOENT\)$/],
    [['--config', writeConfig('{ not json')], /^subzone: .*config\.json:1:3: not valid JSON: /],
    [['--config', writeConfig({ ...configFor('Z1'), dnssec: true })], /^subzone: .*config\.json: invalid subzone config: .*dnssec/],
    [['--log-level', 'LOUD'], /--log-level must be one of .*INFO.*, got "LOUD"/],
  ])('rejects emulator %j with exit code 1 before starting anything', async (options, reason) => {
    // Prepare
    const { io, out, err } = capture();

    // Act
    const code = await main(['emulator', ...options], io, async () => undefined);

    // Assess
    expect(code).toBe(1);
    expect(err.join('\n')).toMatch(reason);
    expect(out).toEqual([]);
  });
});

describe('provisionParentZones', () => {
  let emulator: Emulator;

  beforeEach(async () => {
    emulator = await startEmulator();
  });

  afterEach(async () => {
    await emulator.stop();
  });

  it.each<['id' | 'name' | 'created', string]>([
    ['id', 'the config names an existing hub zone by id'],
    ['name', 'the config id is unknown but the hub holds a zone of that name'],
    ['created', 'the hub holds no such zone'],
  ])('maps the parent zone (%s) when %s', (source) => {
    // Prepare
    const existing = source === 'created' ? undefined : emulator.route53.createZone(emulator.hubAccount, 'example.com');
    const configuredId = source === 'id' && existing ? existing.id : 'Z0EXAMPLEPARENT0000001';
    const { config } = parseConfig(configFor(configuredId));

    // Act
    const [mapping] = provisionParentZones(emulator, config);

    // Assess
    const hubZones = emulator.route53.findZones('example.com', emulator.hubAccount);
    expect(hubZones).toHaveLength(1);
    expect(mapping).toEqual({ name: 'example.com', configuredId, emulatedId: hubZones[0]?.id, source });
    if (source === 'created') expect(mapping?.emulatedId).toBe(configuredId);
  });

  it('names the allowlisted accounts that lack the forwarding rule, never the hub', () => {
    // Prepare
    const { config } = parseConfig(configFor('Z1', ['222222222222', '444444444444', emulator.hubAccount, '333333333333']));

    // Act
    const missing = missingSpokeAccounts(emulator, config);

    // Assess
    expect(emulator.spokeAccounts()).toEqual(['222222222222']);
    expect(missing).toEqual(['333333333333', '444444444444']);
  });
});
