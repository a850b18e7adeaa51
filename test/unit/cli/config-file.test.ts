import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigFileError, loadConfigFile } from '../../../infra/lib/config-file';

function file(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'subzone-config-')), 'subzone.config.json');
  writeFileSync(path, text);
  return path;
}

const valid = {
  version: 1,
  mode: 'enforce',
  parentZones: [{ name: 'example.com', hostedZoneId: 'Z0EXAMPLE' }],
  rules: [{ name: 'foo.example.com', accounts: ['222222222222'] }],
};

function failure(path: string): string {
  try {
    loadConfigFile(path);
  } catch (error) {
    if (error instanceof ConfigFileError) return error.message;
    throw error;
  }
  throw new Error('expected a ConfigFileError');
}

describe('loadConfigFile', () => {
  it('returns the parsed config with its warnings', () => {
    // Prepare
    const path = file(
      JSON.stringify({
        ...valid,
        rules: [
          { name: '*.dev.example.com', accounts: ['333333333333', '444444444444'] },
          { name: 'a.dev.example.com', accounts: ['333333333333'] },
        ],
      }),
    );

    // Act
    const loaded = loadConfigFile(path);

    // Assess
    expect(loaded.config.rules).toHaveLength(2);
    expect(loaded.warnings).toEqual([
      'rules[1] "a.dev.example.com" shadows rules[0] "*.dev.example.com" for account 444444444444: that account cannot claim a.dev.example.com',
    ]);
  });

  it.each([
    ['a missing comma', '{\n  "version": 1\n  "mode": "enforce"\n}', /:3:3: not valid JSON: /],
    ['a trailing comma', '{\n  "version": 1,\n}', /:3:1: not valid JSON: /],
    ['an unfinished file', '{ "version": 1', /:1:15: not valid JSON: /],
  ])('fails with the line and column of %s, in one line', (_what, text, position) => {
    // Act
    const message = failure(file(text));

    // Assess
    expect(message).toMatch(position);
    expect(message).not.toContain('\n');
    expect(message).not.toMatch(/at position/);
  });

  it('fails with its own message for an account id written as a number', () => {
    // Prepare
    const path = file(JSON.stringify({ ...valid, rules: [{ name: 'foo.example.com', accounts: [22222222222] }] }));

    // Act
    const message = failure(path);

    // Assess
    expect(message).toMatch(
      /: invalid subzone config: rules\[0\]\.accounts\[0\]: an account id is a string of 12 digits in quotes, got the number 22222222222 \(a number loses leading zeros\): write "022222222222"$/,
    );
  });

  it('fails naming the file when it cannot be read', () => {
    // Act
    const message = failure('/nonexistent/subzone.config.json');

    // Assess
    expect(message).toBe('/nonexistent/subzone.config.json: cannot read the file (ENOENT)');
  });
});
