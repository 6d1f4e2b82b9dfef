import { wholeRange } from '../../domain/grid/cell-range.ts';
import { parseCellId } from '../../domain/grid/cell-id.ts';
import { formatTile, tileOfCell, type CellTile } from '../../domain/grid/cell-tiles.ts';
import { TOTAL_ONLY_RESOLUTION_M, type GridQuery, type GridScope, type GridStore } from '../storage/grid-store.ts';
import { CELL_RESOLUTIONS_M } from './coverage.ts';

/**
 * The tiles of the reviewers' map (src/domain/grid/cell-tiles.ts) that hold evidence, for the
 * scopes that look at them: the admin's (everything) and each département's reviewers' (that
 * département's readings and reports). Found from the store's 10 km all-periods rows, a few
 * thousand for a département at 1,000,000 readings: every tile is a whole number of 10 km cells.
 */
export interface TileWithData {
  tile: CellTile;
  scope: GridScope;
}

/**
 * At every resolution the map draws (src/app/cells/coverage-filters.ts's resolutionForZoom),
 * coarsest first, each resolution's tiles for the admin then for each département in code
 * order: the few tiles of a whole département's view come before the many of its 200 m ones.
 */
export async function tilesWithData(store: GridStore): Promise<TileWithData[]> {
  const whole = wholeRange(TOTAL_ONLY_RESOLUTION_M);
  const query: GridQuery = { resolutionM: TOTAL_ONLY_RESOLUTION_M, north: whole.north, east: whole.east, scope: { kind: 'all' } };
  const [groups, reports] = await Promise.all([store.gridGroups(query), store.gridReports(query)]);
  /** 10 km cells with evidence, by id, with the départements it is filed under (null: not placed, seen by the admin only). */
  const units = new Map<string, Set<string | null>>();
  for (const { cell, departement } of [...groups, ...reports]) {
    let departements = units.get(cell);
    if (!departements) units.set(cell, (departements = new Set()));
    departements.add(departement);
  }
  const tiles: TileWithData[] = [];
  for (const resolutionM of [...CELL_RESOLUTIONS_M].sort((a, b) => b - a)) {
    const all = new Map<string, CellTile>();
    const byDepartement = new Map<string, Map<string, CellTile>>();
    for (const [cell, departements] of units) {
      const unit = parseCellId(cell)!;
      // A 10 km cell's corner is a corner of a cell at every finer resolution the map offers.
      const tile = tileOfCell({ resolutionM, east: unit.east, north: unit.north });
      const name = formatTile(tile);
      all.set(name, tile);
      for (const departement of departements) {
        if (departement === null) continue;
        let ofDepartement = byDepartement.get(departement);
        if (!ofDepartement) byDepartement.set(departement, (ofDepartement = new Map()));
        ofDepartement.set(name, tile);
      }
    }
    for (const tile of all.values()) tiles.push({ tile, scope: { kind: 'all' } });
    for (const departement of [...byDepartement.keys()].sort()) {
      for (const tile of byDepartement.get(departement)!.values()) tiles.push({ tile, scope: { kind: 'departements', departements: [departement] } });
    }
  }
  return tiles;
}
