import { LEVELS, type Level } from '../level.ts';
import { OPERATORS, type Operator } from '../operators.ts';
import type { GroupStats } from './group-stats.ts';
import { sideOf, wilsonInterval, type Interval } from './wilson.ts';

/**
 * The coverage rule for one grid cell, documented with its table in docs/coverage-rules.md
 * ("A cell's verdict") and table-tested in test/unit/grid-verdict.test.ts.
 */

export type OperatorVerdict = Level | 'insufficient';
export const CELL_ZONES = ['zone-blanche', 'zone-grise', 'covered', 'insufficient'] as const;
export type CellZone = (typeof CELL_ZONES)[number];

export const CELL_ZONE_LABELS: Record<CellZone, string> = {
  'zone-blanche': 'Zone blanche',
  'zone-grise': 'Zone grise',
  covered: 'Couverte',
  insufficient: 'Mesures insuffisantes',
};

export interface VerdictOptions {
  /** Fewest readings of an operator in a cell for a verdict (choice: 3, so the median means something). */
  minReadings: number;
  /** Fewest distinct contributors behind them (choice: 1, one commune agent is trusted evidence). */
  minContributors: number;
  /** Residents' signals on an undecided cell that flag it to survey (choice: 1). */
  minResidentReports: number;
  /** The operators a zone blanche must be proven for (default: the four). */
  operators: readonly Operator[];
  /** Confidence of every interval (choice: 0.95, two-sided Wilson). */
  confidence: number;
  /**
   * Share of an operator's readings at BC or better above which it covers the cell (choice:
   * 0.5, what the median level already said: « most readings »). The verdict stands only once
   * the share's interval lies wholly on one side of it.
   */
  coverageThreshold: number;
  /**
   * Call success rate a covering operator is expected to reach (choice: 0.95, Arcep's target
   * for its map checks). Shown beside the verdict with its side; not folded into it (a failed
   * call already caps its reading at CL).
   */
  callThreshold: number;
}

export const DEFAULT_VERDICT_OPTIONS: Readonly<VerdictOptions> = Object.freeze({
  minReadings: 3,
  minContributors: 1,
  minResidentReports: 1,
  operators: OPERATORS,
  confidence: 0.95,
  coverageThreshold: 0.5,
  callThreshold: 0.95,
});

/** What is known about one cell, per operator, once readings are filtered (judge-grid.ts). */
export interface CellEvidence {
  operators: Partial<Record<Operator, GroupStats>>;
  /** Residents' reports (all operators) on the cell. */
  residentReports: number;
}

export interface CellVerdict {
  zone: CellZone;
  /** Per operator: its median level, or insufficient below the minimum of evidence. */
  operators: Record<Operator, OperatorVerdict>;
  /** Operators judged TBC or BC. */
  covering: Operator[];
  /** Operators without enough evidence: what to measure next. */
  missing: Operator[];
  /** Undecided cell that residents reported: worth sending an agent. */
  toSurvey: boolean;
}

/** BC or better: what the New Deal Mobile calls "bonne couverture". */
export function isGoodCoverage(verdict: OperatorVerdict): boolean {
  return verdict === 'TBC' || verdict === 'BC';
}

/** Readings at BC or better, out of all: the proportion whose interval decides whether an operator covers. */
export function coveringReadings(stats: GroupStats): number {
  return stats.levels.TBC + stats.levels.BC;
}

/** The interval of the share of readings at BC or better. */
export function coverageInterval(stats: GroupStats, options: Readonly<VerdictOptions> = DEFAULT_VERDICT_OPTIONS): Interval {
  return wilsonInterval(coveringReadings(stats), stats.readings, options.confidence);
}

/**
 * One operator on one cell, insufficient unless:
 * - it has at least `minReadings` readings from at least `minContributors` contributors, and
 * - the interval of its share of readings at BC or better lies wholly above or wholly below
 *   `coverageThreshold` (three BC readings out of three: 44–100 % at 95 %, across 50 %: not
 *   yet; four out of four: 51–100 %: covering).
 * Then its level: the best level that more than `coverageThreshold` of the readings reach or
 * beat (at 0.5, the median level of group-stats.ts, "most readings"); it is BC or better
 * exactly when the interval lies above the threshold.
 */
export function operatorVerdict(stats: GroupStats | undefined, options: Readonly<VerdictOptions> = DEFAULT_VERDICT_OPTIONS): OperatorVerdict {
  if (!stats || stats.readings === 0 || stats.readings < options.minReadings || stats.contributors.length < options.minContributors) return 'insufficient';
  if (sideOf(coverageInterval(stats, options), options.coverageThreshold) === 'straddles') return 'insufficient';
  let reached = 0;
  for (const level of LEVELS) {
    reached += stats.levels[level];
    if (reached > options.coverageThreshold * stats.readings) return level;
  }
  return 'PC';
}

/**
 * THE RULE. From each operator's verdict:
 * - `covered` when two or more operators are at BC or better — whatever the others are,
 *   more evidence could only add covering operators;
 * - `zone-grise` when exactly one is, and every other operator has a verdict (CL or PC);
 * - `zone-blanche` when none is, and every operator has a verdict (CL or PC);
 * - `insufficient` otherwise: an operator without evidence might be the one that covers the
 *   cell, and "no operator covers it" is only defensible once each one has been measured.
 * Residents' reports never change the zone; on an insufficient cell they set `toSurvey`.
 */
export function judgeCell(evidence: CellEvidence, options: Readonly<VerdictOptions> = DEFAULT_VERDICT_OPTIONS): CellVerdict {
  const operators = {} as Record<Operator, OperatorVerdict>;
  const covering: Operator[] = [];
  const missing: Operator[] = [];
  for (const operator of OPERATORS) {
    const verdict = operatorVerdict(evidence.operators[operator], options);
    operators[operator] = verdict;
    if (!options.operators.includes(operator)) continue;
    if (isGoodCoverage(verdict)) covering.push(operator);
    else if (verdict === 'insufficient') missing.push(operator);
  }
  let zone: CellZone;
  if (covering.length >= 2) zone = 'covered';
  else if (missing.length > 0) zone = 'insufficient';
  else zone = covering.length === 1 ? 'zone-grise' : 'zone-blanche';
  const toSurvey = zone === 'insufficient' && evidence.residentReports >= options.minResidentReports && options.minResidentReports > 0;
  return { zone, operators, covering, missing, toSurvey };
}
