import type Database from 'better-sqlite3';
import { northLines } from '../grid-lines.ts';
import type { BaseCellBox, CellPopulationRow, PeopleStore, StoredPointOfInterest } from '../people-store.ts';

/** The SQLite side of people-store.ts: tables `cell_population` and `points_of_interest` (migration 13). */
export function createSqlitePeople(db: Database.Database): PeopleStore {
  const upsertCell = db.prepare(`
    INSERT INTO cell_population (cell_n, cell_e, inhabitants, households, dwellings, edition)
    VALUES (@north, @east, @inhabitants, @households, @dwellings, @edition)
    ON CONFLICT (cell_n, cell_e) DO UPDATE SET inhabitants = excluded.inhabitants, households = excluded.households,
      dwellings = excluded.dwellings, edition = excluded.edition`);
  const known = db.prepare<[number, number], number>('SELECT 1 FROM cell_population WHERE cell_n = ? AND cell_e = ?').pluck();
  const cellsIn = db.prepare<[number, number, number, number], CellPopulationRow>(
    `SELECT cell_n AS north, cell_e AS east, inhabitants, households, dwellings, edition FROM cell_population
     WHERE cell_n BETWEEN ? AND ? AND cell_e BETWEEN ? AND ?`,
  );
  const cellsOnLines = db.prepare<[string, number, number], CellPopulationRow>(
    `SELECT cell_n AS north, cell_e AS east, inhabitants, households, dwellings, edition FROM cell_population
     WHERE cell_n IN (SELECT value FROM json_each(?)) AND cell_e BETWEEN ? AND ?`,
  );
  const deletePoints = db.prepare<[string]>('DELETE FROM points_of_interest WHERE source = ?');
  const insertPoint = db.prepare(`
    INSERT INTO points_of_interest (source, name, kind, lat, lon, cell_n, cell_e) VALUES (@source, @name, @kind, @lat, @lon, @north, @east)`);
  const pointsIn = db.prepare<[number, number, number, number], StoredPointOfInterest>(
    `SELECT name, kind, lat, lon, cell_n AS north, cell_e AS east FROM points_of_interest
     WHERE cell_n BETWEEN ? AND ? AND cell_e BETWEEN ? AND ? ORDER BY name, seq`,
  );

  const importCells = db.transaction((rows: readonly CellPopulationRow[]) => {
    let replaced = 0;
    for (const row of rows) {
      if (known.get(row.north, row.east) !== undefined) replaced += 1;
      upsertCell.run(row);
    }
    return { replaced };
  });
  const importPoints = db.transaction((source: string, points: readonly StoredPointOfInterest[]) => {
    const replaced = deletePoints.run(source).changes;
    for (const point of points) insertPoint.run({ source, ...point });
    return { replaced };
  });
  const corners = (box: BaseCellBox) => [box.north[0], box.north[1], box.east[0], box.east[1]] as const;

  return {
    async importPopulation(rows) {
      return importCells.immediate(rows);
    },
    async populationIn(box) {
      // A box of few north lines line by line, as the grid's reads (grid-lines.ts).
      const lines = northLines({ resolutionM: 200, north: box.north });
      return lines ? cellsOnLines.all(JSON.stringify(lines), box.east[0], box.east[1]) : cellsIn.all(...corners(box));
    },
    async importPointsOfInterest(source, points) {
      return importPoints.immediate(source, points);
    },
    async pointsOfInterestIn(box) {
      return pointsIn.all(...corners(box));
    },
  };
}
