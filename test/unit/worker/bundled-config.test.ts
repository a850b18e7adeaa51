import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError } from '../../../functions/core/errors';
import { BUNDLED_CONFIG_FILE_NAME, readBundledConfig } from '../../../functions/worker/bundled-config';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'subzone-task-root-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('readBundledConfig', () => {
  it('reads the config written next to the bundle in the task root', () => {
    // Prepare
    fs.writeFileSync(path.join(dir, BUNDLED_CONFIG_FILE_NAME), JSON.stringify({ version: 1, mode: 'observe' }));
    // Act
    const raw = readBundledConfig(dir);
    // Assess
    expect(raw).toEqual({ version: 1, mode: 'observe' });
  });

  it('fails naming LAMBDA_TASK_ROOT when the task root is unknown', () => {
    // Prepare / Act
    const read = () => readBundledConfig('');
    // Assess
    expect(read).toThrow(ConfigError);
    expect(read).toThrow(/LAMBDA_TASK_ROOT: expected the directory holding the worker asset/);
  });

  it('fails naming the file when the asset carries no config', () => {
    // Prepare / Act
    const read = () => readBundledConfig(dir);
    // Assess
    expect(read).toThrow(new RegExp(`cannot read the bundled config .*${BUNDLED_CONFIG_FILE_NAME}`));
  });
});
