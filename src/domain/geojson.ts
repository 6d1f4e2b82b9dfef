import { readingLevel, type Level } from './level.ts';
import type { Reading } from './reading.ts';

/** RFC 7946 types, only as much as Couverture emits. */
export interface PointFeature<P> {
  type: 'Feature';
  id: string;
  geometry: { type: 'Point'; coordinates: [number, number] };
  properties: P;
}

export interface FeatureCollection<P> {
  type: 'FeatureCollection';
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
