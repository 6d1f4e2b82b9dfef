import type { Bbox, PointFeature } from '../domain/geojson.ts';
import { readingLevel, type Level } from '../domain/level.ts';
import type { Operator } from '../domain/operators.ts';
import { CLUSTER_BELOW_ZOOM, ClusterAccumulator, emptyLevelCounts, type ReadingClusterProperties } from '../domain/reading-clusters.ts';
import type { Reading } from '../domain/reading.ts';
import type { Technology } from '../domain/signal.ts';

/**
 * The device's readings on the map, answered per view. The page sends them once
 * (`holdDeviceReadings`), then asks for each view: clusters below CLUSTER_BELOW_ZOOM (the
 * same squares as the server's), the points in view above. A phone that surveyed a canton
 * holds tens of thousands of readings: sending them to the worker at every pan would cost
 * more than the drawing.
 */

/** Empty lists mean "all": a filter nobody touched hides nothing. */
export interface MapReadingFilters {
  operators: Operator[];
  technologies: Technology[];
}

export interface MapViewRequest {
  bbox: Bbox;
  zoom: number;
  filters: MapReadingFilters;
}

export type DeviceReadingProperties = Reading & { level: Level; state: string };

export interface ClusterFeature {
  type: 'Feature';
  geometry: { type: 'Point'; coordinates: [number, number] };
  properties: ReadingClusterProperties;
}

export type DeviceMapView =
  | { kind: 'clusters'; features: ClusterFeature[]; countsByLevel: Record<Level, number> }
  | {
      kind: 'points';
      features: PointFeature<DeviceReadingProperties>[];
      countsByLevel: Record<Level, number>;
      /** Points in view left out beyond MAX_DEVICE_POINTS (the oldest). */
      omitted: number;
    };

/**
 * Above this many points in one view the map draws the newest ones only: at zoom 13 a whole
 * commune can be in view, and a canvas of 50,000 interactive dots stutters while panning.
 */
export const MAX_DEVICE_POINTS = 5000;

interface HeldReading {
  reading: Reading;
  state: string;
  level: Level;
}

let held: HeldReading[] = [];

/** Keeps the device's readings for the views to come; newest first, as the points cap wants. */
export function holdDeviceReadings(records: { reading: Reading; state: string }[]): number {
  held = records
    .map(({ reading, state }) => ({ reading, state, level: readingLevel(reading) }))
    .sort((a, b) => (a.reading.recordedAt < b.reading.recordedAt ? 1 : a.reading.recordedAt > b.reading.recordedAt ? -1 : 0));
  return held.length;
}

/** The readings of one campaign held here (for the cells still to survey). */
export function heldCampaignReadings(campaignId: string): Reading[] {
  return held.filter(({ reading }) => reading.campaignId === campaignId).map(({ reading }) => reading);
}

export function matchesFilters(reading: Pick<Reading, 'operator' | 'technology'>, filters: MapReadingFilters): boolean {
  return (
    (filters.operators.length === 0 || filters.operators.includes(reading.operator)) &&
    (filters.technologies.length === 0 || filters.technologies.includes(reading.technology))
  );
}

export function inBbox(lat: number, lon: number, bbox: Bbox): boolean {
  return lat >= bbox.minLat && lat <= bbox.maxLat && lon >= bbox.minLon && lon <= bbox.maxLon;
}

/**
 * One view of the held readings. `countsByLevel` counts every reading the filters keep,
 * in view or not: the legend speaks of the device, not of the screen.
 */
export function deviceMapView({ bbox, zoom, filters }: MapViewRequest): DeviceMapView {
  const countsByLevel = emptyLevelCounts();
  if (zoom < CLUSTER_BELOW_ZOOM) {
    const clusters = new ClusterAccumulator(Math.floor(zoom));
    for (const { reading, level } of held) {
      if (!matchesFilters(reading, filters)) continue;
      countsByLevel[level] += 1;
      if (inBbox(reading.lat, reading.lon, bbox)) clusters.add(reading.lat, reading.lon, level);
    }
    return { kind: 'clusters', features: clusters.features(), countsByLevel };
  }
  const features: PointFeature<DeviceReadingProperties>[] = [];
  let omitted = 0;
  for (const { reading, state, level } of held) {
    if (!matchesFilters(reading, filters)) continue;
    countsByLevel[level] += 1;
    if (!inBbox(reading.lat, reading.lon, bbox)) continue;
    if (features.length >= MAX_DEVICE_POINTS) {
      omitted += 1;
      continue;
    }
    features.push({
      type: 'Feature',
      id: reading.id,
      geometry: { type: 'Point', coordinates: [reading.lon, reading.lat] },
      properties: { ...reading, level, state },
    });
  }
  return { kind: 'points', features, countsByLevel, omitted };
}
