// Reading an FSST-compressed text column (assembly/fsst.ts) in JS: its rows' codes turned back
// into WTF-8 bytes with the column's symbol table, one row for a view, or the whole column for
// the readers that take a text column's offsets and bytes at once (Arrow, store.column()).
// Only decoding lives here; tables are made and rows encoded by the module alone.
import { FsstTable } from '../wasm/abi';
import { decodeWtf8At } from './wtf8';

const ESCAPE = FsstTable.Escape;

export class FsstSymbols {
  /** Symbol k's bytes at [8k, 8k + lengths[k]). */
  private readonly bytes: Uint8Array;
  private readonly lengths: Uint8Array;
  /** One row decoded (grown to the longest met). */
  private scratch = new Uint8Array(256);

  /** Copies the table at `table` (an FsstTable block in the module's memory): views of that memory would go stale as it grows. */
  constructor(table: Uint8Array) {
    this.bytes = table.slice(FsstTable.Symbols, FsstTable.Symbols + 255 * 8);
    this.lengths = table.slice(FsstTable.Lengths, FsstTable.Lengths + 256);
  }

  /** Decodes codes[start, end) into `out` at `at` (room for what they decode to); the end of the bytes written. */
  decodeInto(codes: Uint8Array, start: number, end: number, out: Uint8Array, at: number): number {
    const { bytes, lengths } = this;
    let o = at;
    for (let i = start; i < end; i++) {
      const code = codes[i];
      if (code === ESCAPE) {
        out[o++] = codes[++i];
        continue;
      }
      const from = code << 3;
      const length = lengths[code];
      for (let k = 0; k < length; k++) out[o + k] = bytes[from + k];
      o += length;
    }
    return o;
  }

  /** The string whose codes are codes[start, end). */
  string(codes: Uint8Array, start: number, end: number): string {
    if (this.scratch.length < (end - start) * 8) this.scratch = new Uint8Array((end - start) * 16);
    return decodeWtf8At(this.scratch, 0, this.decodeInto(codes, start, end, this.scratch, 0));
  }

  /** Decoded bytes of `count` rows whose codes are at codes[offsets[i], offsets[i + 1]): new offsets and bytes. */
  decodeRows(offsets: Uint32Array, codes: Uint8Array, count: number): { offsets: Uint32Array; bytes: Uint8Array } {
    const out = new Uint32Array(count + 1);
    let total = 0;
    for (let i = 0; i < count; i++) {
      for (let c = offsets[i]; c < offsets[i + 1]; c++) {
        if (codes[c] === ESCAPE) {
          total += 1;
          c++;
        } else total += this.lengths[codes[c]];
      }
      out[i + 1] = total;
    }
    const bytes = new Uint8Array(total);
    let at = 0;
    for (let i = 0; i < count; i++) at = this.decodeInto(codes, offsets[i], offsets[i + 1], bytes, at);
    return { offsets: out, bytes };
  }
}
