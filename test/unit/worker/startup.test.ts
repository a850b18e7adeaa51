import { ConfigError, ParentReadError } from '../../../functions/core/errors';
import { parseConfig } from '../../../functions/core/config-schema';
import type { ParentZoneStore } from '../../../functions/core/ports';
import { readEnvironment } from '../../../functions/worker/environment';
import { checkParentZones } from '../../../functions/worker/startup';

const { config } = parseConfig({
  version: 1,
  mode: 'enforce',
  parentZones: [
    { name: 'example.com', hostedZoneId: 'ZPARENT1' },
    { name: 'example.org', hostedZoneId: 'ZPARENT2' },
  ],
  rules: [{ name: 'foo.example.com', accounts: ['222222222222'] }],
});

/** A parent zone store that knows some zones by id. */
function storeOf(zones: Record<string, { name: string; privateZone: boolean }>): ParentZoneStore {
  return {
    describeZone: async (id) => {
      const zone = zones[id];
      if (zone === undefined) throw new ParentReadError(id);
      return zone;
    },
    readAround: async () => {
      throw new Error('not used');
    },
    applyBatch: async () => {
      throw new Error('not used');
    },
  };
}

describe('checkParentZones', () => {
  it('accepts parent zones that exist, are public and carry the configured names', async () => {
    // Prepare
    const store = storeOf({ ZPARENT1: { name: 'example.com', privateZone: false }, ZPARENT2: { name: 'example.org', privateZone: false } });
    // Act
    const check = checkParentZones(config, store);
    // Assess
    await expect(check).resolves.toBeUndefined();
  });

  it('rejects with one ConfigError naming every missing, private or misnamed parent zone', async () => {
    // Prepare
    const store = storeOf({ ZPARENT1: { name: 'example.net', privateZone: true } });
    // Act
    const check = checkParentZones(config, store);
    // Assess
    await expect(check).rejects.toBeInstanceOf(ConfigError);
    const error = (await check.catch((caught: unknown) => caught)) as ConfigError;
    expect(error.issues.map((issue) => issue.path)).toEqual(['parentZones[0]', 'parentZones[0].name', 'parentZones[1].hostedZoneId']);
    expect(error.issues[0]?.message).toBe('expected a public hosted zone, got private zone ZPARENT1');
    expect(error.issues[1]?.message).toBe('expected example.net (the name of ZPARENT1), got example.com');
  });
});

describe('readEnvironment', () => {
  const complete = {
    LEDGER_TABLE_NAME: 'subzone-ledger',
    HUB_EVENT_BUS_NAME: 'subzone-hub',
    WORK_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/111111111111/subzone-work',
    CONTROL_PARAMETER_NAME: '/subzone/controls',
    WORKER_MAX_CONCURRENCY: '2',
  };

  it('reads the variables and fills the documented defaults', () => {
    // Act
    const env = readEnvironment(complete);
    // Assess
    expect(env).toMatchObject({
      ...complete,
      WORKER_MAX_CONCURRENCY: 2,
      ROUTE53_REQUESTS_PER_SECOND: 5,
      LEASE_TTL_SECONDS: 180,
      LEASE_WAIT_SECONDS: 15,
      DNS_PORT: 53,
    });
  });

  it.each([
    [
      { WORKER_MAX_CONCURRENCY: '6' },
      'ROUTE53_REQUESTS_PER_SECOND: expected at least 6 (one request per second for each of the 6 execution environments), got 5',
    ],
    [
      { WORKER_MAX_CONCURRENCY: '3', ROUTE53_REQUESTS_PER_SECOND: '2.5' },
      'ROUTE53_REQUESTS_PER_SECOND: expected at least 3 (one request per second for each of the 3 execution environments), got 2.5',
    ],
    [{ WORKER_MAX_CONCURRENCY: undefined }, 'WORKER_MAX_CONCURRENCY: expected an environment variable, got nothing'],
  ])('rejects a hub budget that leaves an execution environment less than one request per second (%o)', (overrides, message) => {
    // Act
    const read = () => readEnvironment({ ...complete, ...overrides });
    // Assess
    expect(read).toThrow(ConfigError);
    expect(read).toThrow(message);
  });

  it('rejects naming each missing or malformed variable', () => {
    // Prepare
    const { WORK_QUEUE_URL: _missing, ...partial } = complete;
    // Act
    const read = () => readEnvironment({ ...partial, ROUTE53_REQUESTS_PER_SECOND: 'fast' });
    // Assess
    expect(read).toThrow(ConfigError);
    expect(read).toThrow(/WORK_QUEUE_URL: expected an environment variable, got nothing/);
    expect(read).toThrow(/ROUTE53_REQUESTS_PER_SECOND: /);
  });

  it("says in words what a malformed variable should be, with zod's English messages", () => {
    // Act
    const read = () => readEnvironment({ ...complete, LEDGER_TABLE_NAME: '', WORKER_MAX_CONCURRENCY: '1.5', DNS_PORT: 'fifty-three' });
    // Assess
    expect(read).toThrow(
      'LEDGER_TABLE_NAME: Too small: expected string to have >=1 characters; ' +
        'WORKER_MAX_CONCURRENCY: Invalid input: expected int, received number; ' +
        'DNS_PORT: Invalid input: expected number, received NaN',
    );
  });
});
