import path from 'node:path';
import { defineConfig } from 'vitest/config';

/**
 * `npm run test:faults`: the fault suite. Its files end in `.fault.ts` so that `npm test`
 * (which runs test/**\/*.test.ts) does not pick them up. Each file makes its own database, queue
 * prefix and, where it needs one, its own Redis; two files run at a time (2-core machine: the
 * tests mostly wait for outages, stalled-job locks and backoffs to pass).
 */
export default defineConfig({
  test: {
    root: path.resolve(import.meta.dirname, '../..'),
    include: ['test/faults/**/*.fault.ts'],
    setupFiles: ['reflect-metadata'],
    testTimeout: 240_000,
    hookTimeout: 120_000,
    maxWorkers: 2,
    // Slow to fail, and a retry would hide a real double delivery: never retry.
    retry: 0,
  },
});
