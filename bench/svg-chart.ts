/**
 * A minimal line chart as standalone SVG text: numeric x and y axes from zero, one polyline
 * with point markers per series, a legend. Enough for the benchmark's few charts without a
 * charting library (those that render SVG outside a browser bring a DOM or a canvas along).
 */

/** One line of the chart. */
export interface Series {
  readonly name: string;
  readonly points: ReadonlyArray<readonly [x: number, y: number]>;
  /** Dashed, for reference lines such as a minimum. @default false */
  readonly dashed?: boolean;
}

/** What to draw. */
export interface LineChart {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly Series[];
}

const WIDTH = 640;
const HEIGHT = 400;
const MARGIN = { top: 48, right: 24, bottom: 56, left: 72 } as const;
const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e'] as const;
const TICKS = 5;

/** A round step (1, 2 or 5 times a power of ten) that cuts [0, max] into about TICKS parts. */
export function tickStep(max: number): number {
  if (!(max > 0)) return 1;
  const raw = max / TICKS;
  const power = 10 ** Math.floor(Math.log10(raw));
  const factor = [1, 2, 5, 10].find((candidate) => candidate * power >= raw) ?? 10;
  return factor * power;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function axisTicks(max: number): number[] {
  const step = tickStep(max);
  const top = Math.max(step, Math.ceil(max / step) * step);
  return Array.from({ length: Math.round(top / step) + 1 }, (_, index) => Number((index * step).toPrecision(12)));
}

/** Renders the chart as an SVG document. */
export function renderLineChart(chart: LineChart): string {
  const points = chart.series.flatMap((series) => series.points);
  const xTicks = axisTicks(Math.max(0, ...points.map(([x]) => x)));
  const yTicks = axisTicks(Math.max(0, ...points.map(([, y]) => y)));
  const xMax = xTicks[xTicks.length - 1] as number;
  const yMax = yTicks[yTicks.length - 1] as number;
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const sx = (x: number): number => MARGIN.left + (x / xMax) * plotWidth;
  const sy = (y: number): number => MARGIN.top + plotHeight - (y / yMax) * plotHeight;
  const fixed = (value: number): string => value.toFixed(1);

  const grid = yTicks.map(
    (tick) =>
      `<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${fixed(sy(tick))}" y2="${fixed(sy(tick))}" stroke="#e0e0e0"/>` +
      `<text x="${MARGIN.left - 8}" y="${fixed(sy(tick) + 4)}" text-anchor="end">${tick}</text>`,
  );
  const xAxis = xTicks.map(
    (tick) =>
      `<line x1="${fixed(sx(tick))}" x2="${fixed(sx(tick))}" y1="${MARGIN.top + plotHeight}" y2="${MARGIN.top + plotHeight + 5}" stroke="#333"/>` +
      `<text x="${fixed(sx(tick))}" y="${MARGIN.top + plotHeight + 20}" text-anchor="middle">${tick}</text>`,
  );
  const lines = chart.series.map((series, index) => {
    const colour = COLOURS[index % COLOURS.length];
    const path = series.points.map(([x, y]) => `${fixed(sx(x))},${fixed(sy(y))}`).join(' ');
    const dash = series.dashed === true ? ' stroke-dasharray="6 4"' : '';
    const markers = series.points.map(
      ([x, y]) =>
        `<circle cx="${fixed(sx(x))}" cy="${fixed(sy(y))}" r="3.5" fill="${colour}"><title>${escapeXml(series.name)}: ${x}, ${y}</title></circle>`,
    );
    const legendY = MARGIN.top + 8 + index * 18;
    const legend =
      `<line x1="${MARGIN.left + 12}" x2="${MARGIN.left + 36}" y1="${legendY}" y2="${legendY}" stroke="${colour}" stroke-width="2"${dash}/>` +
      `<text x="${MARGIN.left + 42}" y="${legendY + 4}">${escapeXml(series.name)}</text>`;
    return `<polyline points="${path}" fill="none" stroke="${colour}" stroke-width="2"${dash}/>${markers.join('')}${legend}`;
  });

  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#fff"/>`,
    `<text x="${WIDTH / 2}" y="24" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(chart.title)}</text>`,
    ...grid,
    `<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${MARGIN.top + plotHeight}" y2="${MARGIN.top + plotHeight}" stroke="#333"/>`,
    `<line x1="${MARGIN.left}" x2="${MARGIN.left}" y1="${MARGIN.top}" y2="${MARGIN.top + plotHeight}" stroke="#333"/>`,
    ...xAxis,
    `<text x="${MARGIN.left + plotWidth / 2}" y="${HEIGHT - 14}" text-anchor="middle">${escapeXml(chart.xLabel)}</text>`,
    `<text transform="translate(18 ${MARGIN.top + plotHeight / 2}) rotate(-90)" text-anchor="middle">${escapeXml(chart.yLabel)}</text>`,
    ...lines,
    '</svg>',
    '',
  ].join('\n');
}
