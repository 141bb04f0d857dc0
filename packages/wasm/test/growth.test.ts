// How memory grows after a store was fitted, so that a small append does not break the 5% rule
// (and have the store copied again, compact.ts in the facade): up to 1/8 past a compaction's
// fit, the arena grows by the pages needed only; an ingest's end leaves the string table 1/64 of
// room, so the next new string does not move its heap.
import { describe, expect, it } from 'vitest';
import { CompactStep, StringTableField } from '../assembly/abi';
import { instance, internText } from './harness';

const PAGE = 65536;
const pages = (wasm: ReturnType<typeof instance>) => wasm.memory.buffer.byteLength / PAGE;

describe('memory growth after a fit', () => {
  it('grows by the pages needed up to 1/8 past the fitted size, by 1/8 steps past that', () => {
    const wasm = instance();
    // Some memory first, then the module adopts its own roots as a compaction's fresh instance does.
    expect(wasm.arenaAllocate(64 * PAGE)).not.toBe(0);
    wasm.compact(CompactStep.Roots, 0, 0);
    wasm.compact(CompactStep.Adopt, 0, 0);
    const fitted = pages(wasm);
    // One page more than there is: one page grown, not 1/8 of the memory.
    const free = fitted * PAGE - wasm.arenaStat(0);
    expect(wasm.arenaAllocate(free + 8)).not.toBe(0);
    expect(pages(wasm)).toBe(fitted + 1);
    // Past 1/8 of the fitted size the 1/8 steps serve data streaming in.
    expect(wasm.arenaAllocate((fitted >> 3) * PAGE)).not.toBe(0);
    const now = pages(wasm);
    expect(wasm.arenaAllocate(8 + (now * PAGE - wasm.arenaStat(0)))).not.toBe(0);
    expect(pages(wasm) - now).toBe(now >> 3);
  });

  it('an ingest\'s end keeps 1/64 of the string table\'s room: the next string leaves the heap where it is', () => {
    const wasm = instance();
    for (let i = 0; i < 20_000; i++) internText(wasm, `string number ${i}`);
    wasm.finishIngest();
    // The table's bytes at their capacities: 100 more strings fit in the room kept, so nothing grows (or moves).
    const bytes = wasm.stringTable(StringTableField.Bytes);
    const heap = wasm.stringTable(StringTableField.Heap);
    for (let i = 0; i < 100; i++) internText(wasm, `one more ${i}`);
    expect(wasm.stringTable(StringTableField.Count)).toBe(20_100);
    expect(wasm.stringTable(StringTableField.Bytes)).toBe(bytes);
    expect(wasm.stringTable(StringTableField.Heap)).toBe(heap);
  });
});
