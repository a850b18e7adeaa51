/**
 * `npm start`: the walk-through's story, in-process (what it showed) and as the child process
 * `npm start` runs (exit code, narration, no colours off a terminal).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CONFIG_PATH } from '../../cli/attach-worker';
import { runWalkthrough, wantsColour, WalkthroughError, type WalkthroughResult } from '../../cli/walkthrough';
import { ANSI, runWalkthroughProcess } from '../helpers/walkthrough-process';

describe('the walk-through, in-process', () => {
  let result: WalkthroughResult;
  const lines: string[] = [];

  beforeAll(async () => {
    result = await runWalkthrough({ out: (line) => lines.push(line), colour: false });
  }, 60_000);

  it('delegates foo.example.com to its zone, then rejects rogue.example.com, then removes the delegation', () => {
    // Prepare: the walk-through ran once, above

    // Act
    const story = result.outcomes.map((outcome) => [outcome.detailType, outcome.detail.name, outcome.detail.account]);

    // Assess
    expect(story).toEqual([
      ['Delegation Created', 'foo.example.com', '222222222222'],
      ['Delegation Rejected', 'rogue.example.com', '333333333333'],
      ['Delegation Removed', 'foo.example.com', '222222222222'],
    ]);
    expect(result.outcomes[1]?.detail.reason).toBe('not-allowlisted');
    expect(result.delegatedNameServers).toHaveLength(4);
    expect(result.parentUnchangedByRejection).toBe(true);
    expect(result.delegationLeftAfterDeletion).toBe(false);
  });

  it('resolves www.foo.example.com through the referral to the child zone name servers', () => {
    // Prepare: the walk-through ran once, above

    // Act
    const [parentStep, childStep] = result.resolution.steps;

    // Assess
    expect(result.resolution.outcome).toBe('answer');
    expect(result.resolution.answers).toEqual([expect.objectContaining({ type: 'A', data: '192.0.2.44' })]);
    expect(result.resolution.steps).toHaveLength(2);
    expect(parentStep?.server.address).toBe('127.0.0.1');
    expect(parentStep?.authorities.map((record) => record.type)).toEqual(['NS', 'NS', 'NS', 'NS']);
    expect(childStep?.authoritative).toBe(true);
    expect(childStep?.server.label).toMatch(/^ns-\d+\.awsdns-\d{2}\./);
    expect(result.delegatedNameServers.map((host) => host.replace(/\.$/, ''))).toContain(childStep?.server.label);
  });

  it('narrates a timeline with timings, the dig +trace lines, and no colours when asked for none', () => {
    // Prepare: the walk-through ran once, above
    const text = lines.join('\n');

    // Act
    const timeline = lines.filter((line) => /^ *\+\d+\.\d{2}s {2}\S/.test(line));

    // Assess
    expect(timeline.length).toBeGreaterThan(15);
    expect(text).toMatch(/hub +example\.com gained foo\.example\.com\. 3600 IN NS ns-/);
    expect(text).toMatch(/Delegation Rejected: rogue\.example\.com .*reason not-allowlisted/);
    expect(text).toMatch(/;; Received \d+ bytes from 127\.0\.0\.1#\d+\(127\.0\.0\.1\) in \d+ ms/);
    expect(text).toMatch(/www\.foo\.example\.com\. +300 +IN A +192\.0\.2\.44/);
    expect(text).toMatch(/;; Received \d+ bytes from 127\.53\.\d+\.\d+#\d+\(ns-\d+\.awsdns-\d{2}\.[a-z.]+\) in \d+ ms/);
    expect(text).toMatch(/hub +example\.com lost foo\.example\.com\./);
    expect(text).toMatch(/www\.foo\.example\.com now: NXDOMAIN/);
    expect(text).not.toMatch(ANSI);
  });
});

describe('the walk-through, failing', () => {
  it('rejects with the step that did not happen when the allowlist does not name foo.example.com', async () => {
    // Prepare
    const raw = JSON.parse(readFileSync(DEFAULT_CONFIG_PATH, 'utf8')) as { rules: { name: string }[] };
    raw.rules = raw.rules.filter((rule) => rule.name !== 'foo.example.com');
    const configPath = join(mkdtempSync(join(tmpdir(), 'subzone-walkthrough-')), 'config.json');
    writeFileSync(configPath, JSON.stringify(raw));

    // Act
    const played = runWalkthrough({ out: () => undefined, configPath });

    // Assess
    await expect(played).rejects.toThrow(WalkthroughError);
    await expect(played).rejects.toThrow(/expected example\.com to delegate foo\.example\.com to .*, found no NS record/);
  }, 60_000);
});

describe('the walk-through, with a broken config', () => {
  it('rejects a config that is not JSON with the file, line and column in one line', async () => {
    // Prepare
    const configPath = join(mkdtempSync(join(tmpdir(), 'subzone-walkthrough-')), 'config.json');
    writeFileSync(configPath, '{\n  "version": 1,\n}');

    // Act
    const played = runWalkthrough({ out: () => undefined, configPath });

    // Assess
    await expect(played).rejects.toThrow(/^cannot use the config: \S+config\.json:3:1: not valid JSON: [^\n]+$/);
  }, 60_000);
});

describe('wantsColour', () => {
  it.each([
    ['a terminal', true, true, {}],
    ['a terminal with NO_COLOR set', false, true, { NO_COLOR: '1' }],
    ['a terminal with TERM=dumb', false, true, { TERM: 'dumb' }],
    ['a pipe', false, false, {}],
    ['a terminal with NO_COLOR empty (unset, per no-color.org)', true, true, { NO_COLOR: '' }],
  ])('for %s answers %s', (_what, expected, isTTY, env) => {
    // Prepare
    const stream = { isTTY };

    // Act
    const colour = wantsColour(stream, env);

    // Assess
    expect(colour).toBe(expected);
  });
});

describe('npm start', () => {
  it('plays the walk-through and exits 0 with plain text when not on a terminal', async () => {
    // Act: the run rejects on a non-zero exit code
    const { stdout } = await runWalkthroughProcess();

    // Assess
    expect(stdout).toMatch(/Delegation Created: foo\.example\.com/);
    expect(stdout).toMatch(/Delegation Rejected: rogue\.example\.com/);
    expect(stdout).toMatch(/www\.foo\.example\.com → 192\.0\.2\.44/);
    expect(stdout).toMatch(/Delegation Removed: foo\.example\.com/);
    expect(stdout).toMatch(/The walk-through finished in \d+\.\d{2}s/);
    expect(stdout).not.toMatch(ANSI);
    expect(stdout).not.toMatch(/"level":"(INFO|WARN)"/);
  }, 120_000);
});
