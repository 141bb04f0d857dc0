// xxHash64 (seed 0) in JS, for the few bytes of a .msx file that are made in JS rather than read
// from WASM memory: the records region once its addresses are block numbers, the metadata, the
// footer. Every other block is hashed by the module where it lies (`msxHash`,
// assembly/validate.ts); test/msx.test.ts checks both against the published test vectors.
const MASK = (1n << 64n) - 1n;
const P1 = 0x9E3779B185EBCA87n;
const P2 = 0xC2B2AE3D27D4EB4Fn;
const P3 = 0x165667B19E3779F9n;
const P4 = 0x85EBCA77C2B2AE63n;
const P5 = 0x27D4EB2F165667C5n;

const rotl = (x: bigint, r: bigint): bigint => ((x << r) | (x >> (64n - r))) & MASK;
const round = (acc: bigint, lane: bigint): bigint => (rotl((acc + lane * P2) & MASK, 31n) * P1) & MASK;
const merge = (acc: bigint, lane: bigint): bigint => (((acc ^ round(0n, lane)) * P1) + P4) & MASK;

/** xxHash64 with seed 0 of `bytes`, as an unsigned 64-bit BigInt. */
export function xxh64(bytes: Uint8Array): bigint {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = bytes.length;
  let at = 0;
  let hash: bigint;
  if (length >= 32) {
    let v1 = (P1 + P2) & MASK;
    let v2 = P2;
    let v3 = 0n;
    let v4 = (0n - P1) & MASK;
    for (; at + 32 <= length; at += 32) {
      v1 = round(v1, view.getBigUint64(at, true));
      v2 = round(v2, view.getBigUint64(at + 8, true));
      v3 = round(v3, view.getBigUint64(at + 16, true));
      v4 = round(v4, view.getBigUint64(at + 24, true));
    }
    hash = (rotl(v1, 1n) + rotl(v2, 7n) + rotl(v3, 12n) + rotl(v4, 18n)) & MASK;
    hash = merge(merge(merge(merge(hash, v1), v2), v3), v4);
  } else {
    hash = P5;
  }
  hash = (hash + BigInt(length)) & MASK;
  for (; at + 8 <= length; at += 8) {
    hash ^= round(0n, view.getBigUint64(at, true));
    hash = (rotl(hash, 27n) * P1 + P4) & MASK;
  }
  if (at + 4 <= length) {
    hash ^= (BigInt(view.getUint32(at, true)) * P1) & MASK;
    hash = (rotl(hash, 23n) * P2 + P3) & MASK;
    at += 4;
  }
  for (; at < length; at++) {
    hash ^= (BigInt(bytes[at]) * P5) & MASK;
    hash = (rotl(hash, 11n) * P1) & MASK;
  }
  hash ^= hash >> 33n;
  hash = (hash * P2) & MASK;
  hash ^= hash >> 29n;
  hash = (hash * P3) & MASK;
  hash ^= hash >> 32n;
  return hash;
}
