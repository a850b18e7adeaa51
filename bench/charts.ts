/**
 * Draws the benchmark's SVG charts from its results file: hub calls and wall time against
 * burst size for subzone and the CDK's delegation handler, and sweep calls against
 * organisation size. `npm run bench` draws them after each run; to redraw from a results file:
 *
 *   npx tsx bench/charts.ts [.bench/results.json]
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderLineChart, type LineChart } from './svg-chart';
import type { SweepResult } from './sweep';
import type { VersusResult } from './versus-cdk';

/** Where the charts go, beside the benchmark's documentation. */
const CHART_DIR = join(__dirname, '..', 'docs', 'benchmarks');

/** The parts of the results document the charts read. */
export interface ChartedResults {
  readonly results: { readonly versusCdk?: VersusResult; readonly sweep?: readonly SweepResult[] };
}

/** The charts the results hold data for, by file name. */
function chartsOf(document: ChartedResults): Map<string, LineChart> {
  const charts = new Map<string, LineChart>();
  const versus = document.results.versusCdk;
  if (versus !== undefined && versus.rows.length > 0) {
    const side = (pick: (row: VersusResult['rows'][number]) => number) => versus.rows.map((row) => [row.delegations, pick(row)] as const);
    charts.set('hub-calls-vs-burst.svg', {
      title: 'Route 53 calls in the parent account, by burst size',
      xLabel: 'delegations in the burst',
      yLabel: 'hub Route 53 calls (retries included)',
      series: [
        { name: "CDK's CrossAccountZoneDelegationRecord handler", points: side((row) => row.cdk.hubCalls) },
        { name: 'subzone', points: side((row) => row.subzone.hubCalls) },
      ],
    });
    charts.set('wall-time-vs-burst.svg', {
      title: 'Wall time to delegate a burst, Route 53 quota on',
      xLabel: 'delegations in the burst',
      yLabel: 'seconds, first request to last NS record',
      series: [
        { name: "CDK's CrossAccountZoneDelegationRecord handler", points: side((row) => row.cdk.wallSeconds) },
        { name: 'subzone', points: side((row) => row.subzone.wallSeconds) },
      ],
    });
  }
  const sweeps = document.results.sweep;
  if (sweeps !== undefined && sweeps.length > 0) {
    const kind = (name: 'warm' | 'cold', pick: 'calls' | 'minimum') =>
      sweeps.flatMap((sweep) =>
        sweep.sweeps.filter((measure) => measure.kind === name).map((measure) => [sweep.accounts, measure[pick]] as const),
      );
    charts.set('sweep-calls-vs-organisation.svg', {
      title: `Route 53 and STS calls of a sweep, ${sweeps[0]?.zonesPerAccount} zones per account`,
      xLabel: 'accounts in the organisation',
      yLabel: 'calls per sweep',
      series: [
        { name: 'cold sweep (fresh worker)', points: kind('cold', 'calls') },
        { name: 'warm sweep', points: kind('warm', 'calls') },
        { name: 'minimum, cold', points: kind('cold', 'minimum'), dashed: true },
        { name: 'minimum, warm', points: kind('warm', 'minimum'), dashed: true },
      ],
    });
  }
  return charts;
}

/** Writes each chart the results hold data for; returns the files written. */
export function drawCharts(document: ChartedResults, directory = CHART_DIR): string[] {
  const charts = chartsOf(document);
  if (charts.size > 0) mkdirSync(directory, { recursive: true });
  return [...charts].map(([file, chart]) => {
    const path = join(directory, file);
    writeFileSync(path, renderLineChart(chart));
    return path;
  });
}

if (require.main === module) {
  const file = process.argv[2] ?? join(__dirname, '..', '.bench', 'results.json');
  const written = drawCharts(JSON.parse(readFileSync(file, 'utf8')) as ChartedResults);
  console.log(written.length === 0 ? `no chart data in ${file}` : written.join('\n'));
}
