/**
 * Proves the package works for someone outside this repository: packs it, copies
 * examples/hub-app to a temporary directory, installs the tarball there (one `npm install`),
 * type-checks the app against the package's declarations, runs `cdk synth`, and checks that
 * the worker asset carries exactly the example's config and that the write policy names its
 * parent zone. Exits non-zero on any failure. Run by `npm test` (`npm run test:example`).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfigFile } from '../infra/lib/config-file';
import { BUNDLED_CONFIG_FILE_NAME } from '../functions/worker/bundled-config';
import { WORKER_FUNCTION_NAME } from '../infra/lib/constants';

const ROOT = path.resolve(__dirname, '..');
const EXAMPLE = path.join(ROOT, 'examples', 'hub-app');
const BIN = path.join(ROOT, 'node_modules', '.bin');

function run(step: string, command: string, args: readonly string[], cwd: string): string {
  const started = Date.now();
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, CDK_DISABLE_VERSION_CHECK: 'true' } });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    throw new Error(`${step} failed (${command} ${args.join(' ')}, exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
  console.log(`  ${step}: ${seconds} s`);
  return result.stdout;
}

interface TemplateResource {
  readonly Type: string;
  readonly Properties: Record<string, unknown>;
}

function workerAssetConfig(outdir: string, stackName: string): unknown {
  const template = JSON.parse(fs.readFileSync(path.join(outdir, `${stackName}.template.json`), 'utf8')) as {
    Resources: Record<string, TemplateResource>;
  };
  const worker = Object.values(template.Resources).find(
    (resource) => resource.Type === 'AWS::Lambda::Function' && resource.Properties.FunctionName === WORKER_FUNCTION_NAME,
  );
  if (worker === undefined) throw new Error(`${stackName}: no function named ${WORKER_FUNCTION_NAME}`);
  const key = (worker.Properties.Code as { S3Key: string }).S3Key.replace(/\.zip$/, '');
  return JSON.parse(fs.readFileSync(path.join(outdir, `asset.${key}`, BUNDLED_CONFIG_FILE_NAME), 'utf8'));
}

function check(): void {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'subzone-example-'));
  try {
    console.log(`example consumer in ${work}`);
    const packed = JSON.parse(run('npm pack (build included)', 'npm', ['pack', '--json', '--pack-destination', work], ROOT)) as Array<{
      filename: string;
    }>;
    const app = path.join(work, 'app');
    fs.cpSync(EXAMPLE, app, { recursive: true, filter: (source) => !/node_modules|cdk\.out|\.tgz$/.test(path.relative(EXAMPLE, source)) });
    fs.renameSync(path.join(work, packed[0]!.filename), path.join(app, 'subzone.tgz'));
    run(
      'npm install (package + aws-cdk-lib + constructs)',
      'npm',
      ['install', '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund'],
      app,
    );
    // The example's dev tools are the repository's own: the one install stays small.
    run(
      'tsc against the package declarations',
      path.join(BIN, 'tsc'),
      ['--noEmit', '-p', 'tsconfig.json', '--typeRoots', path.join(ROOT, 'node_modules', '@types')],
      app,
    );
    const outdir = path.join(app, 'cdk.out');
    run('cdk synth', path.join(BIN, 'cdk'), ['synth', '--quiet', '--app', `${path.join(BIN, 'tsx')} bin/app.ts`, '--output', outdir], app);

    const expected = loadConfigFile(path.join(app, 'subzone.config.json')).config;
    const carried = workerAssetConfig(outdir, 'CorpDns');
    if (JSON.stringify(carried) !== JSON.stringify(expected)) {
      throw new Error(`the worker asset carries ${JSON.stringify(carried)}, not the example's config ${JSON.stringify(expected)}`);
    }
    const template = fs.readFileSync(path.join(outdir, 'CorpDns.template.json'), 'utf8');
    const parent = expected.parentZones[0]!;
    if (!template.includes(`hostedzone/${parent.hostedZoneId}`) || !template.includes(`*.sandbox.${parent.name}`)) {
      throw new Error(`the write policy does not name ${parent.hostedZoneId} and the rules of ${parent.name}`);
    }
    console.log(
      `ok: the worker asset carries the example's config (${parent.name}, ${expected.rules.length} rules) and the write policy names its zone`,
    );
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

try {
  check();
} catch (error) {
  console.error(`example check failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
