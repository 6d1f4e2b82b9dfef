import {
  CompactOperatorStatsSchema,
  type CellFeatureAnswer,
  type CellPropertiesAnswer,
  type CompactCellAnswer,
  type CompactCellsAnswer,
  type CompactOperatorStats,
} from '../api/cells.ts';
import type { Operator } from '../operators.ts';
import { cellRing } from './cell-geometry.ts';
import { parseCellId } from './cell-id.ts';

/**
 * GET /api/v1/cells's compact answer (src/domain/api/cells.ts) to and from its GeoJSON: the
 * server leaves out what the cell id already says (its square, `cell`, `resolutionM`) and what
 * no map screen shows (each operator's first and last instants), the page draws the squares
 * again as cell-geojson.ts does.
 */

/** A cell as the map has it: the GeoJSON answer's, with the compact answer's operator figures. */
export type MapCellProperties = Omit<CellPropertiesAnswer, 'operators'> & { operators: Partial<Record<Operator, CompactOperatorStats>> };
export type MapCellFeature = Omit<CellFeatureAnswer, 'properties'> & { properties: MapCellProperties };
export interface MapCellCollection {
  type: 'FeatureCollection';
  features: MapCellFeature[];
}

/** The keys an operator's compact figures keep, from the contract itself. */
const COMPACT_OPERATOR_KEYS = Object.keys(CompactOperatorStatsSchema.entries) as (keyof CompactOperatorStats)[];

/** The compact answer of these cells' properties (all of `resolutionM`). */
export function compactCells(resolutionM: number, cells: readonly CellPropertiesAnswer[]): CompactCellsAnswer {
  return {
    format: 'compact',
    resolutionM,
    cells: cells.map(({ cell: _cell, resolutionM: _resolution, operators, ...rest }) => ({ ...rest, operators: compactOperators(operators) })),
  };
}

function compactOperators(operators: CellPropertiesAnswer['operators']): CompactCellAnswer['operators'] {
  const compact: CompactCellAnswer['operators'] = {};
  for (const [operator, stats] of Object.entries(operators) as [Operator, Record<string, unknown>][]) {
    const kept: Record<string, unknown> = {};
    for (const key of COMPACT_OPERATOR_KEYS) kept[key] = stats[key];
    compact[operator] = kept as CompactOperatorStats;
  }
  return compact;
}

/** The cells a compact answer stands for, as GeoJSON features: squares drawn from the ids. */
export function cellsFromCompact(answer: CompactCellsAnswer): MapCellCollection {
  return { type: 'FeatureCollection', features: answer.cells.map((cell) => cellFeatureFromCompact(answer.resolutionM, cell)) };
}

function cellFeatureFromCompact(resolutionM: number, compact: CompactCellAnswer): MapCellFeature {
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
