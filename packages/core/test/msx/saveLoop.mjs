// A child for msx.test.ts: builds a store of 20,000 records with the built library (dist/), then
// saves it to the path it is given again and again, printing a line as each save starts, until
// the test kills it mid-save.
import { Store } from '../../dist/node.js';

const path = process.argv[2];
const records = Array.from({ length: 20_000 }, (_, i) => ({ id: i, text: `row ${i} ${Math.sin(i)}`, tags: [i % 7, i % 11], nested: { v: i / 3 } }));
const store = await Store.fromRecords(records);
for (;;) {
  process.stdout.write('saving\n');
  await store.save(path);
}
