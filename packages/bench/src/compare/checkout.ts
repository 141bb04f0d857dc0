// A checkout under comparison: its directory, its commit (read-only git calls), the built script
// of each benchmark, and a fingerprint of its build outputs that tells when it was rebuilt.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError } from '../cli';
import type { BenchName } from './figures';

export interface Checkout {
  side: 'base' | 'head';
  dir: string;
  /** `git rev-parse HEAD`, or null when the directory is not a git checkout. */
  commit: string | null;
  /** Tracked files changed since that commit (null: unknown). */
  dirty: boolean | null;
}

/** The build outputs the benchmarks run: a change in any of them means the checkout was rebuilt. */
const BUILT_DIRS = ['packages/wasm/build', 'packages/core/dist', 'packages/bench/dist'];

export function benchScript(dir: string, bench: BenchName): string {
  return join(dir, 'packages', 'bench', 'dist', `${bench}.js`);
}

/** The checkout at `dir`, checked to hold a built script for every benchmark asked for. */
export function openCheckout(side: Checkout['side'], dir: string, benches: readonly BenchName[]): Checkout {
  const root = resolve(dir);
  for (const bench of benches) {
    const script = benchScript(root, bench);
    if (!existsSync(script)) throw new UsageError(`--${side} ${root}: no ${script} (run \`npm ci && npm run build\` there first)`);
  }
  if (!existsSync(join(root, 'packages', 'core', 'dist'))) throw new UsageError(`--${side} ${root}: packages/core/dist is missing (not built)`);
  // --no-optional-locks: `git status` must not refresh the index of a checkout someone else is using.
  const git = (...args: string[]) => execFileSync('git', ['--no-optional-locks', '-C', root, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  let commit: string | null = null;
  let dirty: boolean | null = null;
  try {
    commit = git('rev-parse', 'HEAD');
    dirty = git('status', '--porcelain', '--untracked-files=no') !== '';
  } catch {
    // not a git checkout (or no git): reported as unknown
  }
  return { side, dir: root, commit, dirty };
}

/** A hash of the path, size and modification time of every file in the checkout's build outputs. */
export function buildFingerprint(dir: string): string {
  const hash = createHash('sha1');
  const walk = (path: string) => {
    if (!existsSync(path)) return;
    for (const entry of readdirSync(path, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const child = join(path, entry.name);
      if (entry.isDirectory()) walk(child);
      else if (entry.isFile()) {
        const stats = statSync(child);
        hash.update(`${child}\0${stats.size}\0${stats.mtimeMs}\n`);
      }
    }
  };
  for (const built of BUILT_DIRS) walk(join(dir, built));
  return hash.digest('hex');
}
