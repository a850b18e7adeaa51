import * as fs from 'node:fs';
import { parseConfig } from '../../functions/core/config-schema';
import { ConfigError } from '../../functions/core/errors';
import type { SubzoneConfig } from '../../functions/core/types';

function messageOf(error: unknown): string {
  // Node's fs errors may come from another realm (jest), so no instanceof Error here.
  return typeof error === 'object' && error !== null && 'message' in error ? String(error.message) : String(error);
}

/**
 * Reads and validates a config file with the engine's schema. Throws ConfigError naming
 * the file when it cannot be read or is not JSON, and the schema's ConfigError otherwise.
 */
export function loadConfigFile(file: string): { config: SubzoneConfig; warnings: string[] } {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError([{ path: '', message: `cannot read ${file}: ${messageOf(error)}` }]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigError([{ path: '', message: `${file} is not JSON: ${messageOf(error)}` }]);
  }
  return parseConfig(raw);
}
