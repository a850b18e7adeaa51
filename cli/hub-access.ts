/**
 * How the commands reach the hub: the standard AWS settings (`--profile`, `--region`,
 * `--endpoint-url` or their environment variables), the hub's resources (flags, else the
 * variables the worker itself reads, which `subzone emulator` prints), and the read-only
 * operator role, through which every read is made when it is given (the reader roles trust it).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Route53Client } from '@aws-sdk/client-route-53';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SSMClient } from '@aws-sdk/client-ssm';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { ROUTE53_REGION, spokeRoute53Factory } from '../functions/adapters/clients';
import { DynamoDbLedger } from '../functions/adapters/dynamodb-ledger';
import { Route53ParentZoneStore } from '../functions/adapters/route53-parent-zone-store';
import { SpokeCredentials } from '../functions/adapters/spoke-credentials';
import { Route53SpokeZoneReader } from '../functions/adapters/spoke-zone-reader';
import { sdkParameterReader } from '../functions/adapters/sdk-parameter-reader';
import { SsmControlSource } from '../functions/adapters/ssm-control-source';
import type { ControlSource, DelegationLedger, ParentZoneStore, SpokeZoneReader } from '../functions/core/ports';
import type { SubzoneConfig } from '../functions/core/types';

/** The options every command takes (commander's camelCase of the flags). */
export interface CommonOptions {
  readonly config: string;
  readonly profile?: string;
  readonly region?: string;
  readonly endpointUrl?: string;
  readonly table?: string;
  readonly queueUrl?: string;
  readonly controlParameter?: string;
  readonly operatorRoleArn?: string;
  readonly json?: boolean;
}

/** A hub resource the command needs was given neither as a flag nor in the environment. */
export class MissingSettingError extends Error {
  constructor(what: string, flag: string, variable: string, output: string) {
    super(
      `${what} is not known: pass ${flag} or set ${variable} (the SubzoneHub stack's ${output} output; \`subzone emulator\` prints it)`,
    );
    this.name = 'MissingSettingError';
  }
}

/** The session name of the operator role, visible in CloudTrail. */
const OPERATOR_SESSION_NAME = 'subzone-cli';

/**
 * Applies `--profile`, `--region` and `--endpoint-url` the way the AWS CLI does: they win over
 * the environment, which the SDK then reads for every client.
 */
export function applyAwsOptions(options: CommonOptions, env: NodeJS.ProcessEnv = process.env): void {
  if (options.profile !== undefined) {
    env.AWS_PROFILE = options.profile;
    // Static keys in the environment would win over the profile in the SDK's chain.
    delete env.AWS_ACCESS_KEY_ID;
    delete env.AWS_SECRET_ACCESS_KEY;
    delete env.AWS_SESSION_TOKEN;
  }
  if (options.region !== undefined) env.AWS_REGION = options.region;
  else env.AWS_REGION ??= env.AWS_DEFAULT_REGION ?? ROUTE53_REGION;
  if (options.endpointUrl !== undefined) env.AWS_ENDPOINT_URL = options.endpointUrl;
}

/** The ledger table name, from `--table` or LEDGER_TABLE_NAME. */
export function ledgerTableName(options: CommonOptions, env: NodeJS.ProcessEnv = process.env): string {
  const name = options.table ?? env.LEDGER_TABLE_NAME;
  if (!name) throw new MissingSettingError('the ledger table', '--table', 'LEDGER_TABLE_NAME', 'LedgerTableName');
  return name;
}

/** The work queue URL, from `--queue-url` or WORK_QUEUE_URL. */
export function workQueueUrl(options: CommonOptions, env: NodeJS.ProcessEnv = process.env): string {
  const url = options.queueUrl ?? env.WORK_QUEUE_URL;
  if (!url) throw new MissingSettingError('the work queue', '--queue-url', 'WORK_QUEUE_URL', 'WorkQueueUrl');
  return url;
}

/** The controls parameter, from `--control-parameter` or CONTROL_PARAMETER_NAME. */
export function controlParameterName(options: CommonOptions, env: NodeJS.ProcessEnv = process.env): string {
  const name = options.controlParameter ?? env.CONTROL_PARAMETER_NAME;
  if (!name)
    throw new MissingSettingError('the controls parameter', '--control-parameter', 'CONTROL_PARAMETER_NAME', 'ControlParameterName');
  return name;
}

/** Credentials of the operator role, assumed with the caller's own and renewed when they expire. */
function operatorCredentials(roleArn: string): AwsCredentialIdentityProvider {
  const sts = new STSClient({});
  let current: Promise<AwsCredentialIdentity> | undefined;
  const assume = async (): Promise<AwsCredentialIdentity> => {
    const output = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: OPERATOR_SESSION_NAME }));
    const credentials = output.Credentials;
    if (!credentials?.AccessKeyId || !credentials.SecretAccessKey) throw new Error(`AssumeRole of ${roleArn} returned no credentials`);
    return {
      accessKeyId: credentials.AccessKeyId,
      secretAccessKey: credentials.SecretAccessKey,
      ...(credentials.SessionToken !== undefined && { sessionToken: credentials.SessionToken }),
      ...(credentials.Expiration !== undefined && { expiration: credentials.Expiration }),
    };
  };
  return async () => {
    const cached = current && (await current.catch(() => undefined));
    if (cached && (cached.expiration === undefined || cached.expiration.getTime() - Date.now() > 60_000)) return cached;
    current = assume();
    return current;
  };
}

/** The read ports of the hub, every one through the operator role when one is given. */
export interface HubReaders {
  readonly reader: SpokeZoneReader;
  readonly parents: ParentZoneStore;
  readonly ledger: DelegationLedger;
  /** The hub's Route 53 client (GetChange, for `verify`). */
  readonly route53: Route53Client;
  /** A Route 53 client acting in a child account through its reader role. */
  readonly spokeRoute53: (account: string) => Route53Client;
  controls(): ControlSource;
}

/** Builds the read ports; nothing is called until a command reads. */
export function hubReaders(config: SubzoneConfig, options: CommonOptions, env: NodeJS.ProcessEnv = process.env): HubReaders {
  const roleArn = options.operatorRoleArn ?? env.SUBZONE_OPERATOR_ROLE_ARN;
  const credentials = roleArn ? { credentials: operatorCredentials(roleArn) } : {};
  const route53 = new Route53Client({ region: ROUTE53_REGION, retryMode: 'standard', ...credentials });
  const spokeCredentials = new SpokeCredentials({
    sts: new STSClient({ retryMode: 'standard', ...credentials }),
    readerRoleName: config.readerRoleName,
  });
  const spokeRoute53 = spokeRoute53Factory((account) => spokeCredentials.providerFor(account));
  return {
    reader: new Route53SpokeZoneReader({ route53For: spokeRoute53, optInTag: config.optInTag, readSigning: config.dnssec.enabled }),
    spokeRoute53,
    parents: new Route53ParentZoneStore(route53),
    ledger: new DynamoDbLedger(new DynamoDBClient({ retryMode: 'standard', ...credentials }), { tableName: ledgerTableName(options, env) }),
    route53,
    controls: () =>
      new SsmControlSource(sdkParameterReader(new SSMClient({ retryMode: 'standard', ...credentials })), {
        parameterName: controlParameterName(options, env),
      }),
  };
}

/** The SQS client `apply` sends with: the caller's own credentials (the operator role reads only). */
export function queueClient(): SQSClient {
  return new SQSClient({ retryMode: 'standard' });
}
