/**
 * Credentials of the read-only reader role in each child account, by STS AssumeRole,
 * cached per account until shortly before they expire: a warm worker makes no STS call.
 */
import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { SpokeReadError } from '../core/errors';
import type { AccountId } from '../core/types';
import { spokeReadFailure } from './aws-errors';

/** The role session name, visible in the child account's CloudTrail. */
export const SPOKE_ROLE_SESSION_NAME = 'subzone-worker';

/** Cached credentials are renewed this long before they expire. */
export const SPOKE_CREDENTIALS_REFRESH_MS = 5 * 60 * 1000;

/** Options of SpokeCredentials. */
export interface SpokeCredentialsOptions {
  /** STS client of the worker. */
  readonly sts: STSClient;
  /** Name of the reader role in every child account (config `readerRoleName`). */
  readonly readerRoleName: string;
  /** @default () => new Date() */
  readonly now?: () => Date;
}

interface CacheEntry {
  readonly credentials: Promise<AwsCredentialIdentity>;
}

/** Assumes `arn:aws:iam::<account>:role/<readerRoleName>` and caches the result per account. */
export class SpokeCredentials {
  private readonly cache = new Map<AccountId, CacheEntry>();
  private readonly now: () => Date;

  constructor(private readonly options: SpokeCredentialsOptions) {
    this.now = options.now ?? (() => new Date());
  }

  /** The reader role's ARN in `account`. */
  roleArn(account: AccountId): string {
    return `arn:aws:iam::${account}:role/${this.options.readerRoleName}`;
  }

  /**
   * Credentials for `account`, from the cache while they are valid for more than
   * SPOKE_CREDENTIALS_REFRESH_MS. Concurrent callers share one AssumeRole.
   * Throws SpokeReadError ('access-denied' when the role cannot be assumed).
   */
  async credentialsFor(account: AccountId): Promise<AwsCredentialIdentity> {
    const cached = this.cache.get(account);
    if (cached) {
      const credentials = await cached.credentials.catch(() => undefined);
      if (credentials && this.isFresh(credentials)) return credentials;
      if (this.cache.get(account) !== cached) return this.credentialsFor(account);
    }
    const entry: CacheEntry = { credentials: this.assume(account) };
    this.cache.set(account, entry);
    try {
      return await entry.credentials;
    } catch (error) {
      // A failure is not cached: the next reconcile asks STS again.
      if (this.cache.get(account) === entry) this.cache.delete(account);
      throw error;
    }
  }

  /** An SDK credentials provider for `account` (for a spoke Route 53 client). */
  providerFor(account: AccountId): AwsCredentialIdentityProvider {
    return () => this.credentialsFor(account);
  }

  private isFresh(credentials: AwsCredentialIdentity): boolean {
    return credentials.expiration === undefined || credentials.expiration.getTime() - this.now().getTime() > SPOKE_CREDENTIALS_REFRESH_MS;
  }

  private async assume(account: AccountId): Promise<AwsCredentialIdentity> {
    let output;
    try {
      output = await this.options.sts.send(
        new AssumeRoleCommand({ RoleArn: this.roleArn(account), RoleSessionName: SPOKE_ROLE_SESSION_NAME }),
      );
    } catch (error) {
      throw new SpokeReadError(account, spokeReadFailure(error), { cause: error });
    }
    const credentials = output.Credentials;
    if (!credentials?.AccessKeyId || !credentials.SecretAccessKey) {
      throw new SpokeReadError(account, 'unavailable', {
        cause: new Error(`AssumeRole of ${this.roleArn(account)} returned no credentials`),
      });
    }
    return {
      accessKeyId: credentials.AccessKeyId,
      secretAccessKey: credentials.SecretAccessKey,
      ...(credentials.SessionToken !== undefined && { sessionToken: credentials.SessionToken }),
      ...(credentials.Expiration !== undefined && { expiration: credentials.Expiration }),
    };
  }
}
