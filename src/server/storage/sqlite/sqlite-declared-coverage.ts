import type Database from 'better-sqlite3';
import type { DeclaredLevel } from '../../../domain/grid/declared-level.ts';
import type { DeclaredCell, DeclaredCellRow, DeclaredCoverageStore, DeclaredEdition } from '../declared-coverage-store.ts';
import { northLines } from '../grid-lines.ts';

/** The SQLite side of declared-coverage-store.ts: tables `declared_editions`, `declared_cells` (migration 14). */

interface EditionRow extends Omit<DeclaredEdition, 'cells'> {
  cells: string;
}

const EDITION_COLUMNS = 'departement, operator, technology, source, edition_date AS editionDate, imported_at AS importedAt, polygons, cells';

function edition(row: EditionRow): DeclaredEdition {
  return { ...row, cells: JSON.parse(row.cells) as Record<DeclaredLevel, number> };
}

export function createSqliteDeclaredCoverage(db: Database.Database): DeclaredCoverageStore {
  const findEdition = db.prepare<[string, string, string], EditionRow>(
    `SELECT ${EDITION_COLUMNS} FROM declared_editions WHERE departement = ? AND operator = ? AND technology = ?`,
  );
  const deleteEdition = db.prepare<[string, string, string]>('DELETE FROM declared_editions WHERE departement = ? AND operator = ? AND technology = ?');
  const deleteCells = db.prepare<[string, string, string]>('DELETE FROM declared_cells WHERE departement = ? AND operator = ? AND technology = ?');
  const insertEdition = db.prepare(
    `INSERT INTO declared_editions (departement, operator, technology, source, edition_date, imported_at, polygons, cells)
     VALUES (@departement, @operator, @technology, @source, @editionDate, @importedAt, @polygons, @cells)`,
  );
  const insertCell = db.prepare<[number, number, number, string, string, string, string]>(
    'INSERT INTO declared_cells (resolution_m, cell_n, cell_e, operator, technology, departement, level) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );

  const replace = db.transaction((next: DeclaredEdition, cells: readonly DeclaredCell[]): DeclaredEdition | undefined => {
    const key = [next.departement, next.operator, next.technology] as const;
    const before = findEdition.get(...key);
    deleteCells.run(...key);
    deleteEdition.run(...key);
    insertEdition.run({ ...next, cells: JSON.stringify(next.cells) });
    for (const cell of cells) insertCell.run(cell.resolutionM, cell.north, cell.east, next.operator, next.technology, next.departement, cell.level);
    return before && edition(before);
  });

  return {
    async replaceDeclaredCoverage(next, cells) {
      return replace.immediate(next, cells);
    },
    async declaredEditions(departements) {
      const rows = db.prepare<[], EditionRow>(`SELECT ${EDITION_COLUMNS} FROM declared_editions ORDER BY departement, operator, technology`).all().map(edition);
      return departements ? rows.filter((row) => departements.includes(row.departement)) : rows;
    },
    async declaredCells(query) {
      // A box of few north lines line by line, as the grid's reads (grid-lines.ts).
      const lines = northLines({ resolutionM: query.resolutionM, north: query.north });
      const where = ['resolution_m = ?', lines ? 'cell_n IN (SELECT value FROM json_each(?))' : 'cell_n BETWEEN ? AND ?', 'cell_e BETWEEN ? AND ?'];
      const north = lines ? [JSON.stringify(lines)] : [query.north[0], query.north[1]];
      const params: (string | number)[] = [query.resolutionM, ...north, query.east[0], query.east[1]];
      for (const [column, values] of [
        ['operator', query.operators],
        ['technology', query.technologies],
        ['departement', query.departements],
      ] as const) {
        if (!values) continue;
        where.push(`${column} IN (SELECT value FROM json_each(?))`);
        params.push(JSON.stringify(values));
      }
      return db
        .prepare<(string | number)[], DeclaredCellRow>(
          `SELECT resolution_m AS resolutionM, cell_n AS north, cell_e AS east, operator, technology, departement, level
           FROM declared_cells WHERE ${where.join(' AND ')}`,
        )
        .all(...params);
    },
  };
}
