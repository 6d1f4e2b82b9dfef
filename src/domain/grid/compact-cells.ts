import type { CellFeatureAnswer, CellPropertiesAnswer, CellsAnswer, CompactCellAnswer, CompactCellsAnswer } from '../api/cells.ts';
import { cellRing } from './cell-geometry.ts';
import { parseCellId } from './cell-id.ts';

/**
 * GET /api/v1/cells's compact answer (src/domain/api/cells.ts) to and from its GeoJSON: the
 * server leaves out what the cell id already says (its square, `cell`, `resolutionM`), the
 * page draws the squares again as cell-geojson.ts does.
 */

/** The compact answer of these cells' properties (all of `resolutionM`). */
export function compactCells(resolutionM: number, cells: readonly CellPropertiesAnswer[]): CompactCellsAnswer {
  return { format: 'compact', resolutionM, cells: cells.map(({ cell: _cell, resolutionM: _resolution, ...rest }) => rest) };
}

/** The GeoJSON answer a compact one stands for: the same features, squares drawn from the ids. */
export function cellsFromCompact(answer: CompactCellsAnswer): CellsAnswer {
  return { type: 'FeatureCollection', features: answer.cells.map((cell) => cellFeatureFromCompact(answer.resolutionM, cell)) };
}

function cellFeatureFromCompact(resolutionM: number, compact: CompactCellAnswer): CellFeatureAnswer {
  const ref = parseCellId(compact.cellId);
  if (!ref || ref.resolutionM !== resolutionM)
    throw new Error(`Maille « ${compact.cellId} » : identifiant illisible ou d’une autre résolution que ${resolutionM} m.`);
  const { cellId, ...rest } = compact;
  return {
    type: 'Feature',
    id: cellId,
    geometry: { type: 'Polygon', coordinates: [cellRing(ref)] },
    properties: { cellId, cell: cellId, resolutionM, ...rest },
  };
}
