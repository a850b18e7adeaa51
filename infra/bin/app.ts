/**
 * The subzone CDK app (`npm run synth`, `npx cdk deploy <stack>`): the hub for the DNS
 * account, the spoke for single accounts (the management account above all), and the
 * organisation rollout of the spoke as a StackSet. Context (`-c key=value`) or environment:
 *
 * | context            | environment                  | meaning                                            |
 * | ------------------ | ---------------------------- | -------------------------------------------------- |
 * | `config`           | `SUBZONE_CONFIG`             | config file (default `config/subzone.config.json`) |
 * | `organizationId`   | `SUBZONE_ORGANIZATION_ID`    | the organisation, `o-...`                          |
 * | `hubAccount`       | `SUBZONE_HUB_ACCOUNT`        | the DNS ("hub") account id                         |
 * | `orgUnitIds`       | `SUBZONE_ORG_UNIT_IDS`       | comma-separated OU ids (or the root `r-...`)       |
 * | `callAs`           | `SUBZONE_CALL_AS`            | `SELF` (default) or `DELEGATED_ADMIN`              |
 * | `operatorAccount`  | `SUBZONE_OPERATOR_ACCOUNT`   | account whose admins may assume the operator role  |
 *
 * Without them the app synthesizes with documented placeholders and warns: fine for a
 * look at the templates, wrong for a deploy.
 */
import * as path from 'node:path';
import { App, Annotations, type Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { configHash } from '../../functions/core/config-schema';
import { ConfigError } from '../../functions/core/errors';
import { loadConfigFile } from '../lib/config-file';
import { HUB_EVENT_BUS_NAME, SUBZONE_REGION, WORKER_ROLE_NAME } from '../lib/constants';
import { SubzoneHubStack } from '../lib/hub-stack';
import { applyNagPacks } from '../lib/nag';
import { SubzoneOrgRolloutStack } from '../lib/org-rollout-stack';
import { renderSpokeTemplate, SubzoneSpokeStack, type SubzoneSpokeStackProps } from '../lib/spoke-stack';
import { OPERATOR_ROLE_NAME } from '../lib/subzone-hub';
import { BUNDLED_CONFIG_FILE } from '../lib/worker-function';

const PLACEHOLDERS = { organizationId: 'o-exampleorg01', hubAccount: '111111111111', orgUnitIds: 'r-exmp' } as const;

const app = new App();
const placeholdersUsed = new Map<string, string>();

function setting(contextKey: string, envKey: string, placeholder?: string): string | undefined {
  const value = (app.node.tryGetContext(contextKey) as string | undefined) ?? process.env[envKey];
  if (value !== undefined && value !== '') return String(value);
  if (placeholder !== undefined) placeholdersUsed.set(contextKey, `placeholder ${contextKey}=${placeholder}: set -c ${contextKey}=... or ${envKey} before deploying this stack`);
  return placeholder;
}

function loadConfig(): ReturnType<typeof loadConfigFile> {
  const file = path.resolve(setting('config', 'SUBZONE_CONFIG') ?? BUNDLED_CONFIG_FILE);
  try {
    const loaded = loadConfigFile(file);
    // The worker bundles config/subzone.config.json; IAM derived from any other content would disagree with it.
    if (file !== BUNDLED_CONFIG_FILE && configHash(loaded.config) !== configHash(loadConfigFile(BUNDLED_CONFIG_FILE).config)) {
      throw new ConfigError([{ path: '', message: `${file} differs from ${BUNDLED_CONFIG_FILE}, which the worker bundles; copy it there to deploy it` }]);
    }
    for (const warning of loaded.warnings) console.warn(`subzone config warning: ${warning}`);
    return loaded;
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`${file}: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
}

const { config } = loadConfig();
const organizationId = setting('organizationId', 'SUBZONE_ORGANIZATION_ID', PLACEHOLDERS.organizationId) as string;
const hubAccount = setting('hubAccount', 'SUBZONE_HUB_ACCOUNT', PLACEHOLDERS.hubAccount) as string;
const orgUnitIds = (setting('orgUnitIds', 'SUBZONE_ORG_UNIT_IDS', PLACEHOLDERS.orgUnitIds) as string).split(',').map((id) => id.trim());
const callAs = (setting('callAs', 'SUBZONE_CALL_AS') ?? 'SELF') as 'SELF' | 'DELEGATED_ADMIN';
const operatorAccount = setting('operatorAccount', 'SUBZONE_OPERATOR_ACCOUNT');

const hubStack = new SubzoneHubStack(app, 'SubzoneHub', {
  env: { account: hubAccount, region: SUBZONE_REGION },
  description: 'subzone hub: Route 53 subdomain delegation for the organisation (DNS account)',
  // The worker role is retained and every reader role trusts it: deleting the hub by accident is costly.
  terminationProtection: true,
  config,
  organizationId,
  ...(operatorAccount === undefined ? {} : { operatorPrincipal: new iam.AccountPrincipal(operatorAccount) }),
});

const spokeProps: SubzoneSpokeStackProps = {
  env: { region: SUBZONE_REGION },
  description: 'subzone spoke: forwards Route 53 events to the hub; read-only role for the hub worker',
  hubEventBusArn: `arn:aws:events:${SUBZONE_REGION}:${hubAccount}:event-bus/${HUB_EVENT_BUS_NAME}`,
  hubWorkerRoleArn: `arn:aws:iam::${hubAccount}:role/${WORKER_ROLE_NAME}`,
  readerRoleName: config.readerRoleName,
  ...(operatorAccount === undefined ? {} : { operatorRoleArn: `arn:aws:iam::${hubAccount}:role/${OPERATOR_ROLE_NAME}` }),
};
const spokeStack = new SubzoneSpokeStack(app, 'SubzoneSpoke', spokeProps);

const rolloutStack = new SubzoneOrgRolloutStack(app, 'SubzoneOrgRollout', {
  env: { region: SUBZONE_REGION },
  description: 'subzone rollout: the spoke StackSet for the organisation (management or delegated-administrator account)',
  templateBody: renderSpokeTemplate(spokeProps),
  organizationalUnitIds: orgUnitIds,
  callAs,
});

// Each stack warns only about the placeholders it depends on.
const dependsOn: [Stack, string[]][] = [
  [hubStack, ['organizationId', 'hubAccount']],
  [spokeStack, ['hubAccount']],
  [rolloutStack, ['hubAccount', 'orgUnitIds']],
];
for (const [stack, keys] of dependsOn) {
  for (const key of keys) {
    const warning = placeholdersUsed.get(key);
    if (warning !== undefined) Annotations.of(stack).addWarningV2(`subzone:placeholder-${key}`, warning);
  }
}
applyNagPacks(app);
