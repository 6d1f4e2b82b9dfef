import type { DepartementSummaryAnswer } from '../../domain/api/index.ts';
import { csvTable, UTF8_BOM, type CsvDialect, type CsvValue } from '../../domain/csv.ts';
import { cellAt, formatCellId, parseCellId } from '../../domain/grid/cell-id.ts';
import type { VerdictOptions } from '../../domain/grid/cell-verdict.ts';
import { DEFAULT_GRID_FILTER } from '../../domain/grid/judge-grid.ts';
import {
  CAMPAIGN_STAGE_LABELS,
  campaignStage,
  compareCampaignsForTable,
  zoneCountsByStatus,
  zonesByDeadline,
  zonesProposedIn,
} from '../../domain/departement-summary.ts';
import { OPERATOR_LABELS, type Operator } from '../../domain/operators.ts';
import { PROBLEM_LABELS } from '../../domain/report.ts';
import { ZONE_STATUS_LABELS, ZONE_STATUSES, type Zone } from '../../domain/zone.ts';
import { campaignProgress } from '../campaigns/progress.ts';
import type { Communes } from '../communes/communes.ts';
import type { CampaignScope } from '../storage/campaign-store.ts';
import type { StoredReport } from '../storage/report-store.ts';
import type { Store } from '../storage/store.ts';
import { peopleInZone } from './cell-people.ts';
import { apiCellFeature, judgeCells, loadGrid } from './coverage.ts';
import { rangeOfCells } from '../../domain/grid/cell-range.ts';
import { declaredInCells, declaredProperties } from './declared-coverage.ts';

/** Reports listed under « Signalements à regarder » (the count says how many in all). */
export const LATEST_REPORTS = 10;
const REPORT_PAGE = 1000;

export interface SummaryInput {
  departement: string;
  today: string;
  /** ZONE_QUOTA_PER_YEAR; undefined when the deployment sets none. */
  quotaPerYear: number | undefined;
  campaignScope: CampaignScope;
  verdicts: VerdictOptions;
}

/**
 * Per operator, the zone's cells where its map declares TBC or BC and the measured verdict is
 * CL or PC with enough evidence: the dossier's contestation, counted.
 */
async function zoneDiscrepancies(store: Store, zone: Zone, options: VerdictOptions): Promise<Partial<Record<Operator, number>>> {
  const refs = zone.cells.flatMap((id) => parseCellId(id) ?? []);
  if (refs.length === 0) return {};
  const grid = await loadGrid(store, {
    range: rangeOfCells(refs),
    scope: { kind: 'departements', departements: [zone.departement] },
    filter: DEFAULT_GRID_FILTER,
  });
  const judged = judgeCells(grid, DEFAULT_GRID_FILTER, options, zone.cells);
  const declared = await declaredInCells(
    store,
    judged.map((cell) => cell.ref),
    DEFAULT_GRID_FILTER,
  );
  const counts: Partial<Record<Operator, number>> = {};
  judged.forEach((cell, i) => {
    const { discrepancy } = declaredProperties(declared[i], apiCellFeature(cell, options).properties.operators);
    for (const operator of discrepancy) counts[operator] = (counts[operator] ?? 0) + 1;
  });
  return counts;
}

/**
 * Residents' reports « à regarder »: visible reports of the département whose 200 m cell is in
 * no zone yet (open or closed, set aside included: a reviewer already weighed that ground).
 * Read in pages, oldest first, as the store keeps them.
 */
async function reportsAwaiting(store: Store, departement: string, zoneCells: ReadonlySet<string>): Promise<StoredReport[]> {
  const awaiting: StoredReport[] = [];
  const keep = (stored: StoredReport) => {
    if (stored.departement !== departement || stored.hidden) return false;
    const cell = cellAt(stored.report.lon, stored.report.lat);
    return !cell || !zoneCells.has(formatCellId(cell));
  };
  let cursor: string | undefined;
  do {
    const page = await store.queryReports({ limit: REPORT_PAGE, keep, ...(cursor && { cursor }) });
    awaiting.push(...page.reports);
    cursor = page.nextCursor;
  } while (cursor);
  return awaiting;
}

/** 200 m cell ids of zones (coarser zones' cells are split into theirs). */
function cellsOfZones(zones: readonly Zone[]): Set<string> {
  const ids = new Set<string>();
  for (const zone of zones) {
    for (const id of zone.cells) {
      const ref = parseCellId(id);
      if (!ref) continue;
      for (let north = ref.north; north < ref.north + ref.resolutionM; north += 200) {
        for (let east = ref.east; east < ref.east + ref.resolutionM; east += 200) ids.add(formatCellId({ resolutionM: 200, north, east }));
      }
    }
  }
  return ids;
}

/** GET /api/v1/departements/:code/summary: the équipe projet's table, from what the store holds now. */
export async function departementSummary(store: Store, communes: Communes, input: SummaryInput): Promise<DepartementSummaryAnswer> {
  const { departement, today } = input;
  const zones = (await store.listZones(departement)).sort(
    (a, b) => ZONE_STATUSES.indexOf(a.status) - ZONE_STATUSES.indexOf(b.status) || a.name.localeCompare(b.name, 'fr'),
  );
  const zoneLines = [];
  for (const zone of zones) {
    const refs = zone.cells.flatMap((id) => parseCellId(id) ?? []);
    const [people, discrepancies] = await Promise.all([peopleInZone(store, refs), zoneDiscrepancies(store, zone, input.verdicts)]);
    zoneLines.push({
      id: zone.id,
      name: zone.name,
      status: zone.status,
      cells: zone.cells.length,
      communes: zone.communes,
      people,
      discrepancies,
      deadline: zone.followUp.deadline,
      inServiceDate: zone.followUp.inServiceDate ?? null,
      leaderOperator: zone.followUp.leaderOperator ?? null,
    });
  }

  const awaiting = await reportsAwaiting(store, departement, cellsOfZones(zones));
  const year = Number(today.slice(0, 4));

  const campaigns = (await store.listCampaigns({ scope: input.campaignScope, departement })).sort(compareCampaignsForTable(today));
  const campaignLines = [];
  for (const campaign of campaigns) {
    const progress = campaignProgress(campaign.id, await store.campaignTally(campaign.id));
    campaignLines.push({
      id: campaign.id,
      name: campaign.name,
      communeName: campaign.communeName,
      startsOn: campaign.startsOn,
      endsOn: campaign.endsOn,
      stage: campaignStage(campaign, today),
      readings: progress.readings,
      cellsMeasured: progress.cells.length,
      lastReadingAt: progress.lastReadingAt ?? null,
    });
  }

  return {
    departement,
    departementName: communes.departementName(departement) ?? null,
    today,
    byStatus: zoneCountsByStatus(zones),
    zones: zoneLines,
    deadlines: zonesByDeadline(zones, today).map(({ zone, deadline, monthsLeft, overdue }) => ({
      zoneId: zone.id,
      name: zone.name,
      deadline,
      monthsLeft,
      overdue,
      leaderOperator: zone.followUp.leaderOperator ?? null,
    })),
    quota: { year, proposed: zonesProposedIn(year, zones), allowed: input.quotaPerYear ?? null },
    reports: {
      awaiting: awaiting.length,
      latest: awaiting
        .slice(-LATEST_REPORTS)
        .reverse()
        .map(({ report, receivedAt, commune }) => ({
          id: report.id,
          receivedAt,
          operator: report.operator,
          problem: report.problem,
          commune,
          communeName: commune === null ? null : (communes.get(commune)?.name ?? null),
          lat: report.lat,
          lon: report.lon,
        })),
    },
    campaigns: campaignLines,
  };
}

/** The CSV's columns: one table, each line saying which part of the page it comes from. */
export const SUMMARY_CSV_COLUMNS = [
  'Rubrique',
  'Identifiant',
  'Intitulé',
  'Étape',
  'Habitants',
  'Ménages',
  'Écarts avec les cartes des opérateurs (mailles)',
  'Échéance',
  'Détail',
] as const;

const discrepancyText = (counts: Partial<Record<Operator, number>>) =>
  (Object.entries(counts) as [Operator, number][]).map(([operator, cells]) => `${OPERATOR_LABELS[operator]} : ${cells}`).join(', ');

const monthsText = (months: number) => (months < 0 ? `en retard de ${-months} mois` : months === 0 ? 'échéance ce mois-ci' : `${months} mois restants`);

/** The table as CSV (`tableur`: for a French spreadsheet, csv.ts): zones, deadlines, quota, reports, campaigns. */
export function departementSummaryCsv(summary: DepartementSummaryAnswer, dialect: CsvDialect = 'machine'): string {
  const rows: CsvValue[][] = [];
  for (const zone of summary.zones) {
    rows.push([
      'Zone',
      zone.id,
      zone.name,
      ZONE_STATUS_LABELS[zone.status],
      zone.people ? Math.round(zone.people.inhabitants) : null,
      zone.people ? Math.round(zone.people.households) : null,
      discrepancyText(zone.discrepancies),
      zone.deadline,
      `${zone.cells} mailles ; communes ${zone.communes.join(' ')}`,
    ]);
  }
  for (const line of summary.deadlines) {
    rows.push(['Échéance', line.zoneId, line.name, line.overdue ? 'En retard' : 'À venir', null, null, null, line.deadline, monthsText(line.monthsLeft)]);
  }
  const { year, proposed, allowed } = summary.quota;
  rows.push([
    'Quota',
    String(year),
    `Zones proposées en ${year}`,
    null,
    null,
    null,
    null,
    null,
    allowed === null ? `${proposed} (aucun quota fixé)` : `${proposed} sur ${allowed}`,
  ]);
  for (const report of summary.reports.latest) {
    rows.push([
      'Signalement',
      report.id,
      `${PROBLEM_LABELS[report.problem]} (${OPERATOR_LABELS[report.operator]})`,
      'À regarder',
      null,
      null,
      null,
      null,
      `reçu le ${report.receivedAt} ; commune ${report.commune === null ? 'inconnue' : `${report.communeName ?? ''} (${report.commune})`.trim()}`,
    ]);
  }
  for (const campaign of summary.campaigns) {
    rows.push([
      'Campagne',
      campaign.id,
      `${campaign.name} (${campaign.communeName})`,
      CAMPAIGN_STAGE_LABELS[campaign.stage],
      null,
      null,
      null,
      campaign.endsOn,
      `du ${campaign.startsOn} au ${campaign.endsOn} ; ${campaign.readings} relevés sur ${campaign.cellsMeasured} mailles`,
    ]);
  }
  return UTF8_BOM + csvTable(SUMMARY_CSV_COLUMNS, rows, dialect === 'tableur' ? { dialect } : { newline: '\n' });
}
