// Child entry of the load measurements: `node [flags] dist/measure/load-child.js <spec JSON>`.
// Forked by measureLoad / runLoadChild (load.ts); loads one file one way and reports over IPC.
import { runChild } from './load';

void runChild(process.argv.slice(2));
