import type Database from 'better-sqlite3';
import type { CellRef } from '../../../domain/grid/cell-id.ts';
import { placeAllAgain, placeChanged, PLACE_AGAIN_BATCH, storedPlace, touchCell } from '../place-rules.ts';
import { placeRow, type SqlitePlaceRow } from './sqlite-rows.ts';
import type { CommuneLoad, CommuneShape, NewPlace, PlaceStore, StoredPlace } from '../place-store.ts';
import type { createSqliteGrid } from './sqlite-grid.ts';

/** The SQLite side of place-store.ts: tables `commune_shapes`, `commune_loads` (migration 9), and placing rows again. */

export function createSqlitePlaces(db: Database.Database, grid: ReturnType<typeof createSqliteGrid>, maintainGrid: boolean): PlaceStore {
  const deleteShapes = db.prepare<[string, string]>('DELETE FROM commune_shapes WHERE kind = ? AND departement IN (SELECT value FROM json_each(?))');
  const deleteShape = db.prepare<[string, string]>('DELETE FROM commune_shapes WHERE kind = ? AND code = ?');
  const insertShape = db.prepare(`
    INSERT INTO commune_shapes (kind, code, commune, name, departement, geometry, load_seq)
    VALUES (@kind, @code, @commune, @name, @departement, @geometry, @loadSeq)`);
  const insertLoad = db.prepare(
    'INSERT INTO commune_loads (kind, source, departements, count, loaded_at) VALUES (@kind, @source, @departements, @count, @loadedAt)',
  );
  const allShapes = db.prepare<[], CommuneShape>('SELECT kind, code, commune, name, departement, geometry FROM commune_shapes ORDER BY load_seq, kind, code');
  const piecesOf = db.prepare<[string], Pick<CommuneShape, 'name' | 'geometry'>>(
    "SELECT name, geometry FROM commune_shapes WHERE commune = ? AND kind = 'outline' ORDER BY load_seq, code",
  );
  const allLoads = db.prepare<[], Omit<CommuneLoad, 'departements'> & { departements: string }>(
    'SELECT seq, kind, source, departements, count, loaded_at AS loadedAt FROM commune_loads ORDER BY seq',
  );
  const generation = db.prepare<[], number>('SELECT COALESCE(MAX(seq), 0) FROM commune_loads').pluck();

  const staleReadings = db.prepare<[number, number], SqlitePlaceRow>(
    `SELECT seq, lat, lon, commune, departement, placement, account_id, outside_communes FROM readings WHERE placed_with < ? ORDER BY placed_with, seq LIMIT ?`,
  );
  const staleReports = db.prepare<[number, number], SqlitePlaceRow>(
    `SELECT seq, lat, lon, commune, departement, placement, NULL AS account_id, 0 AS outside_communes FROM reports WHERE placed_with < ? ORDER BY placed_with, seq LIMIT ?`,
  );
  const setReading = db.prepare(
    'UPDATE readings SET commune = @commune, departement = @departement, placement = @placement, outside_communes = @outside, placed_with = @generation WHERE seq = @seq',
  );
  const markReading = db.prepare<[number, number]>('UPDATE readings SET placed_with = ? WHERE seq = ?');
  const setReport = db.prepare(
    'UPDATE reports SET commune = @commune, departement = @departement, placement = @placement, placed_with = @generation WHERE seq = @seq',
  );
  const markReport = db.prepare<[number, number]>('UPDATE reports SET placed_with = ? WHERE seq = ?');

  const replace = db.transaction((load: Omit<CommuneLoad, 'seq'>, shapes: readonly CommuneShape[]): number => {
    const loadSeq = Number(insertLoad.run({ ...load, departements: JSON.stringify(load.departements) }).lastInsertRowid);
    deleteShapes.run(load.kind, JSON.stringify(load.departements));
    for (const shape of shapes) {
      // A code may have been filed under another département by an older file.
      deleteShape.run(shape.kind, shape.code);
      insertShape.run({ ...shape, loadSeq });
    }
    return loadSeq;
  });

  /** One batch of one table; answers [rows read, rows changed]. */
  function placeBatch(table: 'readings' | 'reports', generationNow: number, decide: (stored: StoredPlace) => NewPlace | null): [number, number] {
    return db
      .transaction((): [number, number] => {
        const rows = (table === 'readings' ? staleReadings : staleReports).all(generationNow, PLACE_AGAIN_BATCH);
        const touched = new Map<string, CellRef>();
        let changed = 0;
        for (const row of rows) {
          const before = storedPlace(placeRow(row));
          const after = decide(before);
          if (!after || !placeChanged(before, after)) {
            (table === 'readings' ? markReading : markReport).run(generationNow, row.seq);
            continue;
          }
          changed += 1;
          const values = { ...after, outside: after.outsideCommunes ? 1 : 0, generation: generationNow, seq: row.seq };
          if (table === 'readings') setReading.run(values);
          else setReport.run(values);
          if (before.departement !== after.departement) touchCell(touched, row.lon, row.lat);
        }
        if (maintainGrid) grid.rebuild(touched.values());
        return [rows.length, changed];
      })
      .immediate();
  }

  return {
    async replaceCommuneShapes(load, shapes) {
      return replace.immediate(load, shapes);
    },
    async communeShapes() {
      return allShapes.all();
    },
    async communeOutlinePieces(commune) {
      return piecesOf.all(commune);
    },
    async communeLoads() {
      return allLoads.all().map((row) => ({ ...row, departements: JSON.parse(row.departements) as string[] }));
    },
    async referenceGeneration() {
      return generation.get()!;
    },
    async placeAgain(generationNow, decide) {
      return placeAllAgain((table) => placeBatch(table, generationNow, decide));
    },
  };
}
