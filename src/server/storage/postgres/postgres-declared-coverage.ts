import type pg from 'pg';
import type { DeclaredLevel } from '../../../domain/grid/declared-level.ts';
import type { DeclaredCellRow, DeclaredCoverageStore, DeclaredEdition } from '../declared-coverage-store.ts';
import { northLines } from '../grid-lines.ts';
import { inTransaction } from './postgres-db.ts';

/** The PostgreSQL side of declared-coverage-store.ts: tables `declared_editions`, `declared_cells` (migration 9). */

const EDITION_COLUMNS = 'departement, operator, technology, source, edition_date AS "editionDate", imported_at AS "importedAt", polygons, cells';

type EditionRow = Omit<DeclaredEdition, 'cells'> & { cells: string };

function edition(row: EditionRow): DeclaredEdition {
  return { ...row, cells: JSON.parse(row.cells) as Record<DeclaredLevel, number> };
}

/** Rows per INSERT: one statement's parameters stay small whatever the département's size. */
const SLICE = 10_000;

export function createPostgresDeclaredCoverage(pool: pg.Pool): DeclaredCoverageStore {
  return {
    async replaceDeclaredCoverage(next, cells) {
      return inTransaction(pool, async (client) => {
        const key = [next.departement, next.operator, next.technology];
        const { rows } = await client.query<EditionRow>(
          `SELECT ${EDITION_COLUMNS} FROM declared_editions WHERE departement = $1 AND operator = $2 AND technology = $3 FOR UPDATE`,
          key,
        );
        await client.query('DELETE FROM declared_cells WHERE departement = $1 AND operator = $2 AND technology = $3', key);
        await client.query('DELETE FROM declared_editions WHERE departement = $1 AND operator = $2 AND technology = $3', key);
        await client.query(
          `INSERT INTO declared_editions (departement, operator, technology, source, edition_date, imported_at, polygons, cells)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
          [...key, next.source, next.editionDate, next.importedAt, next.polygons, JSON.stringify(next.cells)],
        );
        for (let start = 0; start < cells.length; start += SLICE) {
          const slice = cells.slice(start, start + SLICE);
          await client.query(
            `INSERT INTO declared_cells (resolution_m, cell_n, cell_e, level, operator, technology, departement)
             SELECT u.resolution_m, u.cell_n, u.cell_e, u.level, $5, $6, $7
             FROM unnest($1::integer[], $2::integer[], $3::integer[], $4::text[]) AS u(resolution_m, cell_n, cell_e, level)`,
            [
              slice.map((c) => c.resolutionM),
              slice.map((c) => c.north),
              slice.map((c) => c.east),
              slice.map((c) => c.level),
              next.operator,
              next.technology,
              next.departement,
            ],
          );
        }
        return rows[0] && edition(rows[0]);
      });
    },
    async declaredEditions(departements) {
      const { rows } = await pool.query<EditionRow>(
        `SELECT ${EDITION_COLUMNS} FROM declared_editions WHERE $1::text[] IS NULL OR departement = ANY($1::text[]) ORDER BY departement, operator, technology`,
        [departements ?? null],
      );
      return rows.map(edition);
    },
    async declaredCells(query) {
      // A box of few north lines line by line, as the grid's reads (grid-lines.ts); $3 then unused.
      const lines = northLines({ resolutionM: query.resolutionM, north: query.north });
      const { rows } = await pool.query<DeclaredCellRow>(
        `SELECT resolution_m AS "resolutionM", cell_n AS north, cell_e AS east, operator, technology, departement, level
         FROM declared_cells
         WHERE resolution_m = $1 AND ${lines ? 'cell_n = ANY($2::int[]) AND $3::int IS NULL' : 'cell_n BETWEEN $2 AND $3'}
           AND cell_e BETWEEN $4 AND $5
           AND ($6::text[] IS NULL OR operator = ANY($6::text[]))
           AND ($7::text[] IS NULL OR technology = ANY($7::text[]))
           AND ($8::text[] IS NULL OR departement = ANY($8::text[]))`,
        [
          query.resolutionM,
          lines ?? query.north[0],
          lines ? null : query.north[1],
          query.east[0],
          query.east[1],
          query.operators ?? null,
          query.technologies ?? null,
          query.departements ?? null,
        ],
      );
      return rows;
    },
  };
}
