/**
 * Bundling choices of the worker shared by the CDK function and the benchmark, so the bench
 * measures the bundle that is deployed. No CDK import here: the bench loads it directly.
 */
import * as path from 'node:path';

/** The repository root: the worker entry, its lock file and the bundled config live under it. */
export const PROJECT_ROOT = path.resolve(__dirname, '../..');

/**
 * Modules swapped at bundle time: Lambda hands the execution role's credentials over in the
 * environment, so the SDK's default chain (SSO, INI, process, web identity, IMDS) is replaced
 * by the environment provider (functions/worker/lambda-credentials.ts), about 100 KB less.
 */
export const WORKER_BUNDLE_ALIASES: Readonly<Record<string, string>> = {
  '@aws-sdk/credential-provider-node': path.join(PROJECT_ROOT, 'functions', 'worker', 'lambda-credentials.ts'),
};
