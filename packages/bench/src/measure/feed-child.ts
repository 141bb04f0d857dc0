// Child entry of the feeds benchmark: `node --expose-gc dist/measure/feed-child.js <spec JSON>`.
// Forked by measureFeedLoad (feeds/measure.ts); measures one load of one feed and reports over IPC.
import { runChild } from '../feeds/measure';

void runChild(process.argv.slice(2));
