import type * as v from 'valibot';
import type { AreaGeometrySchema, PositionsSchema } from '../../domain/api/index.ts';
import type { MapCellCollection, MapCellFeature, MapCellProperties } from '../../domain/grid/compact-cells.ts';

/**
 * The coverage screens' names for the contract's cell and suggestion answers (src/domain/api/):
 * types inferred from its schemas, so that a field renamed there fails to compile here.
 */
export type { CompactOperatorStats as OperatorCellStats, Suggestion } from '../../domain/api/index.ts';
/** The map's cells come from the compact answer (src/domain/grid/compact-cells.ts). */
export type CellProperties = MapCellProperties;
export type CellFeature = MapCellFeature;
export type CellCollection = MapCellCollection;
export type Ring = v.InferOutput<typeof PositionsSchema>;
export type OutlineGeometry = v.InferOutput<typeof AreaGeometrySchema>;

export function cellIdOf(feature: CellFeature): string {
  return feature.properties.cellId;
}

export function bboxBounds(bbox: { minLon: number; minLat: number; maxLon: number; maxLat: number }): {
  west: number;
  south: number;
  east: number;
  north: number;
} {
  return { west: bbox.minLon, south: bbox.minLat, east: bbox.maxLon, north: bbox.maxLat };
}
