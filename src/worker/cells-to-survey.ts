import { cellIdAt, DEFAULT_RESOLUTION_M, formatCellId, type CellRef } from '../domain/grid/cell-id.ts';
import type { LonLat } from '../domain/grid/cell-geometry.ts';
import { toLaea } from '../domain/grid/laea.ts';
import { cellsOutline, type MultiPolygonGeometry, type PolygonGeometry } from '../domain/grid/outline.ts';
import type { Reading } from '../domain/reading.ts';

/**
 * « Mailles encore à parcourir »: the 200 m cells of a commune nobody has measured yet, so
 * that the agent sees where to drive next. Run in the worker: a large commune holds tens of
 * thousands of cells.
 */

export type OutlineGeometry = PolygonGeometry | MultiPolygonGeometry;

export interface CellsToSurvey {
  /** The union of the cells still to survey (one shape draws faster than thousands of squares). */
  geometry: OutlineGeometry;
  remaining: number;
  /** Cells whose centre lies in the commune. */
  total: number;
}

/** The cells whose centre lies inside the outline (holes excluded), in one scan per grid row. */
export function cellsInOutline(outline: OutlineGeometry, resolutionM = DEFAULT_RESOLUTION_M): CellRef[] {
  const polygons = outline.type === 'Polygon' ? [outline.coordinates] : outline.coordinates;
  const rings = polygons.flat().map((ring) => ring.map(([lon, lat]: LonLat) => toLaea(lon, lat)));
  let minNorth = Infinity;
  let maxNorth = -Infinity;
  for (const ring of rings) {
    for (const [, north] of ring) {
      minNorth = Math.min(minNorth, north);
      maxNorth = Math.max(maxNorth, north);
    }
  }
  const cells: CellRef[] = [];
  if (!Number.isFinite(minNorth)) return cells;
  const half = resolutionM / 2;
  for (let row = Math.floor(minNorth / resolutionM); row * resolutionM <= maxNorth; row += 1) {
    const y = row * resolutionM + half;
    // Even-odd rule over every ring: holes and separate pieces come out right without telling them apart.
    const crossings: number[] = [];
    for (const ring of rings) {
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i, i += 1) {
        const [x1, y1] = ring[j]!;
        const [x2, y2] = ring[i]!;
        if (y1 <= y !== y2 <= y) crossings.push(x1 + ((y - y1) * (x2 - x1)) / (y2 - y1));
      }
    }
    crossings.sort((a, b) => a - b);
    for (let k = 0; k + 1 < crossings.length; k += 2) {
      const first = Math.ceil((crossings[k]! - half) / resolutionM);
      for (let column = first; column * resolutionM + half < crossings[k + 1]!; column += 1) {
        cells.push({ resolutionM, north: row * resolutionM, east: column * resolutionM });
      }
    }
  }
  return cells;
}

/** The commune's cells minus those with a reading: the server's (campaign progress) and this device's. */
export function cellsToSurvey(
  outline: OutlineGeometry,
  visitedCellIds: readonly string[],
  deviceReadings: readonly Pick<Reading, 'lat' | 'lon'>[],
): CellsToSurvey {
  const visited = new Set(visitedCellIds);
  for (const reading of deviceReadings) {
    const id = cellIdAt(reading.lon, reading.lat);
    if (id) visited.add(id);
  }
  const inside = cellsInOutline(outline);
  const remaining = inside.filter((cell) => !visited.has(formatCellId(cell)));
  return { geometry: cellsOutline(remaining), remaining: remaining.length, total: inside.length };
}
