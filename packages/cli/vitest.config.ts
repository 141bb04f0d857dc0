import { defineConfig } from 'vitest/config';

// The tests spawn the real bin (and `measure` forks a child per representation): give them time.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: 'forks',
  },
});
