// Child entry of the retained-memory measurement: `node --expose-gc dist/measure/child.js <spec JSON>`.
// Forked by measureRetained (retained.ts); measures one representation and reports over IPC.
import { runChild } from './retained';

void runChild(process.argv.slice(2));
