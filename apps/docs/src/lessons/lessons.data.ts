// Build-time data of the lessons pages: the experiments of scripts/lessons.mjs
// (packages/bench/results/lessons.json) and the CLI's measurement of 1M cargo records with its
// cross-checks (measure-cargo-1m.json). Every figure the pages quote comes from here.
import { machineLine, machineOf, readResults, RESULTS_DIR } from '../../.vitepress/charts/results';

interface Experiment { experiment: string; records: number; heapUsedDelta: number; externalDelta: number; rssDelta: number; retainedBytes: number; bytesPerRecord: number; naiveEstimate: number | null }
interface LessonsFile { records: number; command: string; machine: Parameters<typeof machineOf>[0]; experiments: Experiment[] }
interface MeasureFile { records: number; machine: Parameters<typeof machineOf>[0]; representations: Array<{ name: string; retainedBytes: number; heapUsedDelta: number; externalDelta: number; rssDelta: number; crossCheck: { method: string; bytes: number; agrees: boolean } }> }

const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);

export default {
  watch: [`${RESULTS_DIR}/lessons.json`, `${RESULTS_DIR}/measure-cargo-1m.json`],
  load() {
    const lessons = readResults<LessonsFile>('lessons.json');
    const measure = readResults<MeasureFile>('measure-cargo-1m.json');
    const by = Object.fromEntries(lessons.experiments.map((e) => [e.experiment, e]));
    const figure = (name: string) => ({ mib: mib(by[name].retainedBytes), perRecord: by[name].bytesPerRecord.toFixed(1), heap: mib(by[name].heapUsedDelta), external: mib(by[name].externalDelta), rss: mib(by[name].rssDelta), naive: by[name].naiveEstimate === null ? null : mib(by[name].naiveEstimate) });
    return {
      records: lessons.records.toLocaleString('en-US'),
      command: lessons.command,
      machine: machineLine(machineOf(lessons.machine)),
      short: figure('json-parse'),
      shortInterned: figure('json-parse-interned'),
      fresh: figure('json-parse-fresh-strings'),
      long: figure('json-parse-long'),
      longInterned: figure('json-parse-long-interned'),
      memstore: figure('memstore'),
      naiveMissShort: Math.round((1 - by['json-parse'].naiveEstimate! / by['json-parse'].retainedBytes) * 100),
      naiveOverLongInterned: Math.round((by['json-parse-long-interned'].naiveEstimate! / by['json-parse-long-interned'].retainedBytes - 1) * 100),
      heapShareMemstore: Math.round((by.memstore.heapUsedDelta / by.memstore.retainedBytes) * 100),
      measure: {
        records: measure.records.toLocaleString('en-US'),
        machine: machineLine(machineOf(measure.machine)),
        rows: measure.representations.map((r) => ({ name: r.name, retained: mib(r.retainedBytes), heap: mib(r.heapUsedDelta), external: mib(r.externalDelta), snapshot: mib(r.crossCheck.bytes), rss: mib(r.rssDelta), agrees: r.crossCheck.agrees })),
      },
    };
  },
};
