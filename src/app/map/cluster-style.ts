import { LEVELS, type Level } from '../../domain/level.ts';

/** The level a cluster is drawn in: its most common, the worse one on a tie (a coverage map must not flatter). */
export function dominantLevel(byLevel: Record<Level, number>): Level {
  let best: Level = LEVELS[0];
  for (const level of LEVELS) if (byLevel[level] >= byLevel[best]) best = level;
  return best;
}

/** Diameter in pixels: grows with the count's order of magnitude, stays inside a 64-pixel square. */
export function clusterDiameter(count: number): number {
  return Math.round(Math.min(56, 22 + 8 * Math.log10(Math.max(1, count))));
}
