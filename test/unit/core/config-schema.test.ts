import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { configHash, configJsonSchema, parseConfig } from '../../../functions/core/config-schema';
import { ConfigError, type FieldIssue } from '../../../functions/core/errors';
import { dsTtlFor } from '../../../functions/core/rules';
import { renderJsonSchema, SCHEMA_PATH } from '../../../scripts/write-json-schema';

const root = join(__dirname, '..', '..', '..');
const PARENT = { name: 'example.com', hostedZoneId: 'Z0EXAMPLEPARENT0000001' };

/** A minimal valid config with `overrides` applied. */
function raw(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    version: 1,
    mode: 'enforce',
    parentZones: [PARENT],
    rules: [{ name: 'foo.example.com', accounts: ['222222222222'] }],
    ...overrides,
  };
}

function issuesOf(input: unknown): readonly FieldIssue[] {
  try {
    parseConfig(input);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfig', () => {
  it('parses the example config in config/', () => {
    // Prepare
    const file: unknown = JSON.parse(readFileSync(join(root, 'config', 'subzone.config.json'), 'utf8'));
    // Act
    const { config, warnings } = parseConfig(file);
    // Assess
    expect(warnings).toEqual([]);
    expect(config).toEqual({
      version: 1,
      mode: 'enforce',
      parentZones: [{ name: 'example.com', hostedZoneId: 'Z0EXAMPLEPARENT0000001' }],
      rules: [
        { name: 'foo.example.com', accounts: ['222222222222'] },
        { name: 'bar.example.com', accounts: ['222222222222', '444444444444'] },
        { name: '*.dev.example.com', accounts: ['333333333333', '444444444444'], nsTtl: 300 },
      ],
      optInTag: { key: 'subzone:delegate', value: 'true' },
      readerRoleName: 'subzone-reader',
      nsTtl: 3600,
      graceMinutes: 60,
      removalBudget: { records: 5, percent: 10 },
      dnssec: { enabled: false, dsTtl: 3600 },
    });
  });

  it('normalises names and zone ids, and keeps the wildcard of a rule', () => {
    // Prepare
    const input = raw({
      parentZones: [{ name: 'Example.COM.', hostedZoneId: '/hostedzone/Z0EXAMPLEPARENT0000001' }],
      rules: [
        { name: 'Bücher.Example.com.', accounts: ['222222222222'] },
        { name: '*.Dev.example.com', accounts: ['333333333333'] },
      ],
    });
    // Act
    const { config } = parseConfig(input);
    // Assess
    expect(config.parentZones).toEqual([{ name: 'example.com', hostedZoneId: 'Z0EXAMPLEPARENT0000001' }]);
    expect(config.rules.map((rule) => rule.name)).toEqual(['xn--bcher-kva.example.com', '*.dev.example.com']);
  });

  it('keeps settings that are given instead of the defaults', () => {
    // Prepare
    const input = raw({
      mode: 'observe',
      optInTag: { key: 'dns:delegate' },
      readerRoleName: 'dns-reader',
      nsTtl: 300,
      graceMinutes: 0,
      removalBudget: { percent: 25 },
    });
    // Act
    const { config } = parseConfig(input);
    // Assess
    expect(config).toMatchObject({
      mode: 'observe',
      optInTag: { key: 'dns:delegate', value: 'true' },
      readerRoleName: 'dns-reader',
      nsTtl: 300,
      graceMinutes: 0,
      removalBudget: { records: 5, percent: 25 },
    });
  });

  it('turns DNSSEC on with the default DS TTL, which a rule may override', () => {
    // Prepare
    const input = raw({
      dnssec: { enabled: true },
      rules: [
        { name: 'foo.example.com', accounts: ['222222222222'] },
        { name: 'bar.example.com', accounts: ['222222222222'], dsTtl: 300 },
      ],
    });
    // Act
    const { config } = parseConfig(input);
    // Assess
    expect(config.dnssec).toEqual({ enabled: true, dsTtl: 3600 });
    expect(config.rules.map((rule) => dsTtlFor(config, rule))).toEqual([3600, 300]);
  });

  it('ignores the $schema key', () => {
    // Prepare
    const input = raw({ $schema: '../schema/subzone.config.schema.json' });
    // Act
    const { config } = parseConfig(input);
    // Assess
    expect(config).not.toHaveProperty('$schema');
  });

  it.each<[string, unknown, FieldIssue[]]>([
    ['a config that is not an object', 'hello', [{ path: '', message: 'expected a subzone config object, got "hello"' }]],
    ['another version', raw({ version: 2 }), [{ path: 'version', message: 'expected 1, got 2' }]],
    ['a missing mode', raw({ mode: undefined }), [{ path: 'mode', message: 'required: expected "enforce" or "observe"' }]],
    ['an unknown mode', raw({ mode: 'dry-run' }), [{ path: 'mode', message: 'expected "enforce" or "observe", got "dry-run"' }]],
    [
      'an unknown key',
      raw({ dryRun: true }),
      [
        {
          path: 'dryRun',
          message:
            'unknown key; expected one of: $schema, version, mode, parentZones, rules, optInTag, readerRoleName, nsTtl, graceMinutes, removalBudget, dnssec',
        },
      ],
    ],
    [
      'an unknown key in a rule',
      raw({ rules: [{ name: 'foo.example.com', accounts: ['222222222222'], ttl: 60 }] }),
      [{ path: 'rules[0].ttl', message: 'unknown key; expected one of: name, accounts, nsTtl, dsTtl' }],
    ],
    ['no parent zone', raw({ parentZones: [] }), [{ path: 'parentZones', message: 'expected at least one parent zone, got []' }]],
    ['missing rules', raw({ rules: undefined }), [{ path: 'rules', message: 'required: expected a list of rules' }]],
    [
      'a bad hosted zone id',
      raw({ parentZones: [{ name: 'example.com', hostedZoneId: 'zone-1' }] }),
      [
        {
          path: 'parentZones[0].hostedZoneId',
          message: 'expected a hosted zone id such as "Z0123456789ABCDEFGHIJ" or "/hostedzone/Z0123456789ABCDEFGHIJ", got "zone-1"',
        },
      ],
    ],
    [
      'a bad parent name',
      raw({ parentZones: [{ name: 'example..com', hostedZoneId: 'Z1' }] }),
      [{ path: 'parentZones[0].name', message: 'invalid domain name "example..com": label 2 is empty' }],
    ],
    [
      'a short account id',
      raw({ rules: [{ name: 'foo.example.com', accounts: ['12345'] }] }),
      [{ path: 'rules[0].accounts[0]', message: 'expected a 12-digit account id, got "12345"' }],
    ],
    [
      'a numeric account id',
      raw({ rules: [{ name: 'foo.example.com', accounts: [222222222222] }] }),
      [{ path: 'rules[0].accounts[0]', message: 'expected a 12-digit account id, got 222222222222' }],
    ],
    [
      'a rule without accounts',
      raw({ rules: [{ name: 'foo.example.com', accounts: [] }] }),
      [{ path: 'rules[0].accounts', message: 'expected at least one account id, got []' }],
    ],
    ['a TTL below 60', raw({ nsTtl: 30 }), [{ path: 'nsTtl', message: 'expected an integer from 60 to 172800 (seconds), got 30' }]],
    [
      'a TTL above 172800',
      raw({ rules: [{ name: 'foo.example.com', accounts: ['222222222222'], nsTtl: 172801 }] }),
      [{ path: 'rules[0].nsTtl', message: 'expected an integer from 60 to 172800 (seconds), got 172801' }],
    ],
    ['a fractional TTL', raw({ nsTtl: 300.5 }), [{ path: 'nsTtl', message: 'expected an integer from 60 to 172800 (seconds), got 300.5' }]],
    [
      'a negative grace period',
      raw({ graceMinutes: -1 }),
      [{ path: 'graceMinutes', message: 'expected a whole number of minutes, 0 or more, got -1' }],
    ],
    [
      'a DNSSEC setting that is not a boolean, with a DS TTL below 60',
      raw({ dnssec: { enabled: 'yes', dsTtl: 30 } }),
      [
        { path: 'dnssec.enabled', message: 'expected true or false, got "yes"' },
        { path: 'dnssec.dsTtl', message: 'expected an integer from 60 to 172800 (seconds), got 30' },
      ],
    ],
    [
      'a DNSSEC setting with an unknown key',
      raw({ dnssec: { enabled: true, ttl: 300 } }),
      [{ path: 'dnssec.ttl', message: 'unknown key; expected one of: enabled, dsTtl' }],
    ],
    [
      'a percentage above 100',
      raw({ removalBudget: { records: 5, percent: 150 } }),
      [{ path: 'removalBudget.percent', message: 'expected a percentage from 0 to 100, got 150' }],
    ],
    [
      'an empty tag key',
      raw({ optInTag: { key: '', value: 'true' } }),
      [{ path: 'optInTag.key', message: 'expected a tag key of 1 to 128 characters, got ""' }],
    ],
    [
      'a bad role name',
      raw({ readerRoleName: 'role/reader' }),
      [
        {
          path: 'readerRoleName',
          message: 'expected an IAM role name (1 to 64 of A-Z a-z 0-9 + = , . @ _ -), got "role/reader"',
        },
      ],
    ],
    [
      'an asterisk inside a label',
      raw({ rules: [{ name: 'a*.example.com', accounts: ['222222222222'] }] }),
      [
        {
          path: 'rules[0].name',
          message: 'invalid domain name "a*.example.com": a "*" is allowed only as the whole leftmost label, as in "*.dev.example.com"',
        },
      ],
    ],
    [
      'an asterisk in a lower label',
      raw({ rules: [{ name: 'foo.*.example.com', accounts: ['222222222222'] }] }),
      [
        {
          path: 'rules[0].name',
          message: 'invalid domain name "foo.*.example.com": a "*" is allowed only as the whole leftmost label, as in "*.dev.example.com"',
        },
      ],
    ],
    [
      'a parent zone listed twice by name',
      raw({ parentZones: [PARENT, { name: 'EXAMPLE.com.', hostedZoneId: 'Z2' }] }),
      [{ path: 'parentZones[1].name', message: '"example.com" is already listed at parentZones[0]' }],
    ],
    [
      'a parent zone listed twice by id',
      raw({ parentZones: [PARENT, { name: 'example.org', hostedZoneId: `/hostedzone/${PARENT.hostedZoneId}` }] }),
      [{ path: 'parentZones[1].hostedZoneId', message: '"Z0EXAMPLEPARENT0000001" is already listed at parentZones[0]' }],
    ],
    [
      'two rules with one pattern',
      raw({
        rules: [
          { name: 'foo.example.com', accounts: ['222222222222'] },
          { name: 'Foo.Example.com.', accounts: ['333333333333'] },
        ],
      }),
      [{ path: 'rules[1].name', message: '"foo.example.com" is already listed at rules[0]' }],
    ],
    [
      'a rule outside every parent zone',
      raw({ rules: [{ name: 'foo.example.org', accounts: ['222222222222'] }] }),
      [{ path: 'rules[0].name', message: 'expected a name below a parent zone (example.com), got "foo.example.org"' }],
    ],
    [
      'a wildcard rule above every parent zone',
      raw({ rules: [{ name: '*.com', accounts: ['222222222222'] }] }),
      [{ path: 'rules[0].name', message: 'expected a name below a parent zone (example.com), got "*.com"' }],
    ],
    [
      "a rule at a parent zone's apex",
      raw({ rules: [{ name: 'example.com', accounts: ['222222222222'] }] }),
      [{ path: 'rules[0].name', message: '"example.com" is the apex of parent zone parentZones[0]; expected a name below it' }],
    ],
    [
      "a rule at a nested parent zone's apex",
      raw({
        parentZones: [PARENT, { name: 'dev.example.com', hostedZoneId: 'Z2' }],
        rules: [{ name: 'dev.example.com', accounts: ['222222222222'] }],
      }),
      [
        {
          path: 'rules[0].name',
          message: '"dev.example.com" is the apex of parent zone parentZones[1]; expected a name below it',
        },
      ],
    ],
  ])('rejects %s', (_case, input, expected) => {
    // Prepare
    // Act
    const issues = issuesOf(input);
    // Assess
    expect(issues).toEqual(expected);
  });

  it('rejects with every issue at once, contradictions included', () => {
    // Prepare
    const input = raw({
      version: 2,
      parentZones: [PARENT, { name: 'example.com', hostedZoneId: 'Z2', extra: true }],
      rules: [
        { name: 'foo.example.org', accounts: ['12345'] },
        { name: 'foo.example.org', accounts: ['222222222222'] },
      ],
    });
    // Act
    const issues = issuesOf(input).map((issue) => issue.path);
    // Assess
    expect(issues).toEqual([
      'version',
      'parentZones[1].extra',
      'rules[0].accounts[0]',
      'parentZones[1].name',
      'rules[1].name',
      'rules[0].name',
    ]);
  });

  it('rejects with a message naming the path and the value', () => {
    // Prepare
    const input = raw({ rules: [{ name: 'foo.example.com', accounts: ['12345'] }] });
    // Act
    const act = (): unknown => parseConfig(input);
    // Assess
    expect(act).toThrow('invalid subzone config: rules[0].accounts[0]: expected a 12-digit account id, got "12345"');
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    [
      'an account that a more specific rule shadows',
      raw({
        rules: [
          { name: '*.dev.example.com', accounts: ['333333333333', '444444444444'] },
          { name: 'api.dev.example.com', accounts: ['444444444444'] },
        ],
      }),
      [
        'rules[1] "api.dev.example.com" shadows rules[0] "*.dev.example.com" for account 333333333333: ' +
          'that account cannot claim api.dev.example.com',
      ],
    ],
    [
      'an account listed twice in one rule',
      raw({ rules: [{ name: 'foo.example.com', accounts: ['222222222222', '333333333333', '222222222222'] }] }),
      ['rules[0].accounts[2]: account "222222222222" is listed twice'],
    ],
    [
      "a wildcard that also matches a nested parent zone's apex",
      raw({
        parentZones: [PARENT, { name: 'dev.example.com', hostedZoneId: 'Z2' }],
        rules: [{ name: '*.example.com', accounts: ['222222222222'] }],
      }),
      ['rules[0].name: "*.example.com" also matches the apex of parent zone "dev.example.com", which is never delegated'],
    ],
    [
      'an account that a more specific rule listed before the wildcard shadows',
      raw({
        rules: [
          { name: 'api.dev.example.com', accounts: ['444444444444'] },
          { name: '*.dev.example.com', accounts: ['333333333333'] },
        ],
      }),
      [
        'rules[0] "api.dev.example.com" shadows rules[1] "*.dev.example.com" for account 333333333333: ' +
          'that account cannot claim api.dev.example.com',
      ],
    ],
    ['an empty allowlist', raw({ rules: [] }), ['rules: the allowlist is empty; no name can be delegated']],
  ])('warns about %s', (_case, input, expected) => {
    // Prepare
    // Act
    const { warnings } = parseConfig(input);
    // Assess
    expect(warnings).toEqual(expected);
  });

  it.each<[string, Record<string, unknown>]>([
    [
      'a more specific rule listing every account of the wildcard',
      raw({
        rules: [
          { name: '*.dev.example.com', accounts: ['333333333333'] },
          { name: 'api.dev.example.com', accounts: ['333333333333', '444444444444'] },
        ],
      }),
    ],
    [
      'an exact rule two labels below a wildcard',
      raw({
        rules: [
          { name: '*.dev.example.com', accounts: ['333333333333'] },
          { name: 'a.b.dev.example.com', accounts: ['444444444444'] },
        ],
      }),
    ],
  ])('does not warn about %s', (_case, input) => {
    // Prepare
    // Act
    const { warnings } = parseConfig(input);
    // Assess
    expect(warnings).toEqual([]);
  });

  it('lists each account of a rule once', () => {
    // Prepare
    const input = raw({ rules: [{ name: 'foo.example.com', accounts: ['222222222222', '222222222222'] }] });
    // Act
    const { config } = parseConfig(input);
    // Assess
    expect(config.rules[0]?.accounts).toEqual(['222222222222']);
  });

  it('accepts a rule below a nested parent zone', () => {
    // Prepare
    const input = raw({
      parentZones: [PARENT, { name: 'dev.example.com', hostedZoneId: 'Z2' }],
      rules: [
        { name: 'api.dev.example.com', accounts: ['222222222222'] },
        { name: '*.dev.example.com', accounts: ['222222222222'] },
      ],
    });
    // Act
    const { config, warnings } = parseConfig(input);
    // Assess
    expect(config.rules).toHaveLength(2);
    expect(warnings).toEqual([]);
  });
});

describe('parseConfig on a large allowlist', () => {
  it('checks 10,000 rules against each other: every duplicate, shadowed account and misplaced rule is reported', () => {
    // Prepare: 1,000 wildcards with 9 exact rules each below them, each shadowing one account.
    const rules = Array.from({ length: 1_000 }, (_, team) => [
      { name: `*.team${team}.example.com`, accounts: ['333333333333'] },
      ...Array.from({ length: 9 }, (_unused, service) => ({ name: `svc${service}.team${team}.example.com`, accounts: ['444444444444'] })),
    ]).flat();
    const misplaced = [
      ...rules,
      { name: 'svc0.team7.example.com', accounts: ['444444444444'] },
      { name: 'outside.example.net', accounts: ['444444444444'] },
    ];

    // Act
    const { warnings } = parseConfig(raw({ rules }));
    const act = (): unknown => parseConfig(raw({ rules: misplaced }));

    // Assess
    expect(warnings).toHaveLength(9_000);
    expect(warnings[8_999]).toBe(
      'rules[9999] "svc8.team999.example.com" shadows rules[9990] "*.team999.example.com" for account 333333333333: ' +
        'that account cannot claim svc8.team999.example.com',
    );
    expect(act).toThrow(
      'rules[10000].name: "svc0.team7.example.com" is already listed at rules[71]; ' +
        'rules[10001].name: expected a name below a parent zone (example.com), got "outside.example.net"',
    );
  });
});

describe('configHash', () => {
  it('is the same for the same config written in another key order or form', () => {
    // Prepare
    const a = parseConfig(raw()).config;
    const b = parseConfig({
      rules: [{ accounts: ['222222222222'], name: 'FOO.example.com.' }],
      parentZones: [{ hostedZoneId: `/hostedzone/${PARENT.hostedZoneId}`, name: 'example.com' }],
      mode: 'enforce',
      version: 1,
      nsTtl: 3600,
    }).config;
    // Act
    const hashes = [configHash(a), configHash(b)];
    // Assess
    expect(hashes[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(hashes[1]).toBe(hashes[0]);
  });

  it('changes when the allowlist changes', () => {
    // Prepare
    const a = parseConfig(raw()).config;
    const b = parseConfig(raw({ rules: [{ name: 'foo.example.com', accounts: ['333333333333'] }] })).config;
    // Act
    const hashes = [configHash(a), configHash(b)];
    // Assess
    expect(hashes[1]).not.toBe(hashes[0]);
  });
});

describe('configJsonSchema', () => {
  it('matches the committed schema file (run `npm run schema` when this fails)', () => {
    // Prepare
    const committed = readFileSync(join(root, SCHEMA_PATH), 'utf8');
    // Act
    const rendered = renderJsonSchema();
    // Assess
    expect(committed).toBe(rendered);
  });

  it('describes strict objects with the required keys and the defaults', () => {
    // Prepare
    // Act
    const schema = configJsonSchema() as {
      required: string[];
      additionalProperties: boolean;
      properties: Record<string, { default?: unknown }>;
    };
    // Assess
    expect(schema.required).toEqual(['version', 'mode', 'parentZones', 'rules']);
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.nsTtl?.default).toBe(3600);
    expect(Object.keys(schema.properties)).toContain('$schema');
  });
});
