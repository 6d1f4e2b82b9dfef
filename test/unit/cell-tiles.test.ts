import { describe, expect, it } from 'vitest';
import { cellAt } from '../../src/domain/grid/cell-id.ts';
import { cellRange } from '../../src/domain/grid/cell-range.ts';
import { formatTile, hasTiles, parseTile, TILE_CELLS, tileOfCell, tileRange, tilesCovering, tileSideM, tileUnits } from '../../src/domain/grid/cell-tiles.ts';

const HERAULT = { minLon: 2.53, minLat: 43.21, maxLon: 4.2, maxLat: 43.98 };

describe('tiles of the coverage grid', () => {
  it('are 50 cells a side, whole 10 km cells, for every resolution the map offers', () => {
    for (const resolutionM of [200, 1000, 2000, 5000, 10_000]) {
      expect(hasTiles(resolutionM)).toBe(true);
      expect(tileSideM(resolutionM) % 10_000).toBe(0);
      expect(tileRange({ resolutionM, east: 0, north: 0 }).cells).toBe(TILE_CELLS * TILE_CELLS);
    }
    expect(hasTiles(100)).toBe(false);
    expect(hasTiles(300)).toBe(false);
  });

  it('hold every cell of a box exactly once, each in the tile tileOfCell names', () => {
    for (const resolutionM of [200, 1000, 5000]) {
      const range = cellRange(HERAULT, resolutionM)!;
      const tiles = tilesCovering(HERAULT, resolutionM);
      const keys = new Set(tiles.map(formatTile));
      expect(keys.size).toBe(tiles.length);
      for (const [lon, lat] of [
        [HERAULT.minLon, HERAULT.minLat],
        [HERAULT.maxLon, HERAULT.maxLat],
        [3.8767, 43.6108],
      ] as const) {
        const cell = cellAt(lon, lat, resolutionM)!;
        const tile = tileOfCell(cell);
        expect(keys.has(formatTile(tile))).toBe(true);
        const cells = tileRange(tile);
        expect(cell.east).toBeGreaterThanOrEqual(cells.east[0]);
        expect(cell.east).toBeLessThanOrEqual(cells.east[1]);
        expect(cell.north).toBeGreaterThanOrEqual(cells.north[0]);
        expect(cell.north).toBeLessThanOrEqual(cells.north[1]);
      }
      const covered = tiles.reduce((sum, tile) => sum + tileRange(tile).cells, 0);
      expect(covered).toBeGreaterThanOrEqual(range.cells);
    }
  });

  it('whole Hérault at 1 km: a handful of tiles, not one per screen', () => {
    expect(tilesCovering(HERAULT, 1000).length).toBeLessThanOrEqual(12);
  });

  it('are made of 10 km cells: one at 200 m, 25 at 1 km', () => {
    expect(tileUnits({ resolutionM: 200, east: 3_750_000, north: 2_280_000 })).toEqual([{ resolutionM: 10_000, east: 3_750_000, north: 2_280_000 }]);
    const units = tileUnits({ resolutionM: 1000, east: 3_750_000, north: 2_250_000 });
    expect(units).toHaveLength(25);
    expect(units.every((unit) => unit.east % 10_000 === 0 && unit.north % 10_000 === 0)).toBe(true);
  });

  it('are named east,north and refused off their corners', () => {
    const tile = { resolutionM: 1000, east: 3_750_000, north: 2_250_000 };
    expect(parseTile(formatTile(tile), 1000)).toEqual(tile);
    expect(parseTile('3750000,2260000', 1000)).toBeUndefined();
    expect(parseTile('3750000;2250000', 1000)).toBeUndefined();
    expect(parseTile('-50000,0', 1000)).toBeUndefined();
    expect(parseTile('3750000,2250000', 300)).toBeUndefined();
  });
});
