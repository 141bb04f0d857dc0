// After `vitepress build`: what the playground page downloads before a file is opened — its
// module scripts, their modulepreloads and every module they import statically — and what the
// store worker adds on the first file, each gzipped (zlib's default level, as a web server
// sends it). Written to dist/page-weight.json, which the page shows; the build fails above the
// limit the docs promise (300 KB), so the promise cannot silently break.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, posix, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export const LIMIT_BYTES = 300_000;
const DIST = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');

/** Static imports of a built module: `import … from "./x.js"`, `import "./x.js"`, `export … from "./x.js"`. */
function staticImports(source) {
  const found = [];
  for (const match of source.matchAll(/(?:import|export)\s*(?:[\w${},*\s]*?from\s*)?["']([^"']+\.js)["']/g)) found.push(match[1]);
  return found;
}

/** Every module reached from `entries` (paths under dist), entries included. */
function closure(entries) {
  const seen = new Set();
  const pending = [...entries];
  while (pending.length > 0) {
    const file = pending.pop();
    if (seen.has(file)) continue;
    seen.add(file);
    for (const specifier of staticImports(readFileSync(join(DIST, file), 'utf8'))) {
      pending.push(specifier.startsWith('/') ? specifier.slice(1) : posix.join(posix.dirname(file), specifier));
    }
  }
  return [...seen].sort();
}

const gzipBytes = (file) => gzipSync(readFileSync(join(DIST, file))).length;

export function pageWeight(page = 'playground.html') {
  const html = readFileSync(join(DIST, page), 'utf8');
  const entries = [];
  for (const match of html.matchAll(/<script[^>]*type="module"[^>]*src="([^"]+)"/g)) entries.push(match[1].replace(/^\//, ''));
  for (const match of html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g)) entries.push(match[1].replace(/^\//, ''));
  const files = closure(entries).map((file) => ({ file, gzipBytes: gzipBytes(file) }));
  const workers = readdirSync(join(DIST, 'assets')).filter((name) => /^worker-[\w-]+\.js$/.test(name)).map((name) => `assets/${name}`);
  const workerFiles = closure(workers).filter((file) => !files.some((loaded) => loaded.file === file));
  return {
    page,
    gzipBytes: files.reduce((sum, { gzipBytes: bytes }) => sum + bytes, 0),
    files,
    workerGzipBytes: workerFiles.reduce((sum, file) => sum + gzipBytes(file), 0),
    workerFiles,
    limitBytes: LIMIT_BYTES,
  };
}

if (process.argv[1] && relative(process.argv[1], fileURLToPath(import.meta.url)) === '') {
  const weight = pageWeight();
  writeFileSync(join(DIST, 'page-weight.json'), `${JSON.stringify(weight, null, 2)}\n`);
  console.log(`page weight: ${(weight.gzipBytes / 1000).toFixed(1)} KB gzip before a file is opened (${weight.files.length} files), the worker ${(weight.workerGzipBytes / 1000).toFixed(1)} KB more`);
  if (weight.gzipBytes > LIMIT_BYTES) {
    console.error(`page weight: over the ${LIMIT_BYTES / 1000} KB the docs promise`);
    process.exit(1);
  }
}
