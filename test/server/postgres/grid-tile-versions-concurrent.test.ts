import { describe, expect, it } from 'vitest';
import { cellAt, coarserCell, type CellRef } from '../../../src/domain/grid/cell-id.ts';
import { tileOfCell } from '../../../src/domain/grid/cell-tiles.ts';
import { OPERATORS } from '../../../src/domain/operators.ts';
import { SETTINGS } from '../../../src/domain/reading.ts';
import type { Store } from '../../../src/server/storage/store.ts';
import { makeReading, SAINT_GUILHEM, useTempDir } from '../fixtures.ts';
import { pointIn } from '../grid-helpers.ts';
import { useStores } from './stores.ts';

/**
 * Per-tile grid versions (grid-unit-versions.ts) with several app processes writing at once:
 * every roll-up of committed uploads (grid-roll-up.ts) counts one change in each of its 10 km
 * cells (none lost when two transactions count the same cell), a version read after an upload
 * differs from the one read before it, and a version read before building is never newer than
 * the grid rows read after it.
 */

const { twoProcesses } = useStores(useTempDir());

const UNIT = coarserCell(cellAt(SAINT_GUILHEM.lon, SAINT_GUILHEM.lat, 200)!, 10_000);
const NEXT_UNIT: CellRef = { ...UNIT, east: UNIT.east + 10_000 };
/** At 200 m a tile is one 10 km cell: its version's last part is that cell's counter. */
const TILE = tileOfCell({ ...UNIT, resolutionM: 200 });
const NEXT_TILE = tileOfCell({ ...NEXT_UNIT, resolutionM: 200 });
const RADIO = ['2G', '3G', '4G', '5G'] as const;
const READINGS_PER_UPLOAD = 4;
const UPLOADS = 24;

/** The counter part of a version (`<store-wide>.<sum of counters>`). */
const changesIn = (version: string) => Number(version.slice(version.lastIndexOf('.') + 1));

/** Readings in UNIT's grid rows (all periods, 10 km). */
async function readingsInUnit(store: Store): Promise<number> {
  const rows = await store.gridGroups({ resolutionM: 10_000, north: [UNIT.north, UNIT.north], east: [UNIT.east, UNIT.east], scope: { kind: 'all' } });
  return rows.reduce((sum, row) => sum + row.stats.readings, 0);
}

describe('two processes uploading into the same 10 km cells at once', () => {
  it('count every roll-up of committed uploads in its tiles’ versions, and no version is newer than the rows read after it', async () => {
    const [a, b] = await twoProcesses();
    const storeWide = (await a.gridTileVersions([TILE]))[0]!.replace(/\.\d+$/, '');
    // Every upload writes in UNIT; every other one in NEXT_UNIT too, half of those listing it
    // first. Each its own operator × technology × setting: they share no grid row, so only the
    // counters could make them wait for each other.
    const uploads = Array.from({ length: UPLOADS }, (_, index) => {
      const kind = {
        operator: OPERATORS[index % 4]!,
        setting: SETTINGS[Math.floor(index / 4) % 3]!,
        technology: RADIO[Math.floor(index / 12) % RADIO.length]!,
      };
      const here = Array.from({ length: READINGS_PER_UPLOAD }, (_, k) => makeReading({ ...kind, ...pointIn(UNIT, (k + 0.5) / READINGS_PER_UPLOAD, 0.5) }));
      if (index % 2 === 0) return here;
      const there = [makeReading({ ...kind, ...pointIn(NEXT_UNIT, 0.5, 0.5) })];
      return index % 4 === 1 ? [...there, ...here] : [...here, ...there];
    });

    let writing = true;
    const observed: { changes: number; readings: number }[] = [];
    const reader = (async () => {
      for (let turn = 0; writing; turn += 1) {
        const store = turn % 2 === 0 ? a : b;
        // As the cells route does: the version first, then the rows.
        const [version] = await store.gridTileVersions([TILE]);
        observed.push({ changes: changesIn(version!), readings: await readingsInUnit(store) });
      }
    })();
    const written = await Promise.all(
      uploads.map(async (readings, index) => {
        const store = index % 2 === 0 ? a : b;
        const [before] = await store.gridTileVersions([TILE]);
        const result = await store.ingest(readings);
        const [after] = await store.gridTileVersions([TILE]);
        return { accepted: result.accepted.length, uploaded: readings.length, before: before!, after: after! };
      }),
    );
    writing = false;
    await reader;

    for (const { accepted, uploaded, before, after } of written) {
      expect(accepted).toBe(uploaded);
      expect(changesIn(after)).toBeGreaterThan(changesIn(before));
    }
    // One increment per roll-up that took readings of the cell (grid-roll-up.ts): at least one,
    // at most one per upload (a roll-up takes an upload whole, often several at once).
    const [tile, nextTile] = await b.gridTileVersions([TILE, NEXT_TILE]);
    expect(tile!.startsWith(`${storeWide}.`)).toBe(true);
    expect(changesIn(tile!)).toBeGreaterThan(0);
    expect(changesIn(tile!)).toBeLessThanOrEqual(UPLOADS);
    expect(changesIn(nextTile!)).toBeGreaterThan(0);
    expect(changesIn(nextTile!)).toBeLessThanOrEqual(UPLOADS / 2);
    expect(await readingsInUnit(a)).toBe(UPLOADS * READINGS_PER_UPLOAD);
    // Each version read saw rows of at least every upload it counted.
    expect(observed.length).toBeGreaterThan(0);
    for (const { changes, readings } of observed) expect(readings).toBeGreaterThanOrEqual(changes * READINGS_PER_UPLOAD);
  });
});
