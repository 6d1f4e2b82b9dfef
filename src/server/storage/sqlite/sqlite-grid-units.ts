import type Database from 'better-sqlite3';
import type { CellTile } from '../../../domain/grid/cell-tiles.ts';
import { notingUnits, tileVersions, unitsBox, unitTally, type UnitChanges, type UnitTally } from '../grid-unit-versions.ts';
import type { GridBatch } from './sqlite-grid.ts';

/** The SQLite side of grid-unit-versions.ts: table `grid_unit_changes`, counted inside the writer's transaction. */

interface UnitStatements {
  count: Database.Statement<[number, number]>;
  read: Database.Statement<Record<string, number>, UnitChanges>;
}

// Prepared once per connection, not once per batch.
const statements = new WeakMap<Database.Database, UnitStatements>();

function statementsOf(db: Database.Database): UnitStatements {
  let found = statements.get(db);
  if (!found) {
    found = {
      count: db.prepare(`INSERT INTO grid_unit_changes (north, east, changes) VALUES (?, ?, 1)
        ON CONFLICT (north, east) DO UPDATE SET changes = changes + 1`),
      // Sums by block: `%` takes both sides as integers (a bound number is a REAL, `/` would not round).
      read: db
        .prepare<Record<string, number>, UnitChanges>(
          `SELECT north - north % @block AS n, east - east % @block AS e, sum(changes) FROM grid_unit_changes
           WHERE north BETWEEN @n0 AND @n1 AND east BETWEEN @e0 AND @e1 GROUP BY n, e`,
        )
        .raw(),
    };
    statements.set(db, found);
  }
  return found;
}

/** Counts one change in each unit of the cells it is handed, at `flush`: call it inside the transaction that changes them. */
export interface UnitCounter {
  tally: UnitTally;
  flush(): void;
}

export function unitCounter(db: Database.Database): UnitCounter {
  const tally = unitTally();
  const { count } = statementsOf(db);
  return {
    tally,
    flush() {
      const { north, east } = tally.take();
      north.forEach((n, i) => count.run(n, east[i]!));
    },
  };
}

/** `batch`, whose flush also counts one change in each unit it touched: call it inside the transaction writing the rows. */
export function countingUnits(db: Database.Database, batch: GridBatch): GridBatch {
  const counter = unitCounter(db);
  return {
    ...notingUnits(batch, counter.tally),
    flush() {
      batch.flush();
      counter.flush();
    },
  };
}

/** Each tile's version (grid-unit-versions.ts), its counters read in one statement. */
export function sqliteTileVersions(db: Database.Database, tiles: readonly CellTile[], storeWide: string): string[] {
  const box = unitsBox(tiles);
  const units = box ? statementsOf(db).read.all({ n0: box.north[0], n1: box.north[1], e0: box.east[0], e1: box.east[1], block: box.blockM }) : [];
  return tileVersions(tiles, storeWide, units);
}
