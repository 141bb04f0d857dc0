// The WASM boundary, JS side: the facade's one door to the module's ABI. The numbers (types,
// layouts, codes) come from packages/wasm/assembly/abi.ts and the exports' signatures from
// packages/wasm/exports.ts — the same files the module and its tests compile — so nothing
// here can drift from the module. What only JS needs (messages, word indices) is added here.
import { type Descriptor, Limit, ParseError } from '@memstore/wasm/abi';

export {
  ColumnType, MixedTag, Descriptor, Status, NodeKind, NodeField, FieldEntry, Sentinel, FeedResult, ParseFormat, ParseError, FirstResult, GroupResult, Limit, TextTest, Order,
  PointerMiss, PointerValue, AggregateResult, GroupSum, Pointers, RecordKind, Roots, ParseStatus, CompactSizes, CompactStep, MsxCheck, StringTableField, ArenaStat, FsstTable,
} from '@memstore/wasm/abi';
export type { MemstoreExports } from '@memstore/wasm/exports';

/** A descriptor field's index into a Uint32Array over memory (descriptors are 4-byte aligned). */
export function descriptorWord(field: Descriptor): number {
  return field >>> 2;
}

/** What each parse error code (ParseStatus.ErrorCode) means, as the error messages say it. */
export const PARSE_ERRORS: Readonly<Record<number, string>> = {
  [ParseError.UnexpectedEnd]: 'unexpected end of input',
  [ParseError.UnexpectedCharacter]: 'unexpected character',
  [ParseError.BadNumber]: 'bad number',
  [ParseError.BadEscape]: 'bad escape in a string',
  [ParseError.ControlCharacter]: 'control character in a string (it must be escaped)',
  [ParseError.InvalidUtf8]: 'invalid UTF-8',
  [ParseError.TooDeep]: `nesting deeper than ${Limit.Depth} levels`,
  [ParseError.ExpectedColon]: 'expected ":" after an object key',
  [ParseError.ExpectedKey]: 'expected a string key',
  [ParseError.ExpectedCommaOrBrace]: 'expected "," or "}" after an object value',
  [ParseError.ExpectedCommaOrBracket]: 'expected "," or "]" after an array element',
  [ParseError.TrailingData]: 'unexpected data after the JSON value',
  [ParseError.TrailingComma]: 'trailing comma',
  [ParseError.OutOfMemory]: 'out of memory',
  [ParseError.EmptyInput]: 'no JSON value in the input',
  [ParseError.UnterminatedString]: 'unterminated string',
  [ParseError.PointerNotFound]: 'the JSON Pointer names nothing in the document',
  [ParseError.PointerNotRecords]: 'the JSON Pointer names a scalar, not an array or an object of records',
  [ParseError.PointerDuplicate]: "the JSON Pointer's key appears twice in its object, so it names no one value (RFC 6901)",
  [ParseError.KeyAsTaken]: 'the record already has the field options.keyAs puts its key in',
  [ParseError.KeyAsNotObject]: 'the record is not an object, so it has no field for its key (options.keyAs)',
  [ParseError.KeyAsNoKeys]: 'the JSON Pointer names an array, whose elements have no keys for options.keyAs',
};
