import type { Bbox } from '../geojson.ts';
import { MAX_CELL_INDEX, type CellRef } from './cell-id.ts';
import { isInLaeaArea, LAEA_AREA_OF_USE, toLaea } from './laea.ts';

/** Cells of one resolution whose south-west corners lie in these EPSG:3035 ranges. */
export interface CellRange {
  resolutionM: number;
  north: [number, number];
  east: [number, number];
  /** How many cells the ranges hold. */
  cells: number;
}

/** The whole grid at a resolution (open data). */
export function wholeRange(resolutionM: number): CellRange {
  const last = (MAX_CELL_INDEX - 1) * resolutionM;
  return { resolutionM, north: [0, last], east: [0, last], cells: Infinity };
}

/**
 * The cells of `resolutionM` that may touch a lon/lat box: the box's outline sampled and
 * projected (its sides are curves in EPSG:3035). Undefined when the box lies outside
 * EPSG:3035's area of use (no INSPIRE grid there).
 */
export function cellRange(bbox: Bbox, resolutionM: number): CellRange | undefined {
  const area = LAEA_AREA_OF_USE;
  const box = {
    minLon: Math.max(bbox.minLon, area.minLon),
    minLat: Math.max(bbox.minLat, area.minLat),
    maxLon: Math.min(bbox.maxLon, area.maxLon),
    maxLat: Math.min(bbox.maxLat, area.maxLat),
  };
  if (box.minLon > box.maxLon || box.minLat > box.maxLat || !isInLaeaArea(box.minLon, box.minLat)) return undefined;
  const steps = 16;
  let minE = Infinity;
  let minN = Infinity;
  let maxE = -Infinity;
  let maxN = -Infinity;
  for (let i = 0; i <= steps; i += 1) {
    const lon = box.minLon + ((box.maxLon - box.minLon) * i) / steps;
    const lat = box.minLat + ((box.maxLat - box.minLat) * i) / steps;
    for (const [x, y] of [toLaea(lon, box.minLat), toLaea(lon, box.maxLat), toLaea(box.minLon, lat), toLaea(box.maxLon, lat)]) {
      if (x < minE) minE = x;
      if (x > maxE) maxE = x;
      if (y < minN) minN = y;
      if (y > maxN) maxN = y;
    }
  }
  const floor = (metres: number) => Math.max(0, Math.floor(metres / resolutionM) * resolutionM);
  const north: [number, number] = [floor(minN), floor(maxN)];
  const east: [number, number] = [floor(minE), floor(maxE)];
  const cells = ((north[1] - north[0]) / resolutionM + 1) * ((east[1] - east[0]) / resolutionM + 1);
  return { resolutionM, north, east, cells };
}

/** The smallest range holding these cells (all of one resolution). */
export function rangeOfCells(cells: readonly CellRef[]): CellRange {
  const resolutionM = cells[0]!.resolutionM;
  const norths = cells.map((c) => c.north);
  const easts = cells.map((c) => c.east);
  const north: [number, number] = [Math.min(...norths), Math.max(...norths)];
  const east: [number, number] = [Math.min(...easts), Math.max(...easts)];
  return { resolutionM, north, east, cells: cells.length };
}
