import type Database from 'better-sqlite3';
import type { Zone, ZoneHistoryEntry, ZoneNeed, ZoneStatus } from '../../domain/zone.ts';
import type { ZoneStore } from './zone-store.ts';

/** The SQLite side of zone-store.ts: tables `zones` and `zone_history` (migration 3). */

interface ZoneRow {
  id: string;
  departement: string;
  name: string;
  need: ZoneNeed;
  need_detail: string | null;
  notes: string | null;
  cells: string;
  communes: string;
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

const COLUMNS: Record<string, string> = {
  name: 'name',
  need: 'need',
  needDetail: 'need_detail',
  notes: 'notes',
  cells: 'cells',
  communes: 'communes',
  updatedAt: 'updated_at',
};

export function createSqliteZones(db: Database.Database): ZoneStore {
  const insertZone = db.prepare(`
    INSERT INTO zones (id, departement, name, need, need_detail, notes, cells, communes, status, created_at, updated_at)
    VALUES (@id, @departement, @name, @need, @needDetail, @notes, @cells, @communes, @status, @createdAt, @updatedAt)`);
  const insertHistory = db.prepare(`
    INSERT INTO zone_history (zone_id, at, by_id, by_name, from_status, to_status, reason)
    VALUES (@zoneId, @at, @byId, @byName, @from, @to, @reason)`);
  const zoneById = db.prepare<[string], ZoneRow>('SELECT * FROM zones WHERE id = ?');
  const historyOf = db.prepare<[string], HistoryRow>('SELECT * FROM zone_history WHERE zone_id = ? ORDER BY seq');
  const allZones = db.prepare<[], ZoneRow>('SELECT * FROM zones ORDER BY created_at, id');
  const zonesOf = db.prepare<[string], ZoneRow>('SELECT * FROM zones WHERE departement = ? ORDER BY created_at, id');
  const allHistory = db.prepare<[], HistoryRow>('SELECT * FROM zone_history ORDER BY seq');
  const historyOfDepartement = db.prepare<[string], HistoryRow>(
    'SELECT h.* FROM zone_history h JOIN zones z ON z.id = h.zone_id WHERE z.departement = ? ORDER BY h.seq',
  );
  const moveStatus = db.prepare<[ZoneStatus, string, string, ZoneStatus]>('UPDATE zones SET status = ?, updated_at = ? WHERE id = ? AND status = ?');

  const historyRecord = (zoneId: string, entry: ZoneHistoryEntry) => ({
    zoneId,
    at: entry.at,
    byId: entry.by.id,
    byName: entry.by.name,
    from: entry.from,
    to: entry.to,
    reason: entry.reason,
  });
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
    cells: JSON.parse(row.cells) as string[],
    need: row.need,
    ...(row.need_detail !== null && { needDetail: row.need_detail }),
    ...(row.notes !== null && { notes: row.notes }),
    communes: JSON.parse(row.communes) as string[],
    status: row.status,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    history,
  });
  const withHistory = (rows: ZoneRow[], history: HistoryRow[]) => {
    const byZone = new Map<string, ZoneHistoryEntry[]>();
    for (const row of history) {
      const list = byZone.get(row.zone_id) ?? [];
      list.push(toEntry(row));
      byZone.set(row.zone_id, list);
    }
    return rows.map((row) => toZone(row, byZone.get(row.id) ?? []));
  };
  const read = (id: string) => {
    const row = zoneById.get(id);
    return row && toZone(row, historyOf.all(id).map(toEntry));
  };

  const create = db.transaction((zone: Omit<Zone, 'history'>, first: ZoneHistoryEntry) => {
    insertZone.run({
      ...zone,
      needDetail: zone.needDetail ?? null,
      notes: zone.notes ?? null,
      cells: JSON.stringify(zone.cells),
      communes: JSON.stringify(zone.communes),
    });
    insertHistory.run(historyRecord(zone.id, first));
  });
  const move = db.transaction((id: string, entry: ZoneHistoryEntry & { from: ZoneStatus }) => {
    if (moveStatus.run(entry.to, entry.at, id, entry.from).changes !== 1) return false;
    insertHistory.run(historyRecord(id, entry));
    return true;
  });

  return {
    async createZone(zone, first) {
      create.immediate(zone, first);
    },
    async zoneById(id) {
      return read(id);
    },
    async listZones(departement) {
      return departement === undefined
        ? withHistory(allZones.all(), allHistory.all())
        : withHistory(zonesOf.all(departement), historyOfDepartement.all(departement));
    },
    async updateZone(id, changes) {
      const sets: string[] = [];
      const values: Record<string, unknown> = { id };
      for (const [key, value] of Object.entries(changes)) {
        if (value === undefined || !(key in COLUMNS)) continue;
        sets.push(`${COLUMNS[key]} = @${key}`);
        values[key] = Array.isArray(value) ? JSON.stringify(value) : value;
      }
      if (sets.length > 0) db.prepare(`UPDATE zones SET ${sets.join(', ')} WHERE id = @id`).run(values);
      return read(id);
    },
    async moveZone(id, entry) {
      return move.immediate(id, entry);
    },
  };
}
