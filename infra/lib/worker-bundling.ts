/**
 * Bundling choices of the worker shared by the CDK function and the benchmark, so the bench
 * measures the bundle that is deployed. No CDK import here: the bench loads it directly.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The root of the subzone package: the repository in a checkout, `node_modules/subzone` once
 * installed. Found by walking up, because this file runs from `infra/lib` (sources) or from
 * `dist/infra/lib` (compiled). The worker's TypeScript sources ship in the package under it.
 */
function findPackageRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest) && (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: string }).name === 'subzone') return dir;
    if (path.dirname(dir) === dir) throw new Error(`subzone: no package.json named subzone above ${start}`);
  }
}

/** The package root: the worker entry and its sources live under it. */
export const PROJECT_ROOT = findPackageRoot(__dirname);

/**
 * Modules swapped at bundle time: Lambda hands the execution role's credentials over in the
 * environment, so the SDK's default chain (SSO, INI, process, web identity, IMDS) is replaced
 * by the environment provider (functions/worker/lambda-credentials.ts), about 100 KB less.
 */
const WORKER_BUNDLE_ALIASES: Readonly<Record<string, string>> = {
  '@aws-sdk/credential-provider-node': path.join(PROJECT_ROOT, 'functions', 'worker', 'lambda-credentials.ts'),
};

/**
 * The esbuild options of the deployed worker, defined once: infra/lib/worker-function.ts
 * hands them to the CDK's NodejsFunction and bench/bundle.ts to esbuild, so the benchmark
 * measures what is deployed. The packages' `module` entry points (ES modules esbuild can
 * tree-shake) come first; the output is CommonJS, which Node loads faster than the same code
 * as an ES module (docs/benchmarks.md); for the runtime's Node version, minified, without
 * legal comments (the packages' licences stay in node_modules and the lock file).
 */
export const WORKER_BUNDLE = {
  format: 'cjs',
  target: 'node24',
  mainFields: ['module', 'main'],
  minify: true,
  legalComments: 'none',
  alias: WORKER_BUNDLE_ALIASES,
} as const;
