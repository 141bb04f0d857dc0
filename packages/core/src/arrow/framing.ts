// Arrow IPC framing, checked against the byte length before Arrow JS is handed a byte: Arrow JS's
// reader trusts every length and offset it finds (on Arrow's own fuzz-regression files it threw
// untyped errors, accepted corrupt files and hung on one). Walked here: the file's magic and
// footer length, then each message — continuation marker, metadata length, the Message
// flatbuffer's header type and body length, a record batch's row count, field nodes and buffers
// (each inside its body), no compression — until the end-of-stream marker; and the
// footer of a file (its schema, and the blocks Arrow JS reads its batches from), each block's
// message checked where the block says it is.
import { MemstoreFormatError } from '../errors';
import { MAX_DEPTH } from '../schema/observe';

const MAGIC = [0x41, 0x52, 0x52, 0x4f, 0x57, 0x31]; // "ARROW1"
const CONTINUATION = 0xffffffff;
/** Message header types (Message.fbs MessageHeader). */
const SCHEMA = 1;
const DICTIONARY_BATCH = 2;
const RECORD_BATCH = 3;
/** Schema.fbs Type: a union's type table holds a vector (its type ids). */
const UNION_TYPE = 14;

/** A batch claims no more rows than this, plus 8 per byte of the input: rows with no bytes (null or childless columns) still cost work to read. */
const ROWS_WITHOUT_BYTES = 1 << 16;

function fail(message: string, offset: number): never {
  throw new MemstoreFormatError('arrow', `Invalid Arrow IPC: ${message} (at byte ${offset}).`, offset);
}

function isArrowFile(bytes: Uint8Array): boolean {
  return bytes.length >= 6 && MAGIC.every((byte, i) => bytes[i] === byte);
}

/** Checks the framing of IPC bytes: a file or a stream, told apart by the file's magic. */
export function checkFraming(bytes: Uint8Array): void {
  const maxRows = ROWS_WITHOUT_BYTES + 8 * bytes.length;
  if (isArrowFile(bytes)) checkFile(bytes, maxRows);
  else checkStream(bytes, maxRows);
}

/** A stream: a schema message, then dictionary and record batches, to the end-of-stream marker or the end of the bytes. */
function checkStream(bytes: Uint8Array, maxRows: number): void {
  let at = 0;
  let messages = 0;
  while (at < bytes.length) {
    const message = checkMessage(bytes, at, bytes.length, maxRows);
    if (message === null) break; // end of stream
    if (messages === 0 && message.headerType !== SCHEMA) fail(`the first message is of type ${message.headerType}, not a schema`, at);
    if (messages > 0 && message.headerType === SCHEMA) fail('a second schema message', at);
    at = message.end;
    messages++;
  }
  if (messages === 0) fail('the stream has no schema message', at);
}

/**
 * A file: the magic at both ends, a footer inside the file holding the schema and the blocks of
 * dictionary and record batches (which Arrow JS reads the file by), each block a message inside
 * the file whose lengths agree with the block's.
 */
function checkFile(bytes: Uint8Array, maxRows: number): void {
  if (bytes.length < 8 + 10) fail(`a file of ${bytes.length} bytes cannot hold the magic, the messages and the footer`, bytes.length);
  for (let i = 0; i < 6; i++) if (bytes[bytes.length - 6 + i] !== MAGIC[i]) fail('the file does not end with the ARROW1 magic (a truncated file?)', bytes.length - 6);
  const footerLength = view(bytes).getInt32(bytes.length - 10, true);
  const footerStart = bytes.length - 10 - footerLength;
  if (footerLength <= 0 || footerStart < 8) fail(`footer length ${footerLength} does not fit in the file`, bytes.length - 10);
  const footer = new Flatbuffer(bytes.subarray(footerStart, bytes.length - 10), footerStart);
  const root = footer.root();
  checkSchema(footer, footer.table(root, 1));
  footer.vector(root, 4, 4); // Footer.custom_metadata
  for (const index of [2, 3]) {
    const [blocks, count] = footer.vector(root, index, 24);
    for (let i = 0; i < count; i++) {
      const offset = footer.u64(blocks + i * 24);
      const metadataLength = footer.i32(blocks + i * 24 + 8);
      const bodyLength = footer.u64(blocks + i * 24 + 16);
      if (offset < 8 || offset >= footerStart) footer.fail(`block ${i} is at byte ${offset}, outside the file's messages`);
      const message = checkMessage(bytes, offset, footerStart, maxRows);
      if (message === null || message.headerType !== (index === 2 ? DICTIONARY_BATCH : RECORD_BATCH)) fail(`block ${i} of the footer does not start a ${index === 2 ? 'dictionary' : 'record'} batch`, offset);
      if (message.bodyStart - offset !== metadataLength || message.end - message.bodyStart !== bodyLength) {
        fail(`block ${i} of the footer says ${metadataLength} + ${bodyLength} bytes, and its message has ${message.bodyStart - offset} + ${message.end - message.bodyStart}`, offset);
      }
    }
  }
}

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** The message at `at` (within `end`): its header type, where its body starts and ends; null at an end-of-stream marker. */
function checkMessage(bytes: Uint8Array, at: number, end: number, maxRows: number): { headerType: number; bodyStart: number; end: number } | null {
  const data = view(bytes);
  if (at + 4 > end) fail('a message prefix is cut off', at);
  let metadataLength = data.getUint32(at, true);
  let prefix = 4;
  if (metadataLength === CONTINUATION) {
    if (at + 8 > end) fail('a message length is cut off', at);
    metadataLength = data.getUint32(at + 4, true);
    prefix = 8;
  }
  if (metadataLength === 0) return null;
  const start = at + prefix;
  if (metadataLength > end - start) fail(`message metadata of ${metadataLength} bytes passes the end of the input`, at);
  const metadata = new Flatbuffer(bytes.subarray(start, start + metadataLength), start);
  const message = metadata.root();
  metadata.vector(message, 4, 4); // Message.custom_metadata
  const headerType = metadata.scalar(message, 1, 1);
  const bodyLength = metadata.scalar(message, 3, 8);
  const bodyStart = start + metadataLength;
  if (bodyLength > end - bodyStart) fail(`a message body of ${bodyLength} bytes passes the end of the input`, start);
  if (headerType === RECORD_BATCH) checkBatch(metadata, metadata.table(message, 2), bodyLength, maxRows);
  else if (headerType === DICTIONARY_BATCH) {
    const dictionary = metadata.table(message, 2);
    if (dictionary === 0) fail('a dictionary batch without its data', start);
    checkBatch(metadata, metadata.table(dictionary, 1), bodyLength, maxRows);
  } else if (headerType === SCHEMA) checkSchema(metadata, metadata.table(message, 2));
  else fail(`message type ${headerType} is not a schema, dictionary or record batch`, start);
  return { headerType, bodyStart, end: bodyStart + bodyLength };
}

/**
 * A Schema table's field tree. Flatbuffer tables are reached by offsets, so a corrupt schema can
 * share one field among many children lists, or among its own descendants: a tree that reads as
 * exponentially large (Arrow JS then decodes it for ever). A real schema's fields are distinct
 * tables of at least 4 bytes each, so more fields than a quarter of the metadata's bytes, or
 * nesting past MAX_DEPTH, is corrupt.
 */
function checkSchema(metadata: Flatbuffer, schema: number): void {
  if (schema === 0) metadata.fail('a schema without its fields');
  // Schema.custom_metadata, Schema.features: vectors Arrow JS loops over by their stated length.
  metadata.vector(schema, 2, 4);
  metadata.vector(schema, 3, 8);
  let budget = Math.floor(metadata.length / 4);
  const walk = (table: number, index: number, depth: number): void => {
    const [children, count] = metadata.vector(table, index, 4);
    if (count > budget) metadata.fail(`a schema of more fields than its ${metadata.length} bytes can hold`);
    budget -= count;
    if (depth > MAX_DEPTH + 1) metadata.fail(`fields nested deeper than ${MAX_DEPTH} levels`);
    for (let i = 0; i < count; i++) {
      const field = metadata.tableAt(children + 4 * i);
      metadata.vector(field, 6, 4); // Field.custom_metadata
      if (metadata.scalar(field, 2, 1) === UNION_TYPE) metadata.vector(metadata.table(field, 3), 1, 4); // Union.typeIds
      walk(field, 5, depth + 1); // Field.children
    }
  };
  walk(schema, 1, 0);
}

/** A RecordBatch table: its rows bounded, each field node's nulls within its length, each buffer inside the body, no compression. */
function checkBatch(metadata: Flatbuffer, batch: number, bodyLength: number, maxRows: number): void {
  if (batch === 0) metadata.fail('a record batch message without its header');
  const rows = metadata.scalar(batch, 0, 8);
  if (rows > maxRows) metadata.fail(`a record batch claims ${rows} rows`);
  const [nodes, nodeCount] = metadata.vector(batch, 1, 16);
  for (let i = 0; i < nodeCount; i++) {
    const length = metadata.u64(nodes + i * 16);
    // -1 ("not counted") is what Arrow JS writes for a sliced array of type Null: the array's type decides (validate.ts).
    const nulls = metadata.i32(nodes + i * 16 + 12) === -1 && metadata.i32(nodes + i * 16 + 8) === -1 ? 0 : metadata.u64(nodes + i * 16 + 8);
    if (length > maxRows * 64 || nulls > length) metadata.fail(`field node ${i} claims ${length} values and ${nulls} nulls`);
  }
  const [buffers, bufferCount] = metadata.vector(batch, 2, 16);
  for (let i = 0; i < bufferCount; i++) {
    const offset = metadata.u64(buffers + i * 16);
    const length = metadata.u64(buffers + i * 16 + 8);
    if (offset > bodyLength || length > bodyLength - offset) metadata.fail(`buffer ${i} (${length} bytes at ${offset}) passes the end of its ${bodyLength}-byte body`);
  }
  if (metadata.table(batch, 3) !== 0) metadata.fail('the body is compressed, which memstore does not read (write it uncompressed)');
  metadata.vector(batch, 4, 8); // RecordBatch.variadicBufferCounts
}

/** Just enough of the FlatBuffers wire format to read tables, scalars and vectors, every access bounds-checked. */
class Flatbuffer {
  private readonly data: DataView;
  constructor(private readonly bytes: Uint8Array, private readonly base: number) {
    this.data = view(bytes);
  }

  fail(message: string, at = 0): never {
    fail(message, this.base + at);
  }

  private need(at: number, size: number): void {
    if (at < 0 || at + size > this.bytes.length) this.fail(`message metadata read out of bounds (${size} bytes at ${at} of ${this.bytes.length})`, Math.max(0, at));
  }

  u32(at: number): number {
    this.need(at, 4);
    return this.data.getUint32(at, true);
  }

  i32(at: number): number {
    this.need(at, 4);
    return this.data.getInt32(at, true);
  }

  /** An unsigned 64-bit field as a number (a value past 2^53 is past any length here, and stays past it). */
  u64(at: number): number {
    this.need(at, 8);
    const high = this.data.getInt32(at + 4, true);
    if (high < 0) this.fail(`a negative 64-bit length at ${at}`, at);
    return this.data.getUint32(at, true) + high * 4294967296;
  }

  get length(): number {
    return this.bytes.length;
  }

  root(): number {
    return this.u32(0);
  }

  /** The table an offset at `at` points to (an element of a vector of tables). */
  tableAt(at: number): number {
    const table = at + this.u32(at);
    this.need(table, 4);
    return table;
  }

  /** Where field `index` of the table at `table` is, or 0 when absent. */
  private field(table: number, index: number): number {
    this.need(table, 4);
    const vtable = table - this.data.getInt32(table, true);
    this.need(vtable, 4);
    const vtableSize = this.data.getUint16(vtable, true);
    this.need(vtable, vtableSize);
    const slot = 4 + 2 * index;
    if (slot + 2 > vtableSize) return 0;
    const offset = this.data.getUint16(vtable + slot, true);
    return offset === 0 ? 0 : table + offset;
  }

  /** A scalar field (1 or 8 bytes; 0 when absent, the schema's default for these). */
  scalar(table: number, index: number, size: 1 | 8): number {
    const at = this.field(table, index);
    if (at === 0) return 0;
    if (size === 1) {
      this.need(at, 1);
      return this.bytes[at];
    }
    return this.u64(at);
  }

  /** A table field's position, 0 when absent. */
  table(table: number, index: number): number {
    const at = this.field(table, index);
    return at === 0 ? 0 : at + this.u32(at);
  }

  /** A vector field of structs of `size` bytes: where its elements start and how many (within the metadata). */
  vector(table: number, index: number, size: number): [number, number] {
    const at = this.field(table, index);
    if (at === 0) return [0, 0];
    const vector = at + this.u32(at);
    const count = this.u32(vector);
    if (count > (this.bytes.length - vector - 4) / size) this.fail(`a vector of ${count} entries passes the end of its message metadata`, vector);
    return [vector + 4, count];
  }
}
