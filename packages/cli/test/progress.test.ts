// Progress: on stderr when it is a terminal (a pseudo-terminal from util-linux `script`), never under
// --quiet; when stderr is not a terminal it stays silent (errors.test.ts).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, EXAMPLES, ROOT } from './run';

const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
const dir = mkdtempSync(join(tmpdir(), 'memstore-cli-progress-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What a terminal shows for `memstore …args` (stdout and stderr both on the pseudo-terminal). */
function onTerminal(...args: string[]): string {
  const command = [process.execPath, BIN, ...args].map((part) => `'${part.replace(/'/g, "'\\''")}'`).join(' ');
  return execFileSync('script', ['-qec', command, '/dev/null'], { cwd: ROOT, encoding: 'utf8' });
}

describe.skipIf(!hasScript)('progress on a terminal', () => {
  it('shows the read and the write, then clears its line', () => {
    const shown = onTerminal('convert', resolve(EXAMPLES, 'cargo.json'), '-o', join(dir, 'a.msx'));
    expect(shown).toContain(`reading ${resolve(EXAMPLES, 'cargo.json')}`);
    expect(shown).toContain('\x1b[2K');
    expect(shown).toMatch(/a\.msx: 6,000 records, /);
  });

  it('is silent under --quiet', () => {
    const shown = onTerminal('--quiet', 'convert', resolve(EXAMPLES, 'cargo.json'), '-o', join(dir, 'b.msx'));
    expect(shown).not.toContain('reading');
    expect(shown).not.toContain('\x1b[2K');
  });
});
