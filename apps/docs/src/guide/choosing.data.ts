// Build-time data of "Choosing a representation": the charts (Plot → SVG), tables and the figures
// the prose quotes, all read from the bench's results files, so no number on the page is typed in.
import { renderPlot, Plot } from '../../.vitepress/charts/plot';
import { machineLine, machineOf, readResults, RESULT_FILES, RESULTS_DIR } from '../../.vitepress/charts/results';

interface MeasureFile {
  file: string;
  records: number;
  machine: Parameters<typeof machineOf>[0];
  representations: Array<{ name: string; bytesPerRecord: number; retainedBytes: number; loadMs: number; crossCheck: { method: string; agrees: boolean } }>;
}
interface Timing { representation: string; operation: string; medianMs: number; ratioToPlain: number | null }
interface SuiteRun {
  dataset: string;
  records: number;
  machine: Parameters<typeof machineOf>[0];
  /** Each representation timed in a child process of its own (datasets over 2M records). */
  isolated?: boolean;
  timings: Timing[];
  memory: { representations: Array<{ name: string; retainedBytes: number }> };
}
interface SuiteFile { runs: SuiteRun[] }
interface FeedLoad { load: string; result: { retainedBytes: number; ms: number } }
interface FeedsFile { machine: Parameters<typeof machineOf>[0]; feeds: Array<{ feed: string; files: { records: number }; outcomes: FeedLoad[] }> }
interface ParquetFile { machine: Parameters<typeof machineOf>[0]; packages: Record<string, number> }
interface PersistFile { machine: Parameters<typeof machineOf>[0]; results: Array<{ dataset: string; records: number; jsonBytes: number; msxBytes: number; loadMs: number; jsonParseMs: number; loadSpeedup: number }> }
interface ConvertFile { inputBytes: number; heapLimitMiB: number; machine: Parameters<typeof machineOf>[0]; steps: Array<{ from: string; to: string; seconds: number; peakRssBytes: number }> }

export interface Chart {
  id: string;
  /** The results file it is drawn from, as `results/<name>.json`. */
  source: string;
  svg: string;
  caption: string;
}

const round = (value: number, digits = 1) => Number(value.toFixed(digits));
// Literal colours: an SVG presentation attribute cannot hold a CSS variable. VitePress's indigo for memstore.
const BRAND = '#5672cd';
const OTHER = '#9ca3af';
/** Where the bars of a log-scale chart start (a log scale has no zero). */
const FLOOR = 5;

/** A facet's name over its panel, at the top left (the facet axis would be cut off at the right). */
function facetTitle<T extends object>(rows: T[], key: keyof T & string) {
  return Plot.text(rows, Plot.selectFirst({ fy: key, text: key, frameAnchor: 'top-left', dy: -16, fontWeight: 'bold' }));
}

function memoryChart(files: Array<{ name: string; data: MeasureFile }>): Chart {
  const rows = files.flatMap(({ name, data }) => data.representations.map((r) => ({ dataset: `${name} (${data.records.toLocaleString('en-US')} records)`, representation: r.name, bytesPerRecord: r.bytesPerRecord })));
  const svg = renderPlot({
    marginLeft: 90,
    width: 680,
    marginRight: 70,
    marginTop: 24,
    height: 300,
    x: { type: 'log', domain: [FLOOR, Math.max(...rows.map((r) => r.bytesPerRecord)) * 2], label: 'retained bytes per record (log scale) →', grid: true },
    y: { label: null },
    fy: { label: null, axis: null },
    marks: [
      facetTitle(rows, 'dataset'),
      Plot.barX(rows, { fy: 'dataset', y: 'representation', x1: FLOOR, x2: 'bytesPerRecord', fill: (d: { representation: string }) => (d.representation === 'memstore' ? BRAND : OTHER), sort: { y: 'x' } }),
      Plot.text(rows, { fy: 'dataset', y: 'representation', x: 'bytesPerRecord', text: (d: { bytesPerRecord: number }) => `${round(d.bytesPerRecord)} B`, dx: 4, textAnchor: 'start' }),
    ],
  });
  const machines = [...new Set(files.map(({ data }) => machineLine(machineOf(data.machine))))].join('; ');
  return { id: 'memory', source: 'results/measure-cargo-1m.json', svg, caption: `Retained heap (heapUsed + external) of each representation in a fresh child process, cross-checked by a heap snapshot's total (memstore measure). ${machines}. Also: results/measure-events-100k.json.` };
}

function speedChart(run: SuiteRun, file: string): Chart {
  const rows = run.timings.filter((t) => t.ratioToPlain !== null && t.representation !== 'plain').map((t) => ({ ...t, ratio: t.ratioToPlain as number }));
  const svg = renderPlot({
    marginLeft: 110,
    width: 680,
    marginRight: 70,
    marginTop: 24,
    height: 60 + 7 * 100,
    x: { type: 'log', tickFormat: '~g', label: '← faster · time ÷ plain objects’ time (log scale) · slower →', grid: true },
    y: { label: null },
    fy: { label: null, axis: null },
    marks: [
      facetTitle(rows, 'operation'),
      Plot.ruleX([1], { stroke: OTHER }),
      Plot.dot(rows, { fy: 'operation', y: 'representation', x: 'ratio', r: 4, fill: (d: { representation: string }) => (d.representation.startsWith('memstore') ? BRAND : OTHER) }),
      Plot.text(rows, { fy: 'operation', y: 'representation', x: 'ratio', text: (d: { ratio: number }) => `${d.ratio < 0.1 ? d.ratio.toPrecision(2) : round(d.ratio, 2)}×`, dx: 8, textAnchor: 'start' }),
    ],
  });
  const where = run.isolated ? "plain objects' median, each representation timed in a process of its own" : "plain objects' median in the same process";
  return { id: `speed-${run.dataset}`, source: `results/${file}`, svg, caption: `Median time of each operation on ${run.dataset} (${run.records.toLocaleString('en-US')} records) as a ratio to ${where} (npm run bench). ${machineLine(machineOf(run.machine))}.` };
}

function persistChart(data: PersistFile): Chart {
  const rows = data.results.flatMap((r) => [
    { dataset: `${r.dataset} (${r.records.toLocaleString('en-US')})`, how: 'Store.load(.msx)', ms: r.loadMs },
    { dataset: `${r.dataset} (${r.records.toLocaleString('en-US')})`, how: 'JSON.parse of the JSON', ms: r.jsonParseMs },
  ]);
  const svg = renderPlot({
    marginLeft: 160,
    width: 680,
    marginRight: 70,
    marginTop: 24,
    height: 200,
    x: { type: 'log', domain: [1, Math.max(...rows.map((r) => r.ms)) * 3], label: 'milliseconds to have the data again (log scale) →', grid: true },
    y: { label: null },
    fy: { label: null, axis: null },
    marks: [
      facetTitle(rows, 'dataset'),
      Plot.barX(rows, { fy: 'dataset', y: 'how', x1: 1, x2: 'ms', fill: (d: { how: string }) => (d.how.startsWith('Store') ? BRAND : OTHER) }),
      Plot.text(rows, { fy: 'dataset', y: 'how', x: 'ms', text: (d: { ms: number }) => `${round(d.ms)} ms`, dx: 4, textAnchor: 'start' }),
    ],
  });
  return { id: 'persist', source: 'results/persist.json', svg, caption: `A saved store loaded against JSON.parse of the same records (node packages/bench/dist/persist.js). ${machineLine(machineOf(data.machine))}.` };
}

/** The feeds bench's names for its loads, as the page says them. */
const LOADS: Record<string, string> = {
  'readline-json-parse': 'plain: readline + JSON.parse',
  'json-parse-array': 'plain: JSON.parse of the array',
  'fromFile-ndjson': 'Store.fromFile(NDJSON)',
  'fromFile-array': 'Store.fromFile(array)',
  fromStream: 'Store.fromStream(NDJSON)',
  'fromJSON-string': 'Store.fromJSON(string)',
  'fromJSON-bytes': 'Store.fromJSON(bytes)',
  fromRecords: 'Store.fromRecords(parsed)',
  'append-10k': 'store.append(10,000 lines) × n',
  duckdb: 'DuckDB read_json_auto',
};

function loadChart(data: FeedsFile): Chart {
  const rows = data.feeds.flatMap((feed) => feed.outcomes.map((o) => ({ feed: `${feed.feed} (${feed.files.records.toLocaleString('en-US')} records)`, load: LOADS[o.load] ?? o.load, seconds: o.result.ms / 1000 })));
  const svg = renderPlot({
    marginLeft: 210,
    width: 680,
    marginRight: 60,
    marginTop: 24,
    height: 60 + 2 * 230,
    x: { label: 'seconds from the file to the data in memory →', grid: true },
    // The bench's order: plain objects, memstore's entries, DuckDB.
    y: { label: null, domain: Object.values(LOADS) },
    fy: { label: null, axis: null },
    marks: [
      facetTitle(rows, 'feed'),
      Plot.barX(rows, { fy: 'feed', y: 'load', x: 'seconds', fill: (d: { load: string }) => (d.load.startsWith('Store') || d.load.startsWith('store') ? BRAND : OTHER) }),
      Plot.text(rows, { fy: 'feed', y: 'load', x: 'seconds', text: (d: { seconds: number }) => `${round(d.seconds, 2)} s`, dx: 4, textAnchor: 'start' }),
    ],
  });
  return { id: 'loads', source: 'results/feeds.json', svg, caption: `Every way into memory of the same file, each load in a fresh child process; Store.fromRecords timed from records already parsed (node packages/bench/dist/feeds.js). ${machineLine(machineOf(data.machine))}.` };
}

export default {
  watch: RESULT_FILES.map((name) => `${RESULTS_DIR}/${name}`),
  load() {
    const cargo = readResults<MeasureFile>('measure-cargo-1m.json');
    const events = readResults<MeasureFile>('measure-events-100k.json');
    const suite = readResults<SuiteFile>('suite.json');
    const suiteEvents = readResults<SuiteFile>('suite-events-100k.json');
    const suiteBig = readResults<SuiteFile>('suite-cargo-10m.json');
    const persist = readResults<PersistFile>('persist.json');
    const convert = readResults<ConvertFile>('convert-3gib.json');
    const feeds = readResults<FeedsFile>('feeds.json');
    const parquet = readResults<ParquetFile>('parquet-vs-duckdb.json');
    const small = suite.runs.find((run) => run.dataset === 'shipments')!;
    const smallKiB = (name: string) => Math.round(small.memory.representations.find((r) => r.name === name)!.retainedBytes / 1024);
    const eventsFeed = feeds.feeds.find((feed) => feed.feed === 'events')!;
    const loadMs = (load: string) => eventsFeed.outcomes.find((o) => o.load === load)!.result.ms;
    const parquetWasm = Object.entries(parquet.packages).find(([name]) => name.startsWith('parquet-wasm'))!;
    const cargoRun = suite.runs.find((run) => run.dataset === 'cargo-1m')!;
    const eventsRun = suiteEvents.runs.find((run) => run.dataset === 'events-100k')!;
    const bigRun = suiteBig.runs.find((run) => run.dataset === 'cargo-10m')!;
    const per = (file: MeasureFile, name: string) => file.representations.find((r) => r.name === name)!;
    const ratio = (run: SuiteRun, representation: string, operation: string) => run.timings.find((t) => t.representation === representation && t.operation === operation)?.ratioToPlain ?? Number.NaN;
    const facts = {
      cargoPlainBpr: round(per(cargo, 'plain').bytesPerRecord),
      cargoMemstoreBpr: round(per(cargo, 'memstore').bytesPerRecord),
      cargoTimes: round(per(cargo, 'plain').retainedBytes / per(cargo, 'memstore').retainedBytes),
      cargoInternedTimes: round(per(cargo, 'plain').retainedBytes / per(cargo, 'interned').retainedBytes),
      cargoArrowTimes: round(per(cargo, 'plain').retainedBytes / per(cargo, 'arrow').retainedBytes),
      eventsPlainBpr: round(per(events, 'plain').bytesPerRecord),
      eventsMemstoreBpr: round(per(events, 'memstore').bytesPerRecord),
      eventsTimes: round(per(events, 'plain').retainedBytes / per(events, 'memstore').retainedBytes),
      cargoCount: ratio(cargoRun, 'memstore', 'count').toPrecision(2),
      cargoGroup: ratio(cargoRun, 'memstore', 'group-by count').toPrecision(2),
      cargoViewsRead: round(ratio(cargoRun, 'memstore-attr', 'read')),
      cargoIterate: round(ratio(cargoRun, 'memstore-attr', 'full iteration'), 2),
      bigViewsRead: round(ratio(bigRun, 'memstore-attr', 'read'), 2),
      bigIterate: round(ratio(bigRun, 'memstore-attr', 'full iteration'), 2),
      bigCount: ratio(bigRun, 'memstore', 'count').toPrecision(2),
      eventsFilterList: round(ratio(eventsRun, 'memstore', 'filter to list')),
      eventsIterate: round(ratio(eventsRun, 'memstore-attr', 'full iteration')),
      eventsDuckCount: round(ratio(eventsRun, 'duckdb', 'count'), 2),
      msxCargoSpeedup: round(persist.results.find((r) => r.dataset === 'cargo')!.loadSpeedup),
      msxEventsSpeedup: round(persist.results.find((r) => r.dataset === 'events')!.loadSpeedup),
      bigGiB: round(convert.inputBytes / 2 ** 30, 2),
      bigHeapMiB: convert.heapLimitMiB,
      bigToMsxSeconds: round(convert.steps.find((s) => s.to.endsWith('.msx'))!.seconds),
      bigToMsxRssMiB: Math.round(convert.steps.find((s) => s.to.endsWith('.msx'))!.peakRssBytes / 2 ** 20),
      smallRecords: small.records.toLocaleString('en-US'),
      smallPlainKiB: smallKiB('plain').toLocaleString('en-US'),
      smallMemstoreKiB: smallKiB('memstore').toLocaleString('en-US'),
      loadFileVsReadline: round(loadMs('readline-json-parse') / loadMs('fromFile-ndjson'), 2),
      loadRecordsVsFile: round(loadMs('fromRecords') / loadMs('fromFile-ndjson'), 1),
      loadStringVsBytes: round(loadMs('fromJSON-string') / loadMs('fromJSON-bytes'), 2),
      parquetWasmMiB: round(parquetWasm[1] / 2 ** 20),
    };
    const charts: Chart[] = [
      memoryChart([{ name: 'cargo-1m', data: cargo }, { name: 'events-100k', data: events }]),
      speedChart(cargoRun, 'suite.json'),
      speedChart(bigRun, 'suite-cargo-10m.json'),
      speedChart(eventsRun, 'suite-events-100k.json'),
      loadChart(feeds),
      persistChart(persist),
    ];
    return { charts, facts, machines: { convert: machineLine(machineOf(convert.machine)), small: machineLine(machineOf(small.machine)), parquet: machineLine(machineOf(parquet.machine)) } };
  },
};
