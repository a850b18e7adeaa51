/**
 * The chaos convergence property: for every generated scenario, the monitor sees no broken
 * invariant during the run and the parent ends as the oracle says. fast-check generates the
 * scenarios, shrinks a failing one to a smaller one, and replays it from its seed and path.
 */
import fc from 'fast-check';
import type { ChaosEnvironment, RunReport } from './harness';
import { scenarioArbitrary, type Scenario, type ScenarioSize } from './scenario';

export interface ChaosOptions {
  readonly runs: number;
  readonly seed: number;
  /** fast-check's replay path of a failure (with its seed): replays that failure only. */
  readonly path?: string;
  readonly size: ScenarioSize;
  /** Scenarios run while shrinking one failure, at most (a run takes seconds). */
  readonly shrinkRuns: number;
  /** After a failure, go on with the next seed until `runs` scenarios have run. */
  readonly continueAfterFailure: boolean;
  /** Told of each failure as soon as it is shrunk. */
  readonly onCounterexample?: (counterexample: Counterexample) => void;
}

/** One failure, shrunk, with how to replay it. */
export interface Counterexample {
  readonly seed: number;
  readonly path: string;
  readonly scenario: Scenario;
  readonly report: RunReport;
  /** What the failing scenario broke as first found, before shrinking (shrinking may keep another failure). */
  readonly found: RunReport;
}

export interface ChaosSummary {
  readonly runs: number;
  readonly failures: number;
  /** Invariant violations of each failing scenario as it was first found (before shrinking). */
  readonly violations: number;
  readonly seed: number;
  readonly counterexamples: readonly Counterexample[];
}

export async function checkChaos(environment: ChaosEnvironment, options: ChaosOptions): Promise<ChaosSummary> {
  let runs = 0;
  let violations = 0;
  const counterexamples: Counterexample[] = [];
  for (let round = 0; runs < options.runs; round += 1) {
    const found = await checkOnce(environment, { ...options, runs: options.runs - runs, seed: options.seed + round });
    runs += found.runs;
    if (found.counterexample) {
      options.onCounterexample?.(found.counterexample);
      counterexamples.push(found.counterexample);
      violations += found.violations;
    }
    if (!found.counterexample || !options.continueAfterFailure || options.path !== undefined) break;
  }
  return { runs, failures: counterexamples.length, violations, seed: options.seed, counterexamples };
}

/** A scenario fails when the run could not finish or broke an invariant. */
function failed(report: RunReport): boolean {
  return report.error !== undefined || report.violations.length > 0;
}

async function checkOnce(
  environment: ChaosEnvironment,
  options: ChaosOptions,
): Promise<{ runs: number; violations: number; counterexample?: Counterexample }> {
  let firstFailure: RunReport | undefined;
  /** fast-check's counterexample is the last scenario that failed while shrinking. */
  let lastFailure: RunReport | undefined;
  let runsBeforeFailure = 0;
  let shrinkRuns = 0;
  const property = fc.asyncProperty(scenarioArbitrary(options.size), fc.nat(), async (scenario, seed) => {
    if (firstFailure !== undefined) {
      // Past its budget, shrinking stops: every further candidate is skipped, none fails.
      shrinkRuns += 1;
      fc.pre(shrinkRuns <= options.shrinkRuns);
    }
    const report = await environment.run(scenario, seed);
    if (!failed(report)) {
      if (firstFailure === undefined) runsBeforeFailure += 1;
      return true;
    }
    firstFailure ??= report;
    lastFailure = report;
    return false;
  });
  const details = await fc.check(property, {
    numRuns: options.runs,
    seed: options.seed,
    ...(options.path === undefined ? {} : { path: options.path }),
  });
  if (!details.failed || !details.counterexample || !details.counterexamplePath) return { runs: details.numRuns, violations: 0 };
  // A run that threw instead of reporting is a failure of its own.
  const report = lastFailure ?? { violations: [], error: String(details.errorInstance) };
  return {
    runs: runsBeforeFailure + 1,
    violations: firstFailure?.violations.length ?? 0,
    counterexample: {
      seed: options.seed,
      path: details.counterexamplePath,
      scenario: details.counterexample[0],
      report,
      found: firstFailure ?? report,
    },
  };
}
