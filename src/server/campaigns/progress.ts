import type { CampaignCell, CampaignProgress } from '../../domain/campaign.ts';
import { formatCellId } from '../../domain/grid/cell-id.ts';
import { OPERATORS, type Operator } from '../../domain/operators.ts';
import { TECHNOLOGIES, type Technology } from '../../domain/signal.ts';
import type { CampaignTally } from '../storage/campaign-store.ts';

/**
 * GET /api/v1/campaigns/:id/progress from the store's counts: every operator and technology
 * present (zero when nothing was measured, so that a screen can say « 0 relevé Free »), the
 * 200 m cells with a reading, sorted by id. Counts only: who sent what never appears.
 */
export function campaignProgress(campaignId: string, tally: CampaignTally): CampaignProgress {
  const byOperator = Object.fromEntries(OPERATORS.map((operator) => [operator, 0])) as Record<Operator, number>;
  const byTechnology = Object.fromEntries(TECHNOLOGIES.map((technology) => [technology, 0])) as Record<Technology, number>;
  const cells = new Map<string, CampaignCell>();
  let readings = 0;
  for (const group of tally.groups) {
    readings += group.readings;
    byOperator[group.operator] += group.readings;
    byTechnology[group.technology] += group.readings;
    if (!group.cell) continue;
    const cellId = formatCellId(group.cell);
    const cell = cells.get(cellId) ?? { cellId, readings: 0, byOperator: {} };
    cell.readings += group.readings;
    cell.byOperator[group.operator] = (cell.byOperator[group.operator] ?? 0) + group.readings;
    cells.set(cellId, cell);
  }
  return {
    campaignId,
    readings,
    byOperator,
    byTechnology,
    cells: [...cells.values()].sort((a, b) => (a.cellId < b.cellId ? -1 : a.cellId > b.cellId ? 1 : 0)),
    tracks: tally.tracks,
    ...(tally.lastReadingAt !== undefined && { lastReadingAt: tally.lastReadingAt }),
  };
}
