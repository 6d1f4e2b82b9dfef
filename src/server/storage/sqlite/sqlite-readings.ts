import type Database from 'better-sqlite3';
import type { CellRef } from '../../../domain/grid/cell-id.ts';
import { canonicalJson, type Reading } from '../../../domain/reading.ts';
import { baseCellOf, BASE_RESOLUTION_M } from '../grid-batch.ts';
import { rebuildByUnit, rebuildUnits } from '../grid-rebuild.ts';
import type { GridStore } from '../grid-store.ts';
import { ingestOutcome, ingestResultBuilder } from '../ingest-outcome.ts';
import { afterSeq } from '../page-cursor.ts';
import { READING_COLUMN_NAMES, readingValues } from '../insert-columns.ts';
import { UNPLACED, type IngestResult, type ReadingPage, type ReadingPlacement, type ReadingScope, type ReadingStore } from '../reading-store.ts';
import { toReadingPage } from '../rows.ts';
import type { createSqliteGrid } from './sqlite-grid.ts';
import { unitCounter } from './sqlite-grid-units.ts';
import { createSqliteReadingClusters } from './sqlite-reading-clusters.ts';
import { filterParams, FILTER_SQL, IN_BBOX, SCOPE_SQL } from './sqlite-reading-filter.ts';
import { readingRow, sqliteValue, type SqliteReadingRow } from './sqlite-rows.ts';

/** The SQLite side of reading-store.ts (table `readings` and its R*Tree `readings_position`), with the grid queries beside them. */

/** What a page of readings reads of each row (rows.ts's ReadingRow). */
const READING_PAGE_COLUMNS = 'r.seq, r.body, r.commune, r.outside_communes, r.placement';

function readingPageSql(bbox: boolean, scope: ReadingScope['kind']): string {
  const from = bbox ? `readings_position p JOIN readings r ON r.seq = p.seq WHERE ${IN_BBOX} AND` : 'readings r WHERE';
  return `SELECT ${READING_PAGE_COLUMNS} FROM ${from} r.seq > @after AND ${FILTER_SQL} ${SCOPE_SQL[scope]}
    ORDER BY r.seq LIMIT @take`;
}

/** [n0, n1, e0, e1]: the range of 200 m cell corners inside a cell of any resolution (a multiple of 200 m). */
function baseCellRange(cell: CellRef): [number, number, number, number] {
  const last = Math.max(cell.resolutionM - BASE_RESOLUTION_M, 0);
  return [cell.north, cell.north + last, cell.east, cell.east + last];
}

export function createSqliteReadings(
  db: Database.Database,
  grid: ReturnType<typeof createSqliteGrid>,
  { maintainGrid }: { maintainGrid: boolean },
): Omit<ReadingStore, 'close'> & GridStore {
  const readingClusters = createSqliteReadingClusters(db);

  const insertReading = db.prepare<(string | number | null)[]>(`
    INSERT INTO readings (${READING_COLUMN_NAMES.join(', ')})
    VALUES (${READING_COLUMN_NAMES.map(() => '?').join(', ')})
    ON CONFLICT (id) DO NOTHING`);
  const insertPosition = db.prepare<[number | bigint, number, number, number, number]>(
    'INSERT INTO readings_position (seq, min_lon, max_lon, min_lat, max_lat) VALUES (?, ?, ?, ?, ?)',
  );
  const storedBody = db.prepare<[string], string>('SELECT body FROM readings WHERE id = ?').pluck();
  const attributionOf = db.prepare<[string], { account_id: string | null; source: string }>('SELECT account_id, source FROM readings WHERE id = ?');
  const cellReadings = db.prepare<Record<string, unknown>, SqliteReadingRow>(`
    WITH c (n0, n1, e0, e1) AS (
      SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]'), json_extract(value, '$[3]')
      FROM json_each(@cells))
    SELECT ${READING_PAGE_COLUMNS} FROM c CROSS JOIN readings r
    WHERE r.cell_n BETWEEN c.n0 AND c.n1 AND r.cell_e BETWEEN c.e0 AND c.e1 AND r.seq > @after
      AND (@scopeKind = 'all'
        OR (@scopeKind = 'departement' AND r.departement = @departement)
        OR (@scopeKind = 'agent' AND (r.account_id = @accountId OR r.commune IN (SELECT value FROM json_each(@communes)))))
    ORDER BY r.seq LIMIT @take`);
  const communesIn = db
    .prepare<[number, number, number, number], string>(
      'SELECT DISTINCT commune FROM readings WHERE cell_n BETWEEN ? AND ? AND cell_e BETWEEN ? AND ? AND commune IS NOT NULL',
    )
    .pluck();
  const pageStatements = new Map<string, Database.Statement<Record<string, unknown>, SqliteReadingRow>>();
  const pageStatement = (bbox: boolean, scope: ReadingScope['kind']) => {
    const key = `${bbox}/${scope}`;
    let statement = pageStatements.get(key);
    if (!statement) pageStatements.set(key, (statement = db.prepare<Record<string, unknown>, SqliteReadingRow>(readingPageSql(bbox, scope))));
    return statement;
  };

  const ingestAll = db.transaction((readings: Reading[], placements: readonly ReadingPlacement[] | undefined): IngestResult => {
    const receivedAt = new Date().toISOString();
    const { result, add } = ingestResultBuilder();
    // No grid row here: a reading above the roll-up's watermark is pending (sqlite-grid-roll-up.ts).
    // Its 10 km cell's change counter is counted now, with it, so that the tiles' versions say
    // what was acknowledged without waiting for a roll-up (grid-roll-up.ts says why).
    const units = maintainGrid ? unitCounter(db) : undefined;
    readings.forEach((reading, index) => {
      const body = canonicalJson(reading);
      const place = placements?.[index] ?? UNPLACED;
      const cell = baseCellOf(reading.lon, reading.lat);
      const inserted = insertReading.run(...readingValues({ reading, body, place, cell, receivedAt }).map(sqliteValue));
      const accepted = inserted.changes === 1;
      if (accepted) {
        insertPosition.run(inserted.lastInsertRowid, reading.lon, reading.lon, reading.lat, reading.lat);
        units?.tally.addCell(cell);
      }
      // Not inserted: the id is taken, by an earlier request or earlier in this one.
      add(
        reading.id,
        ingestOutcome(accepted, body, () => storedBody.get(reading.id)),
      );
    });
    units?.flush();
    return result;
  });

  return {
    async ingest(readings, placements) {
      // IMMEDIATE takes the write lock up front, so a concurrent writer makes this wait
      // (busy_timeout) instead of failing half-way when a read lock cannot be upgraded.
      return ingestAll.immediate(readings, placements);
    },

    async query(query): Promise<ReadingPage> {
      const { bbox, limit, cursor, scope = { kind: 'all' } } = query;
      const params = { ...filterParams(query), after: afterSeq(cursor), take: limit + 1, ...bbox };
      const rows = pageStatement(bbox !== undefined, scope.kind).all(params);
      return toReadingPage(rows.map(readingRow), limit);
    },

    async clusters(query) {
      return readingClusters.clusters(query);
    },

    async readingsInCells({ cells, limit, cursor, scope = { kind: 'all' } }): Promise<ReadingPage> {
      const rows = cellReadings.all({
        cells: JSON.stringify(cells.map(baseCellRange)),
        after: afterSeq(cursor),
        take: limit + 1,
        scopeKind: scope.kind,
        departement: scope.kind === 'departement' ? scope.departement : null,
        accountId: scope.kind === 'agent' ? scope.accountId : null,
        communes: scope.kind === 'agent' ? JSON.stringify(scope.communes) : '[]',
      });
      return toReadingPage(rows.map(readingRow), limit);
    },

    async communesInCells(cells) {
      const found = new Set<string>();
      for (const cell of cells) for (const code of communesIn.all(...baseCellRange(cell))) found.add(code);
      return [...found].sort();
    },

    async attribution(readingId) {
      const row = attributionOf.get(readingId);
      return row && { accountId: row.account_id, source: row.source };
    },

    async gridGroups(query) {
      return grid.groups(query);
    },
    async gridReports(query) {
      return grid.reports(query);
    },
    async rebuildGrid(onUnit) {
      if (!maintainGrid) return { units: 0, cells: 0 };
      return rebuildByUnit(rebuildUnits(grid.places()), (cells) => db.transaction(() => grid.rebuild(cells)).immediate(), onUnit);
    },
  };
}
