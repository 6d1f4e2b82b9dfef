import type pg from 'pg';
import type { Zone, ZoneHistoryEntry, ZoneNeed, ZoneStatus } from '../../../domain/zone.ts';
import type { ZoneStore } from '../zone-store.ts';
import { inTransaction, type Queryable } from './postgres-db.ts';

/** The PostgreSQL side of zone-store.ts: tables `zones` and `zone_history` (migration 1). */

interface ZoneRow {
  id: string;
  departement: string;
  name: string;
  need: ZoneNeed;
  need_detail: string | null;
  notes: string | null;
  cells: string[];
  communes: string[];
  status: ZoneStatus;
  created_at: string;
  updated_at: string;
}

interface HistoryRow {
  zone_id: string;
  at: string;
  by_id: string;
  by_name: string;
  from_status: ZoneStatus | null;
  to_status: ZoneStatus;
  reason: string;
}

/** What updateZone may set; arrays go to jsonb columns, as JSON (not PostgreSQL arrays). */
const COLUMNS: Record<string, string> = {
  name: 'name',
  need: 'need',
  needDetail: 'need_detail',
  notes: 'notes',
  cells: 'cells',
  communes: 'communes',
  updatedAt: 'updated_at',
};

// Byte order, as SQLite sorts, whatever the database's collation.
const ZONE_ORDER = 'ORDER BY z.created_at COLLATE "C", z.id COLLATE "C"';

const toEntry = (row: HistoryRow): ZoneHistoryEntry => ({
  at: row.at,
  by: { id: row.by_id, name: row.by_name },
  from: row.from_status,
  to: row.to_status,
  reason: row.reason,
});

const toZone = (row: ZoneRow, history: ZoneHistoryEntry[]): Zone => ({
  id: row.id,
  departement: row.departement,
  name: row.name,
  cells: row.cells,
  need: row.need,
  ...(row.need_detail !== null && { needDetail: row.need_detail }),
  ...(row.notes !== null && { notes: row.notes }),
  communes: row.communes,
  status: row.status,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  history,
});

/** A zone's history in the zone's own row: one statement, so one snapshot of both. */
const HISTORY = `COALESCE((SELECT jsonb_agg(to_jsonb(h) ORDER BY h.seq) FROM zone_history h WHERE h.zone_id = z.id), '[]') AS history`;

const fromRow = ({ history, ...row }: ZoneRow & { history: HistoryRow[] }) => toZone(row, history.map(toEntry));

const appendHistory = (db: Queryable, zoneId: string, entry: ZoneHistoryEntry) =>
  db.query(
    `INSERT INTO zone_history (zone_id, at, by_id, by_name, from_status, to_status, reason)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [zoneId, entry.at, entry.by.id, entry.by.name, entry.from, entry.to, entry.reason],
  );

export function createPostgresZones(pool: pg.Pool): ZoneStore {
  const zones = async (sql: string, values: unknown[]) => (await pool.query<ZoneRow & { history: HistoryRow[] }>(sql, values)).rows.map(fromRow);

  return {
    async createZone(zone, first) {
      await inTransaction(pool, async (client) => {
        await client.query(
          `INSERT INTO zones (id, departement, name, need, need_detail, notes, cells, communes, status, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
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
      const sets: string[] = [];
      const values: unknown[] = [id];
      for (const [key, value] of Object.entries(changes)) {
        if (value === undefined || !(key in COLUMNS)) continue;
        values.push(Array.isArray(value) ? JSON.stringify(value) : value);
        sets.push(`${COLUMNS[key]} = $${values.length}`);
      }
      return (await zones(`UPDATE zones z SET ${sets.join(', ')} WHERE z.id = $1 RETURNING z.*, ${HISTORY}`, values))[0];
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
