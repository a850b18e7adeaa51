/**
 * Where the deployed worker finds its config: the hub construct writes the config object it
 * was given into the worker's asset, next to the bundle, so the worker runs exactly the
 * config its IAM policy was rendered from (docs/configuration.md).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../core/errors';

/** Name of the config file inside the worker's asset. */
export const BUNDLED_CONFIG_FILE_NAME = 'subzone.config.json';

/** Reads the config written into the asset; Lambda extracts the asset to LAMBDA_TASK_ROOT. */
export function readBundledConfig(taskRoot: string | undefined = process.env.LAMBDA_TASK_ROOT): unknown {
  if (taskRoot === undefined || taskRoot === '') {
    throw new ConfigError([{ path: 'LAMBDA_TASK_ROOT', message: 'expected the directory holding the worker asset, got nothing' }]);
  }
  const file = join(taskRoot, BUNDLED_CONFIG_FILE_NAME);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch (error) {
    throw new ConfigError([{ path: '', message: `cannot read the bundled config ${file}: ${String(error)}` }]);
  }
}
