// results/suite.md from results/suite.json: per dataset, the operations' medians as ratios to plain
// objects (and the median of plain itself), then the memory each representation retains.
import { fmtFixed, fmtInt, machineLine, type MachineFacts } from '../cli';
import type { DatasetRun } from '../suite';
import { OPERATIONS, REPRESENTATION_NAMES } from './representations';

export function suiteMarkdown(result: { machine: MachineFacts; iterations: number; warmUp: number; warmUpMs?: number; runs: DatasetRun[] }): string {
  let text = `## The suite: representations × operations × datasets\n\nMachine: ${machineLine(result.machine)}\n\n`;
  text += `Speed: each dataset in its own child; each cell is the median of ${result.iterations} runs after ${result.warmUp} warm-up runs${result.warmUpMs === undefined ? '' : ` and at least ${result.warmUpMs} ms of warm-up`} (tinybench; a cell whose one run is slow gets fewer runs and no timed warm-up: see samples in the .json) as a ratio to plain objects' median in the same child (below 1: faster), plain's own median in ms in its column. `;
  text += `Every answer was checked against plain objects' first. — : the representation has no such operation here.\n`;
  for (const run of result.runs) {
    text += `\n### ${run.dataset} (${fmtInt(run.records)} records)\n\nload average at its start: ${run.machine.loadAverage.map((v) => fmtFixed(v, 2)).join(' ')}${run.isolated ? '; each representation timed in a child of its own, as a ratio to plain objects’ medians from theirs' : ''}\n\n`;
    const names = REPRESENTATION_NAMES.filter((name) => run.timings.some((t) => t.representation === name));
    text += `| operation | plain ms | ${names.filter((n) => n !== 'plain').join(' | ')} |\n|---|---:|${names.filter((n) => n !== 'plain').map(() => '---:').join('|')}|\n`;
    for (const operation of OPERATIONS) {
      const cell = (name: string) => run.timings.find((t) => t.operation === operation && t.representation === name);
      const plain = cell('plain');
      if (plain === undefined) continue;
      const ratios = names.filter((n) => n !== 'plain').map((name) => {
        const timing = cell(name);
        return timing?.ratioToPlain == null ? '—' : `${fmtFixed(timing.ratioToPlain, timing.ratioToPlain < 0.1 ? 3 : 2)}×`;
      });
      text += `| ${operation} | ${fmtFixed(plain.medianMs, 2)} | ${ratios.join(' | ')} |\n`;
    }
    if (run.memory !== null) {
      text += `\n| memory | retained MiB | B/record | plain ÷ it | second method (MiB) | check |\n|---|---:|---:|---:|---:|---|\n`;
      const plain = run.memory.representations.find((r) => r.name === 'plain');
      for (const r of run.memory.representations) {
        text += `| ${r.name} | ${fmtFixed(r.retainedBytes / 2 ** 20, 2)} | ${fmtFixed(r.bytesPerRecord, 1)} | ${plain === undefined ? '—' : `${fmtFixed(plain.retainedBytes / r.retainedBytes, 1)}×`} | ${r.crossCheck.method} ${fmtFixed(r.crossCheck.bytes / 2 ** 20, 2)} | ${r.crossCheck.agrees ? 'agrees' : '**disagrees**'} |\n`;
      }
      for (const f of run.memory.failed) text += `\n${f.name}: ${f.error}\n`;
    }
  }
  text += `\nOperations: read = one numeric field of every record, record by record (memstore-attr: views, r.a.b; memstore-key: views, r['a']['b'] in a loop over the path); sum = the same total through each representation's best API; count = records equal to the filter value; group-by count; filter to list = the matching records materialised; full iteration = every non-null leaf of every record (Arrow rows hold nulls for absent fields); top-10 = the ten largest numbers. Written by \`node packages/bench/dist/suite.js\` (\`npm run bench\`).\n`;
  return text;
}
