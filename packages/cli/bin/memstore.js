#!/usr/bin/env node
// The `memstore` bin: a committed file (so npm links it before the package is built) that starts
// the built program. `npm run build` makes dist/main.js.
import('../dist/main.js').catch((error) => {
  if (error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/main.js')) {
    process.stderr.write('memstore: the CLI is not built yet: run `npm run build` at the repository root\n');
    process.exit(1);
  }
  throw error;
});
