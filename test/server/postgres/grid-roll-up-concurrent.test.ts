import { describe, expect, it } from 'vitest';
import { cellAt, coarserCell, type CellRef } from '../../../src/domain/grid/cell-id.ts';
import { tileOfCell } from '../../../src/domain/grid/cell-tiles.ts';
import { OPERATORS } from '../../../src/domain/operators.ts';
import type { Reading } from '../../../src/domain/reading.ts';
import { openPostgresStore } from '../../../src/server/storage/postgres/postgres-store.ts';
import type { ReadingPlacement } from '../../../src/server/storage/reading-store.ts';
import type { Store } from '../../../src/server/storage/store.ts';
import { withClient } from '../../support/test-store.ts';
import { makeReading, SAINT_GUILHEM, useTempDir } from '../fixtures.ts';
import { EVERY_MONTH, pointIn, recomputed, storedGrid } from '../grid-helpers.ts';
import { useStores } from './stores.ts';

/**
 * The grid rolled up after the ingest (grid-roll-up.ts) with two app processes uploading and
 * reading at once, each rolling up in the background as soon as anything is pending: every
 * acknowledged reading is in the grid exactly once (two roll-ups never take the same one), and
 * the version of an uploaded tile read by the OTHER process after the upload's acknowledgement
 * differs from the one read before it (its read rolled up, or it sees the roll-up that did).
 */

const { open } = useStores(useTempDir());

const UNIT = coarserCell(cellAt(SAINT_GUILHEM.lon, SAINT_GUILHEM.lat, 200)!, 10_000);
const NEXT_UNIT: CellRef = { ...UNIT, east: UNIT.east + 10_000 };
const TILES = [tileOfCell({ ...UNIT, resolutionM: 200 }), tileOfCell({ ...NEXT_UNIT, resolutionM: 200 })];
const UPLOADS = 30;
const PLACED: ReadingPlacement = { accountId: 'a1', commune: '34261', departement: '34', outsideCommunes: false };

describe('two processes uploading and reading the grid at once', () => {
  it('count every acknowledged reading once, and a tile’s version read after an upload differs from the one before', async () => {
    const first = await open('postgres');
    if (first.location.kind !== 'postgres') throw new Error('PostgreSQL only');
    // Both processes roll up in the background at once, besides their reads.
    const eager = { quietMs: 0, eagerAt: 1 };
    const a = await openPostgresStore(first.location.url, { gridRollUp: eager });
    const b = await openPostgresStore(first.location.url, { gridRollUp: eager });
    const processes: [Store, Store] = [a, b];
    try {
      const uploads = Array.from({ length: UPLOADS }, (_, index): Reading[] =>
        Array.from({ length: 3 + (index % 4) }, (_, k) =>
          makeReading({
            ...pointIn({ ...(k % 2 === 0 ? UNIT : NEXT_UNIT), resolutionM: 200 }, 3 + index + k * 0.2, 5.5),
            operator: OPERATORS[(index + k) % 4]!,
            signalDbm: -70 - index - k,
          }),
        ),
      );
      const unitOf = (reading: Reading) => (coarserCell(cellAt(reading.lon, reading.lat, 200)!, 10_000).east === UNIT.east ? 0 : 1);
      let reading = true;
      const reader = (async () => {
        for (let turn = 0; reading; turn += 1) await storedGrid(processes[turn % 2]!, 1000);
      })();
      const outcomes = await Promise.all(
        uploads.map(async (readings, index) => {
          const [writer, other] = index % 2 === 0 ? [a, b] : [b, a];
          const before = await other.gridTileVersions(TILES);
          // Sent twice at once: one of the two stores them, the other finds them taken.
          const [result, again] = await Promise.all([
            writer.ingest(
              readings,
              readings.map(() => PLACED),
            ),
            other.ingest(
              readings,
              readings.map(() => PLACED),
            ),
          ]);
          const after = await other.gridTileVersions(TILES);
          return { stored: result.accepted.length + again.accepted.length, readings, before, after };
        }),
      );
      reading = false;
      await reader;

      for (const { stored, readings, before, after } of outcomes) {
        expect(stored).toBe(readings.length);
        for (const unit of new Set(readings.map(unitOf))) expect(after[unit]).not.toBe(before[unit]);
      }
      const all = outcomes.flatMap((outcome) => outcome.readings);
      const places = new Map(all.map((r) => [r.id, PLACED]));
      for (const store of processes) {
        expect(await storedGrid(store, 200, undefined, EVERY_MONTH)).toEqual(recomputed(all, places, 200));
        expect(await storedGrid(store, 1000)).toEqual(recomputed(all, places, 1000));
        expect((await storedGrid(store, 10_000)).groups).toEqual(recomputed(all, places, 10_000).groups);
      }
      const { rows } = await withClient(first.location.url, (client) =>
        client.query<{ pending: number }>('SELECT coalesce(sum(cardinality(seqs)), 0)::int AS pending FROM grid_pending_batches'),
      );
      expect(rows[0]!.pending).toBe(0);
    } finally {
      await a.close();
      await b.close();
    }
  }, 120_000);
});
