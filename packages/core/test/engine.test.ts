// The engine's whole-memory views (engine.ts): current whenever they are read, whoever grew memory.
import { describe, expect, it } from 'vitest';
import { createEngine } from '../src/engine';
import { ColumnType, Status } from '../src/wasm/abi';

describe('engine: memory views after growth', () => {
  it('u8, u32 and memoryBuffer follow a growth nobody announced', async () => {
    const engine = await createEngine({});
    const before = engine.memoryBuffer;
    engine.exports.memory.grow(1);
    expect(before.byteLength).toBe(0); // detached
    expect(engine.memoryBuffer).toBe(engine.exports.memory.buffer);
    expect(engine.u8.buffer).toBe(engine.exports.memory.buffer);
    expect(engine.u32.length).toBe(engine.exports.memory.buffer.byteLength / 4);
  });

  it('a Column made before a growth and refreshed after it reads its descriptor (no sync by the caller)', async () => {
    // The case that broke: a struct node opened a Column another node had made, after an append
    // had grown memory, and read its length as undefined (so a new field back-filled no rows).
    const engine = await createEngine({});
    const handle = engine.exports.columnCreate(ColumnType.Int, 16, 1, 0, 0);
    const column = engine.columnFor(handle);
    for (let i = 0; i < 5; i++) expect(engine.exports.appendInt(handle, i)).toBe(Status.Ok);
    engine.exports.memory.grow(4);
    column.refresh(engine);
    expect(column.length).toBe(5);
    expect(Array.from(column.data.subarray(0, 5))).toEqual([0, 1, 2, 3, 4]);
  });
});
