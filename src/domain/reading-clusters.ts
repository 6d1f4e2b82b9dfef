import { MAX_MERCATOR_LAT } from './geo.ts';
import { LEVELS, type Level } from './level.ts';

/**
 * Below this zoom a map shows readings aggregated into clusters instead of points, both for
 * the server's readings (GET /api/v1/readings?zoom=) and the device's (in the worker): at a
 * département's scale, tens of thousands of dots say less than counts and cost far more.
 */
export const CLUSTER_BELOW_ZOOM = 13;

/** Clusters are squares of this many screen pixels (Web Mercator, 256-pixel tiles). */
export const CLUSTER_PIXELS = 64;

/** The properties of one cluster (a GeoJSON Point feature at the mean of its readings). */
export interface ReadingClusterProperties {
  /** Key of the square at this zoom, e.g. "11/4215/2987". */
  key: string;
  count: number;
  byLevel: Record<Level, number>;
}

/** Which square a point falls in at `zoom`: integer Web Mercator coordinates in CLUSTER_PIXELS units. */
export function clusterSquare(lat: number, lon: number, zoom: number): { x: number; y: number; key: string } {
  const squares = (2 ** zoom * 256) / CLUSTER_PIXELS;
  const clampedLat = Math.max(-MAX_MERCATOR_LAT, Math.min(MAX_MERCATOR_LAT, lat));
  const sin = Math.sin((clampedLat * Math.PI) / 180);
  const x = Math.min(squares - 1, Math.max(0, Math.floor(((lon + 180) / 360) * squares)));
  const y = Math.min(squares - 1, Math.max(0, Math.floor((0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI)) * squares)));
  return { x, y, key: `${zoom}/${x}/${y}` };
}

export function emptyLevelCounts(): Record<Level, number> {
  return Object.fromEntries(LEVELS.map((level) => [level, 0])) as Record<Level, number>;
}

/** Builds clusters incrementally: add readings one by one, then take the features. */
export class ClusterAccumulator {
  private readonly squares = new Map<string, { latSum: number; lonSum: number; properties: ReadingClusterProperties }>();

  constructor(readonly zoom: number) {}

  add(lat: number, lon: number, level: Level): void {
    const { key } = clusterSquare(lat, lon, this.zoom);
    let square = this.squares.get(key);
    if (!square) {
      square = { latSum: 0, lonSum: 0, properties: { key, count: 0, byLevel: emptyLevelCounts() } };
      this.squares.set(key, square);
    }
    square.latSum += lat;
    square.lonSum += lon;
    square.properties.count += 1;
    square.properties.byLevel[level] += 1;
  }

  features(): { type: 'Feature'; geometry: { type: 'Point'; coordinates: [number, number] }; properties: ReadingClusterProperties }[] {
    return [...this.squares.values()].map(({ latSum, lonSum, properties }) => ({
      type: 'Feature' as const,
      geometry: { type: 'Point' as const, coordinates: [round6(lonSum / properties.count), round6(latSum / properties.count)] as [number, number] },
      properties,
    }));
  }
}

const round6 = (n: number) => Math.round(n * 1e6) / 1e6;
