import { defineConfig } from 'vitest/config';

// Three projects: fast unit tests beside the code (engine/, contract/, app/, electron/), integration / end-to-end tests
// in test/ that start real servers and child processes (longer timeouts, fewer workers), and
// the window's component and store tests in a DOM (happy-dom).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: [
            'engine/**/*.test.ts',
            'contract/**/*.test.ts',
            'app/**/*.test.ts',
            'electron/**/*.test.ts',
          ],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'renderer',
          include: ['renderer/**/*.test.{ts,tsx}'],
          environment: 'happy-dom',
        },
      },
    ],
  },
});
