import type pg from 'pg';
import { OPEN_ZONE_STATUSES, type ZoneHistoryEntry, type ZoneStatus } from '../../../domain/zone.ts';
import { columnChanges, toHistoryEntry, toZone, ZONE_COLUMNS, type HistoryRow, type ZoneRow } from '../rows.ts';
import { baseCellCorners, findZoneOverlap, storedFollowUp, ZoneOverlapError, type ZoneStore } from '../zone-store.ts';
import { inTransaction, type Queryable } from './postgres-db.ts';

/** The PostgreSQL side of zone-store.ts: tables `zones` and `zone_history` (migration 1). */

// Byte order, as SQLite sorts, whatever the database's collation.
const ZONE_ORDER = 'ORDER BY z.created_at COLLATE "C", z.id COLLATE "C"';

/** A zone's history in the zone's own row: one statement, so one snapshot of both. */
const HISTORY = `COALESCE((SELECT jsonb_agg(to_jsonb(h) ORDER BY h.seq) FROM zone_history h WHERE h.zone_id = z.id), '[]') AS history`;

const fromRow = ({ history, ...row }: ZoneRow & { history: HistoryRow[] }) => toZone(row, history.map(toHistoryEntry));

const appendHistory = (db: Queryable, zoneId: string, entry: ZoneHistoryEntry) =>
  db.query(
    `INSERT INTO zone_history (zone_id, at, by_id, by_name, from_status, to_status, reason)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [zoneId, entry.at, entry.by.id, entry.by.name, entry.from, entry.to, entry.reason],
  );

/**
 * Whether new cells overlap an open zone is a read-then-write decision: the zones of one
 * département are filed in turns, under an advisory lock named after it (across processes;
 * READ COMMITTED alone would let two transactions each see no overlap and both insert).
 */
async function refuseOverlap(client: pg.PoolClient, departement: string, cells: readonly string[], except: string): Promise<void> {
  await client.query("SELECT pg_advisory_xact_lock(hashtext('couverture.zones.' || $1))", [departement]);
  const { rows } = await client.query<{ id: string; name: string; status: ZoneStatus; cells: string[] }>(
    'SELECT id, name, status, cells FROM zones WHERE departement = $1 AND id <> $2 AND status = ANY($3::text[])',
    [departement, except, OPEN_ZONE_STATUSES],
  );
  const overlap = findZoneOverlap(cells, rows);
  if (overlap) throw new ZoneOverlapError(overlap);
}

export function createPostgresZones(pool: pg.Pool): ZoneStore {
  const zones = async (sql: string, values: unknown[]) => (await pool.query<ZoneRow & { history: HistoryRow[] }>(sql, values)).rows.map(fromRow);

  return {
    async departementsInCells(cells) {
      if (cells.length === 0) return [];
      const corners = cells.map(baseCellCorners);
      const { rows } = await pool.query<{ i: string; departement: string }>(
        `SELECT DISTINCT u.i, r.departement
         FROM unnest($1::int[], $2::int[], $3::int[], $4::int[]) WITH ORDINALITY AS u(n0, n1, e0, e1, i)
         JOIN readings r ON r.cell_n BETWEEN u.n0 AND u.n1 AND r.cell_e BETWEEN u.e0 AND u.e1
         WHERE r.departement IS NOT NULL`,
        [0, 1, 2, 3].map((k) => corners.map((corner) => corner[k])),
      );
      const found: string[][] = cells.map(() => []);
      for (const row of rows) found[Number(row.i) - 1]!.push(row.departement);
      // Sorted here, as the SQLite store does, whatever the database's collation.
      return found.map((departements) => departements.sort());
    },
    async createZone(zone, first) {
      await inTransaction(pool, async (client) => {
        await refuseOverlap(client, zone.departement, zone.cells, zone.id);
        await client.query(
          `INSERT INTO zones (id, departement, name, need, need_detail, notes, cells, communes, status, created_at, updated_at, follow_up)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
          [
            zone.id,
            zone.departement,
            zone.name,
            zone.need,
            zone.needDetail ?? null,
            zone.notes ?? null,
            JSON.stringify(zone.cells),
            JSON.stringify(zone.communes),
            zone.status,
            zone.createdAt,
            zone.updatedAt,
            JSON.stringify(storedFollowUp(zone.followUp)),
          ],
        );
        await appendHistory(client, zone.id, first);
      });
    },
    async zoneById(id) {
      return (await zones(`SELECT z.*, ${HISTORY} FROM zones z WHERE z.id = $1`, [id]))[0];
    },
    listZones(departement) {
      return departement === undefined
        ? zones(`SELECT z.*, ${HISTORY} FROM zones z ${ZONE_ORDER}`, [])
        : zones(`SELECT z.*, ${HISTORY} FROM zones z WHERE z.departement = $1 ${ZONE_ORDER}`, [departement]);
    },
    async updateZone(id, changes) {
      const sets = columnChanges(ZONE_COLUMNS, changes);
      // Nothing to set is no SQL to write ("SET WHERE" does not parse): the zone as it is.
      if (sets.length === 0) return (await zones(`SELECT z.*, ${HISTORY} FROM zones z WHERE z.id = $1`, [id]))[0];
      const values = [id, ...sets.map(({ value }) => value)];
      const assignments = sets.map(({ column }, i) => `${column} = $${i + 2}`);
      const sql = `UPDATE zones z SET ${assignments.join(', ')} WHERE z.id = $1 RETURNING z.*, ${HISTORY}`;
      if (!changes.cells) return (await zones(sql, values))[0];
      const newCells = changes.cells;
      return inTransaction(pool, async (client) => {
        const found = await client.query<{ departement: string }>('SELECT departement FROM zones WHERE id = $1', [id]);
        if (found.rows.length === 0) return undefined;
        await refuseOverlap(client, found.rows[0]!.departement, newCells, id);
        return (await client.query<ZoneRow & { history: HistoryRow[] }>(sql, values)).rows.map(fromRow)[0];
      });
    },
    async moveZone(id, entry) {
      return inTransaction(pool, async (client) => {
        // Two reviewers (two processes) moving one zone: the second UPDATE waits on the first's
        // row lock, then re-checks `status` against the committed row and matches nothing.
        // Neither a read-then-write nor a retry could let both win.
        const moved = await client.query('UPDATE zones SET status = $1, updated_at = $2 WHERE id = $3 AND status = $4', [entry.to, entry.at, id, entry.from]);
        if (moved.rowCount !== 1) return false;
        await appendHistory(client, id, entry);
        return true;
      });
    },
  };
}
