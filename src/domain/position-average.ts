import { distanceM, type LatLon } from './geo.ts';

/** One position the device gave: where, and its stated accuracy (m, one standard radius). */
export interface PositionFix extends LatLon {
  accuracyM: number;
}

/** Where several fixes of a handset held still put it. */
export interface AveragedPosition extends LatLon {
  accuracyM: number;
  /** How many fixes were kept and averaged. */
  fixes: number;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  // The middle value, or the two middle ones of an even count.
  const middle = sorted.slice((sorted.length - 1) >> 1, (sorted.length >> 1) + 1);
  return sum(middle, (value) => value) / middle.length;
};

const sum = <T>(items: readonly T[], term: (item: T) => number): number => items.reduce((total, item) => total + term(item), 0);

/** A fix's weight: the inverse of its variance. */
const weight = (fix: PositionFix): number => fix.accuracyM ** -2;

/**
 * The position of a static test from the fixes taken during it (docs/coverage-rules.md, GPS):
 * - fixes less precise than `maxAccuracyM` are dropped;
 * - so are outliers: farther from the median point than twice the median distance to it and
 *   than the best accuracy (fixes all within GPS noise of each other are never dropped);
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
  const limitM = Math.max(2 * median(precise.map((fix) => distanceM(centre, fix))), Math.min(...precise.map((fix) => fix.accuracyM)));
  const kept = precise.filter((fix) => distanceM(centre, fix) <= limitM);
  const total = sum(kept, weight);
  const average = { lat: sum(kept, (fix) => weight(fix) * fix.lat) / total, lon: sum(kept, (fix) => weight(fix) * fix.lon) / total };
  const spreadM = Math.sqrt(sum(kept, (fix) => weight(fix) * distanceM(average, fix) ** 2) / total);
  return { ...average, accuracyM: Math.max(Math.min(...kept.map((fix) => fix.accuracyM)), spreadM), fixes: kept.length };
}
