import type { Bbox } from '../../domain/geojson.ts';

/**
 * Where a resident's report may repeat one already stored (report-store.ts's collapse): both
 * stores look in a box for candidates, then keep those within the distance.
 */

const METRES_PER_DEGREE = 111_320;

/** A box holding every point within `distanceM` of the report (a little more towards the poles). */
export function collapseBox(report: { lat: number; lon: number }, distanceM: number): Bbox {
  const dLat = distanceM / METRES_PER_DEGREE;
  const dLon = dLat / Math.max(Math.cos((report.lat * Math.PI) / 180), 0.01);
  return { minLon: report.lon - dLon, maxLon: report.lon + dLon, minLat: report.lat - dLat, maxLat: report.lat + dLat };
}

/** Great-circle distance in metres (haversine), plenty for "within 50 m". */
export function distanceM(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.sqrt(a));
}
