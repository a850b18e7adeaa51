/** `npm start` as a child process, the way the README runs it off a terminal, for the walk-through tests. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const ROOT = join(__dirname, '..', '..');
const TSX = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');

/** An ANSI escape: none may reach output that is not a terminal. */
export const ANSI = /\u001b\[/;

/** Runs `cli/walkthrough.ts` with `args` (CI set, no forced colour); rejects on a non-zero exit code. */
export function runWalkthroughProcess(args: readonly string[] = []): Promise<{ stdout: string; stderr: string }> {
  const env = { ...process.env, CI: 'true', FORCE_COLOR: undefined, POWERTOOLS_LOG_LEVEL: undefined };
  return promisify(execFile)(process.execPath, [TSX, 'cli/walkthrough.ts', ...args], { cwd: ROOT, env, timeout: 90_000 });
}
