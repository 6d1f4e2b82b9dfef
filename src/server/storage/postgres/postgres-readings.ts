import type pg from 'pg';
import { coarserCell, type CellRef } from '../../../domain/grid/cell-id.ts';
import { canonicalJson } from '../../../domain/reading.ts';
import { baseCellOf, BASE_RESOLUTION_M } from '../grid-batch.ts';
import { rebuildByUnit, rebuildUnits } from '../grid-rebuild.ts';
import type { GridStore } from '../grid-store.ts';
import { ingestOutcome, ingestResultBuilder } from '../ingest-outcome.ts';
import { READING_COLUMN_NAMES, READING_COLUMNS, readingValues } from '../insert-columns.ts';
import { UNPLACED, type ReadingStore } from '../reading-store.ts';
import type { ReportStore } from '../report-store.ts';
import { afterSeq } from '../page-cursor.ts';
import { toReadingPage, type ReadingRow } from '../rows.ts';
import { inTransaction } from './postgres-db.ts';
import { gridGroups, gridPlaces, gridReports, rebuildGrid } from './postgres-grid.ts';
import { UNIT_M } from '../grid-unit-versions.ts';
import { createPostgresReadingClusters } from './postgres-reading-clusters.ts';
import { bboxSql, filterSql, Params, scopeSql } from './postgres-reading-filter.ts';
import { createPostgresReports } from './postgres-reports.ts';

/**
 * The PostgreSQL side of reading-store.ts (table `readings`), with the residents' reports
 * (postgres-reports.ts) and the coverage grid kept beside them (postgres-grid.ts, rolled up
 * after the ingest: postgres-grid-roll-up.ts): the same answers as the SQLite store, for any
 * number of processes writing at once.
 *
 * Ingest is idempotent by a unique id and `INSERT … ON CONFLICT (id) DO NOTHING`, never a
 * read-then-write: of two processes storing one reading at once, the second's insert waits for
 * the first's transaction and then stores nothing. Rows go in in id order, so that two calls
 * sharing readings take their locks in the same order instead of deadlocking; their seq,
 * drawn beforehand, still follows the order they were handed in, as SQLite's does.
 */

/** What a page of readings reads of each row (rows.ts's ReadingRow). */
const READING_PAGE_COLUMNS = 'r.seq, r.body, r.commune, r.outside_communes, r.placement';

/** unnest of the ranges of 200 m cell corners inside cells of any resolution (a multiple of 200 m), as u(n0, n1, e0, e1). */
function cellRangesSql(params: Params, cells: readonly CellRef[]): string {
  const last = (cell: CellRef) => Math.max(cell.resolutionM - BASE_RESOLUTION_M, 0);
  const n0 = params.add(
    cells.map((c) => c.north),
    'int[]',
  );
  const n1 = params.add(
    cells.map((c) => c.north + last(c)),
    'int[]',
  );
  const e0 = params.add(
    cells.map((c) => c.east),
    'int[]',
  );
  const e1 = params.add(
    cells.map((c) => c.east + last(c)),
    'int[]',
  );
  return `unnest(${n0}, ${n1}, ${e0}, ${e1}) AS u(n0, n1, e0, e1)`;
}

/** The 10 km unit (grid-unit-versions.ts) of each row, in the rows' order, as two int[] parameters (null off the grid). */
function unitsSql(params: Params, rows: readonly { unit: CellRef | undefined }[]): { north: string; east: string } {
  return {
    north: params.add(
      rows.map((row) => row.unit?.north ?? null),
      'int[]',
    ),
    east: params.add(
      rows.map((row) => row.unit?.east ?? null),
      'int[]',
    ),
  };
}

/**
 * `insert` (the readings' INSERT … ON CONFLICT DO NOTHING, its rows' seqs in the array
 * parameter `seqs`, their units in `units`) answering the ids it stored, and in the same
 * statement what the grid needs of the readings it stored, so that an upload costs the grid no
 * statement of its own (docs/performance.md, ingest's eighth pass):
 * - their seqs, one row for them all in `grid_pending_batches`: pending for the next roll-up
 *   (postgres-grid-roll-up.ts), exactly when this transaction commits;
 * - one change counted in each 10 km unit they lie in (`grid_unit_changes`), so that the tiles'
 *   versions say what was acknowledged without waiting for a roll-up (grid-roll-up.ts). The
 *   counters are upserted in north-then-east order, and only once every reading is inserted
 *   (the sort reads the whole of `stored` first): two uploads lock them in the same order, and
 *   none holds one while it waits for another's reading of the same id.
 */
function withGridMarks(insert: string, seqs: string, units: { north: string; east: string }): string {
  return `WITH stored AS (${insert} RETURNING id, seq),
    pending AS (
      INSERT INTO grid_pending_batches (last_seq, seqs) SELECT max(seq), array_agg(seq ORDER BY seq) FROM stored HAVING count(*) > 0),
    units AS (
      INSERT INTO grid_unit_changes (north, east, changes)
      SELECT DISTINCT u.north, u.east, 1 FROM stored JOIN unnest(${seqs}, ${units.north}, ${units.east}) AS u(seq, north, east) ON u.seq = stored.seq
      WHERE u.north IS NOT NULL ORDER BY u.north, u.east
      ON CONFLICT (north, east) DO UPDATE SET changes = grid_unit_changes.changes + 1)
    SELECT id FROM stored`;
}

export function createPostgresReadings(pool: pg.Pool, { maintainGrid }: { maintainGrid: boolean }): Omit<ReadingStore, 'close'> & ReportStore & GridStore {
  const readingClusters = createPostgresReadingClusters(pool);

  return {
    async ingest(readings, placements) {
      if (readings.length === 0) return ingestResultBuilder().result;
      return inTransaction(pool, async (client) => {
        const receivedAt = new Date().toISOString();
        const bodies = readings.map((reading) => canonicalJson(reading));
        // Only the first of readings sharing an id within the call is inserted; the later ones
        // are compared with what is stored, as they are on SQLite.
        const firsts = new Map<string, number>();
        readings.forEach((reading, index) => {
          if (!firsts.has(reading.id)) firsts.set(reading.id, index);
        });
        const { rows: drawn } = await client.query<{ seq: number }>(
          `SELECT nextval(pg_get_serial_sequence('readings', 'seq')) AS seq FROM generate_series(1, $1::int)`,
          [firsts.size],
        );
        const seqs = drawn.map((row) => row.seq).sort((a, b) => a - b);
        // seq first, then the shared columns (insert-columns.ts), sorted by id.
        const rows = [...firsts.values()]
          .map((index, k) => {
            const reading = readings[index]!;
            const place = placements?.[index] ?? UNPLACED;
            const cell = baseCellOf(reading.lon, reading.lat);
            const unit = cell && coarserCell(cell, UNIT_M);
            return { id: reading.id, unit, values: [seqs[k]!, ...readingValues({ reading, body: bodies[index]!, place, cell, receivedAt })] };
          })
          .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
        const params = new Params();
        const types = ['bigint', ...READING_COLUMN_NAMES.map((name) => READING_COLUMNS[name].type)];
        const arrays = types.map((type, i) =>
          params.add(
            rows.map((row) => row.values[i]),
            `${type}[]`,
          ),
        );
        // unnest hands the rows over in array order, that is by id.
        const insert = `INSERT INTO readings (seq, ${READING_COLUMN_NAMES.join(', ')}) OVERRIDING SYSTEM VALUE
           SELECT * FROM unnest(${arrays.join(', ')}) ON CONFLICT (id) DO NOTHING`;
        const { rows: inserted } = await client.query<{ id: string }>(
          maintainGrid ? withGridMarks(insert, arrays[0]!, unitsSql(params, rows)) : `${insert} RETURNING id`,
          params.values,
        );
        const accepted = new Set(inserted.map((row) => row.id));
        const stored = new Map<string, string>();
        for (const id of accepted) stored.set(id, bodies[firsts.get(id)!]!);
        const taken = [...firsts.keys()].filter((id) => !accepted.has(id));
        if (taken.length > 0) {
          // Committed by an earlier request, or by a concurrent one this insert waited for.
          const { rows: found } = await client.query<{ id: string; body: string }>('SELECT id, body FROM readings WHERE id = ANY($1::text[])', [taken]);
          for (const row of found) stored.set(row.id, row.body);
        }

        const { result, add } = ingestResultBuilder();
        readings.forEach((reading, index) => {
          const insertedHere = firsts.get(reading.id) === index && accepted.has(reading.id);
          add(
            reading.id,
            ingestOutcome(insertedHere, bodies[index]!, () => stored.get(reading.id)),
          );
        });
        return result;
      });
    },

    async query(query) {
      const { bbox, limit, cursor } = query;
      const params = new Params();
      const after = params.add(afterSeq(cursor), 'bigint');
      const where = `${bbox ? `${bboxSql(params, bbox)} AND ` : ''}r.seq > ${after}${filterSql(params, query)}`;
      const { rows } = await pool.query<ReadingRow>(
        `SELECT ${READING_PAGE_COLUMNS} FROM readings r WHERE ${where} ORDER BY r.seq LIMIT ${params.add(limit + 1, 'int')}`,
        params.values,
      );
      return toReadingPage(rows, limit);
    },

    async clusters(query) {
      return readingClusters.clusters(query);
    },

    async readingsInCells({ cells, limit, cursor, scope }) {
      const params = new Params();
      const after = params.add(afterSeq(cursor), 'bigint');
      const { rows } = await pool.query<ReadingRow>(
        `SELECT ${READING_PAGE_COLUMNS} FROM readings r
         WHERE r.seq > ${after} AND r.seq IN (
           SELECT c.seq FROM ${cellRangesSql(params, cells)} JOIN readings c ON c.cell_n BETWEEN u.n0 AND u.n1 AND c.cell_e BETWEEN u.e0 AND u.e1)
           ${scopeSql(params, scope)}
         ORDER BY r.seq LIMIT ${params.add(limit + 1, 'int')}`,
        params.values,
      );
      return toReadingPage(rows, limit);
    },

    async communesInCells(cells) {
      if (cells.length === 0) return [];
      const params = new Params();
      const { rows } = await pool.query<{ commune: string }>(
        `SELECT DISTINCT r.commune FROM ${cellRangesSql(params, cells)}
         JOIN readings r ON r.cell_n BETWEEN u.n0 AND u.n1 AND r.cell_e BETWEEN u.e0 AND u.e1 WHERE r.commune IS NOT NULL`,
        params.values,
      );
      // Sorted here, as the SQLite store does, whatever the database's collation.
      return rows.map((row) => row.commune).sort();
    },

    async attribution(readingId) {
      const { rows } = await pool.query<{ account_id: string | null; source: string }>('SELECT account_id, source FROM readings WHERE id = $1', [readingId]);
      return rows[0] && { accountId: rows[0].account_id, source: rows[0].source };
    },

    ...createPostgresReports(pool),

    async gridGroups(query) {
      return gridGroups(pool, query);
    },
    async gridReports(query) {
      return gridReports(pool, query);
    },
    async rebuildGrid(onUnit) {
      if (!maintainGrid) return { units: 0, cells: 0 };
      // Fresh statistics first: with the planner's from before a large load (autovacuum not yet
      // by), each square's deletes scanned whole tables instead of their key's ranges, 12× slower.
      await pool.query('ANALYZE readings, reports, grid_groups, grid_totals, grid_reports, grid_report_totals');
      return rebuildByUnit(rebuildUnits(await gridPlaces(pool)), (cells) => inTransaction(pool, (client) => rebuildGrid(client, cells)), onUnit);
    },
  };
}
