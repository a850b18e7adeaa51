/**
 * How the commands speak: results on stdout (JSON with `--json`, aligned tables otherwise),
 * progress on stderr only when it is a terminal, colour only on a terminal without NO_COLOR.
 */
import { styleText } from 'node:util';
import Table from 'cli-table3';

/** Where a command writes; tests pass their own. */
export interface CommandIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  /** stdout is a terminal (tables may use colour). @default false */
  readonly outIsTerminal?: boolean;
  /** stderr is a terminal (progress is shown). @default false */
  readonly errIsTerminal?: boolean;
  /** Asks a yes/no question on the terminal; absent when there is none. */
  readonly confirm?: (question: string) => Promise<boolean>;
}

/** True when colour may be used on a stream that `isTerminal`. */
export function colourAllowed(isTerminal: boolean | undefined, env: NodeJS.ProcessEnv = process.env): boolean {
  return isTerminal === true && !env.NO_COLOR && env.TERM !== 'dumb';
}

/** The output helpers of one command run. */
export class Output {
  constructor(private readonly io: CommandIo) {}

  line(text = ''): void {
    this.io.out(text);
  }

  json(value: unknown): void {
    this.io.out(JSON.stringify(value, null, 2));
  }

  /** Progress for a person watching; silent when stderr is not a terminal. */
  progress(text: string): void {
    if (this.io.errIsTerminal) this.io.err(text);
  }

  /** `text` in a colour, when colour is allowed. */
  style(format: 'red' | 'yellow' | 'green' | 'bold' | 'dim', text: string): string {
    return colourAllowed(this.io.outIsTerminal) ? styleText(format, text) : text;
  }

  /** `label  value` lines, the values aligned. */
  pairs(rows: ReadonlyArray<readonly [string, string]>): void {
    const width = Math.max(0, ...rows.map(([label]) => label.length));
    for (const [label, value] of rows) this.io.out(`  ${label.padEnd(width)}  ${value}`);
  }

  /** Rows aligned under their headings, two spaces apart, no borders. */
  table(headings: readonly string[], rows: ReadonlyArray<readonly string[]>): void {
    const table = new Table({
      head: headings.map((heading) => this.style('bold', heading)),
      chars: {
        top: '',
        'top-mid': '',
        'top-left': '',
        'top-right': '',
        bottom: '',
        'bottom-mid': '',
        'bottom-left': '',
        'bottom-right': '',
        left: '',
        'left-mid': '',
        mid: '',
        'mid-mid': '',
        right: '',
        'right-mid': '',
        middle: '  ',
      },
      style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 },
    });
    table.push(...rows.map((row) => [...row]));
    for (const line of table.toString().split('\n')) this.io.out(line.trimEnd());
  }
}
