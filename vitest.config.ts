import { defineConfig } from 'vitest/config';

// Three projects, by what each needs: pure/IndexedDB logic (fake-indexeddb), the server
// on real SQLite files, and the built app in headless Chromium.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
          setupFiles: ['test/unit/setup.ts'],
        },
      },
      {
        test: {
          name: 'server',
          include: ['test/server/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/e2e/global-setup.ts'],
          // One Chromium at a time: the machine has two cores.
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        // Issue 7's size budget: the survey screen's initial JavaScript, on the production build.
        test: {
          name: 'budget',
          include: ['test/budget/**/*.test.ts'],
          environment: 'node',
          hookTimeout: 120_000,
        },
      },
      {
        // Issue 7's fault matrix: Chromium against faults between phone and server.
        // FAULT_SIZE=full (npm run test:faults) runs queues of up to 5,000 readings.
        test: {
          name: 'faults',
          include: ['test/faults/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/e2e/global-setup.ts'],
          fileParallelism: false,
          // After the other projects: two Chromiums at once on two cores would make it flaky.
          sequence: { groupOrder: 1 },
          testTimeout: process.env.FAULT_SIZE === 'full' ? 400_000 : 90_000,
          hookTimeout: 120_000,
        },
      },
      {
        // Issue 7's bad input: fast-check against every API route and the imports. FUZZ_RUNS
        // (npm run test:fuzz: 12,000) sets how many; npm test runs a few hundred.
        test: {
          name: 'fuzz',
          include: ['test/fuzz/**/*.test.ts'],
          environment: 'node',
          testTimeout: process.env.FUZZ_RUNS ? 600_000 : 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
