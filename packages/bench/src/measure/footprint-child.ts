// Child entry of the footprint measurements: `node --expose-gc dist/measure/footprint-child.js <spec JSON>`.
// Forked by measureFootprint (footprint.ts); builds one store one way and reports over IPC.
import { runFootprintChild } from './footprint';

void runFootprintChild(process.argv.slice(2));
