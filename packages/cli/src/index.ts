// @memstore/cli as a library, for packages/bench: the representations `memstore measure` builds and
// the measurement that runs each in a fresh child process.
export { REPRESENTATIONS, DESCRIPTIONS, prepare, type RepresentationName, type Built, type Source } from './represent/index';
export { compileClasses } from './represent/classes';
export { Interner } from './represent/intern';
export { plainRecords, recordsAt } from './represent/records';
export { measureFile, agrees, machine, CROSS_CHECK, type MeasureReport, type RepresentationReport, type Machine } from './measure/run';
export type { CrossCheckMethod } from './measure/child';
export { heapSnapshotBytes } from './measure/heapSnapshot';
export { parseFilter, FilterSyntaxError, type FilterNode } from './filter/parse';
export { compileFilter } from './filter/compile';
export { declarations } from './commands/types';
export { markdown as measureMarkdown } from './commands/measure';
