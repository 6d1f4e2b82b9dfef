import type { GroupStats } from '../../domain/grid/group-stats.ts';
import type { Operator } from '../../domain/operators.ts';
import type { Setting } from '../../domain/reading.ts';
import type { Technology } from '../../domain/signal.ts';

/**
 * The coverage grid as the server keeps it: aggregate rows per cell × operator × technology ×
 * setting × month × département, each holding the GroupStats (src/domain/grid/group-stats.ts)
 * of the readings that fall in it. The store rolls the readings up into them after the
 * readings' insert, before any read of them (grid-roll-up.ts), so a query never recomputes
 * anything from the readings nor misses one already acknowledged.
 *
 * Month rows are kept at two resolutions: 200 m (the INSPIRE grid) and 1 km (its exact merge,
 * so that a département-wide view reads 25 times fewer rows). Besides them the store keeps
 * "all periods" rows (every month merged, month {@link ALL_PERIODS}), updated in the same
 * transactions, at 1 km and 10 km: a request without a period at those resolutions reads
 * them, several times fewer rows than the months (at 200 m, a view's month rows are few and
 * its all-periods rows would cost ingest as much as the month rows). Other views are merged
 * from the coarsest stored resolution that divides theirs at query time (coarsenGrid).
 */

/** The resolutions of the month rows; any other is merged from the finest that divides it. */
export const STORED_RESOLUTIONS_M = [200, 1000] as const;
/** A resolution kept for all periods only (no month rows). */
export const TOTAL_ONLY_RESOLUTION_M = 10_000;
export type StoredResolution = (typeof STORED_RESOLUTIONS_M)[number] | typeof TOTAL_ONLY_RESOLUTION_M;
/** The resolutions of the all-periods rows. */
export const ALL_PERIODS_RESOLUTIONS_M: readonly number[] = [1000, TOTAL_ONLY_RESOLUTION_M];
/** The `month` of an all-periods row. */
export const ALL_PERIODS = '*';

/** Whose evidence a reading is when it has no account (stored before accounts existed): counted as one contributor. */
export const UNATTRIBUTED_CONTRIBUTOR = 'sans-compte';

/** Which rows a person may read (decided by src/server/access/scope.ts). */
export type GridScope = { kind: 'all' } | { kind: 'departements'; departements: readonly string[] };

/**
 * Rows whose cell's south-west corner (EPSG:3035 metres) lies in the ranges, bounds included.
 * At {@link TOTAL_ONLY_RESOLUTION_M} only without a period.
 */
export interface GridArea {
  resolutionM: StoredResolution;
  north: readonly [number, number];
  east: readonly [number, number];
}

export interface GridQuery extends GridArea {
  scope: GridScope;
  operators?: readonly Operator[];
  technologies?: readonly Technology[];
  settings?: readonly Setting[];
  /** `YYYY-MM` (UTC month of `recordedAt`), both included; neither: the all-periods rows. */
  fromMonth?: string;
  toMonth?: string;
}

export interface GridGroupRow {
  /** INSPIRE cell id at the row's resolution. */
  cell: string;
  operator: Operator;
  technology: Technology;
  setting: Setting;
  /** `YYYY-MM`, or {@link ALL_PERIODS} when the query asked no period (at 1 km or 10 km). */
  month: string;
  /** The département of the readings (null: not placed in a commune). */
  departement: string | null;
  stats: GroupStats;
}

/** Residents' reports (visible ones only) per cell × operator × month × département. */
export interface GridReportRow {
  cell: string;
  operator: Operator;
  month: string;
  departement: string | null;
  count: number;
}

/** What GridStore.rebuildGrid went through. */
export interface GridRebuildCounts {
  /** 10 km squares, one transaction each. */
  units: number;
  /** 1 km cells rebuilt in them (with their 200 m cells). */
  cells: number;
}

export interface GridStore {
  /** Fresh rows on each call: the caller owns them and may modify their stats (coverage.ts merges into them). */
  gridGroups(query: GridQuery): Promise<GridGroupRow[]>;
  gridReports(query: Omit<GridQuery, 'technologies' | 'settings'>): Promise<GridReportRow[]>;
  /**
   * Recomputes every row of the grid from the stored readings and visible reports, and drops
   * rows nothing stands for any more: `npm run grid -- rebuild`, for figures a process of an
   * older version may have left off during an update (docs/deployment.md). One 10 km square
   * per transaction (grid-rebuild.ts), so a running server keeps storing and answering
   * meanwhile; `onUnit(done, total)` after each. Readings waiting for their roll-up are rolled
   * up first (grid-roll-up.ts); one stored meanwhile is its own roll-up's, counted once.
   */
  rebuildGrid(onUnit?: (done: number, total: number) => void): Promise<GridRebuildCounts>;
}
