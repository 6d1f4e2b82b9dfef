import type { SamplingPlanAnswer } from '../../domain/api/index.ts';
import { OPERATOR_LABELS, type Operator } from '../../domain/operators.ts';

/** The sampling plan as the agent's map draws it (use-sampling-plan.ts): pure, unit-tested. */

/** Cells « à mesurer » drawn at most: the plan's first ones, the rest waits for them. */
export const PLANNED_CELLS_SHOWN = 30;

/** One cell of the plan on the map: its best rank, and what each undecided operator still needs. */
export interface PlannedCell {
  rank: number;
  cellId: string;
  needs: { operator: Operator; needed: number | null }[];
}

/** The plan's entries grouped by cell, in rank order (a cell takes its operators' best rank). */
export function plannedCells(plan: SamplingPlanAnswer): PlannedCell[] {
  const cells = new Map<string, PlannedCell>();
  for (const entry of plan.entries) {
    let cell = cells.get(entry.cellId);
    if (!cell) cells.set(entry.cellId, (cell = { rank: 0, cellId: entry.cellId, needs: [] }));
    cell.needs.push({ operator: entry.operator, needed: entry.needed });
  }
  return [...cells.values()].map((cell, i) => ({ ...cell, rank: i + 1 }));
}

/** « Orange : 1 relevé, SFR : plus de 200 relevés » */
export function needsText(cell: PlannedCell, cap: number): string {
  return cell.needs
    .map(({ operator, needed }) => `${OPERATOR_LABELS[operator]} : ${needed === null ? `plus de ${cap}` : needed} relevé${needed === 1 ? '' : 's'}`)
    .join(', ');
}
