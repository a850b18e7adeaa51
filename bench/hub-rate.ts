/**
 * §9: the whole worker's hub request rate. Lambda runs as many execution environments as the
 * event source's maximum concurrency, each with its own limiter holding its share of the
 * budget (ROUTE53_REQUESTS_PER_SECOND / maximum concurrency, rounded down). Several bursts,
 * each with a different budget and concurrency, count the hub Route 53 requests the emulator
 * received in every one-second window and report the busiest against the budget.
 */
import { measureBurst } from './burst';
import { printHeading, printTable, printVerdicts, type Verdict } from './report';

/** One budget and concurrency to run a burst with. */
export interface RateScenario {
  readonly budget: number;
  readonly environments: number;
}

/** The scenarios: production's defaults, one environment per request, and an uneven share. */
export const RATE_SCENARIOS: readonly RateScenario[] = [
  { budget: 5, environments: 2 },
  { budget: 4, environments: 4 },
  { budget: 10, environments: 3 },
];

/** One scenario's figures. */
export interface RateMeasure extends RateScenario {
  readonly perEnvironment: number;
  readonly optIns: number;
  readonly delegated: number;
  readonly hubCalls: number;
  /** Busiest one-second window where Route 53 (the emulator) receives. */
  readonly peak: number;
  /** Busiest one-second window where the worker's clients send, after signing. */
  readonly peakSent: number;
  readonly pass: boolean;
}

/** Results of the rate section. */
export interface HubRateResult {
  readonly scenarios: readonly RateMeasure[];
  readonly peak: number;
  readonly pass: boolean;
}

/** Runs each scenario's burst (`zones` opt-ins over 10 accounts) and prints the peaks. */
export async function benchHubRate(options: { readonly zones: number; readonly verbose: boolean }): Promise<HubRateResult> {
  printHeading(`6. The whole worker's hub request rate: ${RATE_SCENARIOS.length} bursts of ${options.zones} opt-ins`);
  const scenarios: RateMeasure[] = [];
  for (const scenario of RATE_SCENARIOS) {
    const burst = await measureBurst({
      zones: options.zones,
      accounts: 10,
      // Children tag fast enough that the hub's budget, not their quota, sets the pace.
      childRate: 10,
      verbose: options.verbose,
      hubRequestsPerSecond: scenario.budget,
      maximumConcurrency: scenario.environments,
    });
    scenarios.push({
      ...scenario,
      perEnvironment: burst.hubRate.perEnvironment,
      optIns: options.zones,
      delegated: burst.delegated,
      hubCalls: burst.hubCalls.calls,
      peak: burst.hubRate.peak,
      peakSent: burst.hubRate.peakSent,
      pass: burst.hubRate.pass,
    });
  }
  const result: HubRateResult = {
    scenarios,
    peak: Math.max(...scenarios.map((scenario) => scenario.peak)),
    pass: scenarios.every((scenario) => scenario.pass),
  };
  printTable(
    "Hub Route 53 requests in the busiest one-second window: as the emulator received them, and as the worker's clients sent them",
    ['budget/s', 'environments', 'share/s each', 'opt-ins', 'delegated', 'hub calls', 'peak in 1 s, received', 'sent'],
    scenarios.map((scenario) => [
      scenario.budget,
      scenario.environments,
      scenario.perEnvironment,
      scenario.optIns,
      scenario.delegated,
      scenario.hubCalls,
      scenario.peak,
      scenario.peakSent,
    ]),
  );
  const verdicts: Verdict[] = scenarios.map((scenario) => ({
    what: `peak hub requests, budget ${scenario.budget}/s over ${scenario.environments} environments`,
    measured: scenario.peak,
    bar: `<= ${scenario.budget}`,
    pass: scenario.pass,
  }));
  printVerdicts('Verdict', verdicts);
  return result;
}
