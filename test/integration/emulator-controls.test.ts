import { randomUUID } from 'node:crypto';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { ChangeResourceRecordSetsCommand, CreateHostedZoneCommand, ListHostedZonesCommand, Route53Client } from '@aws-sdk/client-route-53';
import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { main } from '../../cli/main';
import { FaultInjector } from '../../emulator/faults';
import { INITIAL_CONTROLS } from '../../emulator';
import { clientConfig, useEmulator } from '../helpers/emulator';

const HUB = '111111111111';
const SPOKE = '222222222222';
const READER_ROLE = `arn:aws:iam::${SPOKE}:role/subzone-reader`;

describe('emulator controls', () => {
  const emulator = useEmulator();
  const clients: Array<{ destroy(): void }> = [];

  function route53(account = HUB, maxAttempts?: number): Route53Client {
    const client = new Route53Client(clientConfig(emulator(), account, maxAttempts === undefined ? {} : { maxAttempts }));
    clients.push(client);
    return client;
  }

  function ssm(account = HUB, maxAttempts?: number): SSMClient {
    const client = new SSMClient(clientConfig(emulator(), account, maxAttempts === undefined ? {} : { maxAttempts }));
    clients.push(client);
    return client;
  }

  async function admin(method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
    const response = await fetch(`${emulator().endpoint}/_emulator/${path}`, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  }

  afterEach(() => {
    emulator().faults.clear();
    emulator().quota.disable();
    emulator().counters.reset();
    emulator().accounts.allowRole(READER_ROLE);
  });
  afterAll(() => clients.forEach((client) => client.destroy()));

  describe('counters', () => {
    it('counts calls per account, service and operation', async () => {
      // Prepare
      const hub = route53(HUB);
      const spoke = route53(SPOKE);

      // Act
      await hub.send(new ListHostedZonesCommand({}));
      await hub.send(new ListHostedZonesCommand({}));
      await spoke.send(new ListHostedZonesCommand({}));
      await ssm(HUB).send(new GetParameterCommand({ Name: '/subzone/controls' }));

      // Assess
      const { counters } = emulator();
      expect(counters.count({ account: HUB, operation: 'ListHostedZones' })).toBe(2);
      expect(counters.count({ account: SPOKE, service: 'route53' })).toBe(1);
      expect(counters.count({ service: 'ssm' })).toBe(1);
      expect(counters.count()).toBe(4);
      expect(counters.snapshot()).toContainEqual({ account: HUB, service: 'ssm', operation: 'GetParameter', calls: 1, refused: 0 });
    });
  });

  describe('faults', () => {
    it("lets the SDK's retries recover from a one-shot Route 53 throttle, counting both calls", async () => {
      // Prepare
      emulator().faults.add({ kind: 'throttle', service: 'route53', operation: 'ListHostedZones' });

      // Act
      const result = await route53(HUB).send(new ListHostedZonesCommand({}));

      // Assess
      expect(result.HostedZones).toBeDefined();
      expect(result.$metadata.attempts).toBe(2);
      expect(emulator().counters.count({ operation: 'ListHostedZones' })).toBe(2);
      expect(emulator().counters.refusals({ operation: 'ListHostedZones' })).toBe(1);
    });

    it.each([
      ['throttle', 400, 'Throttling', 'Rate exceeded'],
      [
        'prior-request-not-complete',
        400,
        'PriorRequestNotComplete',
        'The request was rejected because Route 53 was still processing a prior request.',
      ],
      ['server-error', 500, 'InternalFailure', 'The request processing has failed because of an unknown error.'],
    ] as const)('answers a Route 53 %s fault with %i %s', async (kind, status, code, message) => {
      // Prepare
      emulator().faults.add({ kind, operation: 'ListHostedZones' });

      // Act
      const act = route53(HUB, 1).send(new ListHostedZonesCommand({}));

      // Assess
      await expect(act).rejects.toMatchObject({ name: code, message, $metadata: { httpStatusCode: status } });
    });

    it('answers a 503 fault with ServiceUnavailable', async () => {
      // Prepare
      emulator().faults.add({ kind: 'server-error', status: 503, operation: 'GetParameter' });

      // Act
      const act = ssm(HUB, 1).send(new GetParameterCommand({ Name: '/subzone/controls' }));

      // Assess
      await expect(act).rejects.toMatchObject({ name: 'ServiceUnavailable', $metadata: { httpStatusCode: 503 } });
    });

    it.each([
      [
        'events',
        () =>
          new EventBridgeClient(clientConfig(emulator(), HUB, { maxAttempts: 1 })).send(
            new PutEventsCommand({ Entries: [{ Source: 'acme', DetailType: 'x', Detail: '{}' }] }),
          ),
      ],
      [
        'sqs',
        () =>
          new SQSClient(clientConfig(emulator(), HUB, { maxAttempts: 1 })).send(
            new SendMessageCommand({ QueueUrl: emulator().env.WORK_QUEUE_URL, MessageBody: 'x' }),
          ),
      ],
      ['ssm', () => ssm(HUB, 1).send(new GetParameterCommand({ Name: '/subzone/controls' }))],
    ] as const)('throttles %s with ThrottlingException', async (service, call) => {
      // Prepare
      emulator().faults.add({ kind: 'throttle', service, operation: '*' });

      // Act
      const act = call();

      // Assess
      await expect(act).rejects.toMatchObject({ name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
    });

    it('hits exactly N calls with a fault given times: N', async () => {
      // Prepare
      emulator().faults.add({ kind: 'throttle', operation: 'GetParameter', times: 2 });
      const client = ssm(HUB, 1);
      const attempt = () =>
        client.send(new GetParameterCommand({ Name: '/subzone/controls' })).then(
          () => 'ok',
          (error: Error) => error.name,
        );

      // Act
      const outcomes = [await attempt(), await attempt(), await attempt()];

      // Assess
      expect(outcomes).toEqual(['ThrottlingException', 'ThrottlingException', 'ok']);
      expect(emulator().faults.list()).toEqual([]);
    });

    it('only hits the account a fault names', async () => {
      // Prepare
      emulator().faults.add({ kind: 'throttle', operation: '*', account: SPOKE, times: 5 });

      // Act
      const hub = await route53(HUB, 1).send(new ListHostedZonesCommand({}));
      const spoke = route53(SPOKE, 1).send(new ListHostedZonesCommand({}));

      // Assess
      expect(hub.HostedZones).toBeDefined();
      await expect(spoke).rejects.toMatchObject({ name: 'Throttling' });
    });

    it('adds latency to a call', async () => {
      // Prepare
      emulator().faults.add({ kind: 'latency', operation: 'ListHostedZones', latencyMs: 250 });
      const started = Date.now();

      // Act
      await route53(HUB).send(new ListHostedZonesCommand({}));

      // Assess
      expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    });

    it('draws probabilistic faults from a seed, the same way every run', () => {
      // Prepare
      const draw = (seed: number) => {
        const faults = new FaultInjector(seed);
        faults.add({ kind: 'throttle', operation: '*', probability: 0.3 });
        return Array.from({ length: 200 }, () => (faults.decide('route53', 'ListHostedZones', HUB).error ? 1 : 0));
      };

      // Act
      const first = draw(42);
      const again = draw(42);
      const other = draw(7);

      // Assess
      expect(again).toEqual(first);
      expect(other).not.toEqual(first);
      const rate = first.reduce((sum: number, hit) => sum + hit, 0) / first.length;
      expect(rate).toBeGreaterThan(0.2);
      expect(rate).toBeLessThan(0.4);
    });

    it.each([
      ['an unknown kind', { kind: 'explode', operation: '*' }, /kind/],
      ['a probability above 1', { kind: 'throttle', operation: '*', probability: 1.5 }, /probability/],
      ['zero times', { kind: 'throttle', operation: '*', times: 0 }, /times/],
      ['an empty operation', { kind: 'throttle', operation: '' }, /operation/],
    ])('rejects a fault with %s', (_name, spec, field) => {
      // Prepare
      const faults = new FaultInjector();

      // Act
      const act = () => faults.add(spec as never);

      // Assess
      expect(act).toThrow(field);
    });
  });

  describe('quota', () => {
    it('refuses Route 53 calls beyond the burst with Throttling, per account', async () => {
      // Prepare
      emulator().quota.enable({ burst: 3, ratePerSecond: 0.001 });
      const hub = route53(HUB, 1);
      const attempt = () =>
        hub.send(new ListHostedZonesCommand({})).then(
          () => 'ok',
          (error: Error) => `${error.name}: ${error.message}`,
        );

      // Act
      const outcomes = [await attempt(), await attempt(), await attempt(), await attempt()];
      const otherAccount = await route53(SPOKE, 1).send(new ListHostedZonesCommand({}));
      const otherService = await ssm(HUB, 1).send(new GetParameterCommand({ Name: '/subzone/controls' }));

      // Assess
      expect(outcomes).toEqual(['ok', 'ok', 'ok', 'Throttling: Rate exceeded']);
      expect(otherAccount.HostedZones).toBeDefined();
      expect(otherService.Parameter).toBeDefined();
    });

    it("lets the SDK's retries get through once the bucket refills", async () => {
      // Prepare
      emulator().quota.enable({ burst: 1, ratePerSecond: 100 });
      const hub = route53(HUB, 6);

      // Act
      const results = [];
      for (let i = 0; i < 5; i += 1) results.push(await hub.send(new ListHostedZonesCommand({})));

      // Assess
      expect(results).toHaveLength(5);
      expect(emulator().counters.refusals({ account: HUB, service: 'route53' })).toBeGreaterThan(0);
    });

    it('starts with the documented defaults: 10 requests per second, burst 50, Route 53 only', () => {
      // Prepare: quota off

      // Act
      const settings = emulator().quota.enable();

      // Assess
      expect(settings).toEqual({ ratePerSecond: 10, burst: 50, services: ['route53'] });
    });
  });

  describe('credentials', () => {
    const unknownKey = () => ({
      endpoint: emulator().endpoint,
      region: 'us-east-1',
      maxAttempts: 1,
      credentials: { accessKeyId: 'AKIAUNKNOWN000000000', secretAccessKey: 'x' },
    });

    it.each([
      ['Route 53', () => new Route53Client(unknownKey()).send(new ListHostedZonesCommand({})), 'InvalidClientTokenId', 403],
      ['STS', () => new STSClient(unknownKey()).send(new GetCallerIdentityCommand({})), 'InvalidClientTokenId', 403],
      ['SSM', () => new SSMClient(unknownKey()).send(new GetParameterCommand({ Name: 'x' })), 'UnrecognizedClientException', 400],
      [
        'EventBridge',
        () => new EventBridgeClient(unknownKey()).send(new PutEventsCommand({ Entries: [{ Source: 'a', DetailType: 'b', Detail: '{}' }] })),
        'UnrecognizedClientException',
        400,
      ],
    ])('rejects an unknown access key on %s', async (_service, call, code, status) => {
      // Prepare: a key no account owns

      // Act
      const act = call();

      // Assess
      await expect(act).rejects.toMatchObject({ name: code, $metadata: { httpStatusCode: status } });
      expect(emulator().counters.count()).toBe(0);
    });

    it("acts in the role's account with AssumeRole credentials", async () => {
      // Prepare
      const sts = new STSClient(clientConfig(emulator(), HUB));
      clients.push(sts);
      const assumed = await sts.send(new AssumeRoleCommand({ RoleArn: READER_ROLE, RoleSessionName: 'subzone' }));
      const asReader = new STSClient({
        endpoint: emulator().endpoint,
        region: 'us-east-1',
        credentials: {
          accessKeyId: assumed.Credentials?.AccessKeyId ?? '',
          secretAccessKey: assumed.Credentials?.SecretAccessKey ?? '',
          sessionToken: assumed.Credentials?.SessionToken ?? '',
        },
      });
      clients.push(asReader);

      // Act
      const identity = await asReader.send(new GetCallerIdentityCommand({}));

      // Assess
      expect(identity.Account).toBe(SPOKE);
      expect(emulator().counters.count({ account: SPOKE, service: 'sts', operation: 'GetCallerIdentity' })).toBe(1);
    });
  });

  describe('SSM parameters', () => {
    it('holds the operator controls, unpaused, in the hub account', async () => {
      // Prepare
      const client = ssm(HUB);

      // Act
      const result = await client.send(new GetParameterCommand({ Name: emulator().env.CONTROL_PARAMETER_NAME }));

      // Assess
      expect(result.Parameter).toMatchObject({ Name: '/subzone/controls', Type: 'String', Value: INITIAL_CONTROLS, Version: 1 });
      expect(JSON.parse(result.Parameter?.Value ?? '')).toEqual({ writesPaused: false, holds: [] });
    });

    it('overwrites a parameter only when asked, bumping its version', async () => {
      // Prepare
      const client = ssm(HUB);
      const name = `/test/${randomUUID()}`;
      await client.send(new PutParameterCommand({ Name: name, Value: 'one', Type: 'String' }));

      // Act
      const refused = client.send(new PutParameterCommand({ Name: name, Value: 'two', Type: 'String' }));
      await expect(refused).rejects.toMatchObject({ name: 'ParameterAlreadyExists' });
      const put = await client.send(new PutParameterCommand({ Name: name, Value: 'two', Type: 'String', Overwrite: true }));
      const read = await client.send(new GetParameterCommand({ Name: name }));

      // Assess
      expect(put.Version).toBe(2);
      expect(read.Parameter?.Value).toBe('two');
    });

    it("rejects a missing parameter with ParameterNotFound, and another account's as missing", async () => {
      // Prepare
      const spoke = ssm(SPOKE);

      // Act
      const missing = ssm(HUB).send(new GetParameterCommand({ Name: '/nope' }));
      const foreign = spoke.send(new GetParameterCommand({ Name: '/subzone/controls' }));

      // Assess
      await expect(missing).rejects.toMatchObject({ name: 'ParameterNotFound', $metadata: { httpStatusCode: 400 } });
      await expect(foreign).rejects.toMatchObject({ name: 'ParameterNotFound' });
    });
  });

  describe('admin endpoint', () => {
    it('reports counters and resets them', async () => {
      // Prepare
      await route53(HUB).send(new ListHostedZonesCommand({}));

      // Act
      const before = await admin('GET', 'counters');
      const reset = await admin('DELETE', 'counters');
      const after = await admin('GET', 'counters');

      // Assess
      expect(before.json.counters).toEqual([{ account: HUB, service: 'route53', operation: 'ListHostedZones', calls: 1, refused: 0 }]);
      expect(reset.status).toBe(200);
      expect(after.json.counters).toEqual([]);
    });

    it('injects, lists and removes a fault', async () => {
      // Prepare
      const added = await admin('POST', 'faults', {
        kind: 'prior-request-not-complete',
        operation: 'ChangeResourceRecordSets',
        service: 'route53',
      });
      const zone = await route53(HUB).send(new CreateHostedZoneCommand({ Name: 'admin.example.com', CallerReference: randomUUID() }));
      const change = () =>
        route53(HUB, 1).send(
          new ChangeResourceRecordSetsCommand({
            HostedZoneId: zone.HostedZone?.Id,
            ChangeBatch: {
              Changes: [
                {
                  Action: 'UPSERT',
                  ResourceRecordSet: { Name: 'a.admin.example.com', Type: 'TXT', TTL: 60, ResourceRecords: [{ Value: '"x"' }] },
                },
              ],
            },
          }),
        );

      // Act
      const listed = await admin('GET', 'faults');
      const refused = change();
      await expect(refused).rejects.toMatchObject({ name: 'PriorRequestNotComplete' });
      const again = await admin('POST', 'faults', { kind: 'throttle', operation: '*', probability: 1 });
      const removed = await admin('DELETE', `faults/${String(again.json.id)}`);
      const accepted = await change();

      // Assess
      expect(added).toEqual({ status: 200, json: { id: expect.stringMatching(/^fault-/) } });
      expect(listed.json.faults).toEqual([expect.objectContaining({ id: added.json.id, hits: 0, remaining: 1 })]);
      expect(removed.status).toBe(200);
      expect(accepted.ChangeInfo?.Status).toBeDefined();
    });

    it.each([
      ['faults', 'POST', { kind: 'throttle' }, /operation/],
      ['faults', 'POST', { kind: 'throttle', operation: '*', extra: true }, /extra/],
      ['quota', 'PUT', { burst: -1 }, /burst/],
      ['roles/deny', 'POST', { roleArn: 'reader' }, /roleArn/],
    ])('rejects a bad %s body naming the field', async (path, method, body, field) => {
      // Prepare: the body above

      // Act
      const response = await admin(method, path, body);

      // Assess
      expect(response.status).toBe(400);
      expect(String(response.json.error)).toMatch(field);
    });

    it('turns the quota on and off', async () => {
      // Prepare: quota off

      // Act
      const enabled = await admin('PUT', 'quota', { burst: 5 });
      const read = await admin('GET', 'quota');
      const disabled = await admin('DELETE', 'quota');

      // Assess
      expect(enabled.json.quota).toEqual({ ratePerSecond: 10, burst: 5, services: ['route53'] });
      expect(read.json.quota).toEqual(enabled.json.quota);
      expect(disabled.json.quota).toBeNull();
      expect(emulator().quota.settings()).toBeUndefined();
    });

    it('denies and allows a role for AssumeRole', async () => {
      // Prepare
      const sts = new STSClient(clientConfig(emulator(), HUB, { maxAttempts: 1 }));
      clients.push(sts);

      // Act
      await admin('POST', 'roles/deny', { roleArn: READER_ROLE });
      const denied = sts.send(new AssumeRoleCommand({ RoleArn: READER_ROLE, RoleSessionName: 'subzone' }));
      await expect(denied).rejects.toMatchObject({ name: 'AccessDenied' });
      await admin('POST', 'roles/allow', { roleArn: READER_ROLE });
      const allowed = await sts.send(new AssumeRoleCommand({ RoleArn: READER_ROLE, RoleSessionName: 'subzone' }));

      // Assess
      expect(allowed.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${SPOKE}:assumed-role/subzone-reader/subzone`);
    });

    it('lists the events of one bus', async () => {
      // Prepare
      await route53(SPOKE).send(new CreateHostedZoneCommand({ Name: 'listed.example.com', CallerReference: randomUUID() }));

      // Act
      const response = await admin('GET', `events?account=${HUB}&bus=subzone-hub`);

      // Assess
      const events = response.json.events as Array<{ busName: string; event: { account: string; detail: { eventName: string } } }>;
      expect(events.at(-1)).toMatchObject({ busName: 'subzone-hub', event: { account: SPOKE, detail: { eventName: 'CreateHostedZone' } } });
    });

    it('answers 404 for an unknown admin route', async () => {
      // Prepare: nothing

      // Act
      const response = await admin('GET', 'nothing-here');

      // Assess
      expect(response.status).toBe(404);
    });
  });
});

describe('the subzone emulator command', () => {
  function capture(): { io: { out: (line: string) => void; err: (line: string) => void }; out: string[]; err: string[] } {
    const out: string[] = [];
    const err: string[] = [];
    return { io: { out: (line) => out.push(line), err: (line) => err.push(line) }, out, err };
  }

  it('prints the variables to export, serves until stopped, then exits 0', async () => {
    // Prepare
    const { io, out } = capture();
    let health: unknown;

    // Act: the stop hook checks the running emulator, then lets the command stop it
    const code = await main(['emulator', '--spoke-account', '333333333333'], io, async () => {
      const endpoint = out.find((line) => line.startsWith('export AWS_ENDPOINT_URL='))?.split('=')[1];
      health = await (await fetch(`${endpoint}/_emulator/health`)).json();
    });

    // Assess
    expect(code).toBe(0);
    expect(health).toEqual({ ok: true });
    const exported = out.filter((line) => line.startsWith('export ')).map((line) => line.slice('export '.length).split('=')[0]);
    expect(exported).toEqual(
      expect.arrayContaining([
        'AWS_ENDPOINT_URL',
        'AWS_ENDPOINT_URL_DYNAMODB',
        'AWS_REGION',
        'AWS_ACCESS_KEY_ID',
        'AWS_SECRET_ACCESS_KEY',
        'LEDGER_TABLE_NAME',
        'HUB_EVENT_BUS_NAME',
        'WORK_QUEUE_URL',
        'CONTROL_PARAMETER_NAME',
        'DNS_RESOLVERS',
        'DNS_PORT',
      ]),
    );
    expect(out.join('\n')).toContain('spoke accounts 333333333333');
  });

  it.each([
    [['emulator', '--port', 'abc'], /--port must be an integer from 0 to 65535, got "abc"/],
    [['emulator', '--hub-account', '123'], /--hub-account must be a 12-digit account id, got "123"/],
    [['emulator', '--bogus'], /unknown option '--bogus'/],
    [['deploy'], /unknown command 'deploy'/],
  ])('rejects %j with exit code 1 and the reason', async (argv, reason) => {
    // Prepare
    const { io, err } = capture();

    // Act
    const code = await main(argv, io, async () => undefined);

    // Assess
    expect(code).toBe(1);
    expect(err.join('\n')).toMatch(reason);
  });

  it.each([[['--help']], [['emulator', '--help']]])('prints help for %j', async (argv) => {
    // Prepare
    const { io, out } = capture();

    // Act
    const code = await main(argv, io, async () => undefined);

    // Assess
    expect(code).toBe(0);
    expect(out.join('\n')).toMatch(/Usage: subzone/);
  });
});
