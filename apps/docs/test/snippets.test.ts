// The guide's snippets are true: every ```ts run block of the pages runs in Node against the
// built @memstore/core, in a folder where `examples/` is the repository's, and every
// `console.log(…); // → text` line must print exactly `text`.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transformSync } from 'esbuild';
import { describe, expect, it } from 'vitest';

const DOCS = join(dirname(fileURLToPath(import.meta.url)), '..');
const PAGES = join(DOCS, 'src');
const EXPECT = /^(\s*)console\.log\((.*)\);\s*\/\/ → (.*)$/;

function pages(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'api' ? [] : pages(path);
    return name.endsWith('.md') ? [path] : [];
  });
}

/** The runnable snippets of a page: the source of each ```ts run fence, with the line it starts at. */
function snippets(file: string): Array<{ line: number; source: string }> {
  const found: Array<{ line: number; source: string }> = [];
  const lines = readFileSync(file, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() !== '```ts run') continue;
    const start = i + 1;
    while (++i < lines.length && lines[i].trim() !== '```');
    found.push({ line: start + 1, source: lines.slice(start, i).join('\n') });
  }
  return found;
}

/** The snippet as a module: each `console.log(…); // → text` becomes a check of what it prints. */
function checked(source: string): { code: string; checks: number } {
  let checks = 0;
  const lines = source.split('\n').map((line, index) => {
    const match = EXPECT.exec(line);
    if (match === null) return line;
    checks++;
    return `${match[1]}__expect(${index + 1}, ${JSON.stringify(match[3])}, ${match[2]});`;
  });
  const prelude = `import { format as __format } from 'node:util';\nconst __expect = (line, expected, ...values) => { const printed = __format(...values); if (printed !== expected) throw new Error(\`snippet line \${line} printed \${JSON.stringify(printed)}; the page says \${JSON.stringify(expected)}\`); };\n`;
  return { code: prelude + transformSync(lines.join('\n'), { loader: 'ts', format: 'esm' }).code, checks };
}

const all = pages(PAGES).flatMap((file) => snippets(file).map((snippet) => ({ page: relative(PAGES, file), ...snippet })));

describe('the snippets of the guide', () => {
  it('are there', () => {
    expect(all.length).toBeGreaterThanOrEqual(5);
  });

  it.each(all)('$page line $line runs and prints what the page says', ({ source }) => {
    const { code, checks } = checked(source);
    expect(checks).toBeGreaterThan(0);
    // The module sits in the docs package (so @memstore/core resolves); it runs in a fresh folder
    // holding the repository's examples, where it may write its files.
    const work = mkdtempSync(join(tmpdir(), 'memstore-snippet-'));
    const moduleDir = join(DOCS, 'test', '.snippets');
    mkdirSync(moduleDir, { recursive: true });
    const module = join(moduleDir, `${relative(tmpdir(), work)}.mjs`);
    try {
      symlinkSync(join(DOCS, '..', '..', 'examples'), join(work, 'examples'));
      writeFileSync(module, code);
      execFileSync(process.execPath, [module], { cwd: work, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (error) {
      const { stderr } = error as { stderr?: Buffer };
      throw new Error(stderr?.toString() || String(error));
    } finally {
      rmSync(work, { recursive: true, force: true });
      rmSync(module, { force: true });
    }
  });
});
