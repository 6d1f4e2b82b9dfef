import type Database from 'better-sqlite3';
import type { CellTile } from '../../../domain/grid/cell-tiles.ts';
import { notingUnits, tileVersions, unitsBox, unitTally, type UnitChanges } from '../grid-unit-versions.ts';
import type { GridBatch } from './sqlite-grid.ts';

/** The SQLite side of grid-unit-versions.ts: table `grid_unit_changes`, counted inside the writer's transaction. */

interface UnitStatements {
  count: Database.Statement<[number, number]>;
  read: Database.Statement<[number, number, number, number], UnitChanges>;
}

// Prepared once per connection, not once per batch.
const statements = new WeakMap<Database.Database, UnitStatements>();

function statementsOf(db: Database.Database): UnitStatements {
  let found = statements.get(db);
  if (!found) {
    found = {
      count: db.prepare(`INSERT INTO grid_unit_changes (north, east, changes) VALUES (?, ?, 1)
        ON CONFLICT (north, east) DO UPDATE SET changes = changes + 1`),
      read: db
        .prepare<[number, number, number, number], UnitChanges>(
          'SELECT north, east, changes FROM grid_unit_changes WHERE north BETWEEN ? AND ? AND east BETWEEN ? AND ?',
        )
        .raw(),
    };
    statements.set(db, found);
  }
  return found;
}

/** `batch`, whose flush also counts one change in each unit it touched: call it inside the transaction writing the rows. */
export function countingUnits(db: Database.Database, batch: GridBatch): GridBatch {
  const tally = unitTally();
  const { count } = statementsOf(db);
  return {
    ...notingUnits(batch, tally),
    flush() {
      batch.flush();
      const { north, east } = tally.take();
      north.forEach((n, i) => count.run(n, east[i]!));
    },
  };
}

/** Each tile's version (grid-unit-versions.ts), its counters read in one statement. */
export function sqliteTileVersions(db: Database.Database, tiles: readonly CellTile[], storeWide: string): string[] {
  const box = unitsBox(tiles);
  const units = box ? statementsOf(db).read.all(box.north[0], box.north[1], box.east[0], box.east[1]) : [];
  return tileVersions(tiles, storeWide, units);
}
