/**
 * Who a request acts as. The emulator checks no signatures: the access key id alone names
 * the account. Static keys are `AKIAEMU` + the 12-digit account; AssumeRole issues
 * temporary `ASIAEMU…` keys that act in the role's account until they expire.
 */
import { randomBytes } from 'node:crypto';
import type { AccountId } from '../functions/core/types';

/** How long AssumeRole credentials live unless DurationSeconds says otherwise (AWS default). */
export const DEFAULT_SESSION_SECONDS = 3600;
const STATIC_KEY_PREFIX = 'AKIAEMU';
const TEMPORARY_KEY_PREFIX = 'ASIAEMU';
/** The secret every static key pairs with; signatures are never checked. */
export const STATIC_SECRET_ACCESS_KEY = 'emulator-secret-access-key';
const ACCOUNT_PATTERN = /^\d{12}$/;
/** `arn:aws:iam::<account>:role/<optional path/><name>`, IAM's own character set. */
const ROLE_ARN_PATTERN = /^arn:aws:iam::(\d{12}):role\/((?:[\w+=,.@-]+\/)*)([\w+=,.@-]{1,64})$/;

/** The caller behind a static key: an IAM user named `emulator` in the account. */
export interface UserIdentity {
  readonly kind: 'user';
  readonly account: AccountId;
  readonly accessKeyId: string;
  readonly arn: string;
  /** IAM's unique id of the user (`AIDA…`). */
  readonly userId: string;
  readonly userName: string;
}

/** The caller behind AssumeRole credentials. */
export interface AssumedRoleIdentity {
  readonly kind: 'assumed-role';
  readonly account: AccountId;
  readonly accessKeyId: string;
  /** `arn:aws:sts::<account>:assumed-role/<role name>/<session name>` */
  readonly arn: string;
  /** `AROA…:<session name>`, as GetCallerIdentity reports it. */
  readonly userId: string;
  readonly roleArn: string;
  readonly roleName: string;
  /** IAM's unique id of the role (`AROA…`). */
  readonly roleId: string;
  readonly sessionName: string;
  readonly issuedAt: Date;
  readonly expiration: Date;
}

export type CallerIdentity = UserIdentity | AssumedRoleIdentity;

/** What AssumeRole hands out. */
export interface RoleCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration: Date;
  readonly identity: AssumedRoleIdentity;
}

/** A role ARN split into its parts. */
export interface ParsedRoleArn {
  readonly account: AccountId;
  /** The path between `role/` and the name, with its trailing slash (`''` when none). */
  readonly path: string;
  readonly name: string;
}

/** Parses `arn:aws:iam::<account>:role/[path/]name`; undefined when it is not one. */
export function parseRoleArn(roleArn: string): ParsedRoleArn | undefined {
  const match = ROLE_ARN_PATTERN.exec(roleArn);
  if (!match) return undefined;
  return { account: match[1] as string, path: match[2] as string, name: match[3] as string };
}

/**
 * Pulls the access key id out of a SigV4 `Authorization` header
 * (`AWS4-HMAC-SHA256 Credential=AKIA…/20260901/us-east-1/route53/aws4_request, …`).
 * Undefined when the header is missing or not SigV4.
 */
export function parseSigV4AccessKeyId(authorizationHeader: string | undefined): string | undefined {
  if (!authorizationHeader) return undefined;
  const match = /^AWS4-HMAC-SHA256\s+Credential=([^/\s,]+)\//.exec(authorizationHeader.trim());
  return match?.[1];
}

/** The static access key id that acts in `account` (`AKIAEMU` + the account). */
export function staticAccessKeyId(account: AccountId): string {
  if (!ACCOUNT_PATTERN.test(account)) {
    throw new Error(`invalid account id ${JSON.stringify(account)}: expected 12 digits`);
  }
  return `${STATIC_KEY_PREFIX}${account}`;
}

/** AssumeRole was refused: the caller may not assume the role, or the role does not exist. */
export class RoleAccessDeniedError extends Error {
  constructor(
    public readonly callerArn: string,
    public readonly roleArn: string,
  ) {
    // AWS gives a missing role the same answer as a denied one, so nothing leaks.
    super(`User: ${callerArn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`);
    this.name = 'RoleAccessDeniedError';
  }
}

/** Options of a CredentialRegistry. */
export interface CredentialRegistryOptions {
  /** The clock; tests move it to expire credentials. @default the system clock */
  readonly now?: () => Date;
}

/**
 * The emulator's credentials: static keys per account, AssumeRole sessions, and the roles
 * tests have denied or removed. Every role exists and may be assumed unless denied or removed.
 */
export class CredentialRegistry {
  private readonly sessions = new Map<string, RoleCredentials>();
  private readonly deniedRoles = new Set<string>();
  private readonly removedRoles = new Set<string>();
  private readonly now: () => Date;

  constructor(options: CredentialRegistryOptions = {}) {
    this.now = options.now ?? (() => new Date());
  }

  /** The account a key acts in, or undefined for an unknown or expired key. */
  accountFor(accessKeyId: string): AccountId | undefined {
    return this.identityFor(accessKeyId)?.account;
  }

  /**
   * The caller behind a request the front door accepted: its key's identity, or the account's
   * root user when the key carries nothing more (the front door already checked the account).
   */
  callerOf(accessKeyId: string, account: AccountId): CallerIdentity {
    return (
      this.identityFor(accessKeyId) ?? {
        kind: 'user',
        account,
        accessKeyId,
        arn: `arn:aws:iam::${account}:root`,
        userId: account,
        userName: 'root',
      }
    );
  }

  /** The caller behind a key, or undefined for an unknown or expired key. */
  identityFor(accessKeyId: string): CallerIdentity | undefined {
    if (accessKeyId.startsWith(STATIC_KEY_PREFIX)) {
      const account = accessKeyId.slice(STATIC_KEY_PREFIX.length);
      if (!ACCOUNT_PATTERN.test(account)) return undefined;
      return {
        kind: 'user',
        account,
        accessKeyId,
        arn: `arn:aws:iam::${account}:user/emulator`,
        userId: `AIDAEMU${account}`,
        userName: 'emulator',
      };
    }
    const session = this.sessions.get(accessKeyId);
    if (!session) return undefined;
    if (session.expiration.getTime() <= this.now().getTime()) {
      this.sessions.delete(accessKeyId);
      return undefined;
    }
    return session.identity;
  }

  /** True when `sessionToken` is the token issued with `accessKeyId` (static keys need none). */
  sessionTokenMatches(accessKeyId: string, sessionToken: string | undefined): boolean {
    const session = this.sessions.get(accessKeyId);
    if (!session) return sessionToken === undefined || sessionToken === '';
    return session.sessionToken === sessionToken;
  }

  /**
   * Issues temporary credentials acting in the role's account. Throws
   * RoleAccessDeniedError when the role is denied or removed. `roleArn` must be valid
   * (see parseRoleArn); the STS service validates it first.
   */
  issueRoleCredentials(
    roleArn: string,
    options: { readonly caller?: CallerIdentity; readonly sessionName?: string; readonly durationSeconds?: number } = {},
  ): RoleCredentials {
    const role = parseRoleArn(roleArn);
    if (!role) throw new Error(`invalid role ARN ${JSON.stringify(roleArn)}: expected arn:aws:iam::<account>:role/<name>`);
    const callerArn = options.caller?.arn ?? `arn:aws:iam::${role.account}:root`;
    if (this.deniedRoles.has(roleArn) || this.removedRoles.has(roleArn)) {
      throw new RoleAccessDeniedError(callerArn, roleArn);
    }
    const sessionName = options.sessionName ?? 'emulator-session';
    const issuedAt = this.now();
    const expiration = new Date(issuedAt.getTime() + (options.durationSeconds ?? DEFAULT_SESSION_SECONDS) * 1000);
    const accessKeyId = `${TEMPORARY_KEY_PREFIX}${randomId(13)}`;
    const roleId = `AROAEMU${stableId(roleArn)}`;
    const identity: AssumedRoleIdentity = {
      kind: 'assumed-role',
      account: role.account,
      accessKeyId,
      arn: `arn:aws:sts::${role.account}:assumed-role/${role.name}/${sessionName}`,
      userId: `${roleId}:${sessionName}`,
      roleArn,
      roleName: role.name,
      roleId,
      sessionName,
      issuedAt,
      expiration,
    };
    const credentials: RoleCredentials = {
      accessKeyId,
      secretAccessKey: randomBytes(30).toString('base64'),
      sessionToken: `EMU${randomBytes(48).toString('base64')}`,
      expiration,
      identity,
    };
    this.sessions.set(accessKeyId, credentials);
    return credentials;
  }

  /** Makes AssumeRole of `roleArn` fail with AccessDenied until allowRole. */
  denyRole(roleArn: string): void {
    this.deniedRoles.add(roleArn);
  }

  /** Undoes denyRole. */
  allowRole(roleArn: string): void {
    this.deniedRoles.delete(roleArn);
  }

  /** Deletes the role: AssumeRole fails with AccessDenied, as AWS answers for a missing role. */
  removeRole(roleArn: string): void {
    this.removedRoles.add(roleArn);
  }

  /** Recreates a removed role. */
  restoreRole(roleArn: string): void {
    this.removedRoles.delete(roleArn);
  }
}

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function randomId(length: number): string {
  return Array.from(randomBytes(length), (byte) => ID_ALPHABET[byte % ID_ALPHABET.length]).join('');
}

/** A role's unique id is stable for the life of the role, so derive it from the ARN. */
function stableId(text: string): string {
  let hash = 2166136261;
  let id = '';
  for (let round = 0; id.length < 14; round += 1) {
    for (const char of `${round}:${text}`) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619) >>> 0;
    id += hash.toString(32).toUpperCase();
  }
  return id.slice(0, 14);
}
