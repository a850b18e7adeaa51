/**
 * §9 bar 5: the bundled worker, SDK included, small and quick to load.
 *
 * functions/worker/handler.ts is bundled with esbuild two ways, side by side: (a) a plain
 * CommonJS bundle and (b) an ESM bundle preferring the packages' `module` entry points (as
 * infra/lib/worker-function.ts builds it), both minified for node22. Each is loaded in fresh
 * node processes, interleaved with a bare `node -e ""` baseline, and the median load time
 * above the baseline is reported. Cheap variants of (b) show what would shrink it, and the
 * metafile names the biggest inputs.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { build, type BuildOptions, type Metafile } from 'esbuild';
import { WORKER_BUNDLE_ALIASES } from '../infra/lib/worker-bundling';
import { median, printHeading, printTable, printVerdicts, round, type Verdict } from './report';

/** Where bundles are written (git-ignored). */
export const BENCH_DIR = resolve(__dirname, '..', '.bench');
const ENTRY = resolve(__dirname, '..', 'functions', 'worker', 'handler.ts');
const REQUIRE_BANNER = "import { createRequire } from 'node:module';const require = createRequire(import.meta.url);";

/** ESM target: under this many KB. */
export const ESM_SIZE_BAR_KB = 480;
/** ESM target: at least this many times faster to load than the plain bundle. */
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
  readonly esmSizePass: boolean;
  /** Whole-process load time of the plain bundle / of the ESM bundle, measured side by side (the bar). */
  readonly speedup: number;
  readonly speedupPass: boolean;
  /** The same ratio with the bare node start-up taken off both sides, for context. */
  readonly speedupAboveBaseline: number;
}

interface Variant {
  readonly name: string;
  readonly description: string;
  readonly file: string;
  readonly options: BuildOptions;
}

function variants(): Variant[] {
  const common: BuildOptions = {
    entryPoints: [ENTRY],
    bundle: true,
    minify: true,
    platform: 'node',
    target: 'node22',
    metafile: true,
    logLevel: 'error',
  };
  const esm: BuildOptions = {
    ...common,
    format: 'esm',
    mainFields: ['module', 'main'],
    banner: { js: REQUIRE_BANNER },
    legalComments: 'none',
  };
  return [
    {
      name: 'plain-cjs',
      description: '(a) CommonJS, minified',
      file: join(BENCH_DIR, 'worker-plain.cjs'),
      options: { ...common, format: 'cjs' },
    },
    {
      name: 'esm-deployed',
      description: "(b) as deployed: ESM, mainFields ['module','main'], environment-only credentials (infra/lib/worker-bundling.ts)",
      file: join(BENCH_DIR, 'worker-esm-deployed.mjs'),
      options: { ...esm, alias: { ...WORKER_BUNDLE_ALIASES } },
    },
    {
      name: 'esm-default-credentials',
      description: "(c) ESM, mainFields ['module','main'], with the SDK's default credential chain",
      file: join(BENCH_DIR, 'worker-esm.mjs'),
      options: esm,
    },
  ];
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
  const [plain, esm] = bundles as [BundleMeasure, BundleMeasure];
  // The bar compares whole processes: a ratio of differences from the baseline would magnify noise.
  const speedup = round(plain.rawLoadMs / esm.rawLoadMs, 2);
  const result: BundleResult = {
    runs: options.runs,
    baselineMs: round(baselineMs),
    bundles,
    esmSizePass: esm.sizeKb < ESM_SIZE_BAR_KB,
    speedup,
    speedupPass: speedup >= LOAD_SPEEDUP_BAR,
    speedupAboveBaseline: round(plain.loadMs / esm.loadMs, 2),
  };
  print(result);
  return result;
}

function print(result: BundleResult): void {
  const [plain] = result.bundles as [BundleMeasure];
  printTable(
    `Bundles of functions/worker/handler.ts: load ms = median wall time of ${result.runs} \`node -e\` runs minus a bare node baseline of ${result.baselineMs} ms; in-process ms = the require/import alone`,
    ['bundle', 'KB', 'load ms', 'vs plain', 'in-process ms', 'vs plain', 'what'],
    result.bundles.map((bundle) => [
      bundle.name,
      bundle.sizeKb,
      bundle.loadMs,
      `${round(plain.loadMs / bundle.loadMs, 2)}x`,
      bundle.insideLoadMs,
      `${round(plain.insideLoadMs / bundle.insideLoadMs, 2)}x`,
      bundle.description,
    ]),
  );
  const esm = result.bundles[1] as BundleMeasure;
  printTable(
    'Top 10 inputs of the ESM bundle (b), by bytes in the output',
    ['input', 'KB'],
    esm.topInputs.map((entry) => [entry.input, entry.kb]),
  );
  printTable(
    'Top packages of the ESM bundle (b) vs the plain bundle (a); - = not in the plain bundle',
    ['package', 'ESM KB', 'plain KB'],
    esm.topPackages.map((entry) => [entry.name, entry.kb, plain.packages[entry.name] ?? '-']),
  );
  printTable(
    'The ESM bundle (b) by family (KB)',
    ['family', 'KB', 'share'],
    Object.entries(esm.groups).map(([name, kb]) => [name, kb, `${round((kb / esm.sizeKb) * 100)}%`]),
  );
  const verdicts: Verdict[] = [
    { what: 'ESM bundle size (KB)', measured: esm.sizeKb, bar: `< ${ESM_SIZE_BAR_KB}`, pass: result.esmSizePass },
    {
      what: 'load speed-up, ESM vs plain, whole processes',
      measured: `${result.speedup}x (${result.speedupAboveBaseline}x above the bare node start-up)`,
      bar: `>= ${LOAD_SPEEDUP_BAR}x`,
      pass: result.speedupPass,
    },
  ];
  printVerdicts('Verdict', verdicts);
}
