import type { Operator } from '../operators.ts';
import { coveringReadings, DEFAULT_VERDICT_OPTIONS, type VerdictOptions } from './cell-verdict.ts';
import type { JudgedCell } from './judge-grid.ts';
import { proportion, trialsToDecide, type Proportion } from './wilson.ts';

/**
 * A campaign's sampling plan (docs/coverage-rules.md, « Statistics »): its cells × operators
 * still `insufficient`, each with how many more readings would decide it, fewest first.
 */

/** No count above this is given: « plus de 200 ». A share on the threshold never clears it, and 200 readings of one operator in one 200 m cell is no plan. */
export const SAMPLING_PLAN_CAP = 200;

export interface SamplingPlanEntry {
  /** 1 = decided by the fewest readings. */
  rank: number;
  cellId: string;
  operator: Operator;
  readings: number;
  /** Readings at BC or better, with the interval; null without readings. */
  coverage: Proportion | null;
  /** More readings that would decide it at the current share; null: more than SAMPLING_PLAN_CAP. */
  needed: number | null;
  /** Distinct contributors still missing (VERDICT_MIN_CONTRIBUTORS), said rather than counted in `needed`. */
  contributorsMissing: number;
}

/**
 * The entries of a plan over judged cells, for the campaign's operators. `needed`: the smallest
 * m such that m more readings at the current share of BC-or-better readings (all alike when
 * there is none yet) put the share's interval wholly on one side of `coverageThreshold`, and at
 * least what `minReadings` still asks. Ranked by `needed` (unknown last), then cell id, then the
 * operators' order.
 */
export function samplingPlan(
  cells: readonly JudgedCell[],
  operators: readonly Operator[],
  options: Readonly<VerdictOptions> = DEFAULT_VERDICT_OPTIONS,
  cap = SAMPLING_PLAN_CAP,
): SamplingPlanEntry[] {
  const entries: Omit<SamplingPlanEntry, 'rank'>[] = [];
  for (const cell of cells) {
    for (const operator of operators) {
      if (cell.verdict.operators[operator] !== 'insufficient') continue;
      const stats = cell.operators[operator];
      const readings = stats?.readings ?? 0;
      const covering = stats ? coveringReadings(stats) : 0;
      const toDecide = trialsToDecide(covering, readings, options.coverageThreshold, options.confidence, cap);
      const needed = toDecide === undefined ? null : Math.max(toDecide, options.minReadings - readings);
      entries.push({
        cellId: cell.cell,
        operator,
        readings,
        coverage: proportion(covering, readings, options.confidence) ?? null,
        needed,
        contributorsMissing: Math.max(0, options.minContributors - (stats?.contributors.length ?? 0)),
      });
    }
  }
  const order = new Map(operators.map((operator, i) => [operator, i]));
  entries.sort(
    (a, b) =>
      (a.needed ?? Infinity) - (b.needed ?? Infinity) ||
      (a.cellId < b.cellId ? -1 : a.cellId > b.cellId ? 1 : 0) ||
      order.get(a.operator)! - order.get(b.operator)!,
  );
  return entries.map((entry, i) => ({ rank: i + 1, ...entry }));
}

/** « 12 relevés », « plus de 200 relevés »: what the plan asks, in French. */
export function neededLabel(needed: number | null, cap = SAMPLING_PLAN_CAP): string {
  if (needed === null) return `plus de ${cap} relevés`;
  return needed <= 1 ? `${needed} relevé` : `${needed} relevés`;
}
