import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Duration } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { SubzoneConfig } from '../../functions/core/types';
import { BUNDLED_CONFIG_FILE_NAME } from '../../functions/worker/bundled-config';
import { PROJECT_ROOT, WORKER_BUNDLE } from './worker-bundling';

export { PROJECT_ROOT };

/** The worker's entry point; its TypeScript sources ship in the package for esbuild. */
export const WORKER_ENTRY = path.join(PROJECT_ROOT, 'functions/worker/handler.ts');

/** The newest Node.js runtime this aws-cdk-lib knows; the bundle's target (WORKER_BUNDLE) names the same version. */
export const WORKER_RUNTIME = lambda.Runtime.NODEJS_24_X;

/** What the hub decides about the worker; the bundling choices are fixed here. */
export interface WorkerFunctionOptions {
  readonly functionName: string;
  readonly role: iam.IRole;
  readonly logGroup: logs.ILogGroup;
  readonly timeout: Duration;
  readonly memorySize: number;
  readonly environment: Record<string, string>;
  /** The validated config, written into the asset as the worker's config file. */
  readonly config: SubzoneConfig;
}

/**
 * Writes the config to a file named by its content, for the bundling hook to copy. The asset
 * hash covers the bundle's output, so another config is another asset.
 */
function stageConfig(config: SubzoneConfig): string {
  const text = `${JSON.stringify(config, null, 2)}\n`;
  const dir = path.join(os.tmpdir(), `subzone-config-${createHash('sha256').update(text).digest('hex').slice(0, 16)}`);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, BUNDLED_CONFIG_FILE_NAME);
  fs.writeFileSync(file, text);
  return file;
}

/**
 * No dependency is installed into the asset (everything is bundled), so the lock file only
 * tells the CDK which package manager to name: the checkout's lock file, or, once installed
 * (npm ships no lock file in a package), the package's manifest.
 */
function lockFile(): string {
  const lock = path.join(PROJECT_ROOT, 'package-lock.json');
  return fs.existsSync(lock) ? lock : path.join(PROJECT_ROOT, 'package.json');
}

/**
 * WORKER_BUNDLE as the CDK's bundling options; esbuild flags the CDK has no property for go
 * in `esbuildArgs`, and aliases name files relative to the project root, where esbuild runs.
 */
function workerBundling(): Pick<nodejs.BundlingOptions, 'format' | 'target' | 'mainFields' | 'minify' | 'esbuildArgs'> {
  return {
    format: { cjs: nodejs.OutputFormat.CJS, esm: nodejs.OutputFormat.ESM }[WORKER_BUNDLE.format],
    target: WORKER_BUNDLE.target,
    mainFields: [...WORKER_BUNDLE.mainFields],
    minify: WORKER_BUNDLE.minify,
    esbuildArgs: {
      '--legal-comments': WORKER_BUNDLE.legalComments,
      '--alias': Object.entries(WORKER_BUNDLE.alias).map(([module, file]) => `${module}=./${path.relative(PROJECT_ROOT, file)}`),
    },
  };
}

/**
 * The worker as a NodejsFunction bundled by the local esbuild (never Docker) with WORKER_BUNDLE:
 * arm64, the AWS SDK inside the bundle rather than the runtime's, with source maps, and the
 * config file beside it.
 */
export function createWorkerFunction(scope: Construct, id: string, options: WorkerFunctionOptions): nodejs.NodejsFunction {
  const configFile = stageConfig(options.config);
  return new nodejs.NodejsFunction(scope, id, {
    functionName: options.functionName,
    entry: WORKER_ENTRY,
    handler: 'handler',
    projectRoot: PROJECT_ROOT,
    depsLockFilePath: lockFile(),
    runtime: WORKER_RUNTIME,
    architecture: lambda.Architecture.ARM_64,
    role: options.role,
    logGroup: options.logGroup,
    loggingFormat: lambda.LoggingFormat.JSON,
    timeout: options.timeout,
    memorySize: options.memorySize,
    environment: { ...options.environment, NODE_OPTIONS: '--enable-source-maps' },
    description: 'subzone worker: reconciles Route 53 delegations from CloudTrail hints and sweeps',
    bundling: {
      forceDockerBundling: false,
      ...workerBundling(),
      sourceMap: true,
      sourcesContent: false,
      externalModules: [],
      commandHooks: {
        beforeBundling: () => [],
        beforeInstall: () => [],
        // Node copies the file, so the hook runs wherever the CDK runs (no cp on Windows).
        afterBundling: (_inputDir, outputDir) => [
          `node -e "require('fs').copyFileSync(process.argv[1], process.argv[2])" "${configFile}" "${path.join(outputDir, BUNDLED_CONFIG_FILE_NAME)}"`,
        ],
      },
    },
  });
}
