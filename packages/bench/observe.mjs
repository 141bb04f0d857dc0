// ../core/src/errors.ts
var MemstoreError = class extends Error {
  constructor(code, message, options) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
};
var MemstoreParseError = class extends MemstoreError {
  constructor(message, position = {}, options) {
    super("PARSE", message, options);
    this.offset = position.offset;
    this.line = position.line;
    this.column = position.column;
  }
};
var MemstoreInputError = class extends MemstoreError {
  constructor(message, path) {
    super("INPUT", message);
    this.path = path;
  }
};
var MemstoreDepthError = class extends MemstoreParseError {
  constructor(message, path, position = {}) {
    super(message, position);
    this.code = "DEPTH";
    this.path = path;
  }
};

// ../core/src/util/formatPath.ts
var IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
function formatPath(keys, root = "records") {
  let text = root;
  for (const key of keys) {
    if (typeof key === "number") text += `[${key}]`;
    else if (IDENTIFIER.test(key)) text += `.${key}`;
    else text += `[${JSON.stringify(key)}]`;
  }
  return text;
}

// ../core/src/schema/observe.ts
var MAX_DEPTH = 1e3 /* Depth */;
var Kind = /* @__PURE__ */ ((Kind2) => {
  Kind2[Kind2["Null"] = 1] = "Null";
  Kind2[Kind2["Bool"] = 2] = "Bool";
  Kind2[Kind2["Int"] = 4] = "Int";
  Kind2[Kind2["Float"] = 8] = "Float";
  Kind2[Kind2["String"] = 16] = "String";
  Kind2[Kind2["Object"] = 32] = "Object";
  Kind2[Kind2["Array"] = 64] = "Array";
  return Kind2;
})(Kind || {});
var Observed = class _Observed {
  constructor() {
    this.kinds = 0;
    /** Values seen here, null included; missing rows are the parent's rows minus this. */
    this.present = 0;
    this.nullCount = 0;
    /**
     * The ints' range, set by the first int (kinds has Kind.Int from then on). Not ±Infinity
     * before it: a field that starts as a double holds a heap number, one more object for each of
     * a wide record's 100,000 fields.
     */
    this.intMin = 0;
    this.intMax = 0;
    this.strings = null;
    /** String values seen here (repeats included), and their UTF-16 units in all: plan.ts sizes text from them. */
    this.stringRows = 0;
    this.stringUnits = 0;
    /** Object keys in first-seen order. */
    this.fields = null;
    this.objectCount = 0;
    /** Sum over all objects here of their key counts (map entries, if this becomes a map). */
    this.keyTotal = 0;
    /** Keys of the first object seen here: the parser judges a struct within it when it has many (plan.ts). */
    this.firstKeys = 0;
    this.element = null;
    /** Sum of the lengths of all arrays here. */
    this.elementTotal = 0;
  }
  mergeFrom(other) {
    if (other.kinds & 4 /* Int */) {
      const had = (this.kinds & 4 /* Int */) !== 0;
      this.intMin = had ? Math.min(this.intMin, other.intMin) : other.intMin;
      this.intMax = had ? Math.max(this.intMax, other.intMax) : other.intMax;
    }
    this.kinds |= other.kinds;
    this.present += other.present;
    this.nullCount += other.nullCount;
    this.stringRows += other.stringRows;
    this.stringUnits += other.stringUnits;
    if (other.strings) {
      this.strings ??= /* @__PURE__ */ new Set();
      for (const text of other.strings) this.strings.add(text);
    }
    if (other.fields) {
      this.fields ??= /* @__PURE__ */ new Map();
      for (const [key, field] of other.fields) {
        let mine = this.fields.get(key);
        if (!mine) this.fields.set(key, mine = new _Observed());
        mine.mergeFrom(field);
      }
    }
    if (this.objectCount === 0) this.firstKeys = other.firstKeys;
    this.objectCount += other.objectCount;
    this.keyTotal += other.keyTotal;
    if (other.element) (this.element ??= new _Observed()).mergeFrom(other.element);
    this.elementTotal += other.elementTotal;
  }
};
var INT_LIMIT = 2 ** 53;
function isIntValue(value) {
  return Number.isInteger(value) && Math.abs(value) <= INT_LIMIT && !Object.is(value, -0);
}
function observeRecords(records) {
  const root = new Observed();
  const walker = new Walker();
  for (let i = 0; i < records.length; i++) {
    walker.keys[0] = i;
    walker.observe(root, records[i], 0);
  }
  return root;
}
var Walker = class {
  constructor() {
    /** keys[d] is the key (or index) that led to the value at depth d; for error paths only. */
    this.keys = [];
    /** ancestors[d] is the object or array at depth d, to tell a cycle from deep nesting. */
    this.ancestors = [];
  }
  observe(node, value, depth) {
    node.present++;
    if (value === null) {
      node.kinds |= 1 /* Null */;
      node.nullCount++;
      return;
    }
    switch (typeof value) {
      case "boolean":
        node.kinds |= 2 /* Bool */;
        return;
      case "number":
        if (Number.isNaN(value)) this.fail("NaN is not a JSON number", depth);
        if (isIntValue(value)) {
          if ((node.kinds & 4 /* Int */) === 0) {
            node.intMin = value;
            node.intMax = value;
            node.kinds |= 4 /* Int */;
          } else if (value < node.intMin) node.intMin = value;
          else if (value > node.intMax) node.intMax = value;
        } else {
          node.kinds |= 8 /* Float */;
        }
        return;
      case "string":
        node.kinds |= 16 /* String */;
        node.stringRows++;
        node.stringUnits += value.length;
        (node.strings ??= /* @__PURE__ */ new Set()).add(value);
        return;
      case "object":
        break;
      default:
        this.fail(`${describeValue(value)} is not a JSON value`, depth);
    }
    const container = value;
    if (depth >= MAX_DEPTH) this.failDeep(container, depth);
    this.ancestors[depth] = container;
    if (Array.isArray(container)) {
      node.kinds |= 64 /* Array */;
      node.elementTotal += container.length;
      const element = node.element ??= new Observed();
      for (let i = 0; i < container.length; i++) {
        this.keys[depth + 1] = i;
        this.observe(element, container[i], depth + 1);
      }
      return;
    }
    const prototype = Object.getPrototypeOf(container);
    if (prototype !== Object.prototype && prototype !== null) {
      this.fail(`${describeValue(container)} is not a plain object (JSON.parse makes only plain objects and arrays)`, depth);
    }
    node.kinds |= 32 /* Object */;
    const fields = node.fields ??= /* @__PURE__ */ new Map();
    const keys = Object.keys(container);
    if (node.objectCount++ === 0) node.firstKeys = keys.length;
    node.keyTotal += keys.length;
    for (const key of keys) {
      let field = fields.get(key);
      if (!field) fields.set(key, field = new Observed());
      this.keys[depth + 1] = key;
      this.observe(field, container[key], depth + 1);
    }
  }
  fail(message, depth) {
    const path = formatPath(this.keys.slice(0, depth + 1));
    throw new MemstoreInputError(`Cannot store ${path}: ${message}.`, path);
  }
  failDeep(container, depth) {
    this.ancestors[depth] = container;
    const seen = /* @__PURE__ */ new Set();
    for (let level = 0; level <= depth; level++) {
      const ancestor = this.ancestors[level];
      if (seen.has(ancestor)) {
        const path2 = formatPath(this.keys.slice(0, level + 1));
        throw new MemstoreInputError(`Cannot store ${path2}: it contains itself (a cycle); JSON has no cycles.`, path2);
      }
      seen.add(ancestor);
    }
    const path = formatPath(this.keys.slice(0, depth + 1));
    throw new MemstoreDepthError(`Cannot store ${path}: nesting deeper than ${MAX_DEPTH} levels is not supported.`, path);
  }
};
function describeValue(value) {
  if (value === void 0) return "undefined";
  if (typeof value === "bigint") return `the BigInt ${value}n`;
  if (typeof value === "function") return "a function";
  if (typeof value === "symbol") return "a symbol";
  const name = value.constructor?.name;
  return name ? `a ${name}` : "an object with a custom prototype";
}
export {
  INT_LIMIT,
  Kind,
  MAX_DEPTH,
  Observed,
  isIntValue,
  observeRecords
};
