import { OPERATORS, type Operator } from '../operators.ts';
import type { ProtocolFacts } from '../protocol.ts';
import { SETTINGS, type Reading, type Setting } from '../reading.ts';
import type { Report } from '../report.ts';
import { TECHNOLOGIES, type Technology } from '../signal.ts';
import { cellAt, cellNumber, coarserCell, DEFAULT_RESOLUTION_M, formatCellId, isValidResolution, parseCellId, type CellRef } from './cell-id.ts';
import { addToStats, cloneStats, emptyStats, mergeInto, type GroupStats } from './group-stats.ts';

/**
 * The coverage grid as an accumulator: readings go in one at a time (addReading), two grids
 * merge into the grid of the union of their readings (mergeGrid), and the whole converts to
 * plain JSON and back (gridToJson / gridFromJson). The same code runs on the server, which
 * keeps a grid up to date as readings arrive, and in the comlink worker over the device's own
 * readings.
 *
 * Evidence is kept apart from residents' signals: agent and imported readings fill `groups`
 * (cell × operator × technology × setting); residents' reports (and any reading whose source is
 * `resident`) only count in `residents` (cell × operator), which can flag a cell to survey but
 * never make a verdict.
 */

export interface GroupKey {
  cell: string;
  operator: Operator;
  technology: Technology;
  setting: Setting;
}

export interface Group extends GroupKey {
  /** The cell, parsed, so that consumers need not parse the id again. */
  ref: CellRef;
  stats: GroupStats;
}

/** Residents' signals on one cell for one operator. */
export interface ResidentTally {
  cell: string;
  ref: CellRef;
  operator: Operator;
  count: number;
  firstMs: number | null;
  lastMs: number | null;
}

export interface CoverageGrid {
  resolutionM: number;
  /** Keyed by {@link groupNumber}: one exact number per cell × operator × technology × setting. */
  groups: Map<number, Group>;
  /** Keyed by cell number · 4 + operator. */
  residents: Map<number, ResidentTally>;
  /** Readings and reports left out because their position is outside EPSG:3035's area. */
  outsideGrid: number;
}

/** The grid as plain JSON, groups in a canonical order. */
export interface GridJson {
  version: 1;
  resolutionM: number;
  groups: (GroupKey & { stats: GroupStats })[];
  residents: { cell: string; operator: Operator; count: number; firstMs: number | null; lastMs: number | null }[];
  outsideGrid: number;
}

const OPERATOR_INDEX = new Map<string, number>(OPERATORS.map((o, i) => [o, i]));
const TECHNOLOGY_INDEX = new Map<string, number>(TECHNOLOGIES.map((t, i) => [t, i]));
const SETTING_INDEX = new Map<string, number>(SETTINGS.map((s, i) => [s, i]));
const COMBINATIONS = OPERATORS.length * TECHNOLOGIES.length * SETTINGS.length; // 60

/**
 * cell number · 60 + operator · 15 + technology · 3 + setting. Below 2^46 · 60 < 2^53: exact.
 * Numbers rather than strings as Map keys: no string is built or hashed per reading.
 */
export function groupNumber(cell: CellRef, operator: Operator, technology: Technology, setting: Setting): number {
  const o = OPERATOR_INDEX.get(operator);
  const t = TECHNOLOGY_INDEX.get(technology);
  const s = SETTING_INDEX.get(setting);
  if (o === undefined || t === undefined || s === undefined)
    throw new RangeError(`Unknown operator, technology or setting: ${operator}, ${technology}, ${setting}`);
  return cellNumber(cell) * COMBINATIONS + (o * TECHNOLOGIES.length + t) * SETTINGS.length + s;
}

function residentNumber(cell: CellRef, operator: Operator): number {
  const o = OPERATOR_INDEX.get(operator);
  if (o === undefined) throw new RangeError(`Unknown operator: ${operator}`);
  return cellNumber(cell) * OPERATORS.length + o;
}

export function createGrid(resolutionM = DEFAULT_RESOLUTION_M): CoverageGrid {
  if (!isValidResolution(resolutionM)) throw new RangeError(`Grid resolution must be a whole number of metres, got ${resolutionM}`);
  return { resolutionM, groups: new Map(), residents: new Map(), outsideGrid: 0 };
}

/** What of a reading the grid uses: its place, its group, its level, and the tests its protocol judges. */
export type GridReading = Pick<
  Reading,
  'lat' | 'lon' | 'operator' | 'technology' | 'setting' | 'source' | 'recordedAt' | 'signalDbm' | 'signalBars' | 'voice' | 'sms'
> &
  ProtocolFacts;

/**
 * Folds one reading into the grid (mutated). `contributor` is whose evidence it is: the
 * account id on the server, the device id on the phone; it is kept to count distinct
 * contributors and never shown. Returns false when the position is off the grid.
 */
export function addReading(grid: CoverageGrid, reading: GridReading, contributor: string): boolean {
  const cell = cellAt(reading.lon, reading.lat, grid.resolutionM);
  if (!cell) {
    grid.outsideGrid += 1;
    return false;
  }
  if (reading.source === 'resident') {
    tallyResident(grid, cell, reading.operator, Date.parse(reading.recordedAt), 1);
    return true;
  }
  const key = groupNumber(cell, reading.operator, reading.technology, reading.setting);
  let group = grid.groups.get(key);
  if (!group) {
    group = {
      cell: formatCellId(cell),
      ref: cell,
      operator: reading.operator,
      technology: reading.technology,
      setting: reading.setting,
      stats: emptyStats(),
    };
    grid.groups.set(key, group);
  }
  addToStats(group.stats, reading, contributor);
  return true;
}

/** Folds a resident's report into the grid (mutated); false when off the grid. */
export function addReport(grid: CoverageGrid, report: Pick<Report, 'lat' | 'lon' | 'operator' | 'reportedAt'>): boolean {
  const cell = cellAt(report.lon, report.lat, grid.resolutionM);
  if (!cell) {
    grid.outsideGrid += 1;
    return false;
  }
  tallyResident(grid, cell, report.operator, Date.parse(report.reportedAt), 1);
  return true;
}

function tallyResident(grid: CoverageGrid, cell: CellRef, operator: Operator, ms: number, count: number, lastMs = ms): void {
  const key = residentNumber(cell, operator);
  let tally = grid.residents.get(key);
  if (!tally) {
    tally = { cell: formatCellId(cell), ref: cell, operator, count: 0, firstMs: null, lastMs: null };
    grid.residents.set(key, tally);
  }
  tally.count += count;
  if (Number.isFinite(ms) && (tally.firstMs === null || ms < tally.firstMs)) tally.firstMs = ms;
  if (Number.isFinite(lastMs) && (tally.lastMs === null || lastMs > tally.lastMs)) tally.lastMs = lastMs;
}

/** Aggregates readings from scratch (the reference the incremental path must equal). */
export function aggregateReadings<R extends GridReading>(
  readings: Iterable<R>,
  contributorOf: (reading: R) => string,
  resolutionM = DEFAULT_RESOLUTION_M,
): CoverageGrid {
  const grid = createGrid(resolutionM);
  for (const reading of readings) addReading(grid, reading, contributorOf(reading));
  return grid;
}

/** Folds `from` into `into` (mutated, and returned); `from` is left untouched. */
export function mergeGrid(into: CoverageGrid, from: CoverageGrid): CoverageGrid {
  if (into.resolutionM !== from.resolutionM) {
    throw new RangeError(`Cannot merge a ${from.resolutionM} m grid into a ${into.resolutionM} m grid: coarsen one first`);
  }
  for (const [key, group] of from.groups) {
    const existing = into.groups.get(key);
    if (existing) mergeInto(existing.stats, group.stats);
    else into.groups.set(key, { ...group, stats: cloneStats(group.stats) });
  }
  for (const tally of from.residents.values()) tallyResident(into, tally.ref, tally.operator, tally.firstMs ?? NaN, tally.count, tally.lastMs ?? NaN);
  into.outsideGrid += from.outsideGrid;
  return into;
}

/**
 * The same readings on a coarser grid (e.g. 200 m → 1 km for zoomed-out views), merged from
 * the finer groups without going back to the readings: exact, since groups merge exactly.
 */
export function coarsenGrid(grid: CoverageGrid, resolutionM: number): CoverageGrid {
  const coarse = createGrid(resolutionM);
  for (const group of grid.groups.values()) {
    const cell = coarserCell(group.ref, resolutionM);
    const key = groupNumber(cell, group.operator, group.technology, group.setting);
    const existing = coarse.groups.get(key);
    if (existing) mergeInto(existing.stats, group.stats);
    else coarse.groups.set(key, { ...group, cell: formatCellId(cell), ref: cell, stats: cloneStats(group.stats) });
  }
  for (const tally of grid.residents.values()) {
    tallyResident(coarse, coarserCell(tally.ref, resolutionM), tally.operator, tally.firstMs ?? NaN, tally.count, tally.lastMs ?? NaN);
  }
  coarse.outsideGrid = grid.outsideGrid;
  return coarse;
}

const byKey = (a: GroupKey, b: GroupKey) =>
  compare(a.cell, b.cell) || compare(a.operator, b.operator) || compare(a.technology, b.technology) || compare(a.setting, b.setting);
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Plain JSON, sorted by cell, operator, technology, setting: equal grids give equal text. */
export function gridToJson(grid: CoverageGrid): GridJson {
  return {
    version: 1,
    resolutionM: grid.resolutionM,
    groups: [...grid.groups.values()]
      .map(({ cell, operator, technology, setting, stats }) => ({ cell, operator, technology, setting, stats: cloneStats(stats) }))
      .sort(byKey),
    residents: [...grid.residents.values()]
      .map(({ cell, operator, count, firstMs, lastMs }) => ({ cell, operator, count, firstMs, lastMs }))
      .sort((a, b) => compare(a.cell, b.cell) || compare(a.operator, b.operator)),
    outsideGrid: grid.outsideGrid,
  };
}

/** Back from {@link gridToJson}; throws on a cell id that is not on this grid. */
export function gridFromJson(json: GridJson): CoverageGrid {
  if (json.version !== 1) throw new RangeError(`Unknown grid format version ${String(json.version)}`);
  const grid = createGrid(json.resolutionM);
  const parse = (id: string) => {
    const ref = parseCellId(id);
    if (!ref || ref.resolutionM !== json.resolutionM) throw new RangeError(`Not a ${json.resolutionM} m cell id: ${id}`);
    return ref;
  };
  for (const group of json.groups) {
    const ref = parse(group.cell);
    const key = groupNumber(ref, group.operator, group.technology, group.setting);
    const existing = grid.groups.get(key);
    if (existing) mergeInto(existing.stats, group.stats);
    else
      grid.groups.set(key, {
        cell: group.cell,
        ref,
        operator: group.operator,
        technology: group.technology,
        setting: group.setting,
        stats: cloneStats(group.stats),
      });
  }
  for (const tally of json.residents) tallyResident(grid, parse(tally.cell), tally.operator, tally.firstMs ?? NaN, tally.count, tally.lastMs ?? NaN);
  grid.outsideGrid = json.outsideGrid;
  return grid;
}
