import type { Campaign } from '../../domain/campaign.ts';
import { csvTable, type CsvDialect } from '../../domain/csv.ts';
import { formatCellId, type CellRef } from '../../domain/grid/cell-id.ts';
import type { VerdictOptions } from '../../domain/grid/cell-verdict.ts';
import { DEFAULT_GRID_FILTER, type GridFilter } from '../../domain/grid/judge-grid.ts';
import { SAMPLING_PLAN_CAP, samplingPlan, type SamplingPlanEntry } from '../../domain/grid/sampling-plan.ts';
import type { GridScope } from '../storage/grid-store.ts';
import type { Store } from '../storage/store.ts';
import { judgeCells, loadGrid } from './coverage.ts';
import { rangeOfCells } from '../../domain/grid/cell-range.ts';

/**
 * GET /api/v1/campaigns/:id/sampling-plan(.csv): the campaign's cells — the 200 m cells its
 * readings fell in — judged on all the outdoor evidence the caller may see, and for each of
 * the campaign's operators still undecided there, how many more readings would decide it
 * (src/domain/grid/sampling-plan.ts). Cells nobody measured yet are not listed: each of them
 * needs the same four readings per operator, and the campaign's map already shows them empty.
 */
export interface CampaignPlan {
  campaignId: string;
  confidence: number;
  coverageThreshold: number;
  cap: number;
  entries: SamplingPlanEntry[];
}

export async function campaignPlan(store: Store, campaign: Campaign, scope: GridScope, options: VerdictOptions): Promise<CampaignPlan> {
  const tally = await store.campaignTally(campaign.id);
  const refs = new Map<string, CellRef>();
  for (const group of tally.groups) if (group.cell) refs.set(formatCellId(group.cell), group.cell);
  const header = { campaignId: campaign.id, confidence: options.confidence, coverageThreshold: options.coverageThreshold, cap: SAMPLING_PLAN_CAP };
  if (refs.size === 0 || (scope.kind === 'departements' && scope.departements.length === 0)) return { ...header, entries: [] };
  const filter: GridFilter = { ...DEFAULT_GRID_FILTER, operators: campaign.operators };
  const ids = [...refs.keys()].sort();
  const grid = await loadGrid(store, { range: rangeOfCells([...refs.values()]), scope, filter, withoutReports: true });
  const judged = judgeCells(grid, filter, { ...options, operators: campaign.operators }, ids);
  return { ...header, entries: samplingPlan(judged, campaign.operators, options) };
}

const PLAN_COLUMNS = [
  'rang',
  'maille',
  'operateur',
  'releves',
  'releves_bc_ou_mieux',
  'part_bc_ou_mieux',
  'borne_basse',
  'borne_haute',
  'releves_a_ajouter',
  'contributeurs_manquants',
];

/** The plan as CSV (one row per cell × operator, in rank order); `releves_a_ajouter` « plus de 200 » past the cap. */
export function campaignPlanCsv(plan: CampaignPlan, dialect: CsvDialect): string {
  const rows = plan.entries.map((entry) => [
    entry.rank,
    entry.cellId,
    entry.operator,
    entry.readings,
    entry.coverage?.successes ?? 0,
    entry.coverage?.rate ?? null,
    entry.coverage?.low ?? null,
    entry.coverage?.high ?? null,
    entry.needed ?? `plus de ${plan.cap}`,
    entry.contributorsMissing,
  ]);
  return csvTable(PLAN_COLUMNS, rows, { dialect });
}
