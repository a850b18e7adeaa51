import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../cli/main';

function capture(): { io: { out: (line: string) => void; err: (line: string) => void }; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (line) => out.push(line), err: (line) => err.push(line) }, out, err };
}

function file(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'subzone-main-')), 'subzone.config.json');
  writeFileSync(path, text);
  return path;
}

describe('subzone main', () => {
  const saved = { ...process.env };

  afterEach(() => {
    process.env = { ...saved };
  });

  it.each([['plan'], ['audit'], ['explain'], ['verify'], ['apply'], ['invoke'], ['ledger'], ['emulator']])(
    'prints help with examples for %s without reading the config',
    async (command) => {
      // Prepare: the config the command would read is not JSON
      process.env.SUBZONE_CONFIG = file('{ not json');
      const { io, out } = capture();

      // Act
      const code = await main([command, '--help'], io);

      // Assess
      expect(code).toBe(0);
      expect(out.join('\n')).toMatch(new RegExp(`^Usage: subzone ${command} `));
      expect(out.join('\n')).toContain('Examples:');
    },
  );

  it('fails a command on a config that is not JSON with one line naming file, line and column', async () => {
    // Prepare
    const path = file('{\n  "version": 1,\n}');
    const { io, out, err } = capture();

    // Act
    const code = await main(['plan', '--config', path], io);

    // Assess
    expect(code).toBe(1);
    expect(err).toEqual([expect.stringMatching(/^subzone: \S+subzone\.config\.json:3:1: not valid JSON: /)]);
    expect(out).toEqual([]);
  });

  it('shows the config warnings, then fails naming the missing hub setting', async () => {
    // Prepare
    delete process.env.LEDGER_TABLE_NAME;
    const path = file(
      JSON.stringify({
        version: 1,
        mode: 'observe',
        parentZones: [{ name: 'example.com', hostedZoneId: 'Z0EXAMPLE' }],
        rules: [
          { name: '*.dev.example.com', accounts: ['333333333333', '444444444444'] },
          { name: 'a.dev.example.com', accounts: ['333333333333'] },
        ],
      }),
    );
    const { io, err } = capture();

    // Act
    const code = await main(['ledger', '--config', path], io);

    // Assess
    expect(code).toBe(1);
    expect(err).toEqual([
      expect.stringMatching(/^warning: rules\[1\] "a\.dev\.example\.com" shadows rules\[0\]/),
      "subzone: the ledger table is not known: pass --table or set LEDGER_TABLE_NAME (the SubzoneHub stack's LedgerTableName output; `subzone emulator` prints it)",
    ]);
  });

  it('fails an unknown command with exit code 1', async () => {
    // Prepare
    const { io, err } = capture();

    // Act
    const code = await main(['deploy'], io);

    // Assess
    expect(code).toBe(1);
    expect(err[0]).toMatch(/^error: unknown command 'deploy'/);
  });
});
