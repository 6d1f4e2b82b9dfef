import type { Bbox } from '../../domain/geojson.ts';
import { cellBbox } from '../../domain/grid/cell-geometry.ts';
import type { CellRange } from '../../domain/grid/cell-range.ts';
import { cellNumber, coarserCell, formatCellId, parseCellId, type CellRef } from '../../domain/grid/cell-id.ts';
import { cellFeature, type CellProperties, type PolygonFeature } from '../../domain/grid/cell-geojson.ts';
import { DEFAULT_VERDICT_OPTIONS, judgeCell, type VerdictOptions } from '../../domain/grid/cell-verdict.ts';
import { coarsenGrid, gridFromJson, groupNumber, type CoverageGrid } from '../../domain/grid/grid-accumulator.ts';
import { mergeInto, type GroupStats } from '../../domain/grid/group-stats.ts';
import { judgeGrid, type GridFilter, type JudgedCell } from '../../domain/grid/judge-grid.ts';

import { OPERATORS } from '../../domain/operators.ts';
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

export interface GridRequest {
  range: CellRange;
  scope: GridScope;
  filter: GridFilter;
  fromMonth?: string;
  toMonth?: string;
  /** Leave residents' reports out (open data). */
  withoutReports?: boolean;
}

/** The stored rows `request` reads: their resolution, and the query without the kinds' filter. */
function storedQuery(request: GridRequest) {
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
  return { stored, query };
}

/** The grid of the cells in `range`, at its resolution, from the stored rows. */
export async function loadGrid(store: GridStore, request: GridRequest): Promise<CoverageGrid> {
  const { range, filter } = request;
  const { stored, query } = storedQuery(request);
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

/**
 * The judged cells of `request` that touch `bbox` (without `bbox`, every cell of the range: a
 * tile's): what `judgeInBbox(await loadGrid(store, request), request.filter, options, bbox)`
 * gives, made without the grid in between. The store
 * read only the rows the filter passes, and they are this call's own (grid-store.ts), so each
 * row's statistics merge straight into its cell × operator's (the first row's, no copy) rather
 * than into a group per cell × operator × technology × setting first, then into a copy per cell
 * × operator: a département at 1 km is ~90,000 rows for ~11,000 cells.
 */
export async function judgeStoredCells(store: GridStore, request: GridRequest, options: VerdictOptions, bbox?: Bbox): Promise<JudgedCell[]> {
  const { range } = request;
  const { stored, query } = storedQuery(request);
  const [groups, reports] = await Promise.all([
    store.gridGroups({
      ...query,
      ...(request.filter.technologies && { technologies: request.filter.technologies }),
      ...(request.filter.settings && { settings: request.filter.settings }),
    }),
    request.withoutReports ? Promise.resolve([]) : store.gridReports(query),
  ]);
  const cells = new Map<number, { ref: CellRef; stats: (GroupStats | undefined)[]; residentReports: number }>();
  // A stored cell's place in the answer's grid, by its id (a cell has a row per operator, technology, setting, département).
  const places = new Map<string, { ref: CellRef; key: number }>();
  const entryOf = (cell: string) => {
    let place = places.get(cell);
    if (!place) {
      const parsed = parseCellId(cell);
      if (!parsed || parsed.resolutionM !== stored) throw new RangeError(`Not a ${stored} m cell id: ${cell}`);
      const ref = range.resolutionM === stored ? parsed : coarserCell(parsed, range.resolutionM);
      place = { ref, key: cellNumber(ref) };
      places.set(cell, place);
    }
    let entry = cells.get(place.key);
    if (!entry) {
      entry = { ref: place.ref, stats: [undefined, undefined, undefined, undefined], residentReports: 0 };
      cells.set(place.key, entry);
    }
    return entry;
  };
  for (const { cell, operator, stats } of groups) {
    const entry = entryOf(cell);
    const o = OPERATOR_INDEX.get(operator)!;
    const existing = entry.stats[o];
    entry.stats[o] = existing ? mergeInto(existing, stats) : stats;
  }
  for (const { cell, count } of reports) entryOf(cell).residentReports += count;
  const judged: JudgedCell[] = [];
  for (const key of [...cells.keys()].sort((a, b) => a - b)) {
    const entry = cells.get(key)!;
    if (bbox) {
      const box = cellBbox(entry.ref);
      if (box.minLon > bbox.maxLon || box.maxLon < bbox.minLon || box.minLat > bbox.maxLat || box.maxLat < bbox.minLat) continue;
    }
    const operators: JudgedCell['operators'] = {};
    for (let o = 0; o < OPERATORS.length; o += 1) {
      const stats = entry.stats[o];
      if (stats) operators[OPERATORS[o]!] = stats;
    }
    const evidence = { operators, residentReports: entry.residentReports };
    judged.push({ cell: formatCellId(entry.ref), ref: entry.ref, ...evidence, verdict: judgeCell(evidence, options) });
  }
  return judged;
}

const OPERATOR_INDEX = new Map<string, number>(OPERATORS.map((o, i) => [o, i]));

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
