// The Parquet libraries compared, behind one shape: write an Arrow Table (or its plain column
// values) with a codec and row-group size, read the bytes back. Each says what it can't do.
import { type DataType, Dictionary, List, Struct, type Table, tableFromIPC, tableToIPC } from 'apache-arrow';
import { parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { ByteWriter, parquetWrite } from 'hyparquet-writer';
import { readParquet, writeParquet } from '@memstore/core/arrow';
import * as parquetWasm from 'parquet-wasm';

export type Codec = 'snappy' | 'zstd';

export interface WriteInput {
  table: Table;
  values: Map<string, unknown[]>;
}

export interface ParquetLibrary {
  name: string;
  /** undefined when the library cannot write with this codec. */
  write(input: WriteInput, codec: Codec, rowGroupSize: number): Promise<Uint8Array | undefined>;
  /** Reads the file back; returns its row count (so the read is not optimised away). */
  read(bytes: Uint8Array): Promise<number>;
}

/** parquet-wasm with its default writer properties. */
export const PARQUET_WASM: ParquetLibrary = {
  name: 'parquet-wasm 0.8.0 (defaults)',
  async write({ table }, codec, rowGroupSize) {
    const wasmTable = parquetWasm.Table.fromIPCStream(tableToIPC(table, 'stream'));
    const properties = new parquetWasm.WriterPropertiesBuilder()
      .setCompression(codec === 'zstd' ? parquetWasm.Compression.ZSTD : parquetWasm.Compression.SNAPPY)
      .setMaxRowGroupSize(rowGroupSize)
      .build();
    return parquetWasm.writeParquet(wasmTable, properties);
  },
  async read(bytes) {
    return tableFromIPC(parquetWasm.readParquet(bytes).intoIPCStream()).numRows;
  },
};

/** memstore's module: parquet-wasm with its writer properties (dictionary only for dictionary columns, chunk statistics), sealed, validated on read. */
export const MEMSTORE: ParquetLibrary = {
  name: '@memstore/core writeParquet (parquet-wasm)',
  write: ({ table }, codec, rowGroupSize) => writeParquet(table, { compression: codec, rowGroupSize }),
  async read(bytes) {
    return (await readParquet(bytes)).numRows;
  },
};

/** A Parquet schema element list (depth-first, as the footer holds it) for an Arrow field. */
function schemaElements(name: string, type: DataType): Record<string, unknown>[] {
  if (type instanceof Struct) {
    return [{ name, repetition_type: 'OPTIONAL', num_children: type.children.length }, ...type.children.flatMap((child) => schemaElements(child.name, child.type))];
  }
  if (type instanceof List) {
    return [
      { name, repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
      { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
      ...schemaElements('element', type.children[0].type),
    ];
  }
  const typeId = String(type);
  if (type instanceof Dictionary || typeId === 'Utf8') return [{ name, repetition_type: 'OPTIONAL', type: 'BYTE_ARRAY', converted_type: 'UTF8' }];
  if (typeId === 'Bool') return [{ name, repetition_type: 'OPTIONAL', type: 'BOOLEAN' }];
  if (typeId === 'Int32') return [{ name, repetition_type: 'OPTIONAL', type: 'INT32' }];
  if (typeId === 'Int64') return [{ name, repetition_type: 'OPTIONAL', type: 'INT64' }];
  return [{ name, repetition_type: 'OPTIONAL', type: 'DOUBLE' }];
}

export const HYPARQUET: ParquetLibrary = {
  name: 'hyparquet-writer 0.17.0 + hyparquet 1.31.5',
  async write({ table, values }, codec, rowGroupSize) {
    // Only snappy is built in; zstd needs a compressor package of one's own choosing.
    if (codec !== 'snappy') return undefined;
    const fields = table.schema.fields;
    const writer = new ByteWriter();
    // A promise only with async compressors; snappy's built-in one is synchronous.
    await parquetWrite({
      writer,
      columnData: fields.map((field) => ({ name: field.name, data: values.get(field.name) ?? [] })),
      schema: [{ name: 'root', num_children: fields.length }, ...fields.flatMap((field) => schemaElements(field.name, field.type))] as never,
      codec: 'SNAPPY',
      rowGroupSize,
    });
    return new Uint8Array(writer.getBuffer());
  },
  async read(bytes) {
    const rows = await parquetReadObjects({ file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer, compressors });
    return rows.length;
  },
};

export const LIBRARIES: readonly ParquetLibrary[] = [MEMSTORE, PARQUET_WASM, HYPARQUET];
