// The figures of the lessons pages (src/lessons/), each measured in a fresh `node --expose-gc`
// child: retained heap = heapUsed + external after gc, minus the same before, cross-checked by
// ΔRSS. Writes packages/bench/results/lessons.json, which the pages render at build time.
//   node apps/docs/scripts/lessons.mjs [--records 1000000]
import { execFileSync } from 'node:child_process';
import { cpus, totalmem, type } from 'node:os';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const OUT = join(HERE, '..', '..', '..', 'packages', 'bench', 'results', 'lessons.json');
const count = Number(process.argv[process.argv.indexOf('--records') + 1] || 1_000_000) || 1_000_000;

/** One experiment, in a fresh child: `build` makes and returns what is kept alive. */
const CHILD = String.raw`
const { Store } = await import('@memstore/core');
const settle = () => { for (let i = 0; i < 6; i++) global.gc(); };
const used = () => { const m = process.memoryUsage(); return { heap: m.heapUsed, external: m.external, rss: m.rss }; };
const count = Number(process.env.COUNT);
// Short values (V8's JSON.parse internalizes string values of up to 10 characters, so equal ones
// are one string) or long ones (over 10: each record gets its own copy).
const long = process.env.EXPERIMENT.includes('long');
const names = long ? ['Duper industrial supplies', "Elec'sOil and lubricants", 'NewProd wholesale goods', 'Super bulk commodities'] : ['Duper', "Elec'sOil", 'NewProd', 'Super'];
const lines = [];
for (let i = 0; i < count; i++) lines.push(JSON.stringify({ id: i, product: { name: names[i % 4], uid: (long ? 'warehouse-code-' : 'u') + (i % 4) }, quantity: { value: i % 5000, id: 'mt' } }));
const text = '[' + lines.join(',') + ']';
lines.length = 0;
const experiments = {
  'json-parse': () => JSON.parse(text),
  'json-parse-long': () => JSON.parse(text),
  'json-parse-long-interned': () => experiments['json-parse-interned'](),
  'json-parse-interned': () => { const pool = new Map(); const intern = (s) => { let k = pool.get(s); if (k === undefined) pool.set(s, (k = s)); return k; };
    const records = JSON.parse(text); for (const r of records) { r.product.name = intern(r.product.name); r.product.uid = intern(r.product.uid); r.quantity.id = intern(r.quantity.id); } return records; },
  'json-parse-fresh-strings': () => { const records = JSON.parse(text); for (const r of records) { r.product.name = (' ' + r.product.name).slice(1); r.product.uid = (' ' + r.product.uid).slice(1); r.quantity.id = (' ' + r.quantity.id).slice(1); } return records; },
  'memstore': () => Store.fromJSON(text),
  'memstore-long': () => Store.fromJSON(text),
};
settle();
const before = used();
let kept = await experiments[process.env.EXPERIMENT]();
settle();
const after = used();
// A naive sizeof (what object-sizeof-style estimates add up): 2 bytes a string character, 8 a number, 4 a boolean, keys as strings.
const naive = (v) => typeof v === 'string' ? 2 * v.length : typeof v === 'number' ? 8 : typeof v === 'boolean' ? 4 : v === null || typeof v !== 'object' ? 0 : Object.entries(v).reduce((s, [k, x]) => s + 2 * k.length + naive(x), 0);
const estimate = Array.isArray(kept) ? kept.reduce((s, r) => s + naive(r), 0) : null;
const result = { heapUsedDelta: after.heap - before.heap, externalDelta: after.external - before.external, rssDelta: after.rss - before.rss, naiveEstimate: estimate, records: Array.isArray(kept) ? kept.length : kept.length };
kept = null;
process.stdout.write(JSON.stringify(result));
`;

function run(experiment) {
  const output = execFileSync(process.execPath, ['--expose-gc', '--max-old-space-size=8000', '--input-type=module', '-e', CHILD], { cwd: HERE, env: { ...process.env, COUNT: String(count), EXPERIMENT: experiment }, maxBuffer: 1 << 20 });
  const result = JSON.parse(output.toString());
  return { experiment, ...result, retainedBytes: result.heapUsedDelta + result.externalDelta, bytesPerRecord: (result.heapUsedDelta + result.externalDelta) / result.records };
}

const experiments = ['json-parse', 'json-parse-interned', 'json-parse-fresh-strings', 'json-parse-long', 'json-parse-long-interned', 'memstore', 'memstore-long'].map(run);
const machine = { cpuModel: cpus()[0]?.model ?? 'unknown', cpuCount: cpus().length, totalMemoryBytes: totalmem(), os: type(), node: process.version, date: new Date().toISOString() };
writeFileSync(OUT, `${JSON.stringify({ kind: 'lessons', command: 'node apps/docs/scripts/lessons.mjs', records: count, machine, experiments }, null, 2)}\n`);
for (const e of experiments) console.log(`${e.experiment}: ${(e.retainedBytes / 2 ** 20).toFixed(1)} MiB retained (heap ${(e.heapUsedDelta / 2 ** 20).toFixed(1)}, external ${(e.externalDelta / 2 ** 20).toFixed(1)}, ΔRSS ${(e.rssDelta / 2 ** 20).toFixed(1)}), naive estimate ${e.naiveEstimate === null ? '—' : (e.naiveEstimate / 2 ** 20).toFixed(1)} MiB`);
console.log(`wrote ${OUT}`);
