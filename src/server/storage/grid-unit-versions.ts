import { coarserCell, type CellRef } from '../../domain/grid/cell-id.ts';
import { formatTile, tileSideM, TILE_UNIT_M, type CellTile } from '../../domain/grid/cell-tiles.ts';
import { baseCellOf, type PendingGrid } from './grid-batch.ts';

/**
 * Per-tile grid versions (GridVersionStore.gridTileVersions), the parts both stores share.
 *
 * Every 10 km cell (a "unit": the cells tiles are made of, domain/grid/cell-tiles.ts) has a
 * change counter, table `grid_unit_changes` (north, east, changes), absent for a unit never
 * changed (counts 0). A write that adds to or takes from what the grid's rows of a unit
 * answer increments its counter once, in its own transaction: an ingest of readings, whose
 * rows a later roll-up writes (grid-roll-up.ts: every read of rows rolls up first), and a
 * report stored, hidden or shown, with its rows ({@link notingUnits} wraps that write's grid
 * batch; sqlite/sqlite-grid-units.ts and postgres/postgres-grid-units.ts flush the counters
 * after the rows). A tile's version is `<store-wide part>.<sum of its units'
 * counters>`: counters only grow, so the sum grows whenever one of them does, and the
 * store-wide part changes after every write that may change any tile (declared coverage,
 * population, communes' placements: GRID_EFFECT's 'changes-grid-everywhere').
 *
 * Why counting inside the writer's transaction is safe: the cells route reads a tile's version
 * BEFORE building its answer, so an answer must never be older than its version.
 * - SQLite: one process writes, each transaction runs whole between two awaits; a version read
 *   sees only committed counters, and the build, later, sees at least those commits' rows.
 * - PostgreSQL (READ COMMITTED, any number of processes): the counter and the rows commit
 *   together, so a version that includes a write's increment was read after that write
 *   committed; every statement of the build, run later, takes a newer snapshot and sees its
 *   rows. A write committing between the version's read and the build makes the answer newer
 *   than its version, never older: the next reader sees the new counter and builds again.
 * An increment lost or doubled cannot happen: it is `changes = changes + 1` under the row's
 * lock (`ON CONFLICT DO UPDATE`), and a rolled-back write takes its increment with it.
 */

/** The side of a unit, metres. */
export const UNIT_M = TILE_UNIT_M;

/** The distinct units a write touched, sorted by north then east (the order their rows are locked in). */
export interface TouchedUnits {
  north: number[];
  east: number[];
}

export interface UnitTally {
  /** A 200 m cell (or any cell nested in a unit) whose grid rows the write changes. */
  addCell(cell: CellRef | undefined): void;
  /** The units noted since the last call, which starts afresh. */
  take(): TouchedUnits;
}

export function unitTally(): UnitTally {
  const units = new Map<string, [number, number]>();
  return {
    addCell(cell) {
      if (!cell) return;
      const { north, east } = cell.resolutionM === UNIT_M ? cell : coarserCell(cell, UNIT_M);
      const key = `${north},${east}`;
      if (!units.has(key)) units.set(key, [north, east]);
    },
    take() {
      const sorted = [...units.values()].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
      units.clear();
      return { north: sorted.map((unit) => unit[0]), east: sorted.map((unit) => unit[1]) };
    },
  };
}

/** `batch`, noting in `tally` the unit of every reading and report it is handed (in the same cells as the grid rows it adds to). */
export function notingUnits<B extends Omit<PendingGrid, 'take'>>(batch: B, tally: UnitTally): B {
  return {
    ...batch,
    addReading(reading, accountId, departement, cell) {
      tally.addCell(cell);
      batch.addReading(reading, accountId, departement, cell);
    },
    addReport(report, departement, delta) {
      tally.addCell(baseCellOf(report.lon, report.lat));
      batch.addReport(report, departement, delta);
    },
  };
}

/**
 * What a store reads of the counters for these tiles: those of the units in one box (their
 * corners), summed by blocks of `blockM` metres (the greatest common divisor of the tiles'
 * sides, a multiple of the unit's): a block lies in exactly one tile of each resolution asked,
 * and a call for tiles of one resolution reads one sum per tile rather than one row per unit.
 */
export function unitsBox(tiles: readonly CellTile[]): { north: [number, number]; east: [number, number]; blockM: number } | undefined {
  if (tiles.length === 0) return undefined;
  const north: [number, number] = [Infinity, -Infinity];
  const east: [number, number] = [Infinity, -Infinity];
  let blockM = 0;
  for (const tile of tiles) {
    blockM = greatestCommonDivisor(blockM, tileSideM(tile.resolutionM));
    const last = tileSideM(tile.resolutionM) - UNIT_M;
    north[0] = Math.min(north[0], tile.north);
    north[1] = Math.max(north[1], tile.north + last);
    east[0] = Math.min(east[0], tile.east);
    east[1] = Math.max(east[1], tile.east + last);
  }
  return { north, east, blockM };
}

function greatestCommonDivisor(a: number, b: number): number {
  return b === 0 ? a : greatestCommonDivisor(b, a % b);
}

/** Counters as read: the south-west corner of a unit or a block of units ({@link unitsBox}), and their sum. */
export type UnitChanges = readonly [north: number, east: number, changes: number];

/**
 * Each tile's version, in order, from the store-wide part and the counters of (at least) the
 * units in {@link unitsBox}, one by one or by blocks: a unit, or a block, lies in exactly one
 * tile of each resolution, so each sum is added to at most one tile per resolution asked.
 */
export function tileVersions(tiles: readonly CellTile[], storeWide: string, units: Iterable<UnitChanges>): string[] {
  const sums = new Map<number, Map<string, number>>();
  for (const tile of tiles) {
    let ofResolution = sums.get(tile.resolutionM);
    if (!ofResolution) sums.set(tile.resolutionM, (ofResolution = new Map()));
    ofResolution.set(formatTile(tile), 0);
  }
  const resolutions = [...sums].map(([resolutionM, ofResolution]) => ({ side: tileSideM(resolutionM), ofResolution }));
  for (const [north, east, changes] of units) {
    for (const { side, ofResolution } of resolutions) {
      const key = `${Math.floor(east / side) * side},${Math.floor(north / side) * side}`;
      const sum = ofResolution.get(key);
      if (sum !== undefined) ofResolution.set(key, sum + changes);
    }
  }
  return tiles.map((tile) => `${storeWide}.${sums.get(tile.resolutionM)?.get(formatTile(tile)) ?? 0}`);
}
