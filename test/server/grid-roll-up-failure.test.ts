import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { withGridRollUp, type GridRollUpSource } from '../../src/server/storage/grid-roll-up.ts';
import { UNPLACED } from '../../src/server/storage/reading-store.ts';
import { openSqliteStore } from '../../src/server/storage/sqlite/sqlite-store.ts';
import type { Store } from '../../src/server/storage/store.ts';
import { makeReading, useTempDir } from './fixtures.ts';

const tempDir = useTempDir();
const stores: Store[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
});

/** A source of roll-ups whose first `failures` calls fail as a database gone for a moment would. */
function flakySource(failures: number): GridRollUpSource & { rolledUp: number } {
  let calls = 0;
  const source = {
    rolledUp: 0,
    lastPending: async () => 1,
    async rollUp() {
      calls += 1;
      if (calls <= failures) throw new Error('connexion perdue');
      source.rolledUp += 1;
      return 0;
    },
  };
  return source;
}

// A roll-up in the background has no caller to fail to: its failure must reach the operator's log
// (src/server/main.ts), and what it left pending must still be rolled up by the next read.
describe('a background roll-up that fails', () => {
  it('is told, once, and the next read rolls up what it left', async () => {
    const source = flakySource(1);
    const failures: unknown[] = [];
    // The readings are stored by a store that keeps no grid itself: the roll-ups are the source's.
    const store = withGridRollUp(openSqliteStore(join(tempDir(), 'failure.sqlite'), { maintainGrid: false }), source, {
      quietMs: 0,
      onBackgroundFailure: (error) => failures.push(error),
    });
    stores.push(store);

    await store.ingest([makeReading()], [UNPLACED]);

    await vi.waitFor(() => expect(failures).toHaveLength(1));
    expect((failures[0] as Error).message).toBe('connexion perdue');
    expect(source.rolledUp).toBe(0);
    await store.gridGroups({ resolutionM: 1000, north: [0, 0], east: [0, 0], scope: { kind: 'all' } });
    expect(source.rolledUp).toBe(1);
    expect(failures).toHaveLength(1);
  });
});
