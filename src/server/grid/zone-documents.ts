import { csvTable, UTF8_BOM, type CsvDialect, type CsvValue } from '../../domain/csv.ts';
import { bboxOf } from '../../domain/grid/cell-geometry.ts';
import { cellIdAt, parseCellId, type CellRef } from '../../domain/grid/cell-id.ts';
import { declaredContestation, type CitedEdition } from '../../domain/grid/declared-contestation.ts';
import { operatorProperties, type OperatorCellProperties } from '../../domain/grid/cell-geojson.ts';
import { CELL_ZONES, operatorVerdict, type CellZone, type VerdictOptions } from '../../domain/grid/cell-verdict.ts';
import { cloneStats, emptyStats, mergeInto, type GroupStats } from '../../domain/grid/group-stats.ts';
import { DEFAULT_GRID_FILTER, type JudgedCell } from '../../domain/grid/judge-grid.ts';
import { cellsOutline, type MultiPolygonGeometry, type PolygonGeometry } from '../../domain/grid/outline.ts';
import { LEVEL_LABELS, readingLevel } from '../../domain/level.ts';
import { OPERATOR_LABELS, OPERATORS, type Operator } from '../../domain/operators.ts';
import { SETTING_LABELS, SMS_LABELS, SOURCE_LABELS, VOICE_LABELS, type Reading } from '../../domain/reading.ts';
import { TECHNOLOGY_LABELS } from '../../domain/signal.ts';
import { ZONE_NEED_LABELS, ZONE_STATUS_LABELS, type Zone } from '../../domain/zone.ts';
import type { Communes } from '../communes/communes.ts';
import type { ReadingPlacement } from '../storage/reading-store.ts';
import type { Store } from '../storage/store.ts';
import type { DeclaredEdition } from '../storage/declared-coverage-store.ts';
import { apiCellFeature, judgeCells, loadGrid } from './coverage.ts';
import { rangeOfCells } from '../../domain/grid/cell-range.ts';
import { declaredInCells, declaredProperties, type DeclaredByOperator } from './declared-coverage.ts';

/**
 * A zone's evidence and the files made from it: the dossier (GeoJSON, readings CSV, the JSON
 * the printable page renders) and the département's list of zones. Evidence is the zone's
 * département's readings, outdoors (the rule's default), every period: the same whoever
 * downloads it. Contributors are counted, never named.
 */

export interface ZoneEvidence {
  zone: Zone;
  refs: CellRef[];
  /** One per cell of the zone, in the zone's order; cells without readings are insufficient. */
  cells: JudgedCell[];
  outline: PolygonGeometry | MultiPolygonGeometry;
  /** Per cell, in the zone's order: each operator's declared level (best of its technologies' maps). */
  declared: DeclaredByOperator[];
  /** The maps loaded for the zone's département. */
  editions: DeclaredEdition[];
}

export async function zoneEvidence(store: Store, zone: Zone, options: VerdictOptions): Promise<ZoneEvidence> {
  const refs = zone.cells.map((id) => parseCellId(id)!);
  const grid = await loadGrid(store, {
    range: rangeOfCells(refs),
    scope: { kind: 'departements', departements: [zone.departement] },
    filter: DEFAULT_GRID_FILTER,
  });
  const [declared, editions] = await Promise.all([declaredInCells(store, refs, DEFAULT_GRID_FILTER), store.declaredEditions([zone.departement])]);
  return { zone, refs, cells: judgeCells(grid, DEFAULT_GRID_FILTER, options, zone.cells), outline: cellsOutline(refs), declared, editions };
}

export interface OperatorSummary extends OperatorCellProperties {
  operator: Operator;
  label: string;
}

export interface ZoneSummary {
  operators: OperatorSummary[];
  cellsByZone: Record<CellZone, number>;
  readings: number;
  contributors: number;
  firstAt: string | null;
  lastAt: string | null;
  calls: { tried: number; ok: number; failed: number; dropped: number; successRate: number | null };
  residentReports: number;
}

/** Per operator over the whole zone (its cells' readings merged), and totals. */
export function summarise(evidence: Pick<ZoneEvidence, 'cells'>, options: VerdictOptions): ZoneSummary {
  const perOperator = new Map<Operator, GroupStats>();
  const all = emptyStats();
  const cellsByZone = Object.fromEntries(CELL_ZONES.map((zone) => [zone, 0])) as Record<CellZone, number>;
  let residentReports = 0;
  for (const cell of evidence.cells) {
    cellsByZone[cell.verdict.zone] += 1;
    residentReports += cell.residentReports;
    for (const [operator, stats] of Object.entries(cell.operators) as [Operator, GroupStats][]) {
      const merged = perOperator.get(operator);
      if (merged) mergeInto(merged, stats);
      else perOperator.set(operator, cloneStats(stats));
      mergeInto(all, stats);
    }
  }
  const operators = OPERATORS.map((operator) => {
    const stats = perOperator.get(operator) ?? emptyStats();
    return { operator, label: OPERATOR_LABELS[operator], ...operatorProperties(stats, operatorVerdict(stats, options), options) };
  });
  const tried = all.calls.ok + all.calls.failed + all.calls.dropped;
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    operators,
    cellsByZone,
    readings: all.readings,
    contributors: all.contributors.length,
    firstAt: iso(all.firstMs),
    lastAt: iso(all.lastMs),
    calls: { tried, ok: all.calls.ok, failed: all.calls.failed, dropped: all.calls.dropped, successRate: tried === 0 ? null : all.calls.ok / tried },
    residentReports,
  };
}

/** The zone's fields a list or a dossier shows, without its history. */
function zoneProperties(zone: Zone) {
  const { history: _, cells, ...rest } = zone;
  return {
    ...rest,
    statusLabel: ZONE_STATUS_LABELS[zone.status],
    needLabel: ZONE_NEED_LABELS[zone.need],
    cells: cells.length,
    resolutionM: parseCellId(cells[0]!)!.resolutionM,
  };
}

/** dossier.geojson: the zone's outline first, then each of its cells with per-operator statistics. */
/** `options`: the verdict's, for the cells' intervals. */
export function dossierGeojson(evidence: ZoneEvidence, summary: ZoneSummary, options: VerdictOptions) {
  const { zone } = evidence;
  return {
    type: 'FeatureCollection',
    features: [
      {
        type: 'Feature',
        id: zone.id,
        geometry: evidence.outline,
        properties: {
          kind: 'zone',
          ...zoneProperties(zone),
          readings: summary.readings,
          contributors: summary.contributors,
          cellsByZone: summary.cellsByZone,
          operators: Object.fromEntries(summary.operators.map(({ operator, label: _, ...stats }) => [operator, stats])),
        },
      },
      ...evidence.cells.map((cell, i) => {
        const feature = apiCellFeature(cell, options);
        const declared = declaredProperties(evidence.declared[i], feature.properties.operators);
        return { ...feature, properties: { kind: 'cell', ...feature.properties, ...declared } };
      }),
    ],
  };
}

/** dossier.json: everything the printable page shows, one zone per A4 page. */
export function dossierJson(evidence: ZoneEvidence, summary: ZoneSummary, options: VerdictOptions, communes: Communes, generatedAt: string) {
  const { zone } = evidence;
  const rings = evidence.outline.type === 'Polygon' ? [evidence.outline.coordinates[0]!] : evidence.outline.coordinates.map((p) => p[0]!);
  const box = bboxOf(rings.flat());
  return {
    generatedAt,
    zone,
    statusLabel: ZONE_STATUS_LABELS[zone.status],
    needLabel: ZONE_NEED_LABELS[zone.need],
    departement: { code: zone.departement, name: communes.departementName(zone.departement) ?? zone.departement },
    communes: zone.communes.map((code) => ({ code, name: communes.get(code)?.name ?? code })),
    outline: evidence.outline,
    bbox: [box.minLon, box.minLat, box.maxLon, box.maxLat],
    cells: evidence.cells.map((cell) => ({
      cellId: cell.cell,
      zone: cell.verdict.zone,
      operators: cell.verdict.operators,
      readings: Object.values(cell.operators).reduce((sum, stats) => sum + stats.readings, 0),
      ring: apiCellFeature(cell, options).geometry.coordinates[0],
    })),
    cellsByZone: summary.cellsByZone,
    operators: summary.operators,
    calls: summary.calls,
    readings: summary.readings,
    contributors: summary.contributors,
    firstAt: summary.firstAt,
    lastAt: summary.lastAt,
    residentReports: summary.residentReports,
    declaredCoverage: zoneContestation(evidence, summary),
    rule: { settings: DEFAULT_GRID_FILTER.settings, minReadings: options.minReadings, minContributors: options.minContributors },
  };
}

export const READING_CSV_COLUMNS = [
  'id',
  'recorded_at',
  'lat',
  'lon',
  'accuracy_m',
  'cell_id',
  'commune',
  'operator',
  'technology',
  'signal_dbm',
  'signal_bars',
  'level',
  'setting',
  'voice',
  'sms',
  'source',
] as const;

type ZoneReadingRow = { reading: Reading; place: Pick<ReadingPlacement, 'commune'> };

/** readings.csv for a French spreadsheet: the same readings, headers and values in French. */
const READING_SHEET_COLUMNS: readonly { header: string; value: (row: ZoneReadingRow) => CsvValue }[] = [
  { header: 'Identifiant', value: ({ reading }) => reading.id },
  { header: 'Date du relevé', value: ({ reading }) => new Date(reading.recordedAt) },
  { header: 'Latitude', value: ({ reading }) => reading.lat },
  { header: 'Longitude', value: ({ reading }) => reading.lon },
  { header: 'Précision de la position (m)', value: ({ reading }) => reading.accuracyM },
  { header: 'Maille de 200 m', value: ({ reading }) => cellIdAt(reading.lon, reading.lat) },
  { header: 'Commune (INSEE)', value: ({ place }) => place.commune },
  { header: 'Opérateur', value: ({ reading }) => OPERATOR_LABELS[reading.operator] },
  { header: 'Réseau affiché', value: ({ reading }) => TECHNOLOGY_LABELS[reading.technology] },
  { header: 'Signal (dBm)', value: ({ reading }) => reading.signalDbm },
  { header: 'Barres de réseau', value: ({ reading }) => reading.signalBars },
  { header: 'Niveau de couverture', value: ({ reading }) => LEVEL_LABELS[readingLevel(reading)] },
  { header: 'Situation', value: ({ reading }) => SETTING_LABELS[reading.setting] },
  { header: 'Test d’appel', value: ({ reading }) => reading.voice && VOICE_LABELS[reading.voice] },
  { header: 'Test SMS', value: ({ reading }) => reading.sms && SMS_LABELS[reading.sms] },
  { header: 'Origine du relevé', value: ({ reading }) => SOURCE_LABELS[reading.source] },
];

/**
 * readings.csv: one line per reading, who sent it left out (and the agent's free-text note
 * too). `machine`: the columns above, values as the API writes them; `tableur`: the same
 * facts for a French spreadsheet (csv.ts).
 */
export function readingsCsv(readings: readonly ZoneReadingRow[], dialect: CsvDialect = 'machine'): string {
  if (dialect === 'tableur') {
    const rows = readings.map((row) => READING_SHEET_COLUMNS.map((column) => column.value(row)));
    return (
      UTF8_BOM +
      csvTable(
        READING_SHEET_COLUMNS.map((column) => column.header),
        rows,
        { dialect },
      )
    );
  }
  const rows = readings.map(({ reading: r, place }) => [
    r.id,
    r.recordedAt,
    r.lat,
    r.lon,
    r.accuracyM,
    cellIdAt(r.lon, r.lat) ?? '',
    place.commune ?? '',
    r.operator,
    r.technology,
    r.signalDbm ?? '',
    r.signalBars ?? '',
    readingLevel(r),
    r.setting,
    r.voice ?? '',
    r.sms ?? '',
    r.source,
  ]);
  return UTF8_BOM + csvTable(READING_CSV_COLUMNS, rows, { newline: '\n' });
}

export const ZONE_CSV_COLUMNS = [
  'id',
  'name',
  'departement',
  'status',
  'status_label',
  'need',
  'need_label',
  'need_detail',
  'communes',
  'cells',
  'resolution_m',
  'created_at',
  'updated_at',
  'notes',
] as const;

/** zones.csv for a French spreadsheet: the labels only (no codes of status or need), dates in Paris. */
const ZONE_SHEET_COLUMNS: readonly { header: string; value: (zone: ReturnType<typeof zoneProperties>) => CsvValue }[] = [
  { header: 'Identifiant', value: (p) => p.id },
  { header: 'Nom', value: (p) => p.name },
  { header: 'Département', value: (p) => p.departement },
  { header: 'Étape', value: (p) => p.statusLabel },
  { header: 'Besoin', value: (p) => p.needLabel },
  { header: 'Précision du besoin', value: (p) => p.needDetail },
  { header: 'Communes (INSEE)', value: (p) => p.communes.join(' ') },
  { header: 'Mailles', value: (p) => p.cells },
  { header: 'Taille des mailles (m)', value: (p) => p.resolutionM },
  { header: 'Créée le', value: (p) => new Date(p.createdAt) },
  { header: 'Modifiée le', value: (p) => new Date(p.updatedAt) },
  { header: 'Notes', value: (p) => p.notes },
];

/** zones.csv: the département's list; communes as INSEE codes separated by spaces. `tableur`: for a French spreadsheet (csv.ts). */
export function zonesCsv(zones: readonly Zone[], dialect: CsvDialect = 'machine'): string {
  if (dialect === 'tableur') {
    const rows = zones.map((zone) => {
      const p = zoneProperties(zone);
      return ZONE_SHEET_COLUMNS.map((column) => column.value(p));
    });
    return (
      UTF8_BOM +
      csvTable(
        ZONE_SHEET_COLUMNS.map((column) => column.header),
        rows,
        { dialect },
      )
    );
  }
  const rows = zones.map((zone) => {
    const p = zoneProperties(zone);
    return [
      p.id,
      p.name,
      p.departement,
      p.status,
      p.statusLabel,
      p.need,
      p.needLabel,
      p.needDetail ?? '',
      p.communes.join(' '),
      p.cells,
      p.resolutionM,
      p.createdAt,
      p.updatedAt,
      p.notes ?? '',
    ];
  });
  return UTF8_BOM + csvTable(ZONE_CSV_COLUMNS, rows, { newline: '\n' });
}

/** zones.geojson: one feature per zone, its outline as geometry. */
export function zonesGeojson(zones: readonly Zone[]) {
  return {
    type: 'FeatureCollection',
    features: zones.map((zone) => ({
      type: 'Feature',
      id: zone.id,
      geometry: cellsOutline(zone.cells.map((id) => parseCellId(id)!)),
      properties: { ...zoneProperties(zone), cellIds: zone.cells },
    })),
  };
}

/** Per operator with a loaded map: its declared coverage over the zone against the measurements, with the edition cited. */
function zoneContestation(evidence: ZoneEvidence, summary: ZoneSummary) {
  const editions: Partial<Record<Operator, CitedEdition[]>> = {};
  for (const edition of evidence.editions) {
    (editions[edition.operator] ??= []).push({ technology: edition.technology, editionDate: edition.editionDate, source: edition.source });
  }
  const measured = Object.fromEntries(summary.operators.map((o) => [o.operator, o.verdict]));
  return declaredContestation(
    evidence.declared,
    evidence.cells.map((cell) => cell.verdict.operators),
    measured,
    editions,
  );
}
