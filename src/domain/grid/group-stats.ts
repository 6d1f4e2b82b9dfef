import { LEVELS, readingLevel, type Level } from '../level.ts';
import type { ProtocolFacts } from '../protocol.ts';
import type { Reading, SmsResult, VoiceResult } from '../reading.ts';
import { cloneTallies, mergeTallies, tallyTests, type ProtocolTallies } from './test-tally.ts';

/**
 * What a group of readings (one cell × operator × technology × setting) says, kept as an
 * accumulator that is:
 * - incremental: {@link addToStats} folds in one reading in O(log k) (k = distinct values);
 * - mergeable: {@link mergeStats} of two accumulators equals the accumulator of the union of
 *   their readings, exactly (no approximation anywhere);
 * - plain JSON: numbers, strings, arrays and objects only, in a canonical form (sorted arrays)
 *   so that equal accumulators serialise to equal text. It can be stored as a SQLite or
 *   PostgreSQL JSON value and passed through comlink as is.
 * Memory per group is bounded by the number of levels, of possible dBm values (132) and of
 * distinct contributors. Readings cannot be subtracted: deleting one means recomputing its
 * group from the readings that remain.
 */
export interface GroupStats {
  readings: number;
  /** Distinct contributor keys (an account id on the server, a device id on the phone), sorted. */
  contributors: string[];
  /** Readings per level (readingLevel: call-test cap included). */
  levels: Record<Level, number>;
  /**
   * Sparse histogram of the readings that carry a dBm value, ascending:
   * `[dbm, count, dbm, count, …]`. Sparse because most groups hold a handful of readings,
   * and a dense 132-slot array per group would cost hundreds of megabytes over a département.
   */
  dbm: number[];
  /** Call tests by result; a reading without a result counts as not tested. */
  calls: Record<VoiceResult, number>;
  /** SMS tests by result; a reading without a result counts as not tested. */
  sms: Record<SmsResult, number>;
  /** Earliest and latest recordedAt, epoch milliseconds; null while the group is empty. */
  firstMs: number | null;
  lastMs: number | null;
  /**
   * Conforming tests per protocol and kind (test-tally.ts), present once the group has one.
   * Absent from rows aggregated before tests were counted, until their cells are rebuilt.
   */
  tests?: ProtocolTallies;
}

/** What of a reading the statistics use. */
export type StatsInput = Pick<Reading, 'recordedAt' | 'technology' | 'signalDbm' | 'signalBars' | 'voice' | 'sms'> & ProtocolFacts;

/** Integer dBm values kept in the histogram: the union of the plausible ranges (signal.ts). */
export const DBM_RANGE = { min: -156, max: -25 } as const;

export function emptyStats(): GroupStats {
  return {
    readings: 0,
    contributors: [],
    levels: { TBC: 0, BC: 0, CL: 0, PC: 0 },
    dbm: [],
    calls: { ok: 0, failed: 0, dropped: 0, 'not-tested': 0 },
    sms: { ok: 0, failed: 0, 'not-tested': 0 },
    firstMs: null,
    lastMs: null,
  };
}

/** Folds one reading into `stats` (mutated, and returned). */
export function addToStats(stats: GroupStats, reading: StatsInput, contributor: string): GroupStats {
  stats.readings += 1;
  insertSorted(stats.contributors, contributor);
  stats.levels[readingLevel(reading)] += 1;
  const dbm = reading.signalDbm;
  if (dbm !== undefined && Number.isInteger(dbm) && dbm >= DBM_RANGE.min && dbm <= DBM_RANGE.max) addToHistogram(stats.dbm, dbm, 1);
  stats.calls[reading.voice ?? 'not-tested'] += 1;
  stats.sms[reading.sms ?? 'not-tested'] += 1;
  const ms = Date.parse(reading.recordedAt);
  if (Number.isFinite(ms)) {
    if (stats.firstMs === null || ms < stats.firstMs) stats.firstMs = ms;
    if (stats.lastMs === null || ms > stats.lastMs) stats.lastMs = ms;
  }
  const tests = stats.tests ?? {};
  if (tallyTests(tests, reading)) stats.tests = tests;
  return stats;
}

/** Folds `from` into `into` (mutated, and returned); `from` is left untouched. */
export function mergeInto(into: GroupStats, from: GroupStats): GroupStats {
  into.readings += from.readings;
  if (from.contributors.length > 0) into.contributors = unionSorted(into.contributors, from.contributors);
  for (const level of LEVELS) into.levels[level] += from.levels[level];
  for (let i = 0; i < from.dbm.length; i += 2) addToHistogram(into.dbm, from.dbm[i]!, from.dbm[i + 1]!);
  into.calls.ok += from.calls.ok;
  into.calls.failed += from.calls.failed;
  into.calls.dropped += from.calls.dropped;
  into.calls['not-tested'] += from.calls['not-tested'];
  into.sms.ok += from.sms.ok;
  into.sms.failed += from.sms.failed;
  into.sms['not-tested'] += from.sms['not-tested'];
  if (from.firstMs !== null && (into.firstMs === null || from.firstMs < into.firstMs)) into.firstMs = from.firstMs;
  if (from.lastMs !== null && (into.lastMs === null || from.lastMs > into.lastMs)) into.lastMs = from.lastMs;
  if (from.tests) into.tests = mergeTallies(into.tests ?? {}, from.tests);
  return into;
}

/** The statistics of the union of two groups of readings, as a new object. */
export function mergeStats(a: GroupStats, b: GroupStats): GroupStats {
  return mergeInto(cloneStats(a), b);
}

export function cloneStats(stats: GroupStats): GroupStats {
  const { levels, calls, sms } = stats;
  const clone: GroupStats = {
    readings: stats.readings,
    contributors: stats.contributors.slice(),
    levels: { TBC: levels.TBC, BC: levels.BC, CL: levels.CL, PC: levels.PC },
    dbm: stats.dbm.slice(),
    calls: { ok: calls.ok, failed: calls.failed, dropped: calls.dropped, 'not-tested': calls['not-tested'] },
    sms: { ok: sms.ok, failed: sms.failed, 'not-tested': sms['not-tested'] },
    firstMs: stats.firstMs,
    lastMs: stats.lastMs,
  };
  if (stats.tests) clone.tests = cloneTallies(stats.tests);
  return clone;
}

// ---------------------------------------------------------------------------------------------
// Figures derived from the accumulator.

/**
 * The median level, read as "most readings": the best level that strictly more than half of
 * the readings reach or beat. With an odd count it is the ordinary median; with an even count
 * it is the worse of the two middle readings (2 × BC + 2 × CL → CL), since Arcep's levels are
 * defined by what works "in most cases". Null for an empty group.
 */
export function medianLevel(stats: GroupStats): Level | null {
  const { levels } = stats;
  const total = levels.TBC + levels.BC + levels.CL + levels.PC;
  if (total === 0) return null;
  const index = Math.floor(total / 2); // 0-based, best first
  let seen = 0;
  for (const level of LEVELS) {
    seen += levels[level];
    if (seen > index) return level;
  }
  return 'PC';
}

/** The ordinary median of the dBm values (mean of the two middle ones when even); null if none. */
export function medianDbm(stats: GroupStats): number | null {
  const total = dbmReadings(stats);
  if (total === 0) return null;
  const lower = valueAt(stats.dbm, Math.floor((total - 1) / 2));
  const upper = valueAt(stats.dbm, Math.floor(total / 2));
  return (lower + upper) / 2;
}

export function dbmReadings(stats: GroupStats): number {
  let total = 0;
  for (let i = 1; i < stats.dbm.length; i += 2) total += stats.dbm[i]!;
  return total;
}

/** Calls that were actually tried: ok, failed or dropped. */
export function callTests(stats: GroupStats): number {
  return stats.calls.ok + stats.calls.failed + stats.calls.dropped;
}

/** ok / (ok + failed + dropped), untested calls left out; null when no call was tried. */
export function callSuccessRate(stats: GroupStats): number | null {
  const tried = callTests(stats);
  return tried === 0 ? null : stats.calls.ok / tried;
}

/** ok / (ok + failed); null when no SMS was tried. */
export function smsSuccessRate(stats: GroupStats): number | null {
  const tried = stats.sms.ok + stats.sms.failed;
  return tried === 0 ? null : stats.sms.ok / tried;
}

/** Share of the readings at each level (0…1); all zero for an empty group. */
export function levelShares(stats: GroupStats): Record<Level, number> {
  const n = stats.readings;
  const { levels } = stats;
  if (n === 0) return { TBC: 0, BC: 0, CL: 0, PC: 0 };
  return { TBC: levels.TBC / n, BC: levels.BC / n, CL: levels.CL / n, PC: levels.PC / n };
}

// ---------------------------------------------------------------------------------------------
// Sorted-array helpers: binary search keeps look-ups O(log k), and the arrays canonical.

function insertSorted(values: string[], value: string): void {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    const current = values[mid]!;
    if (current === value) return;
    if (current < value) low = mid + 1;
    else high = mid;
  }
  values.splice(low, 0, value);
}

function unionSorted(a: string[], b: string[]): string[] {
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x === y) {
      out.push(x);
      i += 1;
      j += 1;
    } else if (x < y) {
      out.push(x);
      i += 1;
    } else {
      out.push(y);
      j += 1;
    }
  }
  while (i < a.length) out.push(a[i++]!);
  while (j < b.length) out.push(b[j++]!);
  return out;
}

function addToHistogram(pairs: number[], value: number, count: number): void {
  let low = 0;
  let high = pairs.length / 2;
  while (low < high) {
    const mid = (low + high) >>> 1;
    const current = pairs[mid * 2]!;
    if (current === value) {
      pairs[mid * 2 + 1]! += count;
      return;
    }
    if (current < value) low = mid + 1;
    else high = mid;
  }
  pairs.splice(low * 2, 0, value, count);
}

/** The value at a 0-based rank in ascending order. */
function valueAt(pairs: number[], rank: number): number {
  let seen = 0;
  for (let i = 0; i < pairs.length; i += 2) {
    seen += pairs[i + 1]!;
    if (seen > rank) return pairs[i]!;
  }
  throw new RangeError(`rank ${rank} beyond the histogram`);
}
