import { distanceM, type LatLon } from './geo.ts';

/** One position the device gave: where, and its stated accuracy (m, one standard radius). */
export interface PositionFix extends LatLon {
  accuracyM: number;
}

/** Where several fixes of a handset held still put it, with how many fixes were kept. */
export interface AveragedPosition extends LatLon {
  accuracyM: number;
  kept: number;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  // The middle value, or the two middle ones of an even count.
  const middle = sorted.slice((sorted.length - 1) >> 1, (sorted.length >> 1) + 1);
  return middle.reduce((sum, value) => sum + value, 0) / middle.length;
};

/**
 * The position of a static test from the fixes taken during it (docs/coverage-rules.md, GPS):
 * - fixes less precise than `maxAccuracyM` are dropped;
 * - so are outliers: farther from the median point than twice the median distance to it and
 *   than the best kept accuracy (fixes all within GPS noise of each other are never dropped);
 * - the rest are averaged with weights 1/accuracy²;
 * - the accuracy claimed is the best kept fix's, or the kept fixes' weighted spread around the
 *   average if larger: a still phone's GPS errors are correlated over minutes, so n fixes are
 *   not √n times better, and the average never claims more than one good fix.
 * Undefined when no fix is precise enough. Degrees are averaged as they are: the fixes of one
 * spot lie metres apart, far from the antimeridian.
 */
export function averagePosition(fixes: readonly PositionFix[], maxAccuracyM: number): AveragedPosition | undefined {
  const precise = fixes.filter((fix) => fix.accuracyM > 0 && fix.accuracyM <= maxAccuracyM);
  if (precise.length === 0) return undefined;
  const centre = { lat: median(precise.map((fix) => fix.lat)), lon: median(precise.map((fix) => fix.lon)) };
  const bestAccuracyM = Math.min(...precise.map((fix) => fix.accuracyM));
  const limitM = Math.max(2 * median(precise.map((fix) => distanceM(centre, fix))), bestAccuracyM);
  const kept = precise.filter((fix) => distanceM(centre, fix) <= limitM);
  let weights = 0;
  let lat = 0;
  let lon = 0;
  for (const fix of kept) {
    const weight = 1 / fix.accuracyM ** 2;
    weights += weight;
    lat += weight * fix.lat;
    lon += weight * fix.lon;
  }
  const average = { lat: lat / weights, lon: lon / weights };
  const spreadM = Math.sqrt(kept.reduce((sum, fix) => sum + distanceM(average, fix) ** 2 / fix.accuracyM ** 2, 0) / weights);
  return { ...average, accuracyM: Math.max(Math.min(...kept.map((fix) => fix.accuracyM)), spreadM), kept: kept.length };
}
