import { OPERATORS, type Operator } from '../operators.ts';
import { SETTINGS, type Setting } from '../reading.ts';
import type { Technology } from '../signal.ts';
import { formatTile, type CellTile } from './cell-tiles.ts';

/**
 * The reviewers' map filters and how the page asks GET /api/v1/cells for a tile with them:
 * one definition for the page (src/app/cells/coverage-filters.ts) and for the server, which
 * keeps the page's tiles built before anyone asks (src/server/routes/cells.ts reads its kept
 * views from {@link cellsTileQuery}, so the two cannot drift apart).
 */
export interface CoverageFilters {
  /** Empty = every operator (the parameter is left out). */
  operators: Operator[];
  /** Undefined = every technology. */
  technology?: Technology;
  /**
   * Undefined = every setting (the default): imports and tracks are vehicle readings, and a
   * reviewer opening the map must see all that was measured; Arcep's outdoor view is one choice away.
   */
  setting?: Setting;
  /** Months, `YYYY-MM`, inclusive. */
  from?: string;
  to?: string;
}

/** What the map shows when opened: every operator, technology, setting and month. */
export const DEFAULT_FILTERS: Readonly<CoverageFilters> = Object.freeze({ operators: [] });

/** The filters with one operator, the others as {@link DEFAULT_FILTERS}: the view reviewers choose most after it. */
export function operatorFilters(operator: Operator): CoverageFilters {
  return { ...DEFAULT_FILTERS, operators: [operator] };
}

/** Known operators in their fixed order (so that one choice makes one query whatever the clicks' order). */
export function orderedOperators(operators: readonly Operator[]): Operator[] {
  return OPERATORS.filter((operator) => operators.includes(operator));
}

/** The filters as GET /api/v1/cells (and suggestions) parameters. */
export function filterParams(filters: CoverageFilters): string[] {
  const params: string[] = [];
  if (filters.operators.length > 0 && filters.operators.length < OPERATORS.length) params.push(`operator=${orderedOperators(filters.operators).join(',')}`);
  if (filters.technology) params.push(`technology=${encodeURIComponent(filters.technology)}`);
  // The server's default is outdoors only: « Toutes » names them all.
  params.push(`setting=${filters.setting ?? SETTINGS.join(',')}`);
  if (filters.from) params.push(`from=${filters.from}`);
  if (filters.to) params.push(`to=${filters.to}`);
  return params;
}

/** The query of GET /api/v1/cells for one tile of the grid (cell-tiles.ts) with these filters, in the page's compact format. */
export function cellsTileQuery(filters: CoverageFilters, tile: CellTile): string {
  return `tile=${formatTile(tile)}&resolution=${tile.resolutionM}&${filterParams(filters).join('&')}&format=compact`;
}
