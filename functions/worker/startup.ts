/**
 * Checks done once when the worker starts: the bundled config parses, and each parent zone
 * exists in the hub account, is public and has the configured name. A worker that fails them
 * processes nothing, so a wrong config can never write.
 */
import { ConfigError } from '../core/errors';
import { configHash, parseConfig } from '../core/config-schema';
import type { ParentZoneStore } from '../core/ports';
import type { SubzoneConfig } from '../core/types';
import type { Telemetry } from '../adapters/observability';

/** Parses the bundled config, logging its hash and any warnings. */
export function loadConfig(raw: unknown, telemetry: Telemetry): SubzoneConfig {
  const { config, warnings } = parseConfig(raw);
  telemetry.logger.info('config loaded', { configHash: configHash(config), mode: config.mode, warnings });
  return config;
}

/** Throws ConfigError naming every parent zone that is missing, private or misnamed. */
export async function checkParentZones(config: SubzoneConfig, parents: ParentZoneStore): Promise<void> {
  const issues = [];
  for (const [index, parent] of config.parentZones.entries()) {
    const path = `parentZones[${index}]`;
    try {
      const zone = await parents.describeZone(parent.hostedZoneId);
      if (zone.privateZone) issues.push({ path, message: `expected a public hosted zone, got private zone ${parent.hostedZoneId}` });
      if (zone.name !== parent.name) {
        issues.push({ path: `${path}.name`, message: `expected ${zone.name} (the name of ${parent.hostedZoneId}), got ${parent.name}` });
      }
    } catch (error) {
      issues.push({ path: `${path}.hostedZoneId`, message: `could not read hosted zone ${parent.hostedZoneId}: ${String(error)}` });
    }
  }
  if (issues.length > 0) throw new ConfigError(issues);
}
