import { CreateHostedZoneCommand, ListHostedZonesCommand } from '@aws-sdk/client-route-53';
import { AssumeRoleCommand, GetCallerIdentityCommand, type STSServiceException } from '@aws-sdk/client-sts';
import { CredentialRegistry, parseSigV4AccessKeyId, staticAccessKeyId } from '../../emulator/accounts';
import { type Route53OnlyServer, startRoute53OnlyServer } from '../helpers/route53-only-server';

const HUB = '111111111111';
const CHILD = '222222222222';
const READER_ROLE = `arn:aws:iam::${CHILD}:role/subzone-reader`;

describe('emulated STS', () => {
  let server: Route53OnlyServer;

  beforeEach(async () => {
    server = await startRoute53OnlyServer();
  });

  afterEach(async () => {
    await server.close();
  });

  async function assumeReader(roleArn = READER_ROLE): Promise<{ accessKeyId: string; secretAccessKey: string; sessionToken: string }> {
    const { Credentials } = await server.sts(HUB).send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'subzone-worker' }));
    return {
      accessKeyId: Credentials?.AccessKeyId ?? '',
      secretAccessKey: Credentials?.SecretAccessKey ?? '',
      sessionToken: Credentials?.SessionToken ?? '',
    };
  }

  it('identifies a static key as the emulator user of its account', async () => {
    // Prepare
    const client = server.sts(HUB);

    // Act
    const identity = await client.send(new GetCallerIdentityCommand({}));

    // Assess
    expect(identity).toMatchObject({ Account: HUB, Arn: `arn:aws:iam::${HUB}:user/emulator` });
  });

  it('issues temporary credentials for one hour that act in the role account', async () => {
    // Prepare
    const before = Date.now();

    // Act
    const { Credentials, AssumedRoleUser } = await server
      .sts(HUB)
      .send(new AssumeRoleCommand({ RoleArn: READER_ROLE, RoleSessionName: 'subzone-worker' }));

    // Assess
    expect(Credentials?.AccessKeyId).toMatch(/^ASIAEMU[A-Z2-7]+$/);
    expect(Credentials?.SessionToken).toBeTruthy();
    const lifetime = (Credentials?.Expiration?.getTime() ?? 0) - before;
    expect(lifetime).toBeGreaterThan(3595_000);
    expect(lifetime).toBeLessThanOrEqual(3601_000);
    expect(AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${CHILD}:assumed-role/subzone-reader/subzone-worker`);
  });

  it('acts in the role account with the assumed credentials', async () => {
    // Prepare
    const credentials = await assumeReader();
    const asChild = server.route53(CHILD, credentials);

    // Act
    const identity = await server.sts(CHILD, credentials).send(new GetCallerIdentityCommand({}));
    await asChild.send(new CreateHostedZoneCommand({ Name: 'foo.example.com', CallerReference: 'via-role' }));

    // Assess
    expect(identity.Account).toBe(CHILD);
    expect(identity.UserId).toMatch(/^AROAEMU\w+:subzone-worker$/);
    expect(server.state.zonesOf(CHILD).map((zone) => zone.name)).toEqual(['foo.example.com']);
    const hubZones = await server.route53(HUB).send(new ListHostedZonesCommand({}));
    expect(hubZones.HostedZones).toEqual([]);
  });

  it('records the assumed role as the caller of the CloudTrail event', async () => {
    // Prepare
    const credentials = await assumeReader();

    // Act
    await server.route53(CHILD, credentials).send(new CreateHostedZoneCommand({ Name: 'foo.example.com', CallerReference: 'r' }));

    // Assess
    expect(server.events[0]?.detail.userIdentity).toMatchObject({
      type: 'AssumedRole',
      arn: `arn:aws:sts::${CHILD}:assumed-role/subzone-reader/subzone-worker`,
      accountId: CHILD,
      accessKeyId: credentials.accessKeyId,
      sessionContext: { sessionIssuer: { type: 'Role', arn: READER_ROLE, userName: 'subzone-reader' } },
    });
  });

  it.each([
    ['denied', (registry: CredentialRegistry) => registry.denyRole(READER_ROLE)],
    ['removed', (registry: CredentialRegistry) => registry.removeRole(READER_ROLE)],
  ])('rejects AssumeRole of a %s role with AccessDenied', async (_case, arrange) => {
    // Prepare
    arrange(server.credentials);

    // Act
    const attempt = server.sts(HUB).send(new AssumeRoleCommand({ RoleArn: READER_ROLE, RoleSessionName: 'subzone-worker' }));

    // Assess
    await expect(attempt).rejects.toMatchObject({
      name: 'AccessDenied',
      message: `User: arn:aws:iam::${HUB}:user/emulator is not authorized to perform: sts:AssumeRole on resource: ${READER_ROLE}`,
      $metadata: { httpStatusCode: 403 },
    });
  });

  it('lets a removed role be assumed again once restored', async () => {
    // Prepare
    server.credentials.removeRole(READER_ROLE);
    server.credentials.restoreRole(READER_ROLE);

    // Act
    const credentials = await assumeReader();

    // Assess
    expect(server.credentials.accountFor(credentials.accessKeyId)).toBe(CHILD);
  });

  it('allows a denied role again after allowRole', async () => {
    // Prepare
    server.credentials.denyRole(READER_ROLE);
    server.credentials.allowRole(READER_ROLE);

    // Act
    const credentials = await assumeReader();

    // Assess
    expect(server.credentials.accountFor(credentials.accessKeyId)).toBe(CHILD);
  });

  it.each([
    [
      { RoleArn: 'arn:aws:iam::2222:role/subzone-reader', RoleSessionName: 'worker' },
      "Value 'arn:aws:iam::2222:role/subzone-reader' at 'roleArn'",
    ],
    [{ RoleArn: `arn:aws:iam::${CHILD}:user/someone`, RoleSessionName: 'worker' }, "at 'roleArn'"],
    [
      { RoleArn: READER_ROLE, RoleSessionName: 'has space' },
      "Value 'has space' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern",
    ],
    [{ RoleArn: READER_ROLE, RoleSessionName: 'x' }, "Value 'x' at 'roleSessionName'"],
    [{ RoleArn: READER_ROLE, RoleSessionName: 'worker', DurationSeconds: 7200 }, 'exceeds the MaxSessionDuration'],
    [{ RoleArn: READER_ROLE, RoleSessionName: 'worker', DurationSeconds: 60 }, "Value '60' at 'durationSeconds'"],
  ])('rejects AssumeRole %j with ValidationError', async (input, message) => {
    // Prepare
    const client = server.sts(HUB);

    // Act
    const attempt = client.send(new AssumeRoleCommand(input));

    // Assess
    const error = (await attempt.catch((caught: unknown) => caught)) as STSServiceException;
    expect(error.name).toBe('ValidationError');
    expect(error.message).toContain(message);
  });

  it('rejects requests signed with an unknown key', async () => {
    // Prepare
    const client = server.sts(HUB, { accessKeyId: 'AKIAUNKNOWN', secretAccessKey: 'x' });

    // Act
    const attempt = client.send(new GetCallerIdentityCommand({}));

    // Assess
    await expect(attempt).rejects.toMatchObject({ name: 'InvalidClientTokenId' });
  });
});

describe('CredentialRegistry', () => {
  it('forgets temporary credentials once they expire', () => {
    // Prepare
    let now = new Date('2026-09-01T10:00:00Z');
    const registry = new CredentialRegistry({ now: () => now });
    const issued = registry.issueRoleCredentials(`arn:aws:iam::${CHILD}:role/subzone-reader`);

    // Act
    const during = registry.accountFor(issued.accessKeyId);
    now = new Date('2026-09-01T11:00:00Z');
    const after = registry.accountFor(issued.accessKeyId);

    // Assess
    expect(during).toBe(CHILD);
    expect(after).toBeUndefined();
  });

  it('accepts a session token only with the key it was issued for', () => {
    // Prepare
    const registry = new CredentialRegistry();
    const first = registry.issueRoleCredentials(`arn:aws:iam::${CHILD}:role/a`);
    const second = registry.issueRoleCredentials(`arn:aws:iam::${CHILD}:role/b`);

    // Act
    const own = registry.sessionTokenMatches(first.accessKeyId, first.sessionToken);
    const foreign = registry.sessionTokenMatches(first.accessKeyId, second.sessionToken);

    // Assess
    expect(own).toBe(true);
    expect(foreign).toBe(false);
  });

  it.each([
    [staticAccessKeyId(HUB), HUB],
    ['AKIAEMU12345', undefined],
    ['AKIAIOSFODNN7EXAMPLE', undefined],
  ])('resolves access key %s to account %s', (accessKeyId, account) => {
    // Prepare
    const registry = new CredentialRegistry();

    // Act
    const resolved = registry.accountFor(accessKeyId);

    // Assess
    expect(resolved).toBe(account);
  });

  it.each([
    [
      'AWS4-HMAC-SHA256 Credential=AKIAEMU111111111111/20260901/us-east-1/route53/aws4_request, SignedHeaders=host, Signature=ab',
      'AKIAEMU111111111111',
    ],
    ['AWS4-HMAC-SHA256 Credential=ASIAEMUABC/20260901/us-east-1/sts/aws4_request,SignedHeaders=host,Signature=ab', 'ASIAEMUABC'],
    ['Basic dXNlcjpwYXNz', undefined],
    [undefined, undefined],
  ])('parses the access key id of Authorization %s', (header, expected) => {
    // Act
    const accessKeyId = parseSigV4AccessKeyId(header);

    // Assess
    expect(accessKeyId).toBe(expected);
  });
});
