import * as fs from 'node:fs';
import { parseConfig } from '../../functions/core/config-schema';
import { ConfigError } from '../../functions/core/errors';
import type { SubzoneConfig } from '../../functions/core/types';

/**
 * Reads and validates a config file with the engine's schema. Throws ConfigError naming
 * the file when it cannot be read or is not JSON, and the schema's ConfigError otherwise.
 */
export function loadConfigFile(file: string): { config: SubzoneConfig; warnings: string[] } {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigError([{ path: '', message: `cannot read ${file} as JSON: ${reason}` }]);
  }
  return parseConfig(raw);
}
