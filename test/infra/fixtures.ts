/** Shared inputs of the infrastructure tests: a small valid config and the stacks built from it. */
import { App } from 'aws-cdk-lib';
import { parseConfig } from '../../functions/core/config-schema';
import type { SubzoneConfig } from '../../functions/core/types';
import { SubzoneHubStack, type SubzoneHubStackProps } from '../../infra/lib/hub-stack';

export const HUB_ACCOUNT = '111111111111';
export const ORGANIZATION_ID = 'o-a1b2c3d4e5';
export const PARENT_ZONE_ID = 'Z0EXAMPLEPARENT0000001';
export const HUB_ENV = { account: HUB_ACCOUNT, region: 'us-east-1' } as const;

/** The raw config the tests start from; `extraRules` are appended. */
export function rawConfig(extraRules: readonly object[] = []): Record<string, unknown> {
  return {
    version: 1,
    mode: 'enforce',
    parentZones: [{ name: 'example.com', hostedZoneId: PARENT_ZONE_ID }],
    rules: [
      { name: 'foo.example.com', accounts: ['222222222222'] },
      { name: '*.dev.example.com', accounts: ['333333333333'], nsTtl: 300 },
      ...extraRules,
    ],
  };
}

/** A parsed config, as the app hands it to the hub. */
export function testConfig(extraRules: readonly object[] = []): SubzoneConfig {
  return parseConfig(rawConfig(extraRules)).config;
}

/** A hub stack in its own app (the worker is bundled once per distinct set of bundling options). */
export function buildHubStack(props: Partial<SubzoneHubStackProps> = {}): SubzoneHubStack {
  return new SubzoneHubStack(new App(), 'Hub', { env: HUB_ENV, config: testConfig(), organizationId: ORGANIZATION_ID, ...props });
}
