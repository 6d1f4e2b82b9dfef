import { describe, expect, it } from 'vitest';
import { cellsTileUrl, DEFAULT_FILTERS, type CoverageFilters } from '../../src/app/cells/coverage-filters.ts';
import { SETTINGS } from '../../src/domain/reading.ts';
import { TECHNOLOGIES } from '../../src/domain/signal.ts';
import { CELL_RESOLUTIONS_M } from '../../src/server/grid/coverage.ts';
import { cellsQueryKey } from '../../src/server/grid/cells-answer-key.ts';
import { operatorFilters } from '../../src/domain/grid/coverage-query.ts';
import { OPERATORS } from '../../src/domain/operators.ts';
import { GRID_PARAMS, parseCellsView } from '../../src/server/routes/grid-params.ts';
import { keptTileViews, OPERATOR_VIEW_RESOLUTION_M, pageTileView } from '../../src/server/routes/cells.ts';
import { singleValued } from '../../src/server/routes/query.ts';
import type { GridScope } from '../../src/server/storage/grid-store.ts';

/**
 * One default (src/domain/grid/coverage-query.ts): the query the page's first request for a tile
 * makes, as the route reads it, is the query the warmer keeps built, for the default filters
 * and for each operator, technology and setting alone at 1 km; a difference would leave every
 * first view cold.
 */

const SCOPES: GridScope[] = [{ kind: 'all' }, { kind: 'departements', departements: ['34'] }];

/** The query key of the page's request for `url`, as GET /api/v1/cells reads it (routes/cells.ts). */
function requestKey(url: string, scope: GridScope): string {
  const query = singleValued(Object.fromEntries(new URL(url, 'http://localhost').searchParams), [...GRID_PARAMS, 'tile', 'format']);
  const { format = 'geojson', ...params } = query;
  return cellsQueryKey(format, parseCellsView(params), scope, true);
}

describe('the page’s default view of a tile is the warmer’s', () => {
  it('the page’s first request of any tile asks the query the warmer keeps, for each resolution and scope', () => {
    for (const resolutionM of CELL_RESOLUTIONS_M) {
      const tile = { resolutionM, east: 3_750_000 - (3_750_000 % (50 * resolutionM)), north: 2_250_000 - (2_250_000 % (50 * resolutionM)) };
      for (const scope of SCOPES) {
        expect(requestKey(cellsTileUrl(DEFAULT_FILTERS, tile), scope)).toBe(cellsQueryKey('compact', pageTileView(tile), scope, true));
        const kept = keptTileViews(tile).map((view) => cellsQueryKey('compact', view, scope, true));
        expect(kept[0]).toBe(requestKey(cellsTileUrl(DEFAULT_FILTERS, tile), scope));
        const filtered: CoverageFilters[] = [
          ...OPERATORS.map(operatorFilters),
          ...TECHNOLOGIES.map((technology) => ({ ...DEFAULT_FILTERS, technology })),
          ...SETTINGS.map((setting) => ({ ...DEFAULT_FILTERS, setting })),
        ];
        const others = resolutionM === OPERATOR_VIEW_RESOLUTION_M ? filtered.map((filters) => requestKey(cellsTileUrl(filters, tile), scope)) : [];
        expect(kept.slice(1)).toEqual(others);
      }
    }
  });
});
