import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError } from '../../functions/core/errors';
import { loadConfigFile } from '../../infra/lib/config-file';
import { rawConfig } from './fixtures';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'subzone-config-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, content: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

describe('loadConfigFile', () => {
  it('loads the example config of the repository', () => {
    // Prepare / Act
    const { config } = loadConfigFile(path.join(__dirname, '..', '..', 'config', 'subzone.config.json'));
    // Assess
    expect(config.parentZones.length).toBeGreaterThan(0);
  });

  it('returns the parsed config with defaults filled in', () => {
    // Prepare
    const file = write('valid.json', JSON.stringify(rawConfig()));
    // Act
    const { config } = loadConfigFile(file);
    // Assess
    expect(config.readerRoleName).toBe('subzone-reader');
    expect(config.rules.map((rule) => rule.name)).toEqual(['foo.example.com', '*.dev.example.com']);
  });

  it.each([
    ['a file that is not JSON', 'broken.json', '{ "version": 1,', /broken\.json:1:16: not valid JSON/],
    ['a config with an unknown key', 'unknown.json', JSON.stringify({ ...rawConfig(), dryRun: true }), /dryRun: unknown key/],
  ])('rejects %s with a ConfigError naming the problem', (_what, name, content, message) => {
    // Prepare
    const file = write(name, content);
    // Act
    const load = () => loadConfigFile(file);
    // Assess
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(message);
  });

  it('rejects a file that does not exist', () => {
    // Prepare
    const file = path.join(dir, 'missing.json');
    // Act
    const load = () => loadConfigFile(file);
    // Assess
    expect(load).toThrow(/missing\.json: cannot read the file \(ENOENT\)/);
  });
});
