import type pg from 'pg';
import { LEVELS } from '../../../domain/level.ts';
import { CLUSTER_PIXELS } from '../../../domain/reading-clusters.ts';
import type { ReadingClusterFeature, ReadingClusterQuery } from '../reading-store.ts';
import { CLUSTER_MAX_LAT, CLUSTER_WORLD, toClusterFeature, type ClusterRow } from '../rows.ts';
import { bboxSql, filterSql, Params } from './postgres-reading-filter.ts';

/**
 * Readings grouped into the squares of clusterSquare() (src/domain/reading-clusters.ts) where
 * they lie, as sqlite/sqlite-reading-clusters.ts does: the same Web Mercator formula and clamps, so
 * only a point within a rounding error of a square's edge could fall on the other side in the
 * worker. The position index (lat, lon) INCLUDEs every column read here, so a département's
 * readings are grouped from the index without loading one body.
 */

export function createPostgresReadingClusters(pool: pg.Pool): { clusters(query: ReadingClusterQuery): Promise<ReadingClusterFeature[]> } {
  return {
    async clusters(query) {
      const { zoom, bbox = CLUSTER_WORLD } = query;
      const params = new Params();
      const squares = params.add((2 ** zoom * 256) / CLUSTER_PIXELS, 'float8');
      const where = `${bboxSql(params, bbox)}${filterSql(params, query)}`;
      const byLevel = LEVELS.map((level) => `count(*) FILTER (WHERE level = '${level}')::int AS "${level}"`).join(', ');
      const { rows } = await pool.query<ClusterRow>(
        `WITH positioned AS (
           SELECT r.lat, r.lon, r.level, sin(least(${CLUSTER_MAX_LAT}, greatest(-${CLUSTER_MAX_LAT}, r.lat)) * pi() / 180) AS s
           FROM readings r WHERE ${where})
         SELECT
           greatest(0, least(${squares} - 1, floor((lon + 180) / 360 * ${squares})))::bigint AS x,
           greatest(0, least(${squares} - 1, floor((0.5 - ln((1 + s) / (1 - s)) / (4 * pi())) * ${squares})))::bigint AS y,
           count(*)::int AS count, sum(lat) AS lat_sum, sum(lon) AS lon_sum, ${byLevel}
         FROM positioned GROUP BY 1, 2 ORDER BY 2, 1`,
        params.values,
      );
      return rows.map((row) => toClusterFeature(zoom, row));
    },
  };
}
