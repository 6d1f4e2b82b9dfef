import { cellBbox } from '../../../domain/grid/cell-geometry.ts';
import { coarserCell, type CellRef } from '../../../domain/grid/cell-id.ts';
import { mergeInto, type GroupStats } from '../../../domain/grid/group-stats.ts';
import { fromStoredStats, toStoredStats, type StoredStats } from '../../../domain/grid/stored-stats.ts';
import type { Reading } from '../../../domain/reading.ts';
import type { Report } from '../../../domain/report.ts';
import {
  allPeriods,
  BASE_RESOLUTION_M,
  baseCellOf,
  COARSE_RESOLUTION_M,
  FINE_SPAN_M,
  mergeStatsRows,
  pendingGrid,
  TOTAL_ONLY_SPAN_M,
  type PendingGrid,
  type PendingRow,
} from '../grid-batch.ts';
import { northLines } from '../grid-lines.ts';
import type { GridPlaces } from '../grid-rebuild.ts';
import { ALL_PERIODS, TOTAL_ONLY_RESOLUTION_M, type GridGroupRow, type GridQuery, type GridReportRow } from '../grid-store.ts';
import { toGridGroup, toGridReport, type GroupRow, type ReportCountRow } from '../rows.ts';
import type { Queryable } from './postgres-db.ts';
import { Params } from './postgres-reading-filter.ts';

/**
 * The PostgreSQL side of the coverage grid (grid-store.ts), the same rows as sqlite/sqlite-grid.ts
 * keeps, written by the readings' roll-ups (postgres-grid-roll-up.ts, after the ingest's
 * transaction: grid-roll-up.ts) and inside the reports' own transactions.
 *
 * The stats rows (grid_groups, grid_totals) are written only on the grid's turn
 * ({@link takeGridTurn}: roll-ups, rebuilds and a migration's refill, across processes), so
 * no other transaction adds or changes one between a flush's read and its writes: a flush reads
 * the rows of its keys that exist (locking them, SELECT … FOR UPDATE, for whatever might not
 * take the turn), merges in JavaScript (mergeInto) and writes them back, and inserts the others
 * with a plain INSERT, which a row inserted meanwhile after all would make fail (the roll-up's
 * transaction rolled back, its readings left pending) rather than lose its stats. Report
 * counts, written by the reports' own transactions too, are upserted increments. Every
 * statement handles all of a batch's rows at once (one array or JSON parameter per column), and
 * takes its rows in primary-key order, tables always in the same order, so that two
 * transactions wait for each other rather than deadlock.
 */

/** One table's key columns with their SQL types, in primary-key order. */
type Columns = readonly (readonly [name: string, type: 'int' | 'text' | 'float8' | 'json'])[];

const GROUP_KEY: Columns = [
  ['resolution_m', 'int'],
  ['north', 'int'],
  ['east', 'int'],
  ['operator', 'text'],
  ['technology', 'text'],
  ['setting', 'text'],
  ['month', 'text'],
  ['departement', 'text'],
];
const TOTAL_KEY: Columns = GROUP_KEY.filter(([name]) => name !== 'month');
const REPORT_KEY: Columns = [
  ['resolution_m', 'int'],
  ['north', 'int'],
  ['east', 'int'],
  ['operator', 'text'],
  ['month', 'text'],
  ['departement', 'text'],
];
const REPORT_TOTAL_KEY: Columns = REPORT_KEY.filter(([name]) => name !== 'month');

const names = (columns: Columns) => columns.map(([name]) => name).join(', ');
/** `unnest($1::int[], …) AS u(a, …)`: the key columns (and more) as one relation. */
function unnestSql(params: Params, columns: Columns, rows: readonly unknown[][]): string {
  const arrays = columns.map(([, type], i) => params.add(arrayLiteral(rows, i, type === 'text'), `${type}[]`));
  return `unnest(${arrays.join(', ')}) AS u(${names(columns)})`;
}
const matchSql = (columns: Columns, left: string, right: string) => columns.map(([name]) => `${left}.${name} = ${right}.${name}`).join(' AND ');

/**
 * `(…) AS u`: `rows` (values in `columns`' order) as a relation with their index in `rows` (`i`,
 * from 0), handed over a column at a time: an array literal per key column (arrayLiteral) and
 * the stats as one JSON document of their texts, zipped back into rows by `ROWS FROM`. The stats are stored as `json`, their text as written
 * (PostgreSQL migration 16): parsed into `jsonb` they cost the server about as much as the
 * rest of their insert (a JSON document of whole rows parsed into `jsonb`: 157–168 ms for
 * 20,000 rows in `psql`, these columns 74–76 ms), and a read printed them back to text.
 */
function rowsSql(params: Params, columns: Columns, rows: readonly (readonly unknown[])[]): string {
  const sources = columns.map(([, type], i) =>
    type === 'json'
      ? `json_array_elements(${params.add(JSON.stringify(rows.map((row) => row[i])), 'json')})`
      : `unnest(${params.add(arrayLiteral(rows, i, type === 'text'), `${type}[]`)})`,
  );
  return `(SELECT (r.i - 1)::int AS i, ${columns.map(([name]) => `r.${name}`).join(', ')}
    FROM ROWS FROM (${sources.join(', ')}) WITH ORDINALITY AS r(${names(columns)}, i)) AS u`;
}

/**
 * The array literal of `rows`' values in column `at`: numbers as they are, texts quoted (their
 * quotes and backslashes escaped), each distinct text quoted once (a column's texts are a few
 * operators, months, départements repeated over every row). Written here rather than by
 * node-postgres, which quotes and escapes every element through two regular expressions,
 * numbers included.
 */
function arrayLiteral(rows: readonly (readonly unknown[])[], at: number, quoted: boolean): string {
  const quotedTexts = new Map<unknown, string>();
  let literal = '{';
  for (let index = 0; index < rows.length; index += 1) {
    const value = rows[index]![at];
    let element: string;
    if (value === null || value === undefined) element = 'NULL';
    else if (!quoted) element = String(value);
    else {
      const known = quotedTexts.get(value);
      element = known ?? `"${String(value).replace(/[\\"]/g, '\\$&')}"`;
      if (known === undefined) quotedTexts.set(value, element);
    }
    literal += index === 0 ? element : `,${element}`;
  }
  return `${literal}}`;
}

/**
 * Adds `rows` (key values, then stats) to `table`'s stats, merging into the rows already there;
 * on the grid's turn (see the module's comment). Of readings spread over a département nearly
 * every row is new: finding the few stored ones first and inserting the others plainly cost the
 * server less than inserting all with ON CONFLICT DO NOTHING and sending back which were
 * inserted (docs/performance.md, ingest's tenth pass).
 */
async function addStatsRows(client: Queryable, table: string, key: Columns, rows: readonly PendingRow<GroupStats>[]): Promise<void> {
  if (rows.length === 0) return;
  const withStats: Columns = [...key, ['stats', 'json']];
  const lock = new Params();
  const { rows: stored } = await client.query<{ i: number; stats: StoredStats }>(
    `SELECT u.i, t.stats FROM ${table} t
     JOIN ${rowsSql(
       lock,
       key,
       rows.map(([values]) => values),
     )} ON ${matchSql(key, 't', 'u')}
     ORDER BY ${key.map(([name]) => `t.${name}`).join(', ')} FOR UPDATE OF t`,
    lock.values,
  );
  const isStored = new Set(stored.map(({ i }) => i));
  const fresh = isStored.size === 0 ? rows : rows.filter((_, i) => !isStored.has(i));
  if (fresh.length > 0) {
    const insert = new Params();
    await client.query(
      `INSERT INTO ${table} (${names(withStats)})
       SELECT ${names(withStats)} FROM ${rowsSql(
         insert,
         withStats,
         fresh.map(([values, stats]) => [...values, toStoredStats(stats)]),
       )} ORDER BY ${names(key)}`,
      insert.values,
    );
  }
  if (stored.length === 0) return;
  const merged = stored.map(({ i, stats }) => {
    const [values, added] = rows[i]!;
    return [...values, toStoredStats(mergeInto(fromStoredStats(stats), added))];
  });
  const update = new Params();
  await client.query(`UPDATE ${table} t SET stats = u.stats FROM ${rowsSql(update, withStats, merged)} WHERE ${matchSql(key, 't', 'u')}`, update.values);
}

/** Adds `rows` (key values, then a delta) to `table`'s counts; rows left at zero or less go. */
async function addCountRows(client: Queryable, table: string, key: Columns, changed: readonly PendingRow<number>[]): Promise<void> {
  if (changed.length === 0) return;
  const withCount: Columns = [...key, ['count', 'int']];
  const upsert = new Params();
  await client.query(
    `INSERT INTO ${table} AS t (${names(withCount)})
     SELECT ${names(withCount)} FROM ${rowsSql(
       upsert,
       withCount,
       changed.map(([values, delta]) => [...values, delta]),
     )} ORDER BY ${names(key)}
     ON CONFLICT (${names(key)}) DO UPDATE SET count = t.count + excluded.count`,
    upsert.values,
  );
  const lowered = changed.filter(([, delta]) => delta < 0).map(([values]) => values);
  if (lowered.length === 0) return;
  const drop = new Params();
  await client.query(`DELETE FROM ${table} t USING ${rowsSql(drop, key, lowered)} WHERE ${matchSql(key, 't', 'u')} AND t.count <= 0`, drop.values);
}

/** Any constant: roll-ups and rebuilds of the grid take turns on it, across processes (postgres-grid-roll-up.ts). */
const GRID_TURN_LOCK = 4_260_813;

/** Takes the grid's turn until the transaction ends: first thing in a roll-up, before a rebuild's reads. */
export async function takeGridTurn(client: Queryable): Promise<void> {
  await client.query('SELECT pg_advisory_xact_lock($1)', [GRID_TURN_LOCK]);
}

/** Changes to the grid gathered over one transaction, written once per row by `flush()`. */
export interface PostgresGridBatch extends Omit<PendingGrid, 'take'> {
  /** Writes everything gathered, on `client` (inside the caller's transaction), and starts afresh. */
  flush(client: Queryable): Promise<void>;
}

/** `withTotalOnly: false` leaves the 10 km all-periods rows alone (rebuild recomputes them). */
export function gridBatch(options: { withTotalOnly?: boolean } = {}): PostgresGridBatch {
  const pending = pendingGrid(options);
  return {
    addReading: pending.addReading,
    addReport: pending.addReport,
    async flush(client) {
      const { groups, totals, reports, reportTotals } = pending.take();
      // Always this table order (and the readings before them): see the module's comment.
      await addStatsRows(client, 'grid_groups', GROUP_KEY, groups);
      await addStatsRows(client, 'grid_totals', TOTAL_KEY, totals);
      await addCountRows(client, 'grid_reports', REPORT_KEY, reports);
      await addCountRows(client, 'grid_report_totals', REPORT_TOTAL_KEY, reportTotals);
    },
  };
}

type AnyGridQuery = Omit<GridQuery, 'technologies' | 'settings'> & Partial<Pick<GridQuery, 'technologies' | 'settings'>>;

/** The WHERE of a grid query; parts the query does not have add nothing. */
function whereSql(params: Params, query: AnyGridQuery, withMonths: boolean): string {
  // A box of few north lines is read line by line (grid-lines.ts), one index descent each.
  // bigint bounds: a whole-range query's may lie beyond the integer columns' range.
  const lines = northLines(query);
  const north = lines
    ? `north = ANY(${params.add(lines, 'int[]')})`
    : `north BETWEEN ${params.add(query.north[0], 'bigint')} AND ${params.add(query.north[1], 'bigint')}`;
  let sql = `resolution_m = ${params.add(query.resolutionM, 'int')}
    AND ${north}
    AND east BETWEEN ${params.add(query.east[0], 'bigint')} AND ${params.add(query.east[1], 'bigint')}`;
  if (query.scope.kind === 'departements') sql += ` AND departement = ANY(${params.add(query.scope.departements, 'text[]')})`;
  if (query.operators !== undefined) sql += ` AND operator = ANY(${params.add(query.operators, 'text[]')})`;
  if (query.technologies !== undefined) sql += ` AND technology = ANY(${params.add(query.technologies, 'text[]')})`;
  if (query.settings !== undefined) sql += ` AND setting = ANY(${params.add(query.settings, 'text[]')})`;
  if (withMonths && query.fromMonth !== undefined) sql += ` AND month >= ${params.add(query.fromMonth)}`;
  if (withMonths && query.toMonth !== undefined) sql += ` AND month <= ${params.add(query.toMonth)}`;
  return sql;
}

export async function gridGroups(db: Queryable, query: GridQuery): Promise<GridGroupRow[]> {
  const params = new Params();
  const totals = allPeriods(query);
  // In primary-key order, as SQLite reads its WITHOUT ROWID tables.
  const sql = totals
    ? `SELECT north, east, operator, technology, setting, '${ALL_PERIODS}' AS month, departement, stats FROM grid_totals
       WHERE ${whereSql(params, query, false)} ORDER BY north, east, operator, technology, setting, departement`
    : `SELECT north, east, operator, technology, setting, month, departement, stats FROM grid_groups
       WHERE ${whereSql(params, query, true)} ORDER BY north, east, operator, technology, setting, month, departement`;
  const { rows } = await db.query<GroupRow>(sql, params.values);
  return rows.map((row) => toGridGroup(query.resolutionM, row));
}

export async function gridReports(db: Queryable, query: Omit<GridQuery, 'technologies' | 'settings'>): Promise<GridReportRow[]> {
  const params = new Params();
  const sql = allPeriods(query)
    ? `SELECT north, east, operator, '${ALL_PERIODS}' AS month, departement, count FROM grid_report_totals
       WHERE ${whereSql(params, query, false)} AND count > 0 ORDER BY north, east, operator, departement`
    : `SELECT north, east, operator, month, departement, count FROM grid_reports
       WHERE ${whereSql(params, query, true)} AND count > 0 ORDER BY north, east, operator, month, departement`;
  const { rows } = await db.query<ReportCountRow>(sql, params.values);
  return rows.map((row) => toGridReport(query.resolutionM, row));
}

/** Where anything of the grid lies (grid-rebuild.ts): readings' cells, visible reports, rows already kept. */
export async function gridPlaces(db: Queryable): Promise<GridPlaces> {
  const { rows: cells } = await db.query<CellRef>(
    `SELECT ${BASE_RESOLUTION_M} AS "resolutionM", cell_n AS north, cell_e AS east FROM readings WHERE cell_n IS NOT NULL
     UNION SELECT resolution_m, north, east FROM grid_groups
     UNION SELECT resolution_m, north, east FROM grid_totals
     UNION SELECT resolution_m, north, east FROM grid_reports
     UNION SELECT resolution_m, north, east FROM grid_report_totals`,
  );
  const { rows: reportPoints } = await db.query<{ lat: number; lon: number }>('SELECT lat, lon FROM reports WHERE NOT hidden');
  return { cells, reportPoints };
}

/**
 * Recomputes every row of these 1 km cells (and their 200 m cells) from the readings and
 * visible reports in them, month and all-periods rows alike; then the 10 km all-periods rows
 * holding them, from their 1 km rows. As sqlite/sqlite-grid.ts's rebuild, a few statements for all
 * the cells at once. Only the readings already rolled up count (the pending ones are the next
 * roll-up's), on the grid's turn ({@link takeGridTurn}, held to the transaction's end): no
 * roll-up writes between its reads and its writes.
 */
export async function rebuildGrid(client: Queryable, coarseCells: Iterable<CellRef>): Promise<void> {
  const cells = new Map<string, CellRef>();
  for (const { north, east } of coarseCells) cells.set(`${north}/${east}`, { resolutionM: COARSE_RESOLUTION_M, north, east });
  if (cells.size === 0) return;
  await takeGridTurn(client);
  const cellRows = [...cells.values()].sort((a, b) => a.north - b.north || a.east - b.east).map((c) => [c.north, c.east]);
  const CELL: Columns = [
    ['n', 'int'],
    ['e', 'int'],
  ];
  // The 200 m and 1 km rows of each 1 km cell: at 1 km only the cell's own corner lies in the span.
  for (const table of ['grid_groups', 'grid_totals', 'grid_reports', 'grid_report_totals']) {
    const params = new Params();
    await client.query(
      `DELETE FROM ${table} t USING ${unnestSql(params, CELL, cellRows)}
       WHERE t.resolution_m IN (${BASE_RESOLUTION_M}, ${COARSE_RESOLUTION_M})
         AND t.north BETWEEN u.n AND u.n + ${FINE_SPAN_M} AND t.east BETWEEN u.e AND u.e + ${FINE_SPAN_M}`,
      params.values,
    );
  }
  const writer = gridBatch({ withTotalOnly: false });
  const readingsParams = new Params();
  // The pending seqs once, as a relation (an anti-join), rather than searched row by row.
  const { rows: readings } = await client.query<{ body: string; account_id: string | null; departement: string | null }>(
    `WITH pending AS MATERIALIZED (SELECT unnest(seqs) AS seq FROM grid_pending_batches UNION ALL SELECT seq FROM grid_pending)
     SELECT r.body, r.account_id, r.departement FROM ${unnestSql(readingsParams, CELL, cellRows)}
     JOIN readings r ON r.cell_n BETWEEN u.n AND u.n + ${FINE_SPAN_M} AND r.cell_e BETWEEN u.e AND u.e + ${FINE_SPAN_M}
     WHERE NOT EXISTS (SELECT 1 FROM pending p WHERE p.seq = r.seq)`,
    readingsParams.values,
  );
  for (const row of readings) {
    const reading = JSON.parse(row.body) as Reading;
    writer.addReading(reading, row.account_id, row.departement, baseCellOf(reading.lon, reading.lat));
  }
  // Residents' visible reports in the cells (a little box around each, then exactly, each once).
  const margin = 0.001;
  const boxes = [...cells.values()].map((cell) => {
    const box = cellBbox(cell);
    return [box.minLat - margin, box.maxLat + margin, box.minLon - margin, box.maxLon + margin];
  });
  const BOX: Columns = [
    ['min_lat', 'float8'],
    ['max_lat', 'float8'],
    ['min_lon', 'float8'],
    ['max_lon', 'float8'],
  ];
  const reportParams = new Params();
  const { rows: reports } = await client.query<{ body: string; departement: string | null }>(
    `SELECT r.body, r.departement FROM reports r WHERE NOT r.hidden AND EXISTS (
       SELECT 1 FROM ${unnestSql(reportParams, BOX, boxes)}
       WHERE r.lat BETWEEN u.min_lat AND u.max_lat AND r.lon BETWEEN u.min_lon AND u.max_lon)`,
    reportParams.values,
  );
  for (const row of reports) {
    const report = JSON.parse(row.body) as Report;
    const cell = baseCellOf(report.lon, report.lat);
    const coarse = cell && coarserCell(cell, COARSE_RESOLUTION_M);
    if (coarse && cells.has(`${coarse.north}/${coarse.east}`)) writer.addReport(report, row.departement, 1);
  }
  await writer.flush(client);

  // The 10 km all-periods rows are the exact merge of their 1 km ones.
  const tens = new Map<string, [number, number]>();
  for (const cell of cells.values()) {
    const ten = coarserCell(cell, TOTAL_ONLY_RESOLUTION_M);
    tens.set(`${ten.north}/${ten.east}`, [ten.north, ten.east]);
  }
  const tenRows = [...tens.values()].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const within = `t.resolution_m = ${COARSE_RESOLUTION_M}
    AND t.north BETWEEN u.n AND u.n + ${TOTAL_ONLY_SPAN_M} AND t.east BETWEEN u.e AND u.e + ${TOTAL_ONLY_SPAN_M}`;
  const totalsParams = new Params();
  const { rows: ones } = await client.query<{
    n: number;
    e: number;
    operator: string;
    technology: string;
    setting: string;
    departement: string;
    stats: StoredStats;
  }>(
    `SELECT u.n, u.e, t.operator, t.technology, t.setting, t.departement, t.stats
     FROM ${unnestSql(totalsParams, CELL, tenRows)} JOIN grid_totals t ON ${within}`,
    totalsParams.values,
  );
  const merged = mergeStatsRows(
    ones.map(
      (row): PendingRow<GroupStats> => [
        [TOTAL_ONLY_RESOLUTION_M, row.n, row.e, row.operator, row.technology, row.setting, row.departement],
        fromStoredStats(row.stats),
      ],
    ),
  );
  const countsParams = new Params();
  const { rows: counts } = await client.query<{ n: number; e: number; operator: string; departement: string; count: number }>(
    `SELECT u.n, u.e, t.operator, t.departement, sum(t.count)::int AS count
     FROM ${unnestSql(countsParams, CELL, tenRows)} JOIN grid_report_totals t ON ${within}
     GROUP BY u.n, u.e, t.operator, t.departement HAVING sum(t.count) > 0`,
    countsParams.values,
  );
  for (const table of ['grid_totals', 'grid_report_totals']) {
    const params = new Params();
    await client.query(
      `DELETE FROM ${table} t USING ${unnestSql(params, CELL, tenRows)}
       WHERE t.resolution_m = ${TOTAL_ONLY_RESOLUTION_M} AND t.north = u.n AND t.east = u.e`,
      params.values,
    );
  }
  await addStatsRows(client, 'grid_totals', TOTAL_KEY, merged);
  await addCountRows(
    client,
    'grid_report_totals',
    REPORT_TOTAL_KEY,
    counts.map((row) => [[TOTAL_ONLY_RESOLUTION_M, row.n, row.e, row.operator, row.departement], row.count]),
  );
}

/**
 * Empties the grid and fills it again from every stored reading and visible report, page by
 * page (a migration's step, inside its transaction): as sqlite/sqlite-grid.ts's backfill, for
 * a change to what the grid's stats hold.
 */
export async function refillGrid(client: Queryable): Promise<void> {
  await takeGridTurn(client);
  await client.query('DELETE FROM grid_groups; DELETE FROM grid_totals; DELETE FROM grid_reports; DELETE FROM grid_report_totals;');
  const writer = gridBatch();
  for (let after = 0; ; ) {
    const { rows } = await client.query<{ seq: string; body: string; account_id: string | null; departement: string | null }>(
      'SELECT seq, body, account_id, departement FROM readings WHERE seq > $1 ORDER BY seq LIMIT 5000',
      [after],
    );
    if (rows.length === 0) break;
    for (const row of rows) {
      const reading = JSON.parse(row.body) as Reading;
      writer.addReading(reading, row.account_id, row.departement, baseCellOf(reading.lon, reading.lat));
    }
    await writer.flush(client);
    after = Number(rows[rows.length - 1]!.seq);
  }
  const { rows: reports } = await client.query<{ body: string; departement: string | null }>('SELECT body, departement FROM reports WHERE NOT hidden');
  for (const row of reports) writer.addReport(JSON.parse(row.body) as Report, row.departement, 1);
  await writer.flush(client);
}
