/**
 * Printing for the benchmark: aligned text tables, verdict lines and the small statistics
 * (median, nearest-rank percentile, busiest one-second window) the sections report.
 */

/** A cell: strings print as they are, numbers right-aligned. */
export type Cell = string | number;

/** Prints a title and an aligned table (numbers right-aligned). */
export function printTable(title: string, header: readonly string[], rows: readonly (readonly Cell[])[]): void {
  const text = [header, ...rows].map((row) => row.map((cell) => String(cell)));
  const widths = header.map((_, column) => Math.max(...text.map((row) => (row[column] ?? '').length)));
  const line = (row: readonly string[], source: readonly Cell[]): string =>
    row
      .map((cell, column) => (typeof source[column] === 'number' ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0)))
      .join('  ')
      .trimEnd();
  console.log(`\n${title}`);
  console.log(line(text[0] ?? [], header));
  console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  rows.forEach((row, index) => console.log(line(text[index + 1] ?? [], row)));
}

/** Prints a section heading. */
export function printHeading(text: string): void {
  console.log(`\n${'='.repeat(text.length)}\n${text}\n${'='.repeat(text.length)}`);
}

/** A measured value against its bar. */
export interface Verdict {
  readonly what: string;
  readonly measured: number | string;
  readonly bar: string;
  readonly pass: boolean;
}

/** Prints verdicts as a table. */
export function printVerdicts(title: string, verdicts: readonly Verdict[]): void {
  printTable(
    title,
    ['measure', 'measured', 'bar', 'verdict'],
    verdicts.map((verdict) => [verdict.what, verdict.measured, verdict.bar, verdict.pass ? 'PASS' : 'MISS']),
  );
}

/** The median of a non-empty list (mean of the middle two for an even count); NaN when empty. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** The nearest-rank percentile (`p` in 0..100); NaN when empty. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] as number;
}

/** The most timestamps (ms) that fall within any one-second window [t, t + 1000). */
export function peakInAnySecond(times: readonly number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let peak = 0;
  let first = 0;
  for (let last = 0; last < sorted.length; last += 1) {
    while ((sorted[last] as number) - (sorted[first] as number) >= 1000) first += 1;
    peak = Math.max(peak, last - first + 1);
  }
  return peak;
}

/** Rounds to `digits` decimals for display and JSON. */
export function round(value: number, digits = 1): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
