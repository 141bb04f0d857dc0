// The floor under any representation that does not compress strings: the UTF-8 bytes of a JSON
// file's distinct string values (each kept once, as interning or a dictionary keeps it), beside
// all its string bytes, per record. On the 100k events feed this floor (458 B/record) is above a
// fifth of what plain objects retain (2,117 / 5 = 423 B/record).
//   node --max-old-space-size=4000 packages/cli/scripts/stringBytes.mjs <file.json>
import { readFileSync } from 'node:fs';

const value = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const records = Array.isArray(value) ? value : [value];
const distinct = new Set();
let bytes = 0;
let strings = 0;
let distinctBytes = 0;
const walk = (v) => {
  if (typeof v === 'string') {
    const length = Buffer.byteLength(v);
    bytes += length;
    strings++;
    if (!distinct.has(v)) {
      distinct.add(v);
      distinctBytes += length;
    }
  } else if (Array.isArray(v)) for (const e of v) walk(e);
  else if (v !== null && typeof v === 'object') for (const k of Object.keys(v)) walk(v[k]);
};
for (const r of records) walk(r);
const per = (n) => Math.round((n / records.length) * 10) / 10;
process.stdout.write(`${JSON.stringify({ records: records.length, strings, distinctStrings: distinct.size, stringBytesPerRecord: per(bytes), distinctStringBytesPerRecord: per(distinctBytes) })}\n`);
