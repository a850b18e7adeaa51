import { parseConfig } from '../../../functions/core/config-schema';
import { accountsInAllowlist, isParentApex, nsTtlFor, parentFor, winningRule } from '../../../functions/core/rules';
import type { SubzoneConfig } from '../../../functions/core/types';

const config: SubzoneConfig = parseConfig({
  version: 1,
  mode: 'enforce',
  parentZones: [
    { name: 'example.com', hostedZoneId: 'ZPARENT' },
    { name: 'prod.example.com', hostedZoneId: 'ZPROD' },
  ],
  rules: [
    { name: 'foo.example.com', accounts: ['222222222222'] },
    { name: '*.dev.example.com', accounts: ['333333333333', '444444444444'], nsTtl: 300 },
    { name: 'api.dev.example.com', accounts: ['444444444444'] },
    { name: '*.prod.example.com', accounts: ['555555555555'] },
    { name: '*.example.com', accounts: ['666666666666'] },
  ],
}).config;

describe('parentFor', () => {
  it.each([
    ['foo.example.com', 'ZPARENT'],
    ['a.b.example.com', 'ZPARENT'],
    ['prod.example.com', 'ZPARENT'],
    ['api.prod.example.com', 'ZPROD'],
    ['a.api.prod.example.com', 'ZPROD'],
    ['*.prod.example.com', 'ZPROD'],
    ['*.dev.example.com', 'ZPARENT'],
  ])('finds the longest parent strictly above %s', (name, zoneId) => {
    // Prepare
    // Act
    const parent = parentFor(config, name);
    // Assess
    expect(parent?.hostedZoneId).toBe(zoneId);
  });

  it.each([['example.com'], ['example.org'], ['com'], ['badexample.com']])('finds no parent for %s', (name) => {
    // Prepare
    // Act
    const parent = parentFor(config, name);
    // Assess
    expect(parent).toBeUndefined();
  });
});

describe('winningRule', () => {
  it.each([
    ['an exact rule', 'foo.example.com', 'foo.example.com'],
    ['a wildcard for one label', 'a.dev.example.com', '*.dev.example.com'],
    ['the exact rule over the wildcard', 'api.dev.example.com', 'api.dev.example.com'],
    ['the wildcard of a nested parent', 'api.prod.example.com', '*.prod.example.com'],
    ['the wildcard over the parent', 'dev.example.com', '*.example.com'],
    ['the wildcard over the parent for an escaped label', '\\052.example.com', '*.example.com'],
  ])('picks %s for %s', (_case, name, pattern) => {
    // Prepare
    // Act
    const rule = winningRule(config, name);
    // Assess
    expect(rule?.name).toBe(pattern);
  });

  it.each([
    ['a name two labels below a wildcard', 'b.a.dev.example.com'],
    ["a managed parent's apex, even under a wildcard", 'prod.example.com'],
    ["the top parent's apex", 'example.com'],
    ['a name outside every parent', 'foo.example.org'],
    ['a single label', 'com'],
  ])('matches no rule for %s', (_case, name) => {
    // Prepare
    // Act
    const rule = winningRule(config, name);
    // Assess
    expect(rule).toBeUndefined();
  });
});

describe('isParentApex', () => {
  it.each([
    ['example.com', true],
    ['prod.example.com', true],
    ['dev.example.com', false],
  ])('tells whether %s is a managed apex: %s', (name, apex) => {
    // Prepare
    // Act
    const result = isParentApex(config, name);
    // Assess
    expect(result).toBe(apex);
  });
});

describe('accountsInAllowlist', () => {
  it('collects every account some rule lists, once', () => {
    // Prepare
    // Act
    const accounts = accountsInAllowlist(config);
    // Assess
    expect([...accounts].sort()).toEqual(['222222222222', '333333333333', '444444444444', '555555555555', '666666666666']);
  });
});

describe('nsTtlFor', () => {
  it.each([
    ['*.dev.example.com', 300],
    ['foo.example.com', 3600],
  ])('gives the TTL for %s', (pattern, ttl) => {
    // Prepare
    const rule = config.rules.find((candidate) => candidate.name === pattern);
    if (rule === undefined) throw new Error(`no rule ${pattern}`);
    // Act
    const result = nsTtlFor(config, rule);
    // Assess
    expect(result).toBe(ttl);
  });
});
