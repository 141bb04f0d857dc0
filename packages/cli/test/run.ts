// Runs the real bin (bin/memstore.js → dist/main.js) as a user would, and what it printed.
import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const BIN = resolve(ROOT, 'packages/cli/bin/memstore.js');
export const EXAMPLES = resolve(ROOT, 'examples');

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** `memstore …args` from the repository root; stderr is a pipe, not a terminal. */
export function memstore(...args: string[]): Run {
  const run = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 256 * 2 ** 20 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}
