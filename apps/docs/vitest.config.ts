import { defineConfig } from 'vitest/config';

// The site's tests run against the built site (turbo runs `build` first): the snippets of the
// guide against @memstore/core in Node, and the browser test against dist/ served on 127.0.0.1.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
