/**
 * `npm run bench`: the performance bars of docs/benchmarks.md, measured offline against the embedded
 * emulator with the real worker, printed as tables and written to .bench/results.json.
 * A benchmark reports; it asserts nothing (the exit code is 0 unless the run itself fails).
 *
 *   npm run bench                       # full run
 *   npm run bench -- --quick            # small sizes, checks the script works
 *   npm run bench -- --only burst --zones 500
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { benchBundle, BENCH_DIR } from './bundle';
import { benchBurst } from './burst';
import { drawCharts } from './charts';
import { benchHubRate } from './hub-rate';
import { BenchOptionsError, OPT_IN_SECTIONS, parseBenchOptions, USAGE, type BenchOptions } from './options';
import { benchOrgSweep, type OrgSweepResult } from './org-sweep';
import { printHeading, printTable, round } from './report';
import { benchSingleEvent } from './single-event';
import { benchSweep } from './sweep';
import { benchVersusCdk } from './versus-cdk';

// The machines here run Node 20 on purpose (see README); the SDK's upgrade notice is noise in the report.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** Zones per account in the organisation-scale sweep. */
const ORG_ZONES_PER_ACCOUNT = 20;

interface Summary {
  readonly bar: string;
  readonly measured: string;
  readonly pass: boolean;
}

async function main(options: BenchOptions): Promise<void> {
  const started = Date.now();
  const results: Record<string, unknown> = {};
  const summary: Summary[] = [];
  const sectionSeconds: Record<string, number> = {};
  let sectionStarted = Date.now();
  const lap = (section: string): void => {
    sectionSeconds[section] = round((Date.now() - sectionStarted) / 1000);
    sectionStarted = Date.now();
  };

  if (options.sections.includes('single')) {
    const single = await benchSingleEvent({ held: options.held, parentRecords: options.parentRecords, verbose: options.verbose });
    results.singleEvent = single;
    summary.push({
      bar: `1 warm opt-in event, empty account, parent of ${single.parentRecords} records: <= ${single.bar} Route 53/STS calls`,
      measured: `${single.route53AndStsCalls} calls`,
      pass: single.pass,
    });
    summary.push({
      bar: `1 warm opt-in event, account holding ${single.held.delegationsHeld} delegations: <= ${single.bar} Route 53/STS calls`,
      measured: `${single.held.route53AndStsCalls} calls`,
      pass: single.held.pass,
    });
    lap('single');
  }
  if (options.sections.includes('burst')) {
    const burst = await benchBurst({
      zones: options.zones,
      accounts: options.burstAccounts,
      childRate: options.childRate,
      verbose: options.verbose,
    });
    results.burst = burst;
    const crrs = burst.changeResourceRecordSets;
    summary.push({
      bar: `burst ${burst.scale.zones} opt-ins / ${burst.scale.accounts} accounts: ChangeResourceRecordSets <= ceil(changes/100) + invocations`,
      measured: `${crrs.calls} <= ${crrs.bar}`,
      pass: crrs.pass,
    });
    summary.push({
      bar: 'burst: parent read by pages once names outnumber pages',
      measured: `${burst.parentReads.ofThoseReadByPages}/${burst.parentReads.readsWhereNamesOutnumberPages} reads by pages`,
      pass: burst.parentReads.pass,
    });
    summary.push({
      bar: `burst: hub Route 53 calls <= ${burst.hubCalls.bar} (60 per 1,000 opt-ins)`,
      measured: String(burst.hubCalls.calls),
      pass: burst.hubCalls.pass,
    });
    summary.push({
      bar: 'burst: messages dead-lettered = 0',
      measured: String(burst.invocations.deadLettered),
      pass: burst.deadLetteredPass,
    });
    summary.push({
      bar: 'burst: last NS write <= 1.5 x last tag (seconds from the first tag)',
      measured: `${burst.keepsUp.lastWriteSeconds} / ${burst.keepsUp.lastTagSeconds} = ${burst.keepsUp.ratio}`,
      pass: burst.keepsUp.pass,
    });
    summary.push({
      bar: `burst: peak hub requests in one second <= budget ${burst.hubRate.budget}`,
      measured: String(burst.hubRate.peak),
      pass: burst.hubRate.pass,
    });
    summary.push({
      bar: 'burst: tag -> NS latency under the quota (p50 / p99)',
      measured: `${burst.latencyMs.p50} / ${burst.latencyMs.p99} ms, total ${burst.totalSeconds} s`,
      pass: burst.delegated === burst.scale.zones,
    });
    lap('burst');
  }
  if (options.sections.includes('sweep')) {
    const sweeps = [];
    for (const accounts of options.sweepAccounts) {
      const sweep = await benchSweep({ accounts, zonesPerAccount: options.sweepZones, verbose: options.verbose });
      sweeps.push(sweep);
      for (const measure of sweep.sweeps) {
        summary.push({
          bar: `${measure.kind} sweep ${sweep.accounts} x ${sweep.zonesPerAccount}: calls <= 1.1 x minimum`,
          measured: `${measure.calls} / ${measure.minimum} = ${measure.ratio}`,
          pass: measure.pass,
        });
      }
    }
    results.sweep = sweeps;
    lap('sweep');
  }
  if (options.sections.includes('rate')) {
    const rate = await benchHubRate({ zones: options.rateZones, verbose: options.verbose });
    results.hubRate = rate;
    summary.push({
      bar: `whole worker's hub rate, ${rate.scenarios.length} budgets x environments: peak in any second <= budget`,
      measured: rate.scenarios.map((scenario) => `${scenario.peak}/${scenario.budget}`).join(', '),
      pass: rate.pass,
    });
    lap('rate');
  }
  if (options.sections.includes('bundle')) {
    const bundle = await benchBundle({ runs: options.loadRuns, variants: options.quick ? 'required' : 'all' });
    results.bundle = bundle;
    const [plain, deployed] = bundle.bundles;
    summary.push({
      bar: 'deployed worker bundle < 480 KB',
      measured: `${deployed?.sizeKb} KB (plain ${plain?.sizeKb} KB)`,
      pass: bundle.sizePass,
    });
    summary.push({
      bar: 'a process loading the deployed bundle >= 1.4x faster than one loading the plain bundle',
      measured: `${bundle.speedup}x (${deployed?.rawLoadMs} vs ${plain?.rawLoadMs} ms)`,
      pass: bundle.speedupPass,
    });
    lap('bundle');
  }
  if (options.sections.includes('cdk')) {
    const versus = await benchVersusCdk({ sizes: options.sizes, verbose: options.verbose });
    results.versusCdk = versus;
    for (const row of versus.rows) {
      summary.push({
        bar: `${row.delegations} delegations: hub writes, all calls, wall time of the CDK handler / subzone`,
        measured: `${row.ratios.hubWrites ?? 'n/a'}x, ${row.ratios.allCalls ?? 'n/a'}x, ${row.ratios.wallSeconds ?? 'n/a'}x (failed: CDK ${row.cdk.failed}, subzone ${row.subzone.failed})`,
        pass: row.subzone.failed === 0,
      });
    }
    lap('cdk');
  }
  if (options.sections.includes('org')) {
    const orgs: OrgSweepResult[] = [];
    for (const accounts of options.orgAccounts) {
      const org = await benchOrgSweep({
        accounts,
        zonesPerAccount: ORG_ZONES_PER_ACCOUNT,
        otherRecords: options.parentRecords,
        hubRequestsPerSecond: options.orgBudget,
        deadlineSeconds: options.orgDeadlineMinutes * 60,
        verbose: options.verbose,
      });
      orgs.push(org);
      const size = `${accounts} x ${ORG_ZONES_PER_ACCOUNT} sweep`;
      summary.push(
        {
          bar: `${size}: hub Route 53 calls <= 1.1 x (${org.parentPages} pages + 1)`,
          measured: `${org.finished ? '' : '>= '}${org.hubRoute53Calls} / ${org.hubCallsBar}`,
          pass: org.hubCallsPass,
        },
        {
          bar: `${size} at a hub budget of ${org.hubBudget}/s: wall time <= 900 s`,
          measured: org.finished ? `${org.seconds} s` : `stopped at ${org.seconds} s, projected ${org.projectedSeconds} s`,
          pass: org.timePass,
        },
        {
          bar: `${size}: peak hub requests in one second <= ${org.hubBudget}`,
          measured: String(org.peakHubRate),
          pass: org.peakHubRatePass,
        },
      );
    }
    results.orgSweep = orgs;
    lap('org');
  }

  const seconds = round((Date.now() - started) / 1000);
  printHeading('Summary');
  const skipped = OPT_IN_SECTIONS.filter((section) => !options.sections.includes(section));
  if (skipped.length > 0) {
    console.log(`Not run (opt-in, most of an hour): ${skipped.join(', ')}; run them with npm run bench -- --only ${skipped.join(',')}`);
  }
  const timing = Object.entries(sectionSeconds)
    .map(([section, value]) => `${section} ${value} s`)
    .join(', ');
  printTable(
    `Bars of docs/benchmarks.md (${seconds} s: ${timing}; node ${process.version}, ${cpus().length} cores)`,
    ['bar', 'measured', 'verdict'],
    summary.map((line) => [line.bar, line.measured, line.pass ? 'PASS' : 'MISS']),
  );

  const document = {
    generatedAt: new Date().toISOString(),
    command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    options,
    environment: { node: process.version, platform: process.platform, arch: process.arch, cores: cpus().length },
    seconds,
    sectionSeconds,
    summary,
    results,
  };
  mkdirSync(BENCH_DIR, { recursive: true });
  const file = join(BENCH_DIR, 'results.json');
  const json = JSON.stringify(document, null, 2);
  writeFileSync(file, `${json}\n`);
  console.log(`\nResults written to ${file}`);
  for (const chart of drawCharts(document)) console.log(`Chart written to ${chart}`);
  console.log('');
  console.log(json);
}

let options: BenchOptions | 'help';
try {
  options = parseBenchOptions(process.argv.slice(2));
} catch (error) {
  console.error(error instanceof BenchOptionsError || error instanceof TypeError ? error.message : error);
  console.error(USAGE);
  process.exit(2);
}
if (options === 'help') {
  console.log(USAGE);
} else {
  main(options).then(
    // Keep-alive sockets of the SDK clients must not hold the process open once the report is out.
    () => process.exit(0),
    (error: unknown) => {
      console.error('benchmark failed:', error);
      process.exit(1);
    },
  );
}
