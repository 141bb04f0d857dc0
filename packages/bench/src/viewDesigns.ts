// The record-view designs issue 12 weighed (packages/core/src/view/record.ts), in isolation: each
// makes views of cargo-shaped rows held in typed arrays (a struct of an int and three structs of
// two fields) and the loop reads r.product.name.length + r.quantity.value of every row, as
// access.js does — against plain objects from JSON.parse. Each design runs in a child process of
// its own, so no design's feedback (V8's inline caches) leaks into another's loop.
//   node dist/viewDesigns.js [--count 1000000] [--runs 7] [--out results/view-designs.json]
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { fmtFixed, fmtInt, intFlag, machineFacts, machineLine, markdownTable, parseArgs, runMain, stringFlag, writeResults } from './cli';

const DESIGNS = {
  plain: 'plain objects (JSON.parse)',
  getters: 'getters on a class prototype (before issue 12): spread empty',
  proxy: 'a Proxy per view (ownKeys / getOwnPropertyDescriptor traps, reads forwarded)',
  accessors: 'own accessors per view (Object.defineProperty per field)',
  literalGetters: 'an object literal with getters per view',
  loop: 'own data fields stored by a loop over the keys (the fallback without code generation)',
  generated: 'own data fields stored by a maker generated per struct (chosen)',
} as const;
type Design = keyof typeof DESIGNS;

const ROW = Symbol('row');
const NAMES = ['Duper', "Elec'sOil", 'NewProd', 'Super'];
type Reader = (row: number) => unknown;
type Make = (row: number) => { product: { name: string }; quantity: { value: number } };

/** The views of one design over the columns: a maker per struct, the root's returned. */
function designOf(design: Design, count: number): Make {
  const ids = new Uint32Array(count);
  const names = new Uint8Array(count);
  const values = new Uint16Array(count);
  for (let i = 0; i < count; i++) {
    ids[i] = 1_000_000 + ((i * 7919) % 1_000_000);
    names[i] = (i * 13) & 3;
    values[i] = i % 1450;
  }
  if (design === 'plain') {
    const rows = JSON.parse(JSON.stringify(Array.from({ length: count }, (_, i) => ({ id: ids[i], product: { name: NAMES[names[i]], uid: 'u' }, quantity: { value: 1000 + values[i], id: 'mt' }, dates: { start: 's', end: 'e' } }))));
    return (row) => rows[row];
  }
  const struct = (fields: Record<string, Reader>): Make => structOf(design, fields);
  const product = struct({ name: (row) => NAMES[names[row]], uid: () => 'u' });
  const quantity = struct({ value: (row) => 1000 + values[row], id: () => 'mt' });
  const dates = struct({ start: () => 's', end: () => 'e' });
  return struct({ id: (row) => ids[row], product, quantity, dates });
}

function structOf(design: Design, fields: Record<string, Reader>): Make {
  const keys = Object.keys(fields);
  const read = keys.map((key) => fields[key]);
  // A getter per key, each its own source (as memstore's getters were one per column kind): one
  // closure literal for all keys would share its call site's feedback, and no reader would inline.
  const getter = (i: number) => new Function('read', 'ROW', `return function () { return read[${i}](this[ROW]); };`)(read, ROW) as () => unknown;
  switch (design) {
    case 'getters':
    case 'proxy': {
      const View = class {
        constructor(row: number) {
          (this as unknown as { [ROW]: number })[ROW] = row;
        }
      };
      keys.forEach((key, i) => {
        Object.defineProperty(View.prototype, key, { get: getter(i), enumerable: true });
      });
      if (design === 'getters') return (row) => new View(row) as never;
      const handler: ProxyHandler<object> = {
        ownKeys: () => keys,
        getOwnPropertyDescriptor: (target, key) => (keys.includes(key as string) ? { value: Reflect.get(target, key), enumerable: true, configurable: true, writable: false } : undefined),
      };
      return (row) => new Proxy(new View(row), handler) as never;
    }
    case 'accessors': {
      const descriptors = keys.map((key, i) => [key, { get: getter(i), enumerable: true, configurable: true }] as const);
      return (row) => {
        const view = { [ROW]: row };
        for (const [key, descriptor] of descriptors) Object.defineProperty(view, key, descriptor);
        return view as never;
      };
    }
    case 'literalGetters': {
      // The getters' bodies are the design's cost: a literal with one getter per key, made per view.
      const source = `return (row) => ({ ${keys.map((key, i) => `get ${JSON.stringify(key)}() { return read[${i}](row); }`).join(', ')} });`;
      return new Function('read', source)(read);
    }
    case 'loop': {
      const View = class {
        readonly #row: number;
        constructor(row: number) {
          this.#row = row;
        }
        row(): number {
          return this.#row;
        }
      };
      return (row) => {
        const view = new View(row) as unknown as Record<string, unknown>;
        for (let i = 0; i < keys.length; i++) view[keys[i]] = read[i](row);
        return view as never;
      };
    }
    case 'generated': {
      const stores = keys.map((key, i) => `const v${i} = read[${i}](row); if (v${i} !== undefined) view[${JSON.stringify(key)}] = v${i};`);
      const source = `class RecordView { #row; constructor(row) { this.#row = row; } row() { return this.#row; } }
return function make(row) { const view = new RecordView(row); ${stores.join(' ')} return view; };`;
      return new Function('read', source)(read);
    }
    default:
      throw new Error(`no design ${design}`);
  }
}

/** Child: one design's median ns per row over `runs` timed passes (after 3 warm-up passes). */
function measure(design: Design, count: number, runs: number): number {
  const at = designOf(design, count);
  const pass = () => {
    let sum = 0;
    for (let i = 0; i < count; i++) {
      const r = at(i);
      sum += r.product.name.length + r.quantity.value;
    }
    return sum;
  };
  let sink = 0;
  for (let i = 0; i < 3; i++) sink += pass();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    sink += pass();
    times.push(performance.now() - start);
  }
  if (sink === 0) throw new Error('nothing was read');
  times.sort((a, b) => a - b);
  return (times[Math.floor(runs / 2)] * 1e6) / count;
}

async function main(argv: string[]): Promise<void> {
  const args = parseArgs(argv, ['count', 'runs', 'out', 'design']);
  const count = intFlag(args, 'count', 1_000_000);
  const runs = intFlag(args, 'runs', 7);
  const child = stringFlag(args, 'design');
  if (child !== undefined) {
    process.stdout.write(JSON.stringify({ nsPerRow: measure(child as Design, count, runs) }));
    return;
  }
  const script = fileURLToPath(import.meta.url);
  const results = (Object.keys(DESIGNS) as Design[]).map((design) => {
    process.stderr.write(`${design}…\n`);
    const output = execFileSync(process.execPath, [script, '--design', design, '--count', String(count), '--runs', String(runs)], { encoding: 'utf8' });
    return { design, description: DESIGNS[design], nsPerRow: (JSON.parse(output) as { nsPerRow: number }).nsPerRow };
  });
  const plain = results[0].nsPerRow;
  const rows = results.map((result) => ({ ...result, ratio: result.nsPerRow / plain }));
  const machine = machineFacts();
  const markdown = [
    `## Record-view designs: read r.product.name + r.quantity.value of ${fmtInt(count)} cargo-shaped rows`,
    '',
    `Machine: ${machineLine(machine)}`,
    '',
    markdownTable(['design', 'ns/row (median)', 'vs plain'], rows.map((row) => [row.description, fmtFixed(row.nsPerRow, 1), `${fmtFixed(row.ratio, 2)}×`]), 'lrr'),
    '',
    `Each design in a child process of its own; ${runs} timed passes after 3 warm-up passes, median shown. The views`,
    "read typed arrays, as memstore's do; the store's own figures are access.js's (packages/core/src/view/record.ts).",
    '',
  ].join('\n');
  process.stdout.write(markdown);
  const written = writeResults(stringFlag(args, 'out'), 'view-designs.json', { kind: 'view-designs', machine, count, runs, results: rows, markdown }, markdown);
  process.stderr.write(`wrote ${written.json} and ${written.md}\n`);
}

runMain('viewDesigns', main);
