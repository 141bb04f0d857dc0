// A store's state and the all-or-nothing changes that replace it: the engine a store owns, the
// snapshot of its schema every read and query uses, the query workspace, and the transactions
// (a load's last step, an append kept or undone, compaction, and the queue that keeps appends,
// saves and file writes from interleaving). Store (store.ts) is the public API built on it.
import type { Engine } from './engine';
import { MemstoreAbortedError } from './errors';
import { columnHandles, type Node } from './schema/node';
import { StructNode } from './schema/containers';
import { storeRecords } from './ingest/records';
import { mirrorSchema } from './schema/mirror';
import type { SchemaField } from './schema/describe';
import type { MakeView } from './view/record';
import { readRecord } from './view/plainRecord';
import { Descriptor, Limit } from './wasm/abi';
import { fitMemory } from './compact';
import { QueryContext } from './query/context';
import { WorkingMemory } from './query/workspace';
import { Ingest, type SkippedRecord } from './ingest/parse';
import { toChunks, type StreamSource } from './ingest/source';
import type { CheckedOptions } from './ingest/options';
import { isBytes } from './util/isBytes';

/** What `append` did: records stored, and NDJSON lines skipped under onError: 'skip'. */
export interface AppendResult {
  appended: number;
  skipped: SkippedRecord[];
}

/** Everything derived from the schema and the row count; rebuilt after each append. */
export interface Snapshot {
  root: Node;
  recordCount: number;
  /**
   * The root when every record is a non-null object (records are read through its view class,
   * no presence checks), else null. Its view maker is built on first use (StructNode.makeView).
   */
  struct: StructNode | null;
  /**
   * Rows `at`'s fast path serves with the root's view class: every record when `struct` is set,
   * else 0; 0 once disposed. Fixed when the snapshot is made (dispose aside): `rootView` and this
   * were set when the class was first built, and V8 then loaded and checked both on every at(i)
   * (store.at(0).id 0.93 -> 1.16 ns); a snapshot fixed from the start reads as constants.
   */
  viewRows: number;
  query: QueryContext;
  schema: SchemaField | null;
}

/**
 * What every Store is made of, and how it changes. Its members are protected: the public API is
 * Store's, which holds no state of its own.
 */
export abstract class StoreCore {
  /** @internal */
  protected readonly engine: Engine;
  /** @internal The query workspace every snapshot shares, secured by each load and append before it commits. */
  protected readonly working: WorkingMemory;
  /** @internal */
  protected state!: Snapshot;
  /** @internal Top-level fields a load or append filled with the records' keys (options.keyAs), for store.schema. */
  protected readonly keyFields = new Set<string>();

  /**
   * @internal
   * `root`: the schema records were just written through (JS records); else it is mirrored from
   * WASM. Throws MemstoreCapacityError when the working memory for queries does not fit: a store
   * is only handed out once it can answer them.
   */
  protected constructor(engine: Engine, root?: Node) {
    this.engine = engine;
    this.working = new WorkingMemory(engine);
    const tree = this.currentRoot(root);
    this.working.secure(tree);
    this.state = this.snapshot(tree);
  }

  /** @internal The schema as WASM now holds it: `written` when JS records were just written through it. */
  protected currentRoot(written?: Node): Node {
    this.engine.refresh();
    return written ?? this.mirror();
  }

  /** @internal The facade's tree of the WASM schema, from the snapshot's (its unchanged scalar nodes kept: mirror.ts). */
  protected mirror(): Node {
    return mirrorSchema(this.engine, undefined, undefined, undefined, this.state?.root);
  }

  /** @internal */
  protected snapshot(root: Node): Snapshot {
    const engine = this.engine;
    engine.refresh();
    const recordCount = root.stored(Descriptor.Length);
    const viewable = root instanceof StructNode && root.stored(Descriptor.Nulls) === 0;
    // The root's view maker is built by the first view a query hands out (StructNode.makeView, the
    // node's own field from then on). One function, made once: a context whose view is replaced
    // later kept V8 from inlining it into first() (sel.first() in the query benchmark 14 -> 27-35 ns).
    const struct = root as StructNode;
    const view = viewable ? (row: number) => struct.makeView(row) : (row: number) => readRecord(root, row);
    const query = new QueryContext(engine, root, recordCount, view, this.working);
    // Selections and predicates of the snapshot this one replaces build their tests here from now on.
    this.state?.query.replacedBy(query);
    return { root, recordCount, struct: viewable ? struct : null, viewRows: viewable ? recordCount : 0, query, schema: null };
  }

  /** @internal The root's view maker when every record is a non-null object (built on first use), else null. */
  protected rootView(): MakeView | null {
    return this.state.struct?.makeView ?? null;
  }

  /** @internal Notes the field a load or append filled with the records' keys (options.keyAs). */
  protected keyedBy(options: CheckedOptions): this {
    if (options.keyAs !== null) {
      this.keyFields.add(options.keyAs);
      this.state.schema = null;
    }
    return this;
  }

  /**
   * @internal
   * Runs `work` in its turn among appends, saves and file writes, the store live: an append has
   * the one parser to itself, and a write's plan of the store's memory stays true while it awaits
   * its file.
   */
  protected async exclusively<R>(work: () => Promise<R>): Promise<R> {
    const previous = this.appending;
    let done!: () => void;
    this.appending = new Promise<void>((resolve) => (done = resolve));
    try {
      await previous;
      this.assertLive();
      return await work();
    } finally {
      done();
    }
  }

  /** @internal The append, save or file write in progress (resolved when none): they run one after another. */
  protected appending: Promise<void> = Promise.resolve();

  /** @internal One append, kept or undone; either way the store is then fitted to its memory (compaction). */
  protected async appendNow(input: string | Uint8Array | StreamSource | readonly unknown[], options: CheckedOptions): Promise<AppendResult> {
    this.assertLive();
    let kept = false;
    try {
      // An array of Uint8Array chunks is a stream (as fromStream takes it), not records: no
      // Uint8Array is a JSON value, so such an array used to fail as records (MemstoreInputError).
      const result =
        Array.isArray(input) && !(input.length > 0 && input.every(isBytes))
          ? this.appendRecords(input, options)
          : await this.appendParsed(input as string | Uint8Array | StreamSource, options);
      kept = true;
      return result;
    } finally {
      // An undone append leaves the string table as it was, strings nothing holds included: only a kept one's is collected.
      await this.fit(Limit.AppendHeadroom, true, kept);
    }
  }

  /** @internal append(text, bytes or a stream): parsed into the store, all or nothing. */
  protected async appendParsed(input: string | Uint8Array | StreamSource, options: CheckedOptions): Promise<AppendResult> {
    let ingest: Ingest;
    // Near the memory cap the data comes first; settleAppend takes the group tables back if they still fit.
    this.working.yieldGroupTables();
    this.engine.exports.transactionBegin();
    // Until the parse ends the store is not read (Engine.parsingAppend): a stream's chunks are awaited, callbacks run.
    // at(i) reads without a check below viewRows: a snapshot of none sends it to the checked path
    // (a copy, not a write: the snapshot's fields stay constants to V8). settleAppend replaces it.
    this.engine.parsingAppend = true;
    const { root, recordCount, struct, query, schema } = this.state;
    this.state = { root, recordCount, struct, viewRows: 0, query, schema };
    try {
      if (typeof input === 'string' || isBytes(input)) {
        ingest = new Ingest(this.engine, options, typeof input === 'string' ? undefined : input.length, typeof input === 'string');
        ingest.runWhole(input);
      } else {
        ingest = new Ingest(this.engine, options, options.totalBytes, false);
        await ingest.run(toChunks(input, 'input'), 'input');
      }
    } catch (error) {
      this.engine.parsingAppend = false;
      this.settleAppend(false);
      throw error;
    }
    this.engine.parsingAppend = false;
    this.settleAppend(true);
    this.keyedBy(options);
    return { appended: ingest.records, skipped: ingest.skipped };
  }

  /**
   * @internal
   * Ends an append: kept, the new rows become the store's snapshot (`written`: the schema JS
   * records were written through) once the query working memory for them is secured; else, or
   * when it does not fit (MemstoreCapacityError, thrown from here), the WASM side undoes the
   * append whole (assembly/undo.ts), and the workspace the store had serves it as before.
   */
  protected settleAppend(kept: boolean, written?: Node): void {
    if (this.engine.disposed) return;
    if (kept) {
      const root = this.currentRoot(written);
      try {
        // The append's last step before it commits, and the only one here that can fail.
        this.working.secure(root);
      } catch (error) {
        this.settleAppend(false);
        throw error;
      }
      this.engine.exports.transactionEnd(1, this.state.recordCount);
      this.engine.finishIngest();
      // Columns its rebuilds left behind that the snapshot it replaces held: that snapshot's views still read them.
      const previous = this.state.root;
      this.engine.settleLeftBehind(() => columnHandles(previous));
      // The parser's buffers are back in the arena: group tables that did not fit before may now.
      this.working.secure(root, false);
      this.state = this.snapshot(root);
      return;
    }
    this.engine.exports.transactionEnd(0, this.state.recordCount);
    this.engine.settleLeftBehind(null);
    this.engine.forgetUndoneStrings();
    this.engine.finishIngest();
    const root = this.currentRoot();
    // Only group tables given way to the data may be missing; taken back if they fit.
    this.working.secure(root, false);
    this.state = this.snapshot(root);
  }

  /** @internal `fit()`, then the store: the last step of every load (a load holds what it will hold: no headroom). */
  protected async fitted(): Promise<this> {
    await this.fit(0, false);
    return this;
  }

  /** @internal After a load or an append: the store moved into a fresh instance of its size when its memory passed what it uses (compact.ts). */
  protected fit(headroom: number, handedOut: boolean, collect = true): Promise<void> {
    return fitMemory(this.engine, this.working, () => this.state.root, headroom, handedOut, collect);
  }

  /** @internal append(records): written through the schema in JS (ingest/records.ts), all or nothing. */
  protected appendRecords(records: readonly unknown[], options: CheckedOptions): AppendResult {
    const signal = options.signal;
    if (signal?.aborted) throw new MemstoreAbortedError(signal.reason);
    this.working.yieldGroupTables();
    let root: Node;
    this.engine.exports.transactionBegin();
    try {
      // A mirror of its own: the snapshot in use (and the views it made) stays as it was.
      this.engine.refresh();
      root = storeRecords(this.engine, records, this.mirror());
    } catch (error) {
      this.settleAppend(false);
      throw error;
    }
    this.settleAppend(true, root);
    options.onProgress?.({ bytesRead: 0, totalBytes: undefined, records: records.length });
    return { appended: records.length, skipped: [] };
  }

  /** @internal */
  protected assertLive(): void {
    this.engine.assertLive();
  }
}
