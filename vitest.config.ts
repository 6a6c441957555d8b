import { defineConfig } from 'vitest/config';

// Two projects: logic in happy-dom (fast, fake-indexeddb), delivery in real Chromium against the reference
// collector (slow, one file at a time: the machine has 2 cores and the browser wants one of them).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'happy-dom',
          setupFiles: ['test/unit/setup.ts'],
        },
      },
      {
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
