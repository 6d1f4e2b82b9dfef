import { wholeRange } from '../../domain/grid/cell-range.ts';
import { parseCellId } from '../../domain/grid/cell-id.ts';
import { formatTile, tileOfCell, type CellTile } from '../../domain/grid/cell-tiles.ts';
import type { Setting } from '../../domain/reading.ts';
import type { Technology } from '../../domain/signal.ts';
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
  /** The technologies and settings of the readings the scope sees in the tile (residents' reports have neither). */
  kinds: ReadingKinds;
}

/** Technologies and settings found among some readings. */
export interface ReadingKinds {
  technologies: Set<Technology>;
  settings: Set<Setting>;
}

const noKinds = (): ReadingKinds => ({ technologies: new Set(), settings: new Set() });

function addKinds(into: ReadingKinds, from: ReadingKinds): void {
  for (const technology of from.technologies) into.technologies.add(technology);
  for (const setting of from.settings) into.settings.add(setting);
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
  /**
   * 10 km cells with evidence, by id, with the départements it is filed under (null: not
   * placed, seen by the admin only) and the kinds of the readings filed under each.
   */
  const units = new Map<string, Map<string | null, ReadingKinds>>();
  const unitOf = (cell: string, departement: string | null): ReadingKinds => {
    let departements = units.get(cell);
    if (!departements) units.set(cell, (departements = new Map()));
    let kinds = departements.get(departement);
    if (!kinds) departements.set(departement, (kinds = noKinds()));
    return kinds;
  };
  for (const { cell, departement, technology, setting } of groups) {
    const kinds = unitOf(cell, departement);
    kinds.technologies.add(technology);
    kinds.settings.add(setting);
  }
  for (const { cell, departement } of reports) unitOf(cell, departement);
  const tiles: TileWithData[] = [];
  for (const resolutionM of [...CELL_RESOLUTIONS_M].sort((a, b) => b - a)) {
    const all = new Map<string, TileWithData>();
    const byDepartement = new Map<string, Map<string, TileWithData>>();
    const tileIn = (tiles: Map<string, TileWithData>, name: string, tile: CellTile, scope: GridScope) => {
      let kept = tiles.get(name);
      if (!kept) tiles.set(name, (kept = { tile, scope, kinds: noKinds() }));
      return kept;
    };
    for (const [cell, departements] of units) {
      const unit = parseCellId(cell)!;
      // A 10 km cell's corner is a corner of a cell at every finer resolution the map offers.
      const tile = tileOfCell({ resolutionM, east: unit.east, north: unit.north });
      const name = formatTile(tile);
      const ofAll = tileIn(all, name, tile, { kind: 'all' });
      for (const [departement, kinds] of departements) {
        addKinds(ofAll.kinds, kinds);
        if (departement === null) continue;
        let ofDepartement = byDepartement.get(departement);
        if (!ofDepartement) byDepartement.set(departement, (ofDepartement = new Map()));
        addKinds(tileIn(ofDepartement, name, tile, { kind: 'departements', departements: [departement] }).kinds, kinds);
      }
    }
    tiles.push(...all.values());
    for (const departement of [...byDepartement.keys()].sort()) tiles.push(...byDepartement.get(departement)!.values());
  }
  return tiles;
}
