import { csvTable, type CsvValue } from '../../domain/csv.ts';
import { cellCentre, cellRing } from '../../domain/grid/cell-geometry.ts';
import { CELL_ZONES, judgeCell, operatorVerdict, type VerdictOptions } from '../../domain/grid/cell-verdict.ts';
import { callSuccessRate, callTests, dbmReadings, levelShares, medianDbm, medianLevel, type GroupStats } from '../../domain/grid/group-stats.ts';
import { DEFAULT_GRID_FILTER, judgeGrid, type JudgedCell } from '../../domain/grid/judge-grid.ts';
import { LEVELS } from '../../domain/level.ts';
import { OPERATORS, type Operator } from '../../domain/operators.ts';
import type { GridStore } from '../storage/grid-store.ts';
import { loadGrid } from './coverage.ts';
import { wholeRange } from '../../domain/grid/cell-range.ts';

/**
 * Open data: the aggregated 200 m grid, for the département's open-data portal. No personal
 * data: contributors are counted, never named; residents' reports are left out altogether;
 * dates are days; every row (cell × operator) with fewer distinct contributors than the
 * configured minimum is not published, nor is a cell left without rows, and what a cell says
 * as a whole comes from its published rows alone. Described by a Frictionless Table Schema
 * and a Data Package (Licence Ouverte 2.0).
 */

export const LICENCE = {
  name: 'etalab-2.0',
  title: 'Licence Ouverte 2.0',
  path: 'https://www.etalab.gouv.fr/licence-ouverte-open-licence/',
} as const;

type FieldType = 'string' | 'number' | 'integer' | 'date';

export interface TableField {
  name: string;
  type: FieldType;
  title: string;
  description: string;
  constraints?: { required?: boolean; enum?: string[]; minimum?: number; maximum?: number; pattern?: string };
}

const share = (level: string): TableField => ({
  name: `share_${level.toLowerCase()}`,
  type: 'number',
  title: `Part ${level}`,
  description: `Part des relevés de l’opérateur sur la maille au niveau ${level} (0 à 1).`,
  constraints: { required: true, minimum: 0, maximum: 1 },
});

/** The CSV's columns, in order: the Table Schema's fields. */
export const GRID_FIELDS: TableField[] = [
  {
    name: 'cell_id',
    type: 'string',
    title: 'Maille',
    description: 'Identifiant INSPIRE de la maille de 200 m (ETRS89-LAEA, EPSG:3035) : résolution, puis nord et est du coin sud-ouest en mètres.',
    constraints: { required: true, pattern: '^CRS3035RES200mN[0-9]+E[0-9]+$' },
  },
  {
    name: 'lon',
    type: 'number',
    title: 'Longitude',
    description: 'Longitude WGS 84 du centre de la maille (degrés).',
    constraints: { required: true, minimum: -180, maximum: 180 },
  },
  {
    name: 'lat',
    type: 'number',
    title: 'Latitude',
    description: 'Latitude WGS 84 du centre de la maille (degrés).',
    constraints: { required: true, minimum: -90, maximum: 90 },
  },
  {
    name: 'cell_zone',
    type: 'string',
    title: 'Zone',
    description:
      'Verdict de la maille, établi sur ses seules lignes publiées : zone-blanche (aucun opérateur en bonne couverture), zone-grise (un seul), covered (deux ou plus), insufficient (mesures insuffisantes).',
    constraints: { required: true, enum: [...CELL_ZONES] },
  },
  {
    name: 'cell_readings',
    type: 'integer',
    title: 'Relevés de la maille',
    description: 'Relevés en extérieur sur la maille, total de ses lignes publiées.',
    constraints: { required: true, minimum: 1 },
  },
  {
    name: 'cell_contributors',
    type: 'integer',
    title: 'Contributeurs de la maille',
    description: 'Comptes distincts ayant fait les relevés de ses lignes publiées (comptés, jamais nommés).',
    constraints: { required: true, minimum: 1 },
  },
  { name: 'operator', type: 'string', title: 'Opérateur', description: 'Opérateur mesuré.', constraints: { required: true, enum: [...OPERATORS] } },
  {
    name: 'verdict',
    type: 'string',
    title: 'Niveau',
    description:
      'Niveau de couverture voix/SMS de l’opérateur sur la maille (TBC, BC, CL, PC au sens de l’Arcep), ou insufficient sous le minimum de relevés ou tant que l’intervalle de confiance (95 % par défaut) de sa part de relevés en BC ou mieux chevauche le seuil (50 % par défaut) (docs/coverage-rules.md, « Statistics »).',
    constraints: { required: true, enum: [...LEVELS, 'insufficient'] },
  },
  {
    name: 'readings',
    type: 'integer',
    title: 'Relevés',
    description: 'Relevés de l’opérateur sur la maille, en extérieur.',
    constraints: { required: true, minimum: 1 },
  },
  {
    name: 'contributors',
    type: 'integer',
    title: 'Contributeurs',
    description: 'Comptes distincts derrière ces relevés.',
    constraints: { required: true, minimum: 1 },
  },
  ...LEVELS.map(share),
  {
    name: 'median_level',
    type: 'string',
    title: 'Niveau médian',
    description: 'Meilleur niveau atteint par plus de la moitié des relevés.',
    constraints: { required: true, enum: [...LEVELS] },
  },
  {
    name: 'median_dbm',
    type: 'number',
    title: 'Signal médian (dBm)',
    description: 'Médiane des signaux mesurés en dBm ; vide sans mesure en dBm.',
    constraints: { minimum: -156, maximum: -25 },
  },
  {
    name: 'dbm_readings',
    type: 'integer',
    title: 'Relevés en dBm',
    description: 'Relevés portant une mesure en dBm.',
    constraints: { required: true, minimum: 0 },
  },
  {
    name: 'call_tests',
    type: 'integer',
    title: 'Appels testés',
    description: 'Appels tentés (réussis, échoués ou coupés).',
    constraints: { required: true, minimum: 0 },
  },
  {
    name: 'call_success_rate',
    type: 'number',
    title: 'Taux de réussite des appels',
    description: 'Appels réussis / appels tentés (0 à 1) ; vide sans appel testé.',
    constraints: { minimum: 0, maximum: 1 },
  },
  { name: 'first_date', type: 'date', title: 'Premier relevé', description: 'Jour (UTC) du premier relevé.', constraints: { required: true } },
  { name: 'last_date', type: 'date', title: 'Dernier relevé', description: 'Jour (UTC) du dernier relevé.', constraints: { required: true } },
];

export function gridTableSchema() {
  return {
    $schema: 'https://specs.frictionlessdata.io/schemas/table-schema.json',
    fields: GRID_FIELDS,
    primaryKey: ['cell_id', 'operator'],
    missingValues: [''],
  };
}

/**
 * datapackage.json. A `data-package`, not a `tabular-data-package`: that profile takes
 * tabular resources only, and the GeoJSON is not one (the Frictionless validators refused
 * the package). The CSV declares itself a `tabular-data-resource` with its Table Schema; the
 * GeoJSON is a plain data resource. Beside the standard properties, `published` and
 * `withholding` say how many rows and cells are published and how many are not, and why.
 * No `bytes`: the files are made afresh at each request from a grid that grows with every
 * reading, and a harvester that fetches them a moment after the package would find a size
 * that no longer holds (the Frictionless validators report it as an error).
 */
export function dataPackage(generatedAt: string, minContributors: number, published: PublishedGrid) {
  const { cellsWithheld, rowsWithheld } = published;
  return {
    profile: 'data-package',
    name: 'couverture-mobile-grille-200m',
    title: 'Couverture mobile mesurée sur le terrain, grille INSPIRE de 200 m',
    description:
      'Relevés de couverture mobile (New Deal Mobile) agrégés par maille de 200 m et par opérateur, en extérieur. ' +
      `Aucune donnée personnelle ; les signalements d’habitants ne sont pas publiés. ` +
      `Une ligne (maille × opérateur) de moins de ${minContributors} contributeurs distincts n’est pas publiée, ni une maille qui n’a plus aucune ligne ; ` +
      `le verdict et les totaux d’une maille ne comptent que ses lignes publiées. ` +
      `Non publiées à cette date : ${rowsWithheld} ligne${rowsWithheld > 1 ? 's' : ''}, dont toutes celles de ${cellsWithheld} maille${cellsWithheld > 1 ? 's' : ''}.`,
    licenses: [LICENCE],
    created: generatedAt,
    keywords: ['couverture mobile', 'New Deal Mobile', 'zones blanches', 'INSPIRE', 'grille 200 m'],
    resources: [
      {
        name: 'grille',
        path: 'grid.csv',
        profile: 'tabular-data-resource',
        format: 'csv',
        mediatype: 'text/csv',
        encoding: 'utf-8',
        schema: 'grid.schema.json',
      },
      { name: 'grille-geojson', path: 'grid.geojson', profile: 'data-resource', format: 'geojson', mediatype: 'application/geo+json', encoding: 'utf-8' },
    ],
    published: { cells: published.cells.length, rows: publishedRows(published) },
    withholding: { minContributors, cellsWithheld, rowsWithheld },
  };
}

/** Lines of grid.csv: the published rows (cell × operator). */
export function publishedRows(published: PublishedGrid): number {
  return published.cells.reduce((sum, cell) => sum + Object.keys(cell.operators).length, 0);
}

export interface PublishedGrid {
  /** Cells with at least one published row: `operators` holds those rows only, `verdict` is judged on them. */
  cells: JudgedCell[];
  /** Cells with no row published. */
  cellsWithheld: number;
  /** Rows (cell × operator) not published, those of the cells withheld included. */
  rowsWithheld: number;
}

/**
 * The grid as open data may show it (outdoor readings, no residents' reports): each row
 * (cell × operator) with at least `minContributors` distinct contributors. A cell is not
 * enough: three contributors on a cell may hide one who alone measured an operator, whose
 * readings the row would then publish. The cell's verdict is judged again on the rows kept,
 * since the one left out may be what decided it.
 */
export async function publishedGrid(store: GridStore, options: VerdictOptions, minContributors: number): Promise<PublishedGrid> {
  const grid = await loadGrid(store, { range: wholeRange(200), scope: { kind: 'all' }, filter: DEFAULT_GRID_FILTER, withoutReports: true });
  const cells: JudgedCell[] = [];
  let cellsWithheld = 0;
  let rowsWithheld = 0;
  for (const cell of judgeGrid(grid, DEFAULT_GRID_FILTER, options)) {
    const rows = Object.entries(cell.operators) as [Operator, GroupStats][];
    const kept = rows.filter(([, stats]) => stats.contributors.length >= minContributors);
    rowsWithheld += rows.length - kept.length;
    if (kept.length === 0) cellsWithheld += 1;
    else if (kept.length === rows.length) cells.push(cell);
    else {
      const operators = Object.fromEntries(kept) as JudgedCell['operators'];
      cells.push({ ...cell, operators, verdict: judgeCell({ operators, residentReports: cell.residentReports }, options) });
    }
  }
  return { cells, cellsWithheld, rowsWithheld };
}

function cellContributors(cell: JudgedCell): number {
  const all = new Set<string>();
  for (const stats of Object.values(cell.operators)) for (const contributor of stats.contributors) all.add(contributor);
  return all.size;
}

const round = (value: number | null, decimals: number) => (value === null ? null : Math.round(value * 10 ** decimals) / 10 ** decimals);
const day = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString().slice(0, 10));

/** One operator on one cell, as open data says it (column names of the Table Schema). */
function operatorRecord(stats: GroupStats, options: VerdictOptions) {
  const shares = levelShares(stats);
  return {
    verdict: operatorVerdict(stats, options),
    readings: stats.readings,
    contributors: stats.contributors.length,
    share_tbc: round(shares.TBC, 4)!,
    share_bc: round(shares.BC, 4)!,
    share_cl: round(shares.CL, 4)!,
    share_pc: round(shares.PC, 4)!,
    median_level: medianLevel(stats),
    median_dbm: medianDbm(stats),
    dbm_readings: dbmReadings(stats),
    call_tests: callTests(stats),
    call_success_rate: round(callSuccessRate(stats), 4),
    first_date: day(stats.firstMs),
    last_date: day(stats.lastMs),
  };
}

function cellRecord(cell: JudgedCell) {
  const [lon, lat] = cellCentre(cell.ref);
  const readings = Object.values(cell.operators).reduce((sum, stats) => sum + stats.readings, 0);
  return { cell_id: cell.cell, lon, lat, cell_zone: cell.verdict.zone, cell_readings: readings, cell_contributors: cellContributors(cell) };
}

export function gridCsv(published: PublishedGrid, options: VerdictOptions): string {
  const rows: CsvValue[][] = [];
  for (const cell of published.cells) {
    const base = cellRecord(cell);
    for (const operator of OPERATORS) {
      const stats = cell.operators[operator];
      if (!stats) continue;
      const record: Record<string, CsvValue> = { ...base, operator, ...operatorRecord(stats, options) };
      rows.push(GRID_FIELDS.map((field) => record[field.name] ?? ''));
    }
  }
  return csvTable(
    GRID_FIELDS.map((field) => field.name),
    rows,
    { newline: '\n' },
  );
}

export function gridGeojson(published: PublishedGrid, options: VerdictOptions, generatedAt: string) {
  return {
    type: 'FeatureCollection',
    generatedAt,
    licence: LICENCE,
    features: published.cells.map((cell) => ({
      type: 'Feature',
      id: cell.cell,
      geometry: { type: 'Polygon', coordinates: [cellRing(cell.ref)] },
      properties: {
        ...cellRecord(cell),
        operators: Object.fromEntries(
          (Object.entries(cell.operators) as [Operator, GroupStats][]).map(([operator, stats]) => [operator, operatorRecord(stats, options)]),
        ),
      },
    })),
  };
}
