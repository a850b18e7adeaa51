/**
 * The benchmark's command line: `npm run bench -- [--quick] [--zones N] [--only a,b] ...`.
 */
import { parseArgs } from 'node:util';

/** The sections, in the order they run. */
export const SECTIONS = ['single', 'burst', 'sweep', 'rate', 'bundle', 'cdk', 'org'] as const;
export type Section = (typeof SECTIONS)[number];
/** Sections a run without --only leaves out: they take most of an hour. */
export const OPT_IN_SECTIONS: readonly Section[] = ['org'];

/** Everything the benchmark can be told. */
export interface BenchOptions {
  readonly quick: boolean;
  readonly sections: readonly Section[];
  /** Opt-ins in the burst, spread over `burstAccounts` accounts. */
  readonly zones: number;
  readonly burstAccounts: number;
  /** Tag calls per second each child account makes during the burst. */
  readonly childRate: number;
  /** Organisation sizes (accounts) the sweep is measured at, one run each. */
  readonly sweepAccounts: readonly number[];
  readonly sweepZones: number;
  /** Delegations in each side-by-side run against the CDK's handler. */
  readonly sizes: readonly number[];
  /** Delegations the second account of `single` already holds. */
  readonly held: number;
  /** Records in the parent besides the delegations, in `single` and `org`. */
  readonly parentRecords: number;
  /** Opt-ins in each burst of `rate`. */
  readonly rateZones: number;
  /** Organisation sizes (accounts) of `org`, one sweep each. */
  readonly orgAccounts: readonly number[];
  /** The whole worker's hub budget in `org` (requests per second). */
  readonly orgBudget: number;
  /** When an `org` sweep still running is stopped. */
  readonly orgDeadlineMinutes: number;
  /** Node processes spawned per bundle to time its load. */
  readonly loadRuns: number;
  readonly verbose: boolean;
}

/** Bad command-line input, naming the flag and what was expected. */
export class BenchOptionsError extends Error {
  constructor(flag: string, value: unknown, expected: string) {
    super(`--${flag}: expected ${expected}, got ${JSON.stringify(value)}`);
    this.name = 'BenchOptionsError';
  }
}

export const USAGE = `usage: npm run bench -- [options]
  --quick               small sizes, to check the script works (about 30 s)
  --only LIST           sections to run, comma-separated: ${SECTIONS.join(',')}
                        (default: all but ${OPT_IN_SECTIONS.join(',')})
  --zones N             opt-ins in the burst (default 300, quick 50; 1000 takes 2.5 to 5 minutes)
  --burst-accounts N    accounts the burst spreads over (default 10)
  --child-rate N        tag calls per second per child account during the burst (default 5)
  --sweep-accounts LIST organisation sizes the sweep runs at, comma-separated (default 5,10,20, quick 5)
  --sweep-zones N       delegated zones per sweep account (default 20, quick 10)
  --load-runs N         node processes per bundle for the load time (default 15, quick 3)
  --sizes LIST          delegations per side-by-side run against the CDK's handler, comma-separated
                        (default 100,300, quick 20,50; 100,300,1000 takes about 10 minutes more)
  --held N              delegations the second account of 'single' holds (default 100, quick 10)
  --parent-records N    other records in the parent in 'single' and 'org' (default 20000, quick 1000)
  --rate-zones N        opt-ins in each burst of 'rate' (default 200, quick 40)
  --org-accounts LIST   organisation sizes of 'org', 20 zones per account (default 1000,5000, quick 20)
  --org-budget N        the worker's hub budget in 'org', requests/s (default 2: a fifth of the 10/s quota)
  --org-deadline-minutes N  an 'org' sweep still running is stopped after this (default 15, the sweep interval)
  --verbose             print the worker's warnings and errors`;

function positiveInteger(flag: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new BenchOptionsError(flag, raw, 'a positive integer');
  return value;
}

function nonNegativeInteger(flag: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new BenchOptionsError(flag, raw, 'a whole number of at least 0');
  return value;
}

function positiveNumber(flag: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new BenchOptionsError(flag, raw, 'a positive number');
  return value;
}

function integersOf(flag: string, raw: string | undefined, fallback: readonly number[]): number[] {
  if (raw === undefined) return [...fallback];
  return raw.split(',').map((size) => positiveInteger(flag, size.trim(), 0));
}

function sectionsOf(raw: string | undefined): Section[] {
  if (raw === undefined) return SECTIONS.filter((section) => !OPT_IN_SECTIONS.includes(section));
  const names = raw
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  for (const name of names) {
    if (!(SECTIONS as readonly string[]).includes(name)) throw new BenchOptionsError('only', name, `one of ${SECTIONS.join(', ')}`);
  }
  return SECTIONS.filter((section) => names.includes(section));
}

/** Parses argv (without node and the script); throws BenchOptionsError on bad input. */
export function parseBenchOptions(argv: readonly string[]): BenchOptions | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      zones: { type: 'string' },
      'burst-accounts': { type: 'string' },
      'child-rate': { type: 'string' },
      'sweep-accounts': { type: 'string' },
      'sweep-zones': { type: 'string' },
      'load-runs': { type: 'string' },
      sizes: { type: 'string' },
      held: { type: 'string' },
      'parent-records': { type: 'string' },
      'rate-zones': { type: 'string' },
      'org-accounts': { type: 'string' },
      'org-budget': { type: 'string' },
      'org-deadline-minutes': { type: 'string' },
      verbose: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return 'help';
  const quick = values.quick === true;
  const burstAccounts = positiveInteger('burst-accounts', values['burst-accounts'], 10);
  const zones = positiveInteger('zones', values.zones, quick ? 50 : 300);
  if (zones < burstAccounts) throw new BenchOptionsError('zones', zones, `at least --burst-accounts (${burstAccounts})`);
  return {
    quick,
    sections: sectionsOf(values.only),
    zones,
    burstAccounts,
    childRate: positiveNumber('child-rate', values['child-rate'], 5),
    sweepAccounts: integersOf('sweep-accounts', values['sweep-accounts'], quick ? [5] : [5, 10, 20]),
    sweepZones: positiveInteger('sweep-zones', values['sweep-zones'], quick ? 10 : 20),
    loadRuns: positiveInteger('load-runs', values['load-runs'], quick ? 3 : 15),
    sizes: integersOf('sizes', values.sizes, quick ? [20, 50] : [100, 300]),
    held: positiveInteger('held', values.held, quick ? 10 : 100),
    parentRecords: nonNegativeInteger('parent-records', values['parent-records'], quick ? 1000 : 20_000),
    rateZones: positiveInteger('rate-zones', values['rate-zones'], quick ? 40 : 200),
    orgAccounts: integersOf('org-accounts', values['org-accounts'], quick ? [20] : [1000, 5000]),
    orgBudget: positiveInteger('org-budget', values['org-budget'], 2),
    orgDeadlineMinutes: positiveNumber('org-deadline-minutes', values['org-deadline-minutes'], 15),
    verbose: values.verbose === true,
  };
}
