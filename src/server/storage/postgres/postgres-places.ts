import type pg from 'pg';
import type { CellRef } from '../../../domain/grid/cell-id.ts';
import { placeAllAgain, placeChanged, PLACE_AGAIN_BATCH, storedPlace, touchCell, type PlaceRow } from '../place-rules.ts';
import type { CommuneShape, NewPlace, PlaceStore, StoredPlace } from '../place-store.ts';
import { inTransaction } from './postgres-db.ts';
import { rebuildGrid } from './postgres-grid.ts';

/**
 * The PostgreSQL side of place-store.ts: tables `commune_shapes`, `commune_loads` (migration 4),
 * and placing rows again. Several processes starting at once may place the same rows: each
 * batch locks its rows (FOR UPDATE SKIP LOCKED), so a row is placed by one of them.
 */

export function createPostgresPlaces(pool: pg.Pool, { maintainGrid }: { maintainGrid: boolean }): PlaceStore {
  async function placeBatch(table: 'readings' | 'reports', generation: number, decide: (stored: StoredPlace) => NewPlace | null): Promise<[number, number]> {
    return inTransaction(pool, async (client) => {
      const extra = table === 'readings' ? 'account_id, outside_communes' : 'NULL::text AS account_id, false AS outside_communes';
      const { rows } = await client.query<PlaceRow>(
        `SELECT seq, lat, lon, commune, departement, placement, ${extra} FROM ${table}
         WHERE placed_with < $1 ORDER BY seq LIMIT $2 FOR UPDATE SKIP LOCKED`,
        [generation, PLACE_AGAIN_BATCH],
      );
      const touched = new Map<string, CellRef>();
      const changed: (readonly [number, NewPlace])[] = [];
      for (const row of rows) {
        const before = storedPlace(row);
        const after = decide(before);
        if (!after || !placeChanged(before, after)) continue;
        changed.push([row.seq, after]);
        if (before.departement !== after.departement) touchCell(touched, row.lon, row.lat);
      }
      await client.query(`UPDATE ${table} SET placed_with = $1 WHERE seq = ANY($2::bigint[])`, [generation, rows.map((row) => row.seq)]);
      if (changed.length > 0) {
        const outside = table === 'readings' ? ', outside_communes = u.outside' : '';
        await client.query(
          `UPDATE ${table} t SET commune = u.commune, departement = u.departement, placement = u.placement${outside}
           FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::boolean[]) AS u(seq, commune, departement, placement, outside)
           WHERE t.seq = u.seq`,
          [
            changed.map(([seq]) => seq),
            changed.map(([, p]) => p.commune),
            changed.map(([, p]) => p.departement),
            changed.map(([, p]) => p.placement),
            changed.map(([, p]) => p.outsideCommunes),
          ],
        );
      }
      if (maintainGrid) await rebuildGrid(client, touched.values());
      return [rows.length, changed.length];
    });
  }

  return {
    async replaceCommuneShapes(load, shapes) {
      return inTransaction(pool, async (client) => {
        const { rows } = await client.query<{ seq: number }>(
          'INSERT INTO commune_loads (kind, source, departements, count, loaded_at) VALUES ($1, $2, $3, $4, $5) RETURNING seq',
          [load.kind, load.source, JSON.stringify(load.departements), load.count, load.loadedAt],
        );
        const loadSeq = rows[0]!.seq;
        await client.query('DELETE FROM commune_shapes WHERE kind = $1 AND (departement = ANY($2::text[]) OR code = ANY($3::text[]))', [
          load.kind,
          load.departements,
          shapes.map((s) => s.code),
        ]);
        // In slices: one statement's parameters stay small whatever the file's size.
        for (let start = 0; start < shapes.length; start += 2000) {
          const slice = shapes.slice(start, start + 2000);
          await client.query(
            `INSERT INTO commune_shapes (kind, code, commune, name, departement, geometry, load_seq)
             SELECT u.kind, u.code, u.commune, u.name, u.departement, u.geometry, $7 FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
               AS u(kind, code, commune, name, departement, geometry)`,
            [
              slice.map((s) => s.kind),
              slice.map((s) => s.code),
              slice.map((s) => s.commune),
              slice.map((s) => s.name),
              slice.map((s) => s.departement),
              slice.map((s) => s.geometry),
              loadSeq,
            ],
          );
        }
        return loadSeq;
      });
    },
    async communeShapes() {
      const { rows } = await pool.query<CommuneShape>(
        'SELECT kind, code, commune, name, departement, geometry FROM commune_shapes ORDER BY load_seq, kind, code',
      );
      return rows;
    },
    async communeOutlinePieces(commune) {
      const { rows } = await pool.query<Pick<CommuneShape, 'name' | 'geometry'>>(
        "SELECT name, geometry FROM commune_shapes WHERE commune = $1 AND kind = 'outline' ORDER BY load_seq, code",
        [commune],
      );
      return rows;
    },
    async communeLoads() {
      const { rows } = await pool.query<{ seq: number; kind: CommuneShape['kind']; source: string; departements: string; count: number; loadedAt: string }>(
        'SELECT seq, kind, source, departements, count, loaded_at AS "loadedAt" FROM commune_loads ORDER BY seq',
      );
      return rows.map((row) => ({ ...row, departements: JSON.parse(row.departements) as string[] }));
    },
    async referenceGeneration() {
      const { rows } = await pool.query<{ seq: number }>('SELECT COALESCE(MAX(seq), 0) AS seq FROM commune_loads');
      return rows[0]!.seq;
    },
    async placeAgain(generation, decide) {
      return placeAllAgain((table) => placeBatch(table, generation, decide));
    },
  };
}
