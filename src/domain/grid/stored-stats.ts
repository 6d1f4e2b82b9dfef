import type { GroupStats } from './group-stats.ts';
import type { ProtocolTallies } from './test-tally.ts';

/**
 * How a grid row's {@link GroupStats} is stored (SQLite TEXT, PostgreSQL jsonb): a positional
 * JSON array rather than the object, about 80 bytes for a one-reading group instead of about
 * 220, since the object's names and zero counts were most of a row. Rows spread one reading
 * per row are the grid's bulk, and their bytes are what an ingest writes (B-tree pages, WAL
 * frames, checkpoints).
 *
 * `[readings, contributors, [TBC, BC, CL, PC], dbm, [calls ok, failed, dropped, not tested],
 *   [sms ok, failed, not tested], firstMs, lastMs, tests?]`
 *
 * Rows written before this form hold the object itself: {@link fromStoredStats} reads both,
 * so no migration rewrites them; they take the array form the next time they are written.
 */
export type StoredStats = GroupStats | StatsArray;

export type StatsArray = [
  readings: number,
  contributors: string[],
  levels: [TBC: number, BC: number, CL: number, PC: number],
  dbm: number[],
  calls: [ok: number, failed: number, dropped: number, notTested: number],
  sms: [ok: number, failed: number, notTested: number],
  firstMs: number | null,
  lastMs: number | null,
  tests?: ProtocolTallies,
];

/** The stored form of `stats` (sharing its arrays: serialise it before changing `stats`). */
export function toStoredStats(stats: GroupStats): StatsArray {
  const { levels, calls, sms } = stats;
  const stored: StatsArray = [
    stats.readings,
    stats.contributors,
    [levels.TBC, levels.BC, levels.CL, levels.PC],
    stats.dbm,
    [calls.ok, calls.failed, calls.dropped, calls['not-tested']],
    [sms.ok, sms.failed, sms['not-tested']],
    stats.firstMs,
    stats.lastMs,
  ];
  if (stats.tests) stored.push(stats.tests);
  return stored;
}

/** The stored form's JSON text, as SQLite keeps it. */
export const storedStatsJson = (stats: GroupStats): string => JSON.stringify(toStoredStats(stats));

/** The statistics of a stored row, either form; an object (the form before) is returned as it is. */
export function fromStoredStats(stored: StoredStats): GroupStats {
  if (!Array.isArray(stored)) return stored;
  const [readings, contributors, levels, dbm, calls, sms, firstMs, lastMs, tests] = stored;
  const stats: GroupStats = {
    readings,
    contributors,
    levels: { TBC: levels[0], BC: levels[1], CL: levels[2], PC: levels[3] },
    dbm,
    calls: { ok: calls[0], failed: calls[1], dropped: calls[2], 'not-tested': calls[3] },
    sms: { ok: sms[0], failed: sms[1], 'not-tested': sms[2] },
    firstMs,
    lastMs,
  };
  if (tests) stats.tests = tests;
  return stats;
}
