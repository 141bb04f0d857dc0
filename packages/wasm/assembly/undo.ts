// All or nothing: an append that fails or is aborted leaves the store exactly as it was, and
// an NDJSON line skipped under onError 'skip' leaves no trace. Rows are cut back by
// truncateNode; every other change is taken back from the journal (journal.ts), newest first;
// strings interned since are forgotten (stringsTruncate), so their bytes are reused.
//
// Two marks. The transaction's: from transactionBegin (the facade, at the start of every
// append) to transactionEnd. The record's: the last record the parser committed (or the
// start of the parse); a record that fails is undone to it. Outside a transaction the journal
// holds only the record being parsed: a new store whose load fails is discarded whole.
import { NodeField, NodeKind } from './abi';
import { truncate, untypeColumn } from './column';
import { narrowToInt } from './numbers';
import { dictionaryPop } from './dictionary';
import {
  J_FIELD_ADDED, J_NODE_FIELD, J_SETTLED, J_ELEMENT, J_DICT_ENTRY, J_TO_FLOAT,
  operands, journalEnable, journalLength, journalWord, journalCut, journalRelease,
} from './journal';
import { nodeColumn, nodeSet, removeLastField, schemaRoot, truncateNode } from './schema';
import { stringCountGet, stringsEnsureIndex, stringsTruncate } from './strings';

let inTransaction = false;
let parsing = false;
let transactionStrings: u32 = 0;
let recordEntries: u32 = 0;
let recordStrings: u32 = 0;

/** An append starts: from here to transactionEnd, every change can be taken back. */
export function transactionBegin(): void {
  inTransaction = true;
  journalEnable(true);
  journalCut(0);
  transactionStrings = stringCountGet();
  // A loaded store's small string table may have no index (strings.ts): the parser's key lookups
  // need it. Out of memory, the append then fails where it interns (a capacity error).
  stringsEnsureIndex();
  markRecord();
}

/**
 * An append ends: kept (`commit`), or undone back to `rows` records — the rows, every schema
 * change, the dictionary entries and the strings since transactionBegin.
 */
export function transactionEnd(commit: bool, rows: u32): void {
  if (!commit) {
    const root = schemaRoot();
    if (root != 0) truncateNode(root, rows);
    undoTo(0);
    stringsTruncate(transactionStrings);
    if (root != 0) truncateNode(root, rows); // nodes the journal restored may hold later rows
  }
  inTransaction = false;
  journalEnable(parsing);
  journalRelease();
  markRecord();
}

/** The parser starts (parseBegin): each record it parses can be undone on its own. */
export function parseStarted(): void {
  parsing = true;
  journalEnable(true);
  markRecord();
}

/** The parser is done with its input (parseRelease). */
export function parseEnded(): void {
  parsing = false;
  journalEnable(inTransaction);
  if (!inTransaction) journalRelease();
}

/** Where a failing record is undone to: now (string ids interned for a JSON Pointer included). */
export function markRecord(): void {
  recordEntries = journalLength();
  recordStrings = stringCountGet();
}

/** A record is committed: outside a transaction nothing before it will be undone. */
export function recordCommitted(): void {
  if (!inTransaction) journalCut(0);
  markRecord();
}

/** A record failed and its rows were cut back to `rows`: its schema changes and strings go too. */
export function recordFailed(root: usize, rows: u32): void {
  undoTo(recordEntries);
  stringsTruncate(recordStrings);
  truncateNode(root, rows);
}

function undoTo(mark: u32): void {
  let at = journalLength();
  while (at > mark) {
    const op = journalWord(at - 1);
    at -= operands(op) + 1;
    const subject = <usize>journalWord(at);
    if (op == J_FIELD_ADDED) removeLastField(subject);
    else if (op == J_NODE_FIELD) nodeSet(subject, journalWord(at + 1), journalWord(at + 2));
    else if (op == J_SETTLED) {
      // Rows the column took after it settled are cut first: they are not null rows.
      truncate(nodeColumn(subject), journalWord(at + 1));
      untypeColumn(nodeColumn(subject));
      nodeSet(subject, NodeField.Kind, NodeKind.Unset);
    } else if (op == J_ELEMENT) nodeSet(subject, NodeField.Element, 0);
    else if (op == J_DICT_ENTRY) dictionaryPop(subject);
    else if (op == J_TO_FLOAT) {
      truncate(subject, journalWord(at + 2));
      narrowToInt(subject, journalWord(at + 1));
    }
  }
  journalCut(mark);
}
