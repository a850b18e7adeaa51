/**
 * `npm start -- --dnssec`: the DNSSEC story, in-process (what it showed) and as the child
 * process `npm start -- --dnssec` runs (exit code, narration), and the command line's choice of story.
 */
import { storyAsked } from '../../cli/walkthrough';
import { type DnssecWalkthroughResult, runDnssecWalkthrough } from '../../cli/walkthrough-dnssec';
import { ANSI, runWalkthroughProcess } from '../helpers/walkthrough-process';

describe('the DNSSEC walk-through, in-process', () => {
  let result: DnssecWalkthroughResult;
  const lines: string[] = [];

  beforeAll(async () => {
    result = await runDnssecWalkthrough({ out: (line) => lines.push(line), colour: false });
  }, 60_000);

  it('publishes the DS after the NS, and neither while the signing change is PENDING nor before the wait', () => {
    // Act
    const story = result.outcomes
      .filter((outcome) => outcome.detail.name === 'foo.example.com')
      .map((outcome) => [outcome.detailType, outcome.detail.reason]);

    // Assess
    expect(story).toEqual([
      ['Delegation Created', 'new-delegation'],
      ['Delegation Updated', 'ds-published'],
    ]);
    expect(result.parentChanges).toEqual([['CREATE NS'], ['CREATE DS']]);
    expect(result.ds).toEqual([result.dsRecord]);
  });

  it('has subzone verify follow the chain of trust: the signed DS, the DNSKEY it names, the RRSIGs that validate', () => {
    // Act
    const text = result.verify.lines.join('\n');

    // Assess
    const keyTag = result.dsRecord.split(' ')[0];
    expect(result.verify.code).toBe(0);
    expect(text).toMatch(new RegExp(`^ds +127\\.0\\.0\\.1 .* IN DS ${result.dsRecord}$`, 'm'));
    expect(text).toMatch(/ IN RRSIG DS 13 3 300 \d{14} \d{14} \d+ example\.com\. /);
    expect(text).toMatch(/^dnskey +ns-\d+\.awsdns-\d{2}\.\S+ .* IN DNSKEY 257 3 13 /m);
    expect(text).toContain(
      `DNSSEC: the DS in example.com (signed by example.com) names DNSKEY ${keyTag} of foo.example.com, which signs its DNSKEY RRset; its SOA's RRSIG validates.`,
    );
  });

  it('narrates the PENDING change, the INSYNC change, the skipped wait and the DS, in that order', () => {
    // Act
    const at = (pattern: RegExp) => lines.findIndex((line) => pattern.test(line));
    const steps = [
      at(/child-a +EnableHostedZoneDNSSEC \S+ → change \/change\/C\w+, PENDING/),
      at(/worker +no DS while the signing change is PENDING/),
      at(/child-a +GetChange \/change\/C\w+: INSYNC after/),
      at(/worker +signing INSYNC: the first DS waits 3600 s/),
      at(/the worker's clock skips 3600 s/),
      at(/hub +example\.com gained foo\.example\.com\. 300 IN DS /),
    ];

    // Assess
    expect(steps.every((index) => index >= 0)).toBe(true);
    expect([...steps].sort((a, b) => a - b)).toEqual(steps);
    expect(lines.join('\n')).not.toMatch(ANSI);
  });
});

describe('storyAsked', () => {
  it.each([
    [[], 'delegation'],
    [['--dnssec'], 'dnssec'],
    [['--dnsec'], undefined],
    [['--dnssec', 'extra'], undefined],
  ])('for %j answers %s', (args, expected) => {
    // Act
    const story = storyAsked(args);

    // Assess
    expect(story).toBe(expected);
  });
});

describe('npm start -- --dnssec', () => {
  it('plays the DNSSEC walk-through and exits 0 with plain text when not on a terminal', async () => {
    // Act: the run rejects on a non-zero exit code
    const { stdout } = await runWalkthroughProcess(['--dnssec']);

    // Assess
    expect(stdout).toMatch(/Delegation Updated: foo\.example\.com .*reason ds-published/);
    expect(stdout).toMatch(/DNSSEC: the DS in example\.com \(signed by example\.com\) names DNSKEY \d+ of foo\.example\.com/);
    expect(stdout).toMatch(/The walk-through finished in \d+\.\d{2}s/);
    expect(stdout).not.toMatch(ANSI);
  }, 120_000);

  it('refuses an unknown argument with exit code 1 and says which', async () => {
    // Act
    const failed = await runWalkthroughProcess(['--dnsec']).then(
      () => undefined,
      (error: { code?: number; stderr?: string }) => error,
    );

    // Assess
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toMatch(/walk-through failed: unknown arguments --dnsec; use `npm start` or `npm start -- --dnssec`/);
  }, 120_000);
});
