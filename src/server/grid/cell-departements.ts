import { formatCellId, type CellRef } from '../../domain/grid/cell-id.ts';
import { fromLaea } from '../../domain/grid/laea.ts';
import type { Communes } from '../communes/communes.ts';
import type { ZoneStore } from '../storage/zone-store.ts';

/**
 * Whether a zone's cells lie in the zone's département. A zone is its département's reviewers'
 * work: a cell of another département would let them probe where its agents surveyed (and the
 * zone would not be theirs to propose anyway).
 *
 * A cell is in the département when readings filed under it lie in the cell (the evidence), or
 * else when its centre or one of its corners is placed in it (src/server/communes/communes.ts):
 * a cell astride a border belongs to both sides. It is outside when the evidence or its position
 * say other départements only, and unplaced when nothing says anything (no placed reading, and
 * no point of it the server can place): such a cell is refused too.
 */

export interface CellsByDepartement {
  /** Ids of the cells in other départements only, in the order given. */
  outside: string[];
  /** Ids of the cells nothing places, in the order given. */
  unplaced: string[];
}

/** Where in a cell its position is tested: the centre and the four corners, a hair inside (a corner belongs to the neighbours too). */
const SAMPLES: readonly (readonly [number, number])[] = [
  [0.5, 0.5],
  [0.01, 0.01],
  [0.99, 0.01],
  [0.01, 0.99],
  [0.99, 0.99],
];

/** The départements the points of a cell are placed in (none where nothing can place them). */
export function departementsAt(cell: CellRef, communes: Pick<Communes, 'locate'>): Set<string> {
  const found = new Set<string>();
  for (const [fx, fy] of SAMPLES) {
    const [lon, lat] = fromLaea(cell.east + fx * cell.resolutionM, cell.north + fy * cell.resolutionM);
    // Far outside EPSG:3035's area of use the projection has no inverse: nothing to place.
    if (!Number.isFinite(lat) || !Number.isFinite(lon)) continue;
    const place = communes.locate(lat, lon);
    if (place) found.add(place.departement);
  }
  return found;
}

export async function cellsByDepartement(
  departement: string,
  cells: readonly CellRef[],
  store: Pick<ZoneStore, 'departementsInCells'>,
  communes: Pick<Communes, 'locate'>,
): Promise<CellsByDepartement> {
  const evidence = await store.departementsInCells(cells);
  const result: CellsByDepartement = { outside: [], unplaced: [] };
  cells.forEach((cell, i) => {
    const filed = evidence[i]!;
    if (filed.includes(departement)) return;
    const placed = departementsAt(cell, communes);
    if (placed.has(departement)) return;
    (filed.length > 0 || placed.size > 0 ? result.outside : result.unplaced).push(formatCellId(cell));
  });
  return result;
}
