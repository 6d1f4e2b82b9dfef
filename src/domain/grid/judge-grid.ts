import { OPERATORS, type Operator } from '../operators.ts';
import type { Setting } from '../reading.ts';
import type { Technology } from '../signal.ts';
import { cellNumber, type CellRef } from './cell-id.ts';
import { DEFAULT_VERDICT_OPTIONS, judgeCell, type CellVerdict, type VerdictOptions } from './cell-verdict.ts';
import type { CoverageGrid } from './grid-accumulator.ts';
import { cloneStats, mergeInto, type GroupStats } from './group-stats.ts';

/** Which readings make a verdict. Periods are chosen upstream, by aggregating that period's readings. */
export interface GridFilter {
  operators?: readonly Operator[];
  technologies?: readonly Technology[];
  /**
   * Default `['outdoor']` (choice): Arcep's levels and its checks are outdoors; an indoor
   * reading counts for indoor coverage only (pass `['indoor']`), and a reading from inside a
   * vehicle, weakened by the car body, is opt-in.
   */
  settings?: readonly Setting[];
}

export const DEFAULT_GRID_FILTER: Readonly<GridFilter> = Object.freeze({ settings: ['outdoor'] as const });

/**
 * One cell with its evidence (filtered, merged per operator) and its verdict. The statistics
 * may be the grid's own objects (when one group alone makes an operator's evidence): read them,
 * do not modify them.
 */
export interface JudgedCell {
  cell: string;
  ref: CellRef;
  operators: Partial<Record<Operator, GroupStats>>;
  residentReports: number;
  verdict: CellVerdict;
}

interface CellEntry {
  cell: string;
  ref: CellRef;
  /** Per operator, in OPERATORS order. */
  stats: (GroupStats | undefined)[];
  /** Which of them are copies this function may modify (bit per operator). */
  owned: number;
  residentReports: number;
}

const OPERATOR_INDEX = new Map<string, number>(OPERATORS.map((o, i) => [o, i]));

/**
 * Every cell of the grid that has readings passing the filter or residents' reports, with its
 * verdict, sorted south to north then west to east. The grid is not modified.
 */
export function judgeGrid(
  grid: CoverageGrid,
  filter: Readonly<GridFilter> = DEFAULT_GRID_FILTER,
  options: Readonly<VerdictOptions> = DEFAULT_VERDICT_OPTIONS,
): JudgedCell[] {
  const operators = filter.operators ?? OPERATORS;
  const { technologies, settings } = filter;
  const cells = new Map<number, CellEntry>();
  for (const group of grid.groups.values()) {
    if (!operators.includes(group.operator)) continue;
    if (technologies && !technologies.includes(group.technology)) continue;
    if (settings && !settings.includes(group.setting)) continue;
    const entry = entryOf(cells, group.cell, group.ref);
    const o = OPERATOR_INDEX.get(group.operator)!;
    const existing = entry.stats[o];
    if (!existing) {
      entry.stats[o] = group.stats; // shared until a second group comes
    } else {
      // Copy on write: the grid's statistics are never modified.
      const own = entry.owned & (1 << o) ? existing : cloneStats(existing);
      entry.owned |= 1 << o;
      entry.stats[o] = mergeInto(own, group.stats);
    }
  }
  for (const tally of grid.residents.values()) {
    if (operators.includes(tally.operator)) entryOf(cells, tally.cell, tally.ref).residentReports += tally.count;
  }
  const keys = [...cells.keys()].sort((a, b) => a - b);
  const judged: JudgedCell[] = new Array(keys.length);
  for (let i = 0; i < keys.length; i += 1) {
    const entry = cells.get(keys[i]!)!;
    const byOperator: Partial<Record<Operator, GroupStats>> = {};
    for (let o = 0; o < OPERATORS.length; o += 1) {
      const stats = entry.stats[o];
      if (stats) byOperator[OPERATORS[o]!] = stats;
    }
    const evidence = { operators: byOperator, residentReports: entry.residentReports };
    judged[i] = { cell: entry.cell, ref: entry.ref, ...evidence, verdict: judgeCell(evidence, options) };
  }
  return judged;
}

function entryOf(cells: Map<number, CellEntry>, cell: string, ref: CellRef): CellEntry {
  const key = cellNumber(ref);
  let entry = cells.get(key);
  if (!entry) {
    entry = { cell, ref, stats: [undefined, undefined, undefined, undefined], owned: 0, residentReports: 0 };
    cells.set(key, entry);
  }
  return entry;
}
