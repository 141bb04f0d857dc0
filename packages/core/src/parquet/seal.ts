// The seal on the Parquet files memstore writes: a CRC-32 of the whole file, kept twice in its
// own footer — in the key-value metadata (`memstore:crc32`) and at the end of `created_by` —
// so that a file damaged anywhere (a flipped bit in a data page, which Parquet alone does not
// catch: arrow-rs and DuckDB write no page checksums) is refused instead of read as other
// values. The writer puts PLACEHOLDER in both places, CRCs the bytes as written, then patches
// the two values in place; a reader CRCs the file with both values read as PLACEHOLDER. Two
// copies, because a file is taken to be sealed when either is there: one damaged bit cannot
// turn a sealed file into an unsealed one.
import { MemstoreFormatError } from '../errors';
import { crc32 } from '../util/crc32';

export const SEAL_KEY = 'memstore:crc32';
export const CREATED_BY_PREFIX = 'memstore (parquet-wasm 0.8.0) crc32 ';
export const PLACEHOLDER = '00000000';

const ascii = (text: string) => Uint8Array.from(text, (char) => char.charCodeAt(0));
/** Thrift compact encoding of KeyValue { 1: key = SEAL_KEY, 2: value (8 bytes) }: field headers 0x18 (delta 1, binary), lengths as varints. */
const KEY_VALUE_BYTES = Uint8Array.of(0x18, SEAL_KEY.length, ...ascii(SEAL_KEY), 0x18, PLACEHOLDER.length);
const CREATED_BY_BYTES = ascii(CREATED_BY_PREFIX);
const PLACEHOLDER_BYTES = ascii(PLACEHOLDER);

/** Where the two seal values sit in `footer` (the thrift FileMetaData bytes), relative to it; -1 where absent. */
export function sealPositions(footer: Uint8Array): { keyValue: number; createdBy: number } {
  const keyValue = indexOf(footer, KEY_VALUE_BYTES);
  const createdBy = indexOf(footer, CREATED_BY_BYTES);
  return {
    keyValue: keyValue < 0 ? -1 : keyValue + KEY_VALUE_BYTES.length,
    createdBy: createdBy < 0 ? -1 : createdBy + CREATED_BY_BYTES.length,
  };
}

function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let start = 0; start + needle.length <= haystack.length; start++) {
    for (let index = 0; index < needle.length; index++) if (haystack[start + index] !== needle[index]) continue outer;
    return start;
  }
  return -1;
}

const hex = (value: number) => value.toString(16).padStart(8, '0');

/** CRC of `bytes` with the PLACEHOLDER_BYTES-long values at `positions` (absolute) read as PLACEHOLDER. */
function sealedCrc(bytes: Uint8Array, positions: readonly number[]): number {
  let crc = 0;
  let from = 0;
  for (const position of [...positions].sort((a, b) => a - b)) {
    crc = crc32(PLACEHOLDER_BYTES, crc32(bytes.subarray(from, position), crc));
    from = position + PLACEHOLDER_BYTES.length;
  }
  return crc32(bytes.subarray(from), crc);
}

/** Patches the seal into `bytes` (a whole file written with the placeholders), in place. `crc`: of the bytes as written (computed while streaming), else computed here. */
export function applySeal(bytes: Uint8Array, footerStart: number, crc = crc32(bytes)): void {
  const { keyValue, createdBy } = sealPositions(bytes.subarray(footerStart, bytes.length - 8));
  if (keyValue < 0 || createdBy < 0) throw new Error('memstore internal error: the Parquet writer dropped the seal placeholders');
  const value = ascii(hex(crc));
  bytes.set(value, footerStart + keyValue);
  bytes.set(value, footerStart + createdBy);
}

/** Positions (absolute) at which to patch a streamed file's seal, from its footer bytes. */
export function sealOffsets(footer: Uint8Array, footerStart: number): number[] {
  const { keyValue, createdBy } = sealPositions(footer);
  if (keyValue < 0 || createdBy < 0) throw new Error('memstore internal error: the Parquet writer dropped the seal placeholders');
  return [footerStart + keyValue, footerStart + createdBy];
}

export const sealValue = (crc: number) => ascii(hex(crc));

/** Checks a file's seal, if it has one (a file from another writer has none): throws MemstoreFormatError when damaged. */
export function checkSeal(bytes: Uint8Array, footerStart: number): void {
  const { keyValue, createdBy } = sealPositions(bytes.subarray(footerStart, bytes.length - 8));
  if (keyValue < 0 && createdBy < 0) return;
  if (keyValue < 0 || createdBy < 0) {
    throw new MemstoreFormatError('parquet', `The Parquet file's memstore seal is damaged: its ${keyValue < 0 ? `"${SEAL_KEY}" key-value` : 'created_by'} copy is missing.`, footerStart);
  }
  const text = (at: number) => String.fromCharCode(...bytes.subarray(footerStart + at, footerStart + at + 8));
  const expected = hex(sealedCrc(bytes, [footerStart + keyValue, footerStart + createdBy]));
  if (text(keyValue) !== expected || text(createdBy) !== expected) {
    throw new MemstoreFormatError(
      'parquet',
      `The Parquet file is damaged: its CRC-32 is ${expected}, its seal says ${text(keyValue)} (key-value) and ${text(createdBy)} (created_by). Write it again from its source.`,
      footerStart + keyValue,
    );
  }
}
