import type { Feature, FeatureCollection as GeoJsonFeatureCollection, Point } from 'geojson';
import type { LonLat } from './grid/cell-geometry.ts';
import { readingLevel, type Level } from './level.ts';
import type { Reading } from './reading.ts';

/**
 * RFC 7946 features as Couverture emits them: the standard types (@types/geojson) narrowed to
 * what the API promises, a Point feature always with its id and its [lon, lat].
 */
export interface LonLatPoint extends Point {
  coordinates: LonLat;
}

export interface PointFeature<P> extends Feature<LonLatPoint, P> {
  id: string;
}

export interface FeatureCollection<P> extends GeoJsonFeatureCollection<LonLatPoint, P> {
  features: PointFeature<P>[];
}

export type ReadingProperties = Reading & { level: Level };

export function readingFeature(reading: Reading): PointFeature<ReadingProperties> {
  return {
    type: 'Feature',
    id: reading.id,
    geometry: { type: 'Point', coordinates: [reading.lon, reading.lat] },
    properties: { ...reading, level: readingLevel(reading) },
  };
}

export interface Bbox {
  minLon: number;
  minLat: number;
  maxLon: number;
  maxLat: number;
}
