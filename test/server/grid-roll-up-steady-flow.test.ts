import { describe, expect, it } from 'vitest';
import { type GridRollUpSource, ROLL_UP_CHUNK, withGridRollUp } from '../../src/server/storage/grid-roll-up.ts';
import type { Store } from '../../src/server/storage/store.ts';

/**
 * A reader of the grid waits for the roll-up of what was acknowledged before its call, never
 * for uploads arriving after it: under 200 phones uploading at once, readings are marked
 * pending as fast as they are rolled up, and a drain « until none is pending » kept reviewers'
 * grid views waiting until the flow stopped (bench/load.ts: median 32 s).
 */
describe('a grid read under a steady flow of uploads', () => {
  it('rolls up what was pending at its call and answers, while more keeps arriving', async () => {
    let lastSeq = 3 * ROLL_UP_CHUNK;
    let rolledUpTo = 0;
    const calls: number[] = [];
    const source: GridRollUpSource = {
      async lastPending() {
        return lastSeq > rolledUpTo ? lastSeq : undefined;
      },
      async rollUp(limit, upTo) {
        // Each roll-up's time sees as many new readings acknowledged as it rolls up.
        const taken = Math.min(limit, upTo - rolledUpTo);
        rolledUpTo += taken;
        lastSeq += ROLL_UP_CHUNK;
        calls.push(taken);
        if (calls.length > 50) throw new Error('the roll-up never stops');
        return taken;
      },
    };
    const rowsRead: string[] = [];
    const store = {
      gridGroups: async () => {
        rowsRead.push(`rolled up to ${rolledUpTo}`);
        return [];
      },
      gridReports: async () => [],
      gridVersion: async () => 'v',
      gridTileVersions: async () => [],
    } as unknown as Store;

    await withGridRollUp(store, source, { quietMs: Infinity, eagerAt: Infinity }).gridGroups({} as never);

    // Every reading acknowledged before the read is in, in full chunks and one to see the end.
    expect(rowsRead).toEqual([`rolled up to ${3 * ROLL_UP_CHUNK}`]);
    expect(calls).toEqual([ROLL_UP_CHUNK, ROLL_UP_CHUNK, ROLL_UP_CHUNK, 0]);
  });
});
