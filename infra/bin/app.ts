/**
 * The subzone CDK app (`npx cdk deploy <stack>`): one consumer of the constructs, with the
 * privileges they give every user. It builds the hub for the DNS account, the spoke for
 * single accounts (the management account above all), and the organisation rollout of the
 * spoke as a StackSet. Settings come from context (`-c key=value`) or the environment:
 *
 * | context            | environment                  | meaning                                            |
 * | ------------------ | ---------------------------- | -------------------------------------------------- |
 * | `config`           | `SUBZONE_CONFIG`             | the config file                                    |
 * | `organizationId`   | `SUBZONE_ORGANIZATION_ID`    | the organisation, `o-...`                          |
 * | `hubAccount`       | `SUBZONE_HUB_ACCOUNT`        | the DNS ("hub") account id                         |
 * | `orgUnitIds`       | `SUBZONE_ORG_UNIT_IDS`       | comma-separated OU ids (or the root `r-...`)       |
 * | `callAs`           | `SUBZONE_CALL_AS`            | `SELF` (default) or `DELEGATED_ADMIN`              |
 * | `operatorAccount`  | `SUBZONE_OPERATOR_ACCOUNT`   | account whose admins may assume the operator role  |
 *
 * A setting left out falls back to a placeholder (the repository's example config, example
 * ids) only with `-c preview=true` (`npm run synth`), for reading the templates: each stack's
 * description then starts with PREVIEW and a warning names each placeholder. Without it, a
 * missing setting fails synth, so placeholders can never be deployed.
 */
import * as path from 'node:path';
import { App, Annotations, type Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
// The package's public entry, as any other app would import it ('subzone').
import {
  ConfigError,
  HUB_EVENT_BUS_NAME,
  OPERATOR_ROLE_NAME,
  SUBZONE_REGION,
  SubzoneHubStack,
  SubzoneOrgRolloutStack,
  SubzoneSpokeStack,
  type SubzoneSpokeStackProps,
  WORKER_ROLE_NAME,
  loadConfigFile,
  renderSpokeTemplate,
} from '../index';
import { applyNagPacks } from '../lib/nag-packs';

const PLACEHOLDERS = {
  config: path.join(__dirname, '..', '..', 'config', 'subzone.config.json'),
  organizationId: 'o-exampleorg01',
  hubAccount: '111111111111',
  orgUnitIds: 'r-exmp',
} as const;
type PlaceholderKey = keyof typeof PLACEHOLDERS;
const ENV_KEYS: Readonly<Record<PlaceholderKey, string>> = {
  config: 'SUBZONE_CONFIG',
  organizationId: 'SUBZONE_ORGANIZATION_ID',
  hubAccount: 'SUBZONE_HUB_ACCOUNT',
  orgUnitIds: 'SUBZONE_ORG_UNIT_IDS',
};

const app = new App();
const preview = String(app.node.tryGetContext('preview') ?? '') === 'true';
const placeholdersUsed = new Set<PlaceholderKey>();

function optional(contextKey: string, envKey: string): string | undefined {
  const value = (app.node.tryGetContext(contextKey) as string | undefined) ?? process.env[envKey];
  return value === undefined || value === '' ? undefined : String(value);
}

function required(key: PlaceholderKey): string {
  const value = optional(key, ENV_KEYS[key]);
  if (value !== undefined) return value;
  placeholdersUsed.add(key);
  return PLACEHOLDERS[key];
}

function fail(message: string): never {
  console.error(`subzone: ${message}`);
  process.exit(1);
}

const configFile = path.resolve(required('config'));
const organizationId = required('organizationId');
const hubAccount = required('hubAccount');
const orgUnitIds = required('orgUnitIds')
  .split(',')
  .map((id) => id.trim());
const callAs = (optional('callAs', 'SUBZONE_CALL_AS') ?? 'SELF') as 'SELF' | 'DELEGATED_ADMIN';
const operatorAccount = optional('operatorAccount', 'SUBZONE_OPERATOR_ACCOUNT');

if (placeholdersUsed.size > 0 && !preview) {
  const missing = [...placeholdersUsed].map((key) => `-c ${key}=... (or ${ENV_KEYS[key]})`).join(', ');
  fail(`refusing to synthesize for deploy with placeholder settings; set ${missing}, or add -c preview=true to read the templates only`);
}

let config: ReturnType<typeof loadConfigFile>['config'];
try {
  config = loadConfigFile(configFile).config;
} catch (error) {
  if (error instanceof ConfigError) fail(`${configFile}: ${error.message}`);
  throw error;
}

const marked = (description: string): string =>
  placeholdersUsed.size > 0 ? `PREVIEW with placeholder settings, do not deploy. ${description}` : description;

const hubStack = new SubzoneHubStack(app, 'SubzoneHub', {
  env: { account: hubAccount, region: SUBZONE_REGION },
  description: marked('subzone hub: Route 53 subdomain delegation for the organisation (DNS account)'),
  // The worker role is retained and every reader role trusts it: deleting the hub by accident is costly.
  terminationProtection: true,
  config,
  organizationId,
  ...(operatorAccount === undefined ? {} : { operatorPrincipal: new iam.AccountPrincipal(operatorAccount) }),
});

const spokeProps: SubzoneSpokeStackProps = {
  env: { region: SUBZONE_REGION },
  description: marked('subzone spoke: forwards Route 53 events to the hub; read-only role for the hub worker'),
  hubEventBusArn: `arn:aws:events:${SUBZONE_REGION}:${hubAccount}:event-bus/${HUB_EVENT_BUS_NAME}`,
  hubWorkerRoleArn: `arn:aws:iam::${hubAccount}:role/${WORKER_ROLE_NAME}`,
  readerRoleName: config.readerRoleName,
  ...(operatorAccount === undefined ? {} : { operatorRoleArn: `arn:aws:iam::${hubAccount}:role/${OPERATOR_ROLE_NAME}` }),
};
const spokeStack = new SubzoneSpokeStack(app, 'SubzoneSpoke', spokeProps);

const rolloutStack = new SubzoneOrgRolloutStack(app, 'SubzoneOrgRollout', {
  env: { region: SUBZONE_REGION },
  description: marked('subzone rollout: the spoke StackSet for the organisation (management or delegated-administrator account)'),
  templateBody: renderSpokeTemplate(spokeProps),
  organizationalUnitIds: orgUnitIds,
  callAs,
});

// Each stack names the placeholders it depends on.
const dependsOn: [Stack, PlaceholderKey[]][] = [
  [hubStack, ['config', 'organizationId', 'hubAccount']],
  [spokeStack, ['config', 'hubAccount']],
  [rolloutStack, ['config', 'hubAccount', 'orgUnitIds']],
];
for (const [stack, keys] of dependsOn) {
  for (const key of keys.filter((candidate) => placeholdersUsed.has(candidate))) {
    Annotations.of(stack).addWarningV2(
      `subzone:placeholder-${key}`,
      `PREVIEW: placeholder ${key}=${PLACEHOLDERS[key]}; set -c ${key}=... or ${ENV_KEYS[key]} to deploy`,
    );
  }
}
applyNagPacks(app);
