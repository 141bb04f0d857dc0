// The heap snapshot's total: the sum of every node's self size in a V8 heap snapshot, the second
// method `measure` checks retained memory with. It is an independent count — V8 walks the heap
// object by object and names each, where process.memoryUsage() reads the spaces' counters — and
// it sees ArrayBuffer backing stores (as "system / JSArrayBufferData" nodes), so Arrow's buffers
// are in it. The snapshot is streamed and only its flat `nodes` array is read, number by number:
// a snapshot of millions of objects is larger than one string can hold.
import { getHeapSnapshot } from 'node:v8';

export function heapSnapshotBytes(): Promise<number> {
  return new Promise((resolve, reject) => {
    const stream = getHeapSnapshot();
    let head = '';
    let fields = 0;
    let sizeField = -1;
    let inNodes = false;
    let finished = false;
    let value = 0;
    let inNumber = false;
    let index = 0;
    let total = 0;
    const scan = (chunk: Buffer, from: number): void => {
      for (let i = from; i < chunk.length; i++) {
        const c = chunk[i];
        if (c >= 0x30 && c <= 0x39) {
          value = value * 10 + (c - 0x30);
          inNumber = true;
          continue;
        }
        if (inNumber) {
          if (index % fields === sizeField) total += value;
          index++;
          value = 0;
          inNumber = false;
        }
        if (c === 0x5d /* ] */) {
          finished = true;
          stream.destroy();
          resolve(total);
          return;
        }
      }
    };
    stream.on('data', (chunk: Buffer) => {
      if (finished) return;
      if (inNodes) return scan(chunk, 0);
      head += chunk.toString('latin1');
      const at = head.indexOf('"nodes":[');
      if (at < 0) return;
      // The head is {"snapshot":{"meta":{…},"node_count":…},\n"nodes":[ — its meta names the node fields.
      const meta = JSON.parse(head.slice(head.indexOf('{"meta"'), head.lastIndexOf('}', at) + 1)).meta as { node_fields: string[] };
      fields = meta.node_fields.length;
      sizeField = meta.node_fields.indexOf('self_size');
      if (sizeField < 0) return reject(new Error('this V8 heap snapshot has no self_size field'));
      inNodes = true;
      const rest = Buffer.from(head.slice(at + '"nodes":['.length), 'latin1');
      head = '';
      scan(rest, 0);
    });
    stream.on('error', (error) => {
      if (!finished) reject(error);
    });
    stream.on('end', () => {
      if (!finished) reject(new Error('the heap snapshot ended before its nodes did'));
    });
  });
}
