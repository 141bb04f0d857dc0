import { defineConfig } from 'vitest/config';

// The smoke test forks real child processes and builds real stores: give it time.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: 'forks',
  },
});
