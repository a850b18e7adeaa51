import * as path from 'node:path';
import { Duration } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

import { PROJECT_ROOT, WORKER_BUNDLE_ALIASES } from './worker-bundling';

export { PROJECT_ROOT };

/** The worker's entry point (the lead's SQS handler). */
export const WORKER_ENTRY = path.join(PROJECT_ROOT, 'functions/worker/handler.ts');

/** The config file the worker imports, so esbuild bundles it (DESIGN §4). */
export const BUNDLED_CONFIG_FILE = path.join(PROJECT_ROOT, 'config/subzone.config.json');

/** The newest Node.js runtime this aws-cdk-lib knows. */
export const WORKER_RUNTIME = lambda.Runtime.NODEJS_24_X;

/**
 * ESM output has no `require`; some CommonJS dependencies still call it for Node built-ins,
 * so the bundle defines one.
 */
const REQUIRE_BANNER = "import { createRequire } from 'node:module';const require = createRequire(import.meta.url);";

/** What the hub decides about the worker; the bundling choices are fixed here. */
export interface WorkerFunctionOptions {
  readonly role: iam.IRole;
  readonly logGroup: logs.ILogGroup;
  readonly timeout: Duration;
  readonly memorySize: number;
  readonly environment: Record<string, string>;
}

/**
 * The worker as a NodejsFunction bundled by the local esbuild (never Docker): arm64, ESM
 * preferring `module` entry points (DESIGN §9: the smaller, faster-loading bundle), the
 * AWS SDK inside the bundle rather than the runtime's, minified, with source maps.
 */
export function createWorkerFunction(scope: Construct, id: string, options: WorkerFunctionOptions): nodejs.NodejsFunction {
  return new nodejs.NodejsFunction(scope, id, {
    entry: WORKER_ENTRY,
    handler: 'handler',
    projectRoot: PROJECT_ROOT,
    depsLockFilePath: path.join(PROJECT_ROOT, 'package-lock.json'),
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
      format: nodejs.OutputFormat.ESM,
      mainFields: ['module', 'main'],
      banner: REQUIRE_BANNER,
      minify: true,
      sourceMap: true,
      sourcesContent: false,
      externalModules: [],
      esbuildArgs: Object.fromEntries(
        Object.entries(WORKER_BUNDLE_ALIASES).map(([module, file]) => [`--alias:${module}`, `./${path.relative(PROJECT_ROOT, file)}`]),
      ),
    },
  });
}
