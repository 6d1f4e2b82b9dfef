import { coarserCell, type CellRef } from '../../domain/grid/cell-id.ts';
import { baseCellOf, COARSE_RESOLUTION_M } from './grid-batch.ts';
import { TOTAL_ONLY_RESOLUTION_M, type GridRebuildCounts } from './grid-store.ts';

/**
 * Both stores' rebuildGrid (grid-store.ts): which cells to rebuild, and the rebuild unit by unit.
 * A store answers where anything of the grid lies (readings' cells, visible reports' points, and
 * every row already in the grid tables, stale ones included: they must go); this groups those
 * places into 10 km squares of 1 km cells, each square rebuilt in one transaction so that its
 * 10 km all-periods rows are merged from 1 km rows all rebuilt already.
 */
export interface GridPlaces {
  /** Cells of any stored resolution (200 m, 1 km, 10 km) holding readings or grid rows. */
  cells: Iterable<CellRef>;
  /** Visible reports' positions. */
  reportPoints: Iterable<{ lat: number; lon: number }>;
}

/** The 1 km cells to rebuild, per 10 km unit, units in north then east order. */
export function rebuildUnits({ cells, reportPoints }: GridPlaces): CellRef[][] {
  const units = new Map<string, { unit: CellRef; cells: Map<string, CellRef> }>();
  const add = (cell: CellRef) => {
    // A 10 km row is rebuilt with its unit: its south-west 1 km cell stands for it.
    const oneKm =
      cell.resolutionM === TOTAL_ONLY_RESOLUTION_M
        ? { resolutionM: COARSE_RESOLUTION_M, north: cell.north, east: cell.east }
        : coarserCell(cell, COARSE_RESOLUTION_M);
    const unit = coarserCell(oneKm, TOTAL_ONLY_RESOLUTION_M);
    const key = `${unit.north}/${unit.east}`;
    let entry = units.get(key);
    if (!entry) units.set(key, (entry = { unit, cells: new Map() }));
    entry.cells.set(`${oneKm.north}/${oneKm.east}`, oneKm);
  };
  for (const cell of cells) add(cell);
  for (const { lat, lon } of reportPoints) {
    const cell = baseCellOf(lon, lat);
    if (cell) add(cell);
  }
  return [...units.values()]
    .sort((a, b) => a.unit.north - b.unit.north || a.unit.east - b.unit.east)
    .map((entry) => [...entry.cells.values()].sort((a, b) => a.north - b.north || a.east - b.east));
}

/** The longest pause between two squares' transactions. */
const MAX_PAUSE_MS = 100;

/**
 * Rebuilds square after square (`rebuildUnit`: one transaction), telling `onUnit` after each.
 * After each it waits as long as the square took (up to {@link MAX_PAUSE_MS}): a server on the
 * same SQLite file waits for the write lock meanwhile (its busy timeout), and must get it
 * between two squares rather than queue behind the whole rebuild.
 */
export async function rebuildByUnit(
  units: readonly CellRef[][],
  rebuildUnit: (cells: readonly CellRef[]) => void | Promise<void>,
  onUnit?: (done: number, total: number) => void,
): Promise<GridRebuildCounts> {
  let cells = 0;
  for (const [index, unitCells] of units.entries()) {
    const started = performance.now();
    await rebuildUnit(unitCells);
    cells += unitCells.length;
    onUnit?.(index + 1, units.length);
    const took = performance.now() - started;
    if (index < units.length - 1) await new Promise((resolve) => setTimeout(resolve, Math.min(took, MAX_PAUSE_MS)));
  }
  return { units: units.length, cells };
}
