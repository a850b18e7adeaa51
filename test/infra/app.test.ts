import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const APP = path.join(__dirname, '..', '..', 'infra', 'bin', 'app.ts');

/** The environment without any subzone setting or CDK context. */
function bareEnvironment(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('SUBZONE_') && name !== 'CDK_CONTEXT_JSON'));
}

describe('the shipped app', () => {
  it('rejects synthesizing for deploy with placeholder settings, naming each missing setting', () => {
    // Prepare
    const env = bareEnvironment();
    // Act
    const run = spawnSync(process.execPath, ['--import', 'tsx', APP], { encoding: 'utf8', env, timeout: 60_000 });
    // Assess
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/refusing to synthesize for deploy with placeholder settings/);
    for (const setting of ['config', 'organizationId', 'hubAccount', 'orgUnitIds']) expect(run.stderr).toContain(`-c ${setting}=`);
  });
});
