/**
 * Points this process at a running emulator, as the worker, the CLI, the tests and the bench
 * each need before they build SDK clients (which read their endpoints from the environment).
 */
import type { Emulator } from './index';

/** Variables that would send the SDK somewhere other than the emulator. */
const LEAKING_VARIABLES =
  /^(AWS_ENDPOINT_URL(_.+)?|AWS_IGNORE_CONFIGURED_ENDPOINT_URLS|AWS_PROFILE|AWS_SESSION_TOKEN|AWS_CONFIG_FILE|AWS_SHARED_CREDENTIALS_FILE)$/;

/** Replaces the AWS variables of this process with the emulator's (plus `overrides`). */
export function useEmulatorEnvironment(emulator: Emulator, overrides: Readonly<Record<string, string>> = {}): void {
  for (const name of Object.keys(process.env)) if (LEAKING_VARIABLES.test(name)) delete process.env[name];
  // EMF lines on stdout mean nothing without CloudWatch.
  Object.assign(process.env, emulator.env, { POWERTOOLS_METRICS_DISABLED: 'true' }, overrides);
}
