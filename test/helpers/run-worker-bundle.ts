/**
 * Runs a bundled worker (the very asset `cdk synth` ships) against the emulator, in its own
 * process as Lambda would load it: the parent zone gets the id of the config in the asset, a child
 * creates and tags foo.example.com through the real SDK, and the bundle's `handler` is fed by
 * the emulated queue. Prints one JSON line: the NS records of the parent and any failure.
 *
 *   npx tsx test/helpers/run-worker-bundle.ts <dir holding index.js>
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ChangeTagsForResourceCommand, CreateHostedZoneCommand, Route53Client } from '@aws-sdk/client-route-53';
import type { SqsConsumer } from '../../emulator/sqs/event-source-mapping';
import { BUNDLED_CONFIG_FILE_NAME } from '../../functions/worker/bundled-config';
import { startHarness } from '../../harness/emulator-harness';

const CHILD = '222222222222';

async function run(bundleDir: string): Promise<void> {
  // The parent zone is created with the id of the config the asset carries. Lambda extracts the
  // asset to LAMBDA_TASK_ROOT; the worker reads its config from there.
  const rawConfig: unknown = JSON.parse(readFileSync(join(bundleDir, BUNDLED_CONFIG_FILE_NAME), 'utf8'));
  const harness = await startHarness({
    rawConfig,
    emulator: { spokeAccounts: [CHILD] },
    environment: { POWERTOOLS_LOG_LEVEL: 'SILENT', LAMBDA_TASK_ROOT: bundleDir },
  });
  const { emulator } = harness;
  try {
    const parent = harness.parentZones[0]!;
    const worker = require(join(bundleDir, 'index.js')) as { handler: SqsConsumer };
    harness.attach(worker.handler);

    const child = new Route53Client({ region: 'us-east-1', endpoint: emulator.endpoint, credentials: emulator.credentialsFor(CHILD) });
    const created = await child.send(new CreateHostedZoneCommand({ Name: 'foo.example.com', CallerReference: 'bundle-check' }));
    const zoneId = created.HostedZone!.Id!.split('/').pop()!;
    await child.send(
      new ChangeTagsForResourceCommand({
        ResourceType: 'hostedzone',
        ResourceId: zoneId,
        AddTags: [{ Key: 'subzone:delegate', Value: 'true' }],
      }),
    );
    await emulator.drain({ timeoutMs: 15_000 });
    const ns = emulator.route53.listRecords(emulator.hubAccount, parent.emulatedId).filter((record) => record.type === 'NS');
    process.stdout.write(`${JSON.stringify({ ns, deadLettered: emulator.deadLetterQueue.messages.length })}\n`);
  } finally {
    await harness.stop();
  }
}

run(process.argv[2] ?? '').catch((error: unknown) => {
  process.stdout.write(`${JSON.stringify({ error: String(error) })}\n`);
  process.exitCode = 1;
});
