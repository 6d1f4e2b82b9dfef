import type { CellTile } from '../../../domain/grid/cell-tiles.ts';
import { notingUnits, tileVersions, unitsBox, unitTally, type UnitChanges, type UnitTally } from '../grid-unit-versions.ts';
import type { Queryable } from './postgres-db.ts';
import type { PostgresGridBatch } from './postgres-grid.ts';

/** The PostgreSQL side of grid-unit-versions.ts: table `grid_unit_changes`, counted inside the writer's transaction. */

/**
 * `batch`, whose flush also counts one change in each unit it touched, on the same client
 * (inside the writer's transaction). Counted after the grid rows, in north-then-east order:
 * two writers lock the counters in the same order (no deadlock), and hold them only from
 * there to their commit.
 */
export function countingUnits(batch: PostgresGridBatch): PostgresGridBatch {
  const tally = unitTally();
  return {
    ...notingUnits(batch, tally),
    async flush(client) {
      await batch.flush(client);
      await countUnitChanges(client, tally);
    },
  };
}

/** One change counted in each unit `tally` noted, on `client` (inside the transaction changing them), in the order {@link countingUnits} says. */
async function countUnitChanges(client: Queryable, tally: UnitTally): Promise<void> {
  const { north, east } = tally.take();
  if (north.length === 0) return;
  await client.query(
    `INSERT INTO grid_unit_changes (north, east, changes)
         SELECT north, east, 1 FROM unnest($1::int[], $2::int[]) AS u(north, east) ORDER BY north, east
         ON CONFLICT (north, east) DO UPDATE SET changes = grid_unit_changes.changes + 1`,
    [north, east],
  );
}

/**
 * Each tile's version (grid-unit-versions.ts) in one statement: the store-wide part, the
 * sequence `grid_everywhere_version`, with the counters of the tiles' units.
 */
export async function postgresTileVersions(pool: Queryable, tiles: readonly CellTile[]): Promise<string[]> {
  const box = unitsBox(tiles) ?? { north: [0, -1], east: [0, -1], blockM: 1 };
  const { rows } = await pool.query<{ everywhere: number; units: UnitChanges[] }>(
    `SELECT (SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM grid_everywhere_version) AS everywhere,
       (SELECT coalesce(json_agg(json_build_array(n, e, changes)), '[]') FROM (
          SELECT north - north % $5 AS n, east - east % $5 AS e, sum(changes) AS changes FROM grid_unit_changes
          WHERE north BETWEEN $1 AND $2 AND east BETWEEN $3 AND $4 GROUP BY 1, 2) AS blocks) AS units`,
    [box.north[0], box.north[1], box.east[0], box.east[1], box.blockM],
  );
  const row = rows[0]!;
  return tileVersions(tiles, String(row.everywhere), row.units);
}
