import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { coarsenGrid, gridFromJson, gridToJson } from '../../src/domain/grid/grid-accumulator.ts';
import { OPERATORS } from '../../src/domain/operators.ts';
import type { Reading } from '../../src/domain/reading.ts';
import type { ReadingPlacement } from '../../src/server/storage/reading-store.ts';
import { openTestStore, TEST_STORE_KIND, type TestStore } from '../support/test-store.ts';
import { makeReading, useTempDir } from './fixtures.ts';
import { CELL_A, EVERY_MONTH, pointIn, recomputed, storedGrid } from './grid-helpers.ts';

/**
 * The grid a store keeps through any sequence of batches — readings sharing grid rows within a
 * batch and across batches, repeats inside a batch, earlier readings sent again (some
 * changed: conflicts) — equals the grid built from scratch from the readings it stored, at
 * every stored resolution, per month and for all periods.
 */

const tempDir = useTempDir();
const testStores: TestStore[] = [];
afterEach(async () => {
  for (const testStore of testStores.splice(0)) await testStore.dispose();
});

/** A patch of 3 × 2 cells of 200 m from CELL_A, and one 20 km away (another 10 km row); a few instants over two months. */
const arbFresh = fc
  .record({
    far: fc.boolean(),
    x: fc.double({ min: 0, max: 2.99, noNaN: true }),
    y: fc.double({ min: 0, max: 1.99, noNaN: true }),
    day: fc.constantFrom('2026-03-31T23:30:00.000Z', '2026-04-01T00:30:00.000+02:00', '2026-04-15T10:00:00.000Z', '2026-05-02T08:00:00.000Z'),
    operator: fc.constantFrom(...OPERATORS.slice(0, 2)),
    technology: fc.constantFrom('4G', '4G', '3G', 'none'),
    setting: fc.constantFrom('outdoor', 'outdoor', 'indoor'),
    signalDbm: fc.integer({ min: -130, max: -70 }),
    voice: fc.constantFrom('ok', 'failed', 'dropped', 'not-tested'),
    callTest: fc.option(fc.integer({ min: 1, max: 200 }), { nil: undefined }),
    protocol: fc.constantFrom(undefined, 'map-check', 'qos'),
    source: fc.constantFrom('agent', 'agent', 'agent', 'resident'),
    accountId: fc.constantFrom('a1', 'a2', null),
    departement: fc.constantFrom('34', '34', '30', null),
  })
  .map(({ far, x, y, day, technology, signalDbm, callTest, protocol, accountId, departement, ...rest }) => {
    const corner = far ? { ...CELL_A, east: CELL_A.east + 20_000 } : CELL_A;
    const { lat, lon } = pointIn({ ...corner, resolutionM: 200 }, x, y);
    const reading: Reading = makeReading({ ...rest, lat, lon, recordedAt: day, technology, ...(protocol ? { protocol } : {}) });
    if (technology === 'none') delete reading.signalDbm;
    else reading.signalDbm = signalDbm;
    if (callTest !== undefined) reading.callTest = { startedAt: day, durationS: callTest };
    const place: ReadingPlacement = { accountId, commune: null, departement, outsideCommunes: false };
    return { reading, place };
  });

/** What a batch sends: fresh readings, then some of the earlier ones again (the same, or changed), then a repeat of its own. */
const arbBatch = fc.record({
  fresh: fc.array(arbFresh, { minLength: 1, maxLength: 25 }),
  resent: fc.array(fc.record({ pick: fc.nat(), changed: fc.boolean() }), { maxLength: 6 }),
  repeatOwn: fc.boolean(),
});

describe('the grid after random batches', () => {
  it('equals the grid built from scratch from the stored readings, through duplicates, repeats and re-sends', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(arbBatch, { minLength: 1, maxLength: 4 }), async (batches) => {
        const testStore = await openTestStore(tempDir());
        testStores.push(testStore);
        const { store } = testStore;
        const stored: Reading[] = [];
        const places = new Map<string, ReadingPlacement>();
        for (const { fresh, resent, repeatOwn } of batches) {
          const readings = fresh.map((f) => f.reading);
          const placements = fresh.map((f) => f.place);
          const again = stored.length === 0 ? [] : resent.map(({ pick, changed }) => ({ pick: stored[pick % stored.length]!, changed }));
          for (const { pick, changed } of again) {
            readings.push(changed ? { ...pick, accuracyM: pick.accuracyM + 1 } : pick);
            placements.push(places.get(pick.id)!);
          }
          if (repeatOwn) {
            readings.push(fresh[0]!.reading);
            placements.push(fresh[0]!.place);
          }
          const result = await store.ingest(readings, placements);
          expect(result.accepted).toEqual(fresh.map((f) => f.reading.id));
          fresh.forEach((f) => places.set(f.reading.id, f.place));
          stored.push(...fresh.map((f) => f.reading));
        }
        for (const resolutionM of [200, 1000] as const) {
          const expected = recomputed(stored, places, resolutionM);
          expect(await storedGrid(store, resolutionM, undefined, EVERY_MONTH)).toEqual(expected);
          expect(await storedGrid(store, resolutionM, ['34'])).toEqual(recomputed(stored, places, resolutionM, ['34']));
        }
        // The all-periods rows: 1 km as the month rows merged, 10 km as the 1 km ones merged.
        expect(await storedGrid(store, 1000)).toEqual(recomputed(stored, places, 1000));
        const tenKm = await storedGrid(store, 10_000);
        expect(tenKm.groups).toEqual(recomputed(stored, places, 10_000).groups);
        expect(tenKm).toEqual(gridToJson(coarsenGrid(gridFromJson(await storedGrid(store, 1000)), 10_000)));
        await testStore.dispose();
      }),
      // Each run opens a store (a schema on PostgreSQL): fewer runs there.
      { numRuns: TEST_STORE_KIND === 'postgres' ? 12 : 30, seed: 19 },
    );
  }, 120_000);
});
