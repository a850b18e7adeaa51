/**
 * `npm run chaos -- --runs N [--seed S] [--path P] [--steps K] [--actions A] [--shrink-runs R]`:
 * the chaos convergence property, run as long as asked. A failure prints its seed, its replay
 * path and its shrunk scenario (at most R runs of shrinking), then the search goes on with the
 * next seed; `--seed S --path P` replays that failure. The last line is always
 * `chaos: <runs> runs, <failures> failures, <violations> invariant violations, seed <S>`,
 * and the exit code is 0 only when both counts are 0.
 */
import './chaos-log-level';
import { parseArgs } from 'node:util';
import { ChaosEnvironment } from '../test/chaos/harness';
import { checkChaos } from '../test/chaos/property';

async function main(): Promise<number> {
  // This machine runs Node 20 on purpose (see README); the SDK's upgrade notice is noise here.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '200' },
      seed: { type: 'string' },
      path: { type: 'string' },
      steps: { type: 'string', default: '6' },
      actions: { type: 'string', default: '4' },
      'shrink-runs': { type: 'string', default: '40' },
    },
  });
  const runs = positive('--runs', values.runs);
  const seed = values.seed === undefined ? Date.now() % 2 ** 31 : integer('--seed', values.seed);
  const environment = await ChaosEnvironment.start();
  try {
    const summary = await checkChaos(environment, {
      runs,
      seed,
      ...(values.path === undefined ? {} : { path: values.path }),
      size: { maxSteps: positive('--steps', values.steps), maxActionsPerStep: positive('--actions', values.actions) },
      shrinkRuns: positive('--shrink-runs', values['shrink-runs']),
      continueAfterFailure: true,
      onCounterexample: ({ seed: failedSeed, path, scenario, report, found }) => {
        console.log(`failure: replay with --seed ${failedSeed} --path ${path}`);
        if (found !== report) {
          if (found.error !== undefined) console.log(`as found, run error: ${found.error}`);
          for (const violation of found.violations) console.log(`as found, violated ${violation.invariant}: ${violation.message}`);
        }
        console.log(`shrunk scenario: ${JSON.stringify(scenario)}`);
        if (report.error !== undefined) console.log(`run error: ${report.error}`);
        for (const violation of report.violations) console.log(`violated ${violation.invariant}: ${violation.message}`);
      },
    });
    console.log(
      `chaos: ${summary.runs} runs, ${summary.failures} failures, ${summary.violations} invariant violations, seed ${summary.seed}`,
    );
    return summary.failures === 0 && summary.violations === 0 ? 0 : 1;
  } finally {
    await environment.stop();
  }
}

function integer(flag: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value)) throw new Error(`${flag} must be an integer, got ${JSON.stringify(text)}`);
  return value;
}

function positive(flag: string, text: string): number {
  const value = integer(flag, text);
  if (value < 1) throw new Error(`${flag} must be at least 1, got ${value}`);
  return value;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
