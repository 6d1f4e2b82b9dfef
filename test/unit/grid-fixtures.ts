import type { Level } from '../../src/domain/level.ts';
import { emptyStats, type GroupStats } from '../../src/domain/grid/group-stats.ts';
import { fromLaea } from '../../src/domain/grid/laea.ts';
import type { Reading } from '../../src/domain/reading.ts';
import { makeReading } from './helpers.ts';

/** A 200 m cell in Montpellier (the one holding Place de la Comédie) and its corner. */
export const MONTPELLIER_CELL = 'CRS3035RES200mN2297800E3826200';
export const MONTPELLIER_EAST = 3_826_200;
export const MONTPELLIER_NORTH = 2_297_800;

/** A reading at a point given in EPSG:3035 metres. */
export function readingAtLaea(east: number, north: number, overrides: Partial<Reading> = {}): Reading {
  const [lon, lat] = fromLaea(east, north);
  return makeReading({ lon, lat, ...overrides });
}

/** Statistics whose readings have these levels, from these contributors. */
export function statsWithLevels(levels: readonly Level[], contributors: readonly string[] = ['agent-1']): GroupStats {
  const stats = emptyStats();
  stats.readings = levels.length;
  stats.contributors = [...new Set(contributors)].sort();
  for (const level of levels) stats.levels[level] += 1;
  return stats;
}
