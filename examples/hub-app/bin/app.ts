/**
 * A platform team's own CDK app: subzone installed from npm, its config kept in this
 * repository, its tuning set as props, its auditors brought in with a grant.
 */
import * as path from 'node:path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import {
  SubzoneHub,
  SubzoneOrgRollout,
  SubzoneSpokeStack,
  WORKER_ROLE_NAME,
  HUB_EVENT_BUS_NAME,
  loadConfigFile,
  renderSpokeTemplate,
} from 'subzone';

const HUB_ACCOUNT = '123456789012';
const REGION = 'us-east-1';
// A fixed name: the spokes, in other accounts, trust the auditors' role by ARN.
const AUDITORS_ROLE_NAME = 'corp-dns-auditors';
const { config } = loadConfigFile(path.join(__dirname, '..', 'subzone.config.json'));

const app = new App();

const dns = new Stack(app, 'CorpDns', { env: { account: HUB_ACCOUNT, region: REGION } });
const hub = new SubzoneHub(dns, 'Subzone', {
  config,
  organizationId: 'o-corpexample1',
  sweepInterval: Duration.minutes(30),
  maxConcurrency: 4,
  route53RequestsPerSecond: 3,
});
const auditors = new iam.Role(dns, 'Auditors', { roleName: AUDITORS_ROLE_NAME, assumedBy: new iam.AccountPrincipal(HUB_ACCOUNT) });
hub.grantOperatorRead(auditors);

const spokeProps = {
  env: { region: REGION },
  hubEventBusArn: `arn:aws:events:${REGION}:${HUB_ACCOUNT}:event-bus/${HUB_EVENT_BUS_NAME}`,
  hubWorkerRoleArn: `arn:aws:iam::${HUB_ACCOUNT}:role/${WORKER_ROLE_NAME}`,
  readerRoleName: config.readerRoleName,
  operatorRoleArn: `arn:aws:iam::${HUB_ACCOUNT}:role/${AUDITORS_ROLE_NAME}`,
};
new SubzoneSpokeStack(app, 'CorpDnsSpoke', spokeProps);

const management = new Stack(app, 'CorpDnsRollout', { env: { region: REGION } });
new SubzoneOrgRollout(management, 'Spokes', { templateBody: renderSpokeTemplate(spokeProps), organizationalUnitIds: ['ou-abcd-12345678'] });
