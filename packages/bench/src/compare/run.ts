// One run of one benchmark in one checkout: `node <checkout>/packages/bench/dist/<bench>.js
// [args] --out <file>` in a child process whose working directory is the checkout, so the
// checkout's own results/ are never written; the results file it wrote is read back.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { benchScript } from './checkout';
import type { BenchName } from './figures';

export interface BenchRun {
  /** The results file's contents (results/<bench>.json's shape). */
  json: unknown;
  /** Wall time of the child, from spawn to exit. */
  ms: number;
}

/** How much of a failed child's stderr goes into the error. */
const STDERR_TAIL_CHARS = 4000;

export function runBench(dir: string, bench: BenchName, args: readonly string[], outFile: string, verbose: boolean): Promise<BenchRun> {
  const started = performance.now();
  const child = spawn(process.execPath, [benchScript(dir, bench), ...args, '--out', outFile], {
    cwd: dir,
    stdio: ['ignore', 'ignore', verbose ? 'inherit' : 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_TAIL_CHARS);
  });
  return new Promise((done, fail) => {
    child.on('error', fail);
    child.on('close', (code, signal) => {
      const ms = performance.now() - started;
      if (code !== 0) {
        fail(new Error(`${bench}.js in ${dir} exited with ${signal ?? `code ${code}`}${stderr ? `:\n${stderr.trimEnd()}` : ''}`));
        return;
      }
      try {
        done({ json: JSON.parse(readFileSync(outFile, 'utf8')), ms });
      } catch (error) {
        fail(new Error(`${bench}.js in ${dir}: cannot read its results ${outFile}: ${(error as Error).message}`));
      }
    });
  });
}
