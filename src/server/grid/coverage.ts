import type { Bbox } from '../../domain/geojson.ts';
import { cellBbox } from '../../domain/grid/cell-geometry.ts';
import { MAX_CELL_INDEX, parseCellId, type CellRef } from '../../domain/grid/cell-id.ts';
import { cellFeature, type CellProperties, type PolygonFeature } from '../../domain/grid/cell-geojson.ts';
import { DEFAULT_VERDICT_OPTIONS, judgeCell, type VerdictOptions } from '../../domain/grid/cell-verdict.ts';
import { coarsenGrid, gridFromJson, groupNumber, type CoverageGrid } from '../../domain/grid/grid-accumulator.ts';
import { mergeInto } from '../../domain/grid/group-stats.ts';
import { judgeGrid, type GridFilter, type JudgedCell } from '../../domain/grid/judge-grid.ts';
import { isInLaeaArea, LAEA_AREA_OF_USE, toLaea } from '../../domain/grid/laea.ts';
import type { GridSettings } from '../config.ts';
import { TOTAL_ONLY_RESOLUTION_M, type GridScope, type GridStore, type StoredResolution } from '../storage/grid-store.ts';

/**
 * The server's view of the coverage grid: reads the aggregate rows the store keeps up to date
 * (grid-store.ts), merges them (months, départements, then coarser cells) and judges them
 * with the domain's rule (src/domain/grid). Nothing here goes back to the readings.
 */

/** More cells than this in one request's box is refused: ask a coarser resolution. */
export const MAX_CELLS_PER_REQUEST = 40_000;
/** Resolutions offered by GET /api/v1/cells. */
export const CELL_RESOLUTIONS_M = [200, 1000, 2000, 5000, 10_000] as const;

export function verdictOptions(settings: GridSettings): VerdictOptions {
  return {
    ...DEFAULT_VERDICT_OPTIONS,
    minReadings: settings.minReadings,
    minContributors: settings.minContributors,
    minResidentReports: settings.minResidentReports,
    confidence: settings.confidence,
    coverageThreshold: settings.coverageThreshold,
    callThreshold: settings.callThreshold,
  };
}

/**
 * The coarsest stored resolution that nests cells of `resolutionM`: 10 km rows exist for all
 * periods only.
 */
export function storedResolutionFor(resolutionM: number, allPeriods = false): StoredResolution {
  if (allPeriods && resolutionM % TOTAL_ONLY_RESOLUTION_M === 0) return TOTAL_ONLY_RESOLUTION_M;
  return resolutionM % 1000 === 0 ? 1000 : 200;
}

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

export interface GridRequest {
  range: CellRange;
  scope: GridScope;
  filter: GridFilter;
  fromMonth?: string;
  toMonth?: string;
  /** Leave residents' reports out (open data). */
  withoutReports?: boolean;
}

/** The grid of the cells in `range`, at its resolution, from the stored rows. */
export async function loadGrid(store: GridStore, request: GridRequest): Promise<CoverageGrid> {
  const { range, scope, filter } = request;
  const stored = storedResolutionFor(range.resolutionM, !request.fromMonth && !request.toMonth);
  const tail = range.resolutionM - stored;
  const query = {
    resolutionM: stored,
    north: [range.north[0], range.north[1] + tail] as const,
    east: [range.east[0], range.east[1] + tail] as const,
    scope,
    ...(filter.operators && { operators: filter.operators }),
    ...(request.fromMonth && { fromMonth: request.fromMonth }),
    ...(request.toMonth && { toMonth: request.toMonth }),
  };
  const [groups, reports] = await Promise.all([
    store.gridGroups({ ...query, ...(filter.technologies && { technologies: filter.technologies }), ...(filter.settings && { settings: filter.settings }) }),
    request.withoutReports ? Promise.resolve([]) : store.gridReports(query),
  ]);
  const residents = reports.map(({ cell, operator, count }) => ({ cell, operator, count, firstMs: null, lastMs: null }));
  const grid = gridFromJson({ version: 1, resolutionM: stored, groups: [], residents, outsideGrid: 0 });
  // The rows' statistics are this call's own (grid-store.ts): merged in place rather than
  // cloned, and each cell id parsed once rather than once per row (a cell has rows per
  // operator, technology, setting, month and département).
  const refs = new Map<string, CellRef>();
  for (const { cell, operator, technology, setting, stats } of groups) {
    let ref = refs.get(cell);
    if (!ref) {
      ref = parseCellId(cell);
      if (!ref || ref.resolutionM !== stored) throw new RangeError(`Not a ${stored} m cell id: ${cell}`);
      refs.set(cell, ref);
    }
    const key = groupNumber(ref, operator, technology, setting);
    const existing = grid.groups.get(key);
    if (existing) mergeInto(existing.stats, stats);
    else grid.groups.set(key, { cell, ref, operator, technology, setting, stats });
  }
  return range.resolutionM === stored ? grid : coarsenGrid(grid, range.resolutionM);
}

/** Judged cells of the grid that touch the box. */
export function judgeInBbox(grid: CoverageGrid, filter: GridFilter, options: VerdictOptions, bbox: Bbox): JudgedCell[] {
  return judgeGrid(grid, filter, options).filter((cell) => {
    const box = cellBbox(cell.ref);
    return box.minLon <= bbox.maxLon && box.maxLon >= bbox.minLon && box.minLat <= bbox.maxLat && box.maxLat >= bbox.minLat;
  });
}

/**
 * Judged cells for exactly these cell ids, in their order; a cell without any evidence is
 * judged too (insufficient), so that a zone's every cell is accounted for.
 */
export function judgeCells(grid: CoverageGrid, filter: GridFilter, options: VerdictOptions, cellIds: readonly string[]): JudgedCell[] {
  const judged = new Map(judgeGrid(grid, filter, options).map((cell) => [cell.cell, cell]));
  return cellIds.map((id) => {
    const found = judged.get(id);
    if (found) return found;
    const evidence = { operators: {}, residentReports: 0 };
    return { cell: id, ref: parseCellId(id)!, ...evidence, verdict: judgeCell(evidence, options) };
  });
}

export type CellFeatureProperties = CellProperties & { cellId: string };

/** A cell as GET /api/v1/cells answers it: the domain's feature, plus `cellId`. */
export function apiCellFeature(judged: JudgedCell, options: Readonly<VerdictOptions> = DEFAULT_VERDICT_OPTIONS): PolygonFeature<CellFeatureProperties> {
  const feature = cellFeature(judged, options);
  return { ...feature, properties: { cellId: judged.cell, ...feature.properties } };
}
