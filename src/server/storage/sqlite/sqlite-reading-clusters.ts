import type Database from 'better-sqlite3';
import { LEVELS } from '../../../domain/level.ts';
import { CLUSTER_PIXELS } from '../../../domain/reading-clusters.ts';
import type { ReadingClusterFeature, ReadingClusterQuery, ReadingScope } from '../reading-store.ts';
import { CLUSTER_MAX_LAT, CLUSTER_WORLD, toClusterFeature, type ClusterRow } from '../rows.ts';
import { filterParams, FILTER_SQL, SCOPE_SQL } from './sqlite-reading-filter.ts';

/**
 * Readings grouped into the squares of clusterSquare() (src/domain/reading-clusters.ts) in
 * SQL: handing a département's 200,000 rows to JavaScript to group them there took about
 * twice as long when measured. The squares are computed with the same Web
 * Mercator formula and clamps as clusterSquare; only a point within a rounding error of a
 * square's edge could fall on the other side in the worker.
 *
 * The rows come from the position index (migration 6), which holds every column the query
 * reads but an agent's scope, so no reading's body is loaded. It is named: SQLite would
 * otherwise pick the département index for a reviewer and load each of their readings from
 * the table.
 */

function clustersSql(scope: ReadingScope['kind']): string {
  const byLevel = LEVELS.map((level) => `sum(level = '${level}') AS "${level}"`).join(', ');
  return `
    WITH positioned AS (
      SELECT r.lat, r.lon, r.level, sin(min(${CLUSTER_MAX_LAT}, max(-${CLUSTER_MAX_LAT}, r.lat)) * pi() / 180) AS s
      FROM readings r INDEXED BY readings_by_position
      WHERE r.lat BETWEEN @minLat AND @maxLat AND r.lon BETWEEN @minLon AND @maxLon AND ${FILTER_SQL} ${SCOPE_SQL[scope]})
    SELECT
      max(0, min(@squares - 1, CAST(floor((lon + 180) / 360 * @squares) AS INTEGER))) AS x,
      max(0, min(@squares - 1, CAST(floor((0.5 - ln((1 + s) / (1 - s)) / (4 * pi())) * @squares) AS INTEGER))) AS y,
      count(*) AS count, sum(lat) AS lat_sum, sum(lon) AS lon_sum, ${byLevel}
    FROM positioned GROUP BY x, y ORDER BY y, x`;
}

export function createSqliteReadingClusters(db: Database.Database): { clusters(query: ReadingClusterQuery): ReadingClusterFeature[] } {
  const statements = new Map<ReadingScope['kind'], Database.Statement<Record<string, unknown>, ClusterRow>>();
  const statement = (scope: ReadingScope['kind']) => {
    let prepared = statements.get(scope);
    if (!prepared) statements.set(scope, (prepared = db.prepare<Record<string, unknown>, ClusterRow>(clustersSql(scope))));
    return prepared;
  };

  return {
    clusters(query) {
      const { zoom, bbox = CLUSTER_WORLD } = query;
      const squares = (2 ** zoom * 256) / CLUSTER_PIXELS;
      const rows = statement(query.scope?.kind ?? 'all').all({ ...filterParams(query), ...bbox, squares });
      return rows.map((row) => toClusterFeature(zoom, row));
    },
  };
}
