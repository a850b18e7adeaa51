/**
 * Writes schema/subzone.config.schema.json from the config schema, so editors can complete
 * config/subzone.config.json. Run with `npm run schema`; a unit test fails when it is stale.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { configJsonSchema } from '../functions/core/config-schema';

/** Where the published JSON Schema lives, relative to the repository root. */
export const SCHEMA_PATH = join('schema', 'subzone.config.schema.json');

/** The file's exact content: pretty-printed, with a trailing newline. */
export function renderJsonSchema(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}

if (require.main === module) {
  const target = join(__dirname, '..', SCHEMA_PATH);
  writeFileSync(target, renderJsonSchema());
  process.stdout.write(`wrote ${target}\n`);
}
