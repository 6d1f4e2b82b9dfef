import type { Level } from '../level.ts';
import type { SmsResult, VoiceResult } from '../reading.ts';
import type { GroupStats } from './group-stats.ts';
import type { ProtocolTallies } from './test-tally.ts';

/**
 * How a grid row's {@link GroupStats} is stored (SQLite TEXT, PostgreSQL jsonb): a positional
 * JSON array rather than the object, since the object's names and zero counts were most of a
 * row. Rows holding one reading are the grid's bulk (readings spread over a département are
 * nearly a row each), and their bytes are what an ingest writes (B-tree pages, WAL frames,
 * checkpoints): about 40 bytes instead of about 220.
 *
 * - any group: `[readings, contributors, [TBC, BC, CL, PC], dbm, [calls ok, failed, dropped,
 *   not tested], [sms ok, failed, not tested], firstMs, lastMs, tests?]`;
 * - a group of one reading: `[contributor, level, dbm or null, call, sms, ms or null, tests?]`,
 *   level, call and sms as indexes in the lists below (told apart from
 *   the other form by its first element, a string).
 *
 * Rows written before this form hold the object itself: {@link fromStoredStats} reads both,
 * so no migration rewrites them; they take the array form the next time they are written.
 */
export type StoredStats = GroupStats | StatsArray | OneReadingArray;

/** The indexes of the one-reading form: the stored format, whatever order the domain's lists take. */
const LEVELS: readonly Level[] = ['TBC', 'BC', 'CL', 'PC'];
const VOICE_RESULTS: readonly VoiceResult[] = ['ok', 'failed', 'dropped', 'not-tested'];
const SMS_RESULTS: readonly SmsResult[] = ['ok', 'failed', 'not-tested'];

export type OneReadingArray = [contributor: string, level: number, dbm: number | null, call: number, sms: number, ms: number | null, tests?: ProtocolTallies];

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

/** The one counted of `counts`' keys in `order`, or -1 unless exactly one is counted once. */
function onlyOne<K extends string>(counts: Record<K, number>, order: readonly K[]): number {
  let found = -1;
  for (let i = 0; i < order.length; i += 1) {
    const count = counts[order[i]!];
    if (count === 0) continue;
    if (count !== 1 || found !== -1) return -1;
    found = i;
  }
  return found;
}

/** `stats` in the one-reading form, or undefined when it is not exactly one reading's. */
function oneReading(stats: GroupStats): OneReadingArray | undefined {
  if (stats.readings !== 1 || stats.contributors.length !== 1 || stats.firstMs !== stats.lastMs) return undefined;
  if (stats.dbm.length > 2 || (stats.dbm.length === 2 && stats.dbm[1] !== 1)) return undefined;
  const level = onlyOne(stats.levels, LEVELS);
  const call = onlyOne(stats.calls, VOICE_RESULTS);
  const sms = onlyOne(stats.sms, SMS_RESULTS);
  if (level < 0 || call < 0 || sms < 0) return undefined;
  const stored: OneReadingArray = [stats.contributors[0]!, level, stats.dbm.length === 2 ? stats.dbm[0]! : null, call, sms, stats.firstMs];
  if (stats.tests) stored.push(stats.tests);
  return stored;
}

/** The stored form of `stats` (sharing its arrays: serialise it before changing `stats`). */
export function toStoredStats(stats: GroupStats): StatsArray | OneReadingArray {
  const one = oneReading(stats);
  if (one) return one;
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
  if (typeof stored[0] === 'string') return fromOneReading(stored as OneReadingArray);
  const [readings, contributors, levels, dbm, calls, sms, firstMs, lastMs, tests] = stored as StatsArray;
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

function fromOneReading([contributor, level, dbm, call, sms, ms, tests]: OneReadingArray): GroupStats {
  const stats: GroupStats = {
    readings: 1,
    contributors: [contributor],
    levels: { TBC: 0, BC: 0, CL: 0, PC: 0 },
    dbm: dbm === null ? [] : [dbm, 1],
    calls: { ok: 0, failed: 0, dropped: 0, 'not-tested': 0 },
    sms: { ok: 0, failed: 0, 'not-tested': 0 },
    firstMs: ms,
    lastMs: ms,
  };
  stats.levels[LEVELS[level]!] = 1;
  stats.calls[VOICE_RESULTS[call]!] = 1;
  stats.sms[SMS_RESULTS[sms]!] = 1;
  if (tests) stats.tests = tests;
  return stats;
}
