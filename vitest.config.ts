import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['reflect-metadata'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration files each get their own database and queue prefix, so they may run in parallel;
    // two at a time suits a 2-core machine.
    maxWorkers: 2,
  },
});
