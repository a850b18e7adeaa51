/**
 * §9 bar 5: the bundled worker, SDK included, small and quick to load.
 *
 * functions/worker/handler.ts is bundled with esbuild two ways, side by side: (a) a plain
 * CommonJS bundle of the same imports, minified, and (b) the deployed bundle, built with the
 * very options the CDK function uses (WORKER_BUNDLE in infra/lib/worker-bundling.ts). Each is
 * loaded in fresh node processes, interleaved with a bare `node -e ""` baseline. The bar
 * compares whole-process times (the median wall time of a process that loads the bundle);
 * the load time above the baseline and the in-process time are printed beside it. A variant
 * of (b) shows what a swap saves, and the metafile names the biggest inputs. It also builds, for
 * size only, (b) without parts one after the other, and the SDK clients alone (sizesWithout).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { build, type BuildOptions, type BuildResult, type Metafile } from 'esbuild';
import { WORKER_BUNDLE } from '../infra/lib/worker-bundling';
import { median, printHeading, printTable, printVerdicts, round, type Verdict } from './report';

/** Where bundles are written (git-ignored). */
export const BENCH_DIR = resolve(__dirname, '..', '.bench');
const ENTRY = resolve(__dirname, '..', 'functions', 'worker', 'handler.ts');
/** What node needs to load the deployed format: `.cjs` is required, `.mjs` imported. */
const DEPLOYED_EXTENSION = { cjs: 'cjs', esm: 'mjs' }[WORKER_BUNDLE.format];

/** The deployed bundle: under this many KB. */
export const SIZE_BAR_KB = 480;
/** The deployed bundle: a process loading it at least this many times faster than one loading the plain bundle. */
export const LOAD_SPEEDUP_BAR = 1.4;

/** One bundle as built and timed. */
export interface BundleMeasure {
  readonly name: string;
  readonly description: string;
  readonly file: string;
  readonly sizeKb: number;
  /** Median wall time of `node -e <load>` minus the median of `node -e ""`. */
  readonly loadMs: number;
  readonly rawLoadMs: number;
  /** Median time of the require/import itself, measured inside the process (less noisy on a busy machine). */
  readonly insideLoadMs: number;
  readonly topInputs: ReadonlyArray<{ readonly input: string; readonly kb: number }>;
  readonly topPackages: ReadonlyArray<{ readonly name: string; readonly kb: number }>;
  /** KB of every package in the bundle (not only the top rows), to compare bundles package by package. */
  readonly packages: Record<string, number>;
  /** KB by family: @aws-sdk, @smithy, Powertools, zod, subzone's own code, everything else. */
  readonly groups: Record<string, number>;
}

/** Results of the bundle section. */
export interface BundleResult {
  readonly runs: number;
  readonly baselineMs: number;
  readonly bundles: readonly BundleMeasure[];
  /** The deployed bundle's size against SIZE_BAR_KB. */
  readonly sizePass: boolean;
  /** Size only: what the deployed bundle would weigh without parts it could do without, or replace only with code of our own. */
  readonly without: readonly SizeOnly[];
  /** Whole-process times: the plain bundle's median wall time over the deployed one's. */
  readonly speedup: number;
  readonly speedupPass: boolean;
}

interface Variant {
  readonly name: string;
  readonly description: string;
  readonly file: string;
  readonly options: BuildOptions;
}

const COMMON: BuildOptions = {
  entryPoints: [ENTRY],
  bundle: true,
  platform: 'node',
  target: WORKER_BUNDLE.target,
  metafile: true,
  logLevel: 'error',
};

/** The deployed bundle's options, but for the module swaps. */
const DEPLOYED: BuildOptions = {
  ...COMMON,
  format: WORKER_BUNDLE.format,
  mainFields: [...WORKER_BUNDLE.mainFields],
  minify: WORKER_BUNDLE.minify,
  legalComments: WORKER_BUNDLE.legalComments,
};

function variants(): Variant[] {
  return [
    {
      name: 'plain-cjs',
      description: '(a) CommonJS, minified, the same imports',
      file: join(BENCH_DIR, 'worker-plain.cjs'),
      options: { ...COMMON, format: 'cjs', minify: true },
    },
    {
      name: 'deployed',
      description: "(b) as deployed: WORKER_BUNDLE (infra/lib/worker-bundling.ts), the packages' ES module entry points first",
      file: join(BENCH_DIR, `worker-deployed.${DEPLOYED_EXTENSION}`),
      options: { ...DEPLOYED, alias: { ...WORKER_BUNDLE.alias } },
    },
    {
      name: 'default-credentials',
      description: "(c) as (b), with the SDK's default credential chain instead of the environment's",
      file: join(BENCH_DIR, `worker-default-credentials.${DEPLOYED_EXTENSION}`),
      options: DEPLOYED,
    },
  ];
}

/** A bundle built for its size alone (it lacks code the worker runs, so it is never loaded). */
export interface SizeOnly {
  readonly what: string;
  readonly sizeKb: number;
}

/** Stands in for a module left out of a size-only bundle: it exports nothing. */
const ABSENT_MODULE = resolve(__dirname, 'absent-module.cjs');

/** The SDK clients the worker uses, with the commands it sends, and nothing else. */
const SDK_ALONE = `
import { BatchGetItemCommand, BatchWriteItemCommand, DeleteItemCommand, DynamoDBClient, GetItemCommand, PutItemCommand, UpdateItemCommand, paginateQuery, paginateScan } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { ChangeResourceRecordSetsCommand, GetChangeCommand, GetDNSSECCommand, GetHostedZoneCommand, ListHostedZonesCommand, ListResourceRecordSetsCommand, ListTagsForResourcesCommand, Route53Client } from '@aws-sdk/client-route-53';
import { SQSClient, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
export default [BatchGetItemCommand, BatchWriteItemCommand, DeleteItemCommand, DynamoDBClient, GetItemCommand, PutItemCommand, UpdateItemCommand, paginateQuery, paginateScan, EventBridgeClient, PutEventsCommand, ChangeResourceRecordSetsCommand, GetChangeCommand, GetDNSSECCommand, GetHostedZoneCommand, ListHostedZonesCommand, ListResourceRecordSetsCommand, ListTagsForResourcesCommand, Route53Client, SQSClient, SendMessageBatchCommand, AssumeRoleCommand, STSClient, marshall, unmarshall];
`;

/** KB of a build's one output file (written to memory). */
function builtKb(output: BuildResult, what: string): number {
  const file = output.outputFiles?.[0];
  if (file === undefined) throw new Error(`esbuild wrote no output for ${what}`);
  return round(file.contents.length / 1024);
}

/**
 * The deployed bundle without, one after the other, each part it could do without or replace
 * only with code of our own (the 480 KB target would take them all), and the SDK clients
 * alone, for scale.
 */
async function sizesWithout(): Promise<SizeOnly[]> {
  const deployed: BuildOptions = { ...DEPLOYED, write: false, metafile: false };
  const steps: ReadonlyArray<{ readonly what: string; readonly absent: readonly string[]; readonly external?: readonly string[] }> = [
    {
      what: 'without the EventBridge and SQS clients (one operation each)',
      absent: ['@aws-sdk/client-eventbridge', '@aws-sdk/client-sqs'],
    },
    { what: '... and without dns-packet (the dangling-delegation probe)', absent: ['dns-packet'] },
    {
      what: "... and without the SDK's event-stream support, which no call of the worker uses",
      absent: [],
      external: ['@smithy/core/event-streams'],
    },
    { what: '... and without the STS client (AssumeRole)', absent: ['@aws-sdk/client-sts'] },
  ];
  const sizes: SizeOnly[] = [];
  const absent: Record<string, string> = {};
  const external: string[] = [];
  for (const step of steps) {
    for (const name of step.absent) absent[name] = ABSENT_MODULE;
    external.push(...(step.external ?? []));
    const output = await build({ ...deployed, alias: { ...WORKER_BUNDLE.alias, ...absent }, external });
    sizes.push({ what: step.what, sizeKb: builtKb(output, step.what) });
  }
  const { entryPoints: _entry, ...sdkOptions } = deployed;
  const sdk = await build({
    ...sdkOptions,
    alias: { ...WORKER_BUNDLE.alias },
    stdin: { contents: SDK_ALONE, resolveDir: resolve(__dirname, '..'), loader: 'ts' },
  });
  sizes.push({
    what: 'the five SDK clients alone, with the commands the worker sends',
    sizeKb: builtKb(sdk, 'the SDK clients alone'),
  });
  return sizes;
}

function packageOf(input: string): string {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  return match ? (match[1] as string) : input.split('/').slice(0, 2).join('/');
}

function inputsOf(metafile: Metafile): Array<[string, number]> {
  const output = Object.values(metafile.outputs)[0];
  return Object.entries(output?.inputs ?? {}).map(([input, value]) => [input, value.bytesInOutput]);
}

function top<T>(entries: ReadonlyArray<[string, number]>, count: number, make: (name: string, kb: number) => T): T[] {
  return [...entries]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, bytes]) => make(name, round(bytes / 1024)));
}

function byPackage(inputs: ReadonlyArray<[string, number]>): Array<[string, number]> {
  const totals = new Map<string, number>();
  for (const [input, bytes] of inputs) totals.set(packageOf(input), (totals.get(packageOf(input)) ?? 0) + bytes);
  return [...totals];
}

const GROUPS: ReadonlyArray<readonly [string, RegExp]> = [
  ['@aws-sdk/*', /^@aws-sdk\//],
  ['@smithy/*', /^@smithy\//],
  ['@aws-lambda-powertools/*', /^@aws-lambda-powertools\//],
  ['zod', /^zod$/],
  ['subzone (functions/, config/)', /^(functions|config)\//],
];

function groupsOf(inputs: ReadonlyArray<[string, number]>): Record<string, number> {
  const totals: Record<string, number> = Object.fromEntries([...GROUPS.map(([name]) => [name, 0]), ['other', 0]]);
  for (const [name, bytes] of byPackage(inputs)) {
    const group = GROUPS.find(([, pattern]) => pattern.test(name))?.[0] ?? 'other';
    totals[group] = (totals[group] ?? 0) + bytes;
  }
  return Object.fromEntries(Object.entries(totals).map(([name, bytes]) => [name, round(bytes / 1024)]));
}

/**
 * A script that loads the bundle and prints how long the load took inside the process. The
 * handler must come out of the load, or the timing means nothing.
 */
function loadScript(file: string): string {
  const load = file.endsWith('.cjs')
    ? `Promise.resolve(require(${JSON.stringify(file)}))`
    : `import(${JSON.stringify(pathToFileURL(file).href)})`;
  return `const t = performance.now(); ${load}.then((m) => { if (typeof m.handler !== 'function') process.exit(3); console.log(performance.now() - t); });`;
}

/** One `node -e script`: its wall time, and the number it printed (if any). Throws if the process fails. */
function timeNode(script: string): { readonly wallMs: number; readonly insideMs: number } {
  const started = performance.now();
  const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' }, timeout: 30_000 });
  const wallMs = performance.now() - started;
  if (child.status !== 0) throw new Error(`node -e failed (status ${child.status}): ${child.stderr.slice(0, 500)}`);
  return { wallMs, insideMs: Number(child.stdout.trim()) };
}

/** Runs the section and prints its tables. */
export async function benchBundle(options: { readonly runs: number; readonly variants: 'required' | 'all' }): Promise<BundleResult> {
  printHeading('4. The bundled worker: size and load time');
  mkdirSync(BENCH_DIR, { recursive: true });
  const built: Array<Variant & { readonly metafile: Metafile }> = [];
  const chosen = options.variants === 'all' ? variants() : variants().slice(0, 2);
  for (const variant of chosen) {
    const output = await build({ ...variant.options, outfile: variant.file });
    built.push({ ...variant, metafile: output.metafile as Metafile });
  }

  const scripts = built.map((variant) => loadScript(variant.file));
  const baseline: number[] = [];
  const samples: Array<Array<{ readonly wallMs: number; readonly insideMs: number }>> = built.map(() => []);
  timeNode(''); // warm the file cache before timing
  scripts.forEach((script) => timeNode(script));
  for (let run = 0; run < options.runs; run += 1) {
    baseline.push(timeNode('').wallMs);
    scripts.forEach((script, index) => samples[index]?.push(timeNode(script)));
  }
  const baselineMs = median(baseline);

  const bundles: BundleMeasure[] = built.map((variant, index) => {
    const inputs = inputsOf(variant.metafile);
    const runs = samples[index] ?? [];
    const rawLoadMs = median(runs.map((run) => run.wallMs));
    return {
      name: variant.name,
      description: variant.description,
      file: variant.file,
      sizeKb: round(statSync(variant.file).size / 1024),
      loadMs: round(rawLoadMs - baselineMs),
      rawLoadMs: round(rawLoadMs),
      insideLoadMs: round(median(runs.map((run) => run.insideMs))),
      topInputs: top(inputs, 10, (input, kb) => ({ input, kb })),
      topPackages: top(byPackage(inputs), 12, (name, kb) => ({ name, kb })),
      packages: Object.fromEntries(byPackage(inputs).map(([name, bytes]) => [name, round(bytes / 1024)])),
      groups: groupsOf(inputs),
    };
  });
  const [plain, deployed] = bundles as [BundleMeasure, BundleMeasure];
  const speedup = round(plain.rawLoadMs / deployed.rawLoadMs, 2);
  const result: BundleResult = {
    runs: options.runs,
    baselineMs: round(baselineMs),
    bundles,
    sizePass: deployed.sizeKb < SIZE_BAR_KB,
    without: await sizesWithout(),
    speedup,
    speedupPass: speedup >= LOAD_SPEEDUP_BAR,
  };
  print(result);
  return result;
}

function print(result: BundleResult): void {
  const [plain] = result.bundles as [BundleMeasure];
  printTable(
    `Bundles of functions/worker/handler.ts: process ms = median wall time of ${result.runs} \`node -e\` runs that load it; load ms = the same minus a bare node process (${result.baselineMs} ms); in-process ms = the require/import alone`,
    ['bundle', 'KB', 'process ms', 'vs plain', 'load ms', 'vs plain', 'in-process ms', 'vs plain', 'what'],
    result.bundles.map((bundle) => [
      bundle.name,
      bundle.sizeKb,
      bundle.rawLoadMs,
      `${round(plain.rawLoadMs / bundle.rawLoadMs, 2)}x`,
      bundle.loadMs,
      `${round(plain.loadMs / bundle.loadMs, 2)}x`,
      bundle.insideLoadMs,
      `${round(plain.insideLoadMs / bundle.insideLoadMs, 2)}x`,
      bundle.description,
    ]),
  );
  const deployed = result.bundles[1] as BundleMeasure;
  printTable(
    'Top 10 inputs of the deployed bundle (b), by bytes in the output',
    ['input', 'KB'],
    deployed.topInputs.map((entry) => [entry.input, entry.kb]),
  );
  printTable(
    'Top packages of the deployed bundle (b) vs the plain bundle (a); - = not in the plain bundle',
    ['package', 'deployed KB', 'plain KB'],
    deployed.topPackages.map((entry) => [entry.name, entry.kb, plain.packages[entry.name] ?? '-']),
  );
  printTable(
    'The deployed bundle (b) by family (KB)',
    ['family', 'KB', 'share'],
    Object.entries(deployed.groups).map(([name, kb]) => [name, kb, `${round((kb / deployed.sizeKb) * 100)}%`]),
  );
  printTable(
    `Size only, against the ${SIZE_BAR_KB} KB target: the deployed bundle (b) without parts it could do without or replace only with code of our own, and the SDK alone`,
    ['bundle', 'KB'],
    [['(b) as deployed', deployed.sizeKb], ...result.without.map((size): [string, number] => [size.what, size.sizeKb])],
  );
  const verdicts: Verdict[] = [
    { what: 'deployed bundle size (KB)', measured: deployed.sizeKb, bar: `< ${SIZE_BAR_KB}`, pass: result.sizePass },
    {
      what: 'whole-process load speed-up, deployed vs plain',
      measured: `${result.speedup}x`,
      bar: `>= ${LOAD_SPEEDUP_BAR}x`,
      pass: result.speedupPass,
    },
  ];
  printVerdicts('Verdict', verdicts);
}
