import type Database from 'better-sqlite3';
import { OPEN_ZONE_STATUSES, type ZoneHistoryEntry, type ZoneStatus } from '../../../domain/zone.ts';
import { columnChanges, toHistoryEntry, toZone, ZONE_COLUMNS, type HistoryRow } from '../rows.ts';
import { baseCellCorners, findZoneOverlap, storedFollowUp, ZoneOverlapError, type NewZone, type ZoneChanges, type ZoneStore } from '../zone-store.ts';
import { zoneRow, type SqliteZoneRow } from './sqlite-rows.ts';

/** The SQLite side of zone-store.ts: tables `zones` and `zone_history` (migration 3; `follow_up`, migration 13). */

export function createSqliteZones(db: Database.Database): ZoneStore {
  const insertZone = db.prepare(`
    INSERT INTO zones (id, departement, name, need, need_detail, notes, cells, communes, status, created_at, updated_at, follow_up)
    VALUES (@id, @departement, @name, @need, @needDetail, @notes, @cells, @communes, @status, @createdAt, @updatedAt, @followUp)`);
  const insertHistory = db.prepare(`
    INSERT INTO zone_history (zone_id, at, by_id, by_name, from_status, to_status, reason)
    VALUES (@zoneId, @at, @byId, @byName, @from, @to, @reason)`);
  const zoneById = db.prepare<[string], SqliteZoneRow>('SELECT * FROM zones WHERE id = ?');
  const historyOf = db.prepare<[string], HistoryRow>('SELECT * FROM zone_history WHERE zone_id = ? ORDER BY seq');
  const allZones = db.prepare<[], SqliteZoneRow>('SELECT * FROM zones ORDER BY created_at, id');
  const zonesOf = db.prepare<[string], SqliteZoneRow>('SELECT * FROM zones WHERE departement = ? ORDER BY created_at, id');
  const allHistory = db.prepare<[], HistoryRow>('SELECT * FROM zone_history ORDER BY seq');
  const historyOfDepartement = db.prepare<[string], HistoryRow>(
    'SELECT h.* FROM zone_history h JOIN zones z ON z.id = h.zone_id WHERE z.departement = ? ORDER BY h.seq',
  );
  const departementsIn = db
    .prepare<[number, number, number, number], string>(
      'SELECT DISTINCT departement FROM readings WHERE cell_n BETWEEN ? AND ? AND cell_e BETWEEN ? AND ? AND departement IS NOT NULL ORDER BY departement',
    )
    .pluck();
  const openZonesOf = db.prepare<[string, string], Pick<SqliteZoneRow, 'id' | 'name' | 'status' | 'cells'>>(
    `SELECT id, name, status, cells FROM zones WHERE departement = ? AND id <> ? AND status IN (${OPEN_ZONE_STATUSES.map((status) => `'${status}'`).join(', ')})`,
  );
  const departementOf = db.prepare<[string], string>('SELECT departement FROM zones WHERE id = ?').pluck();
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
  const withHistory = (rows: SqliteZoneRow[], history: HistoryRow[]) => {
    const byZone = new Map<string, ZoneHistoryEntry[]>();
    for (const row of history) {
      const list = byZone.get(row.zone_id) ?? [];
      list.push(toHistoryEntry(row));
      byZone.set(row.zone_id, list);
    }
    return rows.map((row) => toZone(zoneRow(row), byZone.get(row.id) ?? []));
  };
  const read = (id: string) => {
    const row = zoneById.get(id);
    return row && toZone(zoneRow(row), historyOf.all(id).map(toHistoryEntry));
  };

  /** Inside a write transaction: refuses cells an open zone of the département (other than `except`) holds. */
  const refuseOverlap = (departement: string, cells: readonly string[], except: string) => {
    const others = openZonesOf.all(departement, except).map((row) => ({ ...row, status: row.status as ZoneStatus, cells: JSON.parse(row.cells) as string[] }));
    const overlap = findZoneOverlap(cells, others);
    if (overlap) throw new ZoneOverlapError(overlap);
  };

  const create = db.transaction((zone: NewZone, first: ZoneHistoryEntry) => {
    refuseOverlap(zone.departement, zone.cells, zone.id);
    insertZone.run({
      ...zone,
      needDetail: zone.needDetail ?? null,
      notes: zone.notes ?? null,
      cells: JSON.stringify(zone.cells),
      communes: JSON.stringify(zone.communes),
      followUp: JSON.stringify(storedFollowUp(zone.followUp)),
    });
    insertHistory.run(historyRecord(zone.id, first));
  });
  const move = db.transaction((id: string, entry: ZoneHistoryEntry & { from: ZoneStatus }) => {
    if (moveStatus.run(entry.to, entry.at, id, entry.from).changes !== 1) return false;
    insertHistory.run(historyRecord(id, entry));
    return true;
  });

  const update = db.transaction((id: string, changes: ZoneChanges) => {
    const departement = departementOf.get(id);
    if (departement === undefined) return undefined;
    if (changes.cells) refuseOverlap(departement, changes.cells, id);
    const sets = columnChanges(ZONE_COLUMNS, changes);
    if (sets.length > 0) {
      db.prepare(`UPDATE zones SET ${sets.map(({ column }) => `${column} = ?`).join(', ')} WHERE id = ?`).run(...sets.map(({ value }) => value), id);
    }
    return read(id);
  });

  return {
    async departementsInCells(cells) {
      return cells.map((cell) => departementsIn.all(...baseCellCorners(cell)));
    },
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
      return update.immediate(id, changes);
    },
    async moveZone(id, entry) {
      return move.immediate(id, entry);
    },
  };
}
