import { parseCellId } from '../../domain/grid/cell-id.ts';
import type { VerdictOptions } from '../../domain/grid/cell-verdict.ts';
import { DEFAULT_GRID_FILTER } from '../../domain/grid/judge-grid.ts';
import { cellsOutline } from '../../domain/grid/outline.ts';
import { LEVEL_LABELS, type Level } from '../../domain/level.ts';
import { OPERATOR_LABELS, type Operator } from '../../domain/operators.ts';
import type { Zone } from '../../domain/zone.ts';
import type { Store } from '../storage/store.ts';
import { judgeCells, loadGrid } from './coverage.ts';
import { rangeOfCells } from '../../domain/grid/cell-range.ts';
import { summarise, type OperatorSummary } from './zone-documents.ts';

/**
 * After the arrêté, was the site built and does it work? The zone's readings up to the
 * arrêté's month (before) beside those from the re-measurement campaign's first month on
 * (after), per operator, as the dossier shows them. The grid keeps readings by month, so
 * « before » is every reading up to the end of the arrêté's month and « after » every reading
 * of the zone's cells from the month the campaign starts, whoever made it: a campaign in the
 * arrêté's own month would count its readings on both sides (the deadline is 12 or 24 months
 * later, so in practice it does not happen).
 */

export interface OperatorBeforeAfter {
  operator: Operator;
  label: string;
  before: Pick<OperatorSummary, 'verdict' | 'readings' | 'contributors' | 'medianDbm' | 'callSuccessRate' | 'callTests'>;
  after: Pick<OperatorSummary, 'verdict' | 'readings' | 'contributors' | 'medianDbm' | 'callSuccessRate' | 'callTests'> | null;
}

export interface ZoneBeforeAfter {
  arreteDate: string;
  /** The re-measurement campaign, null until « Mesurer à nouveau ». */
  campaign: { id: string; name: string; startsOn: string; endsOn: string } | null;
  operators: OperatorBeforeAfter[];
  /**
   * Covered by measurement: after the arrêté, the leader operator's (else any operator's)
   * verdict on the zone is good coverage (TBC or BC) with enough evidence. Null while no
   * re-measurement exists.
   */
  coveredByMeasurement: boolean | null;
  /** The sentence the dossier prints. */
  conclusion: string;
}

const GOOD: readonly string[] = ['TBC', 'BC'] satisfies Level[];

async function operatorsOver(store: Store, zone: Zone, options: VerdictOptions, period: { fromMonth?: string; toMonth?: string }) {
  const refs = zone.cells.map((id) => parseCellId(id)!);
  const grid = await loadGrid(store, {
    range: rangeOfCells(refs),
    scope: { kind: 'departements', departements: [zone.departement] },
    filter: DEFAULT_GRID_FILTER,
    ...period,
  });
  const evidence = { zone, refs, cells: judgeCells(grid, DEFAULT_GRID_FILTER, options, zone.cells), outline: cellsOutline(refs) };
  return summarise(evidence, options).operators;
}

const figures = ({ verdict, readings, contributors, medianDbm, callSuccessRate, callTests }: OperatorSummary) => ({
  verdict,
  readings,
  contributors,
  medianDbm,
  callSuccessRate,
  callTests,
});

/** Undefined while the zone has no arrêté's date: nothing to compare with. */
export async function zoneBeforeAfter(store: Store, zone: Zone, options: VerdictOptions): Promise<ZoneBeforeAfter | undefined> {
  const { arreteDate, remeasureCampaignId, leaderOperator } = zone.followUp;
  if (arreteDate === undefined) return undefined;
  const before = await operatorsOver(store, zone, options, { toMonth: arreteDate.slice(0, 7) });
  const found = remeasureCampaignId === undefined ? undefined : await store.campaignById(remeasureCampaignId);
  const campaign = found ? { id: found.id, name: found.name, startsOn: found.startsOn, endsOn: found.endsOn } : null;
  const after = campaign ? await operatorsOver(store, zone, options, { fromMonth: campaign.startsOn.slice(0, 7) }) : null;
  const operators = before.map((summary, i) => ({
    operator: summary.operator,
    label: summary.label,
    before: figures(summary),
    after: after ? figures(after[i]!) : null,
  }));
  if (!after) {
    return {
      arreteDate,
      campaign,
      operators,
      coveredByMeasurement: null,
      conclusion: 'Pas encore de nouvelle mesure : « Mesurer à nouveau » crée une campagne sur la zone.',
    };
  }
  const judged = leaderOperator ? operators.filter((o) => o.operator === leaderOperator) : operators;
  const covering = judged.filter((o) => o.after && GOOD.includes(o.after.verdict));
  const coveredByMeasurement = covering.length > 0;
  const who = (list: OperatorBeforeAfter[]) =>
    list
      .map((o) => `${o.label} (${o.after!.verdict === 'insufficient' ? 'mesures insuffisantes' : LEVEL_LABELS[o.after!.verdict as Level].toLowerCase()})`)
      .join(', ');
  const conclusion = coveredByMeasurement
    ? `Zone couverte selon les mesures faites après l’arrêté, pas seulement selon la déclaration de l’opérateur : ${who(covering)}.`
    : `Zone pas couverte selon les mesures faites après l’arrêté : ${who(judged)}${leaderOperator ? ` (opérateur leader : ${OPERATOR_LABELS[leaderOperator]})` : ''}.`;
  return { arreteDate, campaign, operators, coveredByMeasurement, conclusion };
}
