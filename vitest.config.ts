import { defineConfig, type TestProjectConfiguration } from 'vitest/config';

/**
 * The server suite runs on SQLite always, and a second time on PostgreSQL when
 * COUVERTURE_TEST_POSTGRES_URL names a database the tests may create schemas in (.ci/run
 * installs and starts one; docs/deployment.md says how to do it by hand).
 */
const postgresUrl = process.env.COUVERTURE_TEST_POSTGRES_URL;
/** Tests of the SQLite file itself (its pragmas, its migrations from older files, the default DATA_DIR). */
const SQLITE_ONLY = ['test/server/sqlite-store.test.ts', 'test/server/migration.test.ts', 'test/server/main.test.ts'];
/** Tests of PostgreSQL itself (its migrations, several processes on one database). */
const POSTGRES_ONLY = 'test/server/postgres/**/*.test.ts';
const postgresServerProjects: TestProjectConfiguration[] = postgresUrl
  ? [
      {
        test: {
          name: 'server-postgres',
          include: ['test/server/**/*.test.ts', 'test/security/**/*.test.ts'],
          exclude: SQLITE_ONLY,
          environment: 'node',
          env: { COUVERTURE_TEST_STORE: 'postgres' },
          testTimeout: 30_000,
          // As the SQLite project: one import of the server per worker (test/README.md).
          isolate: false,
        },
      },
      {
        // The API fuzz again on PostgreSQL, which refuses input SQLite stores (U+0000, integers
        // out of range…): each refusal it did not expect would be a 500. The import fuzz never
        // reaches the store, so it stays SQLite-only.
        test: {
          name: 'fuzz-postgres',
          include: ['test/fuzz/api.test.ts'],
          environment: 'node',
          env: { COUVERTURE_TEST_STORE: 'postgres' },
          testTimeout: process.env.FUZZ_RUNS ? 600_000 : 60_000,
          hookTimeout: 60_000,
        },
      },
    ]
  : [];
/**
 * Browser tests of the page alone (layout, accessibility, form messages, the offline map's
 * tiles): the server answers them as any single request, so a second store adds nothing but
 * minutes. Every test of what crosses the network — sync, sessions, campaigns, zones, imports,
 * reports — runs on both.
 */
const PAGE_ONLY_BROWSER_TESTS = [
  'test/e2e/accessibility.test.ts',
  'test/e2e/accessibility-desk.test.ts',
  'test/e2e/desk-bottom-dock.test.ts',
  'test/e2e/form-errors.test.ts',
  'test/e2e/no-gps.test.ts',
  'test/e2e/offline-maps.test.ts',
  'test/e2e/open-data-page.test.ts',
  'test/e2e/readings-list.test.ts',
  'test/e2e/resident-layout.test.ts',
  'test/e2e/small-phone.test.ts',
];
/** The browser tests again, against two app instances on PostgreSQL behind a round-robin proxy (test/e2e/harness.ts). */
const postgresBrowserProjects: TestProjectConfiguration[] = postgresUrl
  ? [
      {
        test: {
          name: 'e2e-postgres',
          include: ['test/e2e/**/*.test.ts'],
          exclude: PAGE_ONLY_BROWSER_TESTS,
          environment: 'node',
          env: { COUVERTURE_E2E_STORE: 'postgres' },
          globalSetup: ['test/e2e/global-setup.ts'],
          // One Chromium per file for the phones that do not restart (test/README.md).
          provide: { sharedChromium: true },
          fileParallelism: false,
          // After the fault matrix: one Chromium at a time.
          sequence: { groupOrder: 2 },
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ]
  : [];
if (!postgresUrl && !process.env.VITEST_WORKER_ID) {
  console.warn('COUVERTURE_TEST_POSTGRES_URL n’est pas définie : la suite serveur ne tourne que sur SQLite (voir docs/deployment.md).');
}

// Projects by what each needs: pure/IndexedDB logic (fake-indexeddb), the server on real
// SQLite files (and PostgreSQL), the built app in headless Chromium, faults, fuzz, budgets.
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
          include: ['test/server/**/*.test.ts', 'test/security/**/*.test.ts'],
          exclude: [POSTGRES_ONLY],
          environment: 'node',
          // Each worker imports the server once for all its files: every test builds its own app
          // and store, and a file leaves the process as it found it (test/README.md).
          isolate: false,
        },
      },
      ...postgresServerProjects,
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/e2e/global-setup.ts'],
          // One Chromium per file for the phones that do not restart (test/README.md).
          provide: { sharedChromium: true },
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
      ...postgresBrowserProjects,
    ],
  },
});
