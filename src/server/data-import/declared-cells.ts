import { DECLARED_LEVEL_BY_CODE, type DeclaredLevel } from '../../domain/grid/declared-level.ts';
import { majorityPerCell, paintMax, type FlatRing, type SampleGrid } from '../../domain/grid/rasterize.ts';
import type { DeclaredCell } from '../storage/declared-coverage-store.ts';
import type { DepartementCells } from './departement-cells.ts';

/**
 * The declared level of each cell of a département: the level covering most of the cell,
 * area-weighted by sampling each 200 m cell at 4 × 4 points 50 m apart (a polygon covering a
 * sixteenth of a cell counts as a sixteenth of it). A sample no polygon covers declares no
 * coverage; one that several polygons cover takes the best level they declare. Each 1 km
 * cell takes the level most of its 200 m cells of the département have.
 */

export const SAMPLES_PER_SIDE = 4;
const BLOCK = 5;

export interface LevelPolygon {
  /** Rings in EPSG:3035 metres, outer first. */
  rings: readonly FlatRing[];
  /** declaredLevelCode(): none 0, CL 1, BC 2, TBC 3. */
  code: number;
}

export interface DeclaredCells {
  cells: DeclaredCell[];
  /** 200 m cells per level. */
  counts: Record<DeclaredLevel, number>;
  /** Whether any polygon (other than « pas de couverture ») covers a sample of the département. */
  touched: boolean;
}

export function computeDeclaredCells(departement: DepartementCells, polygons: Iterable<LevelPolygon>): DeclaredCells {
  const { grid, inside } = departement;
  const samples: SampleGrid = {
    east: grid.east,
    north: grid.north,
    step: grid.step / SAMPLES_PER_SIDE,
    columns: grid.columns * SAMPLES_PER_SIDE,
    rows: grid.rows * SAMPLES_PER_SIDE,
  };
  const raster = new Uint8Array(samples.columns * samples.rows);
  for (const polygon of polygons) if (polygon.code > 0) paintMax(raster, samples, polygon.rings, polygon.code);
  const levels = majorityPerCell(raster, samples, SAMPLES_PER_SIDE, DECLARED_LEVEL_BY_CODE.length);

  const counts: Record<DeclaredLevel, number> = { TBC: 0, BC: 0, CL: 0, none: 0 };
  const cells: DeclaredCell[] = [];
  let touched = false;
  for (let row = 0; row < grid.rows; row += 1) {
    for (let column = 0; column < grid.columns; column += 1) {
      const index = row * grid.columns + column;
      if (!inside[index]) continue;
      const level = DECLARED_LEVEL_BY_CODE[levels[index]!]!;
      counts[level] += 1;
      if (level !== 'none') touched = true;
      cells.push({ resolutionM: 200, north: grid.north + row * grid.step, east: grid.east + column * grid.step, level });
    }
  }
  const blockCounts = new Uint16Array(DECLARED_LEVEL_BY_CODE.length);
  for (let blockRow = 0; blockRow * BLOCK < grid.rows; blockRow += 1) {
    for (let blockColumn = 0; blockColumn * BLOCK < grid.columns; blockColumn += 1) {
      blockCounts.fill(0);
      let any = false;
      for (let row = blockRow * BLOCK; row < (blockRow + 1) * BLOCK; row += 1) {
        for (let column = blockColumn * BLOCK; column < (blockColumn + 1) * BLOCK; column += 1) {
          const index = row * grid.columns + column;
          if (!inside[index]) continue;
          any = true;
          blockCounts[levels[index]!]! += 1;
        }
      }
      if (!any) continue;
      let best = 0;
      for (let code = 1; code < blockCounts.length; code += 1) if (blockCounts[code]! > blockCounts[best]!) best = code;
      const step = grid.step * BLOCK;
      cells.push({ resolutionM: 1000, north: grid.north + blockRow * step, east: grid.east + blockColumn * step, level: DECLARED_LEVEL_BY_CODE[best]! });
    }
  }
  return { cells, counts, touched };
}
