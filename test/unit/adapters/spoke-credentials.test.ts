import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { SpokeReadError } from '../../../functions/core/errors';
import { ListHostedZonesCommand } from '@aws-sdk/client-route-53';
import { spokeRoute53Factory } from '../../../functions/adapters/clients';
import { SpokeCredentials } from '../../../functions/adapters/spoke-credentials';
import { Route53SpokeZoneReader } from '../../../functions/adapters/spoke-zone-reader';

const NOW = new Date('2026-09-01T12:00:00Z');

function named(name: string, message = name): Error {
  return Object.assign(new Error(message), { name });
}

function issued(expiresAt: Date, key = 'ASIATEST') {
  return {
    Credentials: { AccessKeyId: key, SecretAccessKey: 'secret', SessionToken: 'token', Expiration: expiresAt },
  };
}

describe('SpokeCredentials', () => {
  const sts = new STSClient({ region: 'us-east-1' });
  const stsMock = mockClient(sts);
  let now: Date;

  const build = (): SpokeCredentials => new SpokeCredentials({ sts, readerRoleName: 'subzone-reader', now: () => now });

  beforeEach(() => {
    stsMock.reset();
    now = NOW;
  });

  it('assumes the reader role of the account with the subzone-worker session name', async () => {
    // Prepare
    stsMock.on(AssumeRoleCommand).resolves(issued(new Date(NOW.getTime() + 3600_000)));

    // Act
    const credentials = await build().credentialsFor('222222222222');

    // Assess
    expect(stsMock.commandCalls(AssumeRoleCommand).map((call) => call.args[0].input)).toEqual([
      { RoleArn: 'arn:aws:iam::222222222222:role/subzone-reader', RoleSessionName: 'subzone-worker' },
    ]);
    expect(credentials).toEqual({
      accessKeyId: 'ASIATEST',
      secretAccessKey: 'secret',
      sessionToken: 'token',
      expiration: new Date(NOW.getTime() + 3600_000),
    });
  });

  it('makes one AssumeRole for two reads of one account (warm: zero STS calls)', async () => {
    // Prepare
    stsMock.on(AssumeRoleCommand).resolves(issued(new Date(NOW.getTime() + 3600_000)));
    const credentials = build();
    await credentials.credentialsFor('222222222222');

    // Act
    now = new Date(NOW.getTime() + 54 * 60_000);
    const provider = credentials.providerFor('222222222222');
    await provider();

    // Assess
    expect(stsMock.commandCalls(AssumeRoleCommand)).toHaveLength(1);
  });

  it('shares one AssumeRole between concurrent callers', async () => {
    // Prepare
    stsMock.on(AssumeRoleCommand).resolves(issued(new Date(NOW.getTime() + 3600_000)));
    const credentials = build();

    // Act
    await Promise.all([credentials.credentialsFor('222222222222'), credentials.credentialsFor('222222222222')]);

    // Assess
    expect(stsMock.commandCalls(AssumeRoleCommand)).toHaveLength(1);
  });

  it('caches per account', async () => {
    // Prepare
    stsMock.on(AssumeRoleCommand).resolves(issued(new Date(NOW.getTime() + 3600_000)));
    const credentials = build();

    // Act
    await credentials.credentialsFor('222222222222');
    await credentials.credentialsFor('333333333333');

    // Assess
    expect(stsMock.commandCalls(AssumeRoleCommand).map((call) => call.args[0].input.RoleArn)).toEqual([
      'arn:aws:iam::222222222222:role/subzone-reader',
      'arn:aws:iam::333333333333:role/subzone-reader',
    ]);
  });

  it.each([
    { minutesLater: 54, calls: 1 },
    { minutesLater: 55, calls: 2 },
    { minutesLater: 70, calls: 2 },
  ])('keeps or renews one-hour credentials $minutesLater minutes in: $calls AssumeRole call(s) in all', async ({ minutesLater, calls }) => {
    // Prepare
    stsMock
      .on(AssumeRoleCommand)
      .resolvesOnce(issued(new Date(NOW.getTime() + 3600_000), 'FIRST'))
      .resolves(issued(new Date(NOW.getTime() + 7200_000), 'SECOND'));
    const credentials = build();
    await credentials.credentialsFor('222222222222');

    // Act
    now = new Date(NOW.getTime() + minutesLater * 60_000);
    const second = await credentials.credentialsFor('222222222222');

    // Assess
    expect(stsMock.commandCalls(AssumeRoleCommand)).toHaveLength(calls);
    expect(second.accessKeyId).toBe(calls === 1 ? 'FIRST' : 'SECOND');
  });

  it.each([
    { error: named('AccessDenied', 'User is not authorized to perform: sts:AssumeRole'), failure: 'access-denied' },
    { error: named('Throttling', 'Rate exceeded'), failure: 'throttled' },
    { error: named('RegionDisabledException'), failure: 'unavailable' },
  ])('rejects with SpokeReadError $failure when AssumeRole fails with $error.name', async ({ error, failure }) => {
    // Prepare
    stsMock.on(AssumeRoleCommand).rejects(error);

    // Act
    const result = build().credentialsFor('222222222222');

    // Assess
    await expect(result).rejects.toBeInstanceOf(SpokeReadError);
    await expect(result).rejects.toMatchObject({ account: '222222222222', failure, cause: error });
  });

  it('rejects with SpokeReadError unavailable when AssumeRole returns no credentials', async () => {
    // Prepare
    stsMock.on(AssumeRoleCommand).resolves({});

    // Act
    const result = build().credentialsFor('222222222222');

    // Assess
    await expect(result).rejects.toMatchObject({ name: 'SpokeReadError', failure: 'unavailable' });
  });

  it('does not cache a failure: the next read asks STS again', async () => {
    // Prepare
    stsMock
      .on(AssumeRoleCommand)
      .rejectsOnce(named('AccessDenied'))
      .resolves(issued(new Date(NOW.getTime() + 3600_000)));
    const credentials = build();
    await expect(credentials.credentialsFor('222222222222')).rejects.toBeInstanceOf(SpokeReadError);

    // Act
    const second = await credentials.credentialsFor('222222222222');

    // Assess
    expect(second.accessKeyId).toBe('ASIATEST');
    expect(stsMock.commandCalls(AssumeRoleCommand)).toHaveLength(2);
  });

  it('fails a spoke Route 53 call with the SpokeReadError of a denied AssumeRole, asking STS once', async () => {
    // Prepare
    stsMock.on(AssumeRoleCommand).rejects(named('AccessDenied'));
    const credentials = build();
    const route53For = spokeRoute53Factory((account) => credentials.providerFor(account));

    // Act
    const result = route53For('222222222222').send(new ListHostedZonesCommand({}));

    // Assess
    await expect(result).rejects.toMatchObject({ name: 'SpokeReadError', account: '222222222222', failure: 'access-denied' });
    expect(stsMock.commandCalls(AssumeRoleCommand)).toHaveLength(1);
  });

  it('lets the reader report a denied reader role as access-denied', async () => {
    // Prepare
    stsMock.on(AssumeRoleCommand).rejects(named('AccessDenied'));
    const credentials = build();
    const reader = new Route53SpokeZoneReader({
      route53For: spokeRoute53Factory((account) => credentials.providerFor(account)),
      optInTag: { key: 'subzone:delegate', value: 'true' },
    });

    // Act
    const result = reader.readZones('222222222222', { kind: 'account' }, new Map());

    // Assess
    await expect(result).rejects.toBeInstanceOf(SpokeReadError);
    await expect(result).rejects.toMatchObject({ failure: 'access-denied' });
  });
});
