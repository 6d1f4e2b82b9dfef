import type { CellZone, OperatorVerdict } from '../../domain/grid/cell-verdict.ts';
import type { Level } from '../../domain/level.ts';
import type { Operator } from '../../domain/operators.ts';

/**
 * What GET /api/v1/cells answers (contract of issue 4): one Polygon feature per cell.
 * Only what the screens read is typed; the server may send more.
 */
export interface OperatorCellStats {
  verdict: OperatorVerdict;
  readings: number;
  contributors: number;
  /** 0…1 per level. */
  levelShares: Record<Level, number>;
  medianLevel: Level | null;
  medianDbm: number | null;
  /** 0…1, null when no call was tried. */
  callSuccessRate: number | null;
  callTests?: number;
  calls?: { ok: number; failed: number; dropped: number; 'not-tested': number };
  firstAt: string | null;
  lastAt: string | null;
}

export interface CellProperties {
  /** The contract's name; the domain's GeoJSON writer calls it `cell`. */
  cellId?: string;
  cell?: string;
  zone: CellZone;
  /** The commune the cell's centre lies in, null where none is known (older servers: absent). */
  commune?: { code: string; name: string } | null;
  residentReports: number;
  operators: Partial<Record<Operator, OperatorCellStats>>;
}

export type Ring = [number, number][];

export interface CellFeature {
  type: 'Feature';
  id?: string;
  geometry: { type: 'Polygon'; coordinates: Ring[] };
  properties: CellProperties;
}

export interface CellCollection {
  type: 'FeatureCollection';
  features: CellFeature[];
}

export function cellIdOf(feature: CellFeature): string {
  return feature.properties.cellId ?? feature.properties.cell ?? String(feature.id);
}

export type OutlineGeometry = { type: 'Polygon'; coordinates: Ring[] } | { type: 'MultiPolygon'; coordinates: Ring[][] };

/** GET /api/v1/zones/suggestions */
export interface Suggestion {
  id?: string;
  cells: string[];
  zone?: string;
  blanche?: number;
  grise?: number;
  readings: number;
  contributors: number;
  bbox: { minLon: number; minLat: number; maxLon: number; maxLat: number } | [number, number, number, number];
  outline: OutlineGeometry;
}

export function bboxBounds(bbox: Suggestion['bbox']): { west: number; south: number; east: number; north: number } {
  if (Array.isArray(bbox)) return { west: bbox[0], south: bbox[1], east: bbox[2], north: bbox[3] };
  return { west: bbox.minLon, south: bbox.minLat, east: bbox.maxLon, north: bbox.maxLat };
}
