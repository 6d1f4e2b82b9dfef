import type pg from 'pg';
import { northLines } from '../grid-lines.ts';
import type { CellPopulationRow, PeopleStore, StoredPointOfInterest } from '../people-store.ts';
import { inTransaction } from './postgres-db.ts';

/** The PostgreSQL side of people-store.ts: tables `cell_population` and `points_of_interest` (migration 8). */

/** Rows sent per INSERT: a département's grid is tens of thousands of cells. */
const BATCH = 2000;

export function createPostgresPeople(pool: pg.Pool): PeopleStore {
  return {
    async importPopulation(rows) {
      return inTransaction(pool, async (client) => {
        let replaced = 0;
        for (let start = 0; start < rows.length; start += BATCH) {
          const batch = rows.slice(start, start + BATCH);
          const column = <K extends keyof CellPopulationRow>(key: K) => batch.map((row) => row[key]);
          // xmax = 0 marks a row this statement inserted; any other, one it updated.
          const { rows: written } = await client.query<{ inserted: boolean }>(
            `INSERT INTO cell_population (cell_n, cell_e, inhabitants, households, dwellings, edition)
             SELECT * FROM unnest($1::int[], $2::int[], $3::float8[], $4::float8[], $5::float8[], $6::text[])
             ON CONFLICT (cell_n, cell_e) DO UPDATE SET inhabitants = excluded.inhabitants, households = excluded.households,
               dwellings = excluded.dwellings, edition = excluded.edition
             RETURNING (xmax = 0) AS inserted`,
            [column('north'), column('east'), column('inhabitants'), column('households'), column('dwellings'), column('edition')],
          );
          replaced += written.filter((row) => !row.inserted).length;
        }
        return { replaced };
      });
    },
    async populationIn(box) {
      // A box of few north lines line by line, as the grid's reads (grid-lines.ts); $2 then unused.
      const lines = northLines({ resolutionM: 200, north: box.north });
      const { rows } = await pool.query<CellPopulationRow>(
        `SELECT cell_n AS north, cell_e AS east, inhabitants, households, dwellings, edition FROM cell_population
         WHERE ${lines ? 'cell_n = ANY($1::int[]) AND $2::int IS NULL' : 'cell_n BETWEEN $1 AND $2'} AND cell_e BETWEEN $3 AND $4`,
        [lines ?? box.north[0], lines ? null : box.north[1], box.east[0], box.east[1]],
      );
      return rows;
    },
    async importPointsOfInterest(source, points) {
      return inTransaction(pool, async (client) => {
        const deleted = await client.query('DELETE FROM points_of_interest WHERE source = $1', [source]);
        for (let start = 0; start < points.length; start += BATCH) {
          const batch = points.slice(start, start + BATCH);
          const column = <K extends keyof StoredPointOfInterest>(key: K) => batch.map((point) => point[key]);
          await client.query(
            `INSERT INTO points_of_interest (source, name, kind, lat, lon, cell_n, cell_e)
             SELECT $1, * FROM unnest($2::text[], $3::text[], $4::float8[], $5::float8[], $6::int[], $7::int[])`,
            [source, column('name'), column('kind'), column('lat'), column('lon'), column('north'), column('east')],
          );
        }
        return { replaced: deleted.rowCount ?? 0 };
      });
    },
    async pointsOfInterestIn(box) {
      const { rows } = await pool.query<StoredPointOfInterest>(
        `SELECT name, kind, lat, lon, cell_n AS north, cell_e AS east FROM points_of_interest
         WHERE cell_n BETWEEN $1 AND $2 AND cell_e BETWEEN $3 AND $4 ORDER BY name COLLATE "C", seq`,
        [box.north[0], box.north[1], box.east[0], box.east[1]],
      );
      return rows;
    },
  };
}
