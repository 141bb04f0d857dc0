// Blocks of record rows: queries evaluate a store BLOCK_ROWS rows at a time, so the working
// memory (workspace.ts) is sized to a block, not to the store. A selection kept in JS is a bitmap
// over every record row; a block of it is copied into a workspace slot for each WASM call.

import type { Engine } from '../engine';
import type { Workspace } from './workspace';

/**
 * Record rows a query evaluates at a time (a multiple of 64, so a block's bits start on a word
 * of a selection bitmap). At least the 65,536 rows assembly/first.ts scans into a slot at most.
 */
export const BLOCK_ROWS = 65536;

/** Calls `each(start, end)` for the blocks of BLOCK_ROWS record rows that cover [0, rows). */
export function forEachBlock(rows: number, each: (start: number, end: number) => void): void {
  for (let start = 0; start < rows; start += BLOCK_ROWS) each(start, Math.min(rows, start + BLOCK_ROWS));
}

/** Bytes of a block's bitmap: whole 64-bit words, as the WASM bitmap functions read them. */
export function blockBytes(start: number, end: number): number {
  return Math.ceil((end - start) / 64) * 8;
}

/** The part of a selection bitmap over every record row (whole words, as kept) that covers block [start, end). */
function blockOf(bits: Uint8Array, start: number, end: number): Uint8Array {
  return bits.subarray(start >>> 3, (start >>> 3) + blockBytes(start, end));
}

/**
 * Copies block [start, end) of `bits` (a selection bitmap over every record row, kept in JS) into
 * workspace slot 0, bit 0 the block's first row: the slot's address, for WASM calls over the block.
 */
export function selectBlock(engine: Engine, workspace: Workspace, bits: Uint8Array, start: number, end: number): number {
  const slot = workspace.slot(0);
  engine.u8.set(blockOf(bits, start, end), slot);
  return slot;
}
