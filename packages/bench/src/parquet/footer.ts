// What a Parquet file's footer says about its layout, read with hyparquet's metadata parser (an
// independent reader, so the check does not trust the writer): the encodings of each string
// column chunk (dictionary-encoded or not) and whether nesting is Parquet groups and LISTs.
import { parquetMetadata } from 'hyparquet';

export interface FooterFacts {
  rowGroups: number;
  rows: number;
  /** String (BYTE_ARRAY) leaf column chunks, and those whose encodings include a dictionary one. */
  stringChunks: number;
  dictionaryStringChunks: number;
  /** Group (struct) nodes below the root, and LIST-annotated ones. */
  groups: number;
  lists: number;
  /** How many leaf columns hold nested data as JSON text instead (JSON-annotated byte arrays). */
  jsonLeaves: number;
}

export function footerFacts(bytes: Uint8Array): FooterFacts {
  const metadata = parquetMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  let stringChunks = 0;
  let dictionaryStringChunks = 0;
  for (const rowGroup of metadata.row_groups) {
    for (const chunk of rowGroup.columns) {
      const meta = chunk.meta_data;
      if (meta === undefined || meta.type !== 'BYTE_ARRAY') continue;
      stringChunks++;
      if (meta.encodings.some((encoding) => encoding === 'RLE_DICTIONARY' || encoding === 'PLAIN_DICTIONARY')) dictionaryStringChunks++;
    }
  }
  const nodes = metadata.schema.slice(1);
  const isList = (node: (typeof nodes)[number]) => node.converted_type === 'LIST' || node.logical_type?.type === 'LIST';
  return {
    rowGroups: metadata.row_groups.length,
    rows: Number(metadata.num_rows),
    stringChunks,
    dictionaryStringChunks,
    groups: nodes.filter((node) => (node.num_children ?? 0) > 0 && !isList(node) && node.repetition_type !== 'REPEATED').length,
    lists: nodes.filter(isList).length,
    jsonLeaves: nodes.filter((node) => node.converted_type === 'JSON' || node.logical_type?.type === 'JSON').length,
  };
}
