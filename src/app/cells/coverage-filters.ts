import type { CellTile } from '../../domain/grid/cell-tiles.ts';
import { cellsTileQuery, filterParams, orderedOperators, type CoverageFilters } from '../../domain/grid/coverage-query.ts';
import { OPERATORS } from '../../domain/operators.ts';
import { SETTINGS } from '../../domain/reading.ts';
import { TECHNOLOGIES } from '../../domain/signal.ts';
import { formatRoute, type Route } from '../shell/routes.ts';

// The filters and their query are the server's too (it keeps the page's tiles built).
export { DEFAULT_FILTERS, filterParams, type CoverageFilters } from '../../domain/grid/coverage-query.ts';

/**
 * The « Couverture » screen's state that survives a reload and can be shared as a link:
 * filters and map view, kept in the hash (`#couverture?operator=orange,sfr&view=15/43.73/3.55`)
 * and, for a return through the tabs, in localStorage. Pure: no DOM here, so unit-tested.
 */
export interface MapView {
  zoom: number;
  lat: number;
  lon: number;
}

export interface CoverageState {
  filters: CoverageFilters;
  view?: MapView;
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function isMonth(value: string | null | undefined): value is string {
  return typeof value === 'string' && MONTH.test(value);
}

/** The query part of a hash (`#couverture?a=b` → `a=b`), or ''. */
function hashQuery(hash: string): string {
  const at = hash.indexOf('?');
  return at < 0 ? '' : hash.slice(at + 1);
}

/**
 * Reads the state from a hash's query. Anything unknown or malformed is dropped rather than
 * refused: a hand-edited or old link still opens the screen. Returns undefined when the hash
 * carries no state at all (then the remembered state applies).
 */
export function parseCoverageHash(hash: string): CoverageState | undefined {
  return parseCoverageQuery(hashQuery(hash));
}

/** `parseCoverageHash` of the query alone (`operator=orange&view=…`), as the route holds it. */
export function parseCoverageQuery(query: string): CoverageState | undefined {
  if (!query) return undefined;
  const params = new URLSearchParams(query);
  const list = (name: string) => (params.get(name) ?? '').split(',').filter(Boolean);
  const operators = OPERATORS.filter((operator) => list('operator').includes(operator));
  const technology = TECHNOLOGIES.find((t) => t === params.get('technology'));
  const setting = SETTINGS.find((s) => s === params.get('setting'));
  let from = params.get('from');
  let to = params.get('to');
  if (!isMonth(from)) from = null;
  if (!isMonth(to)) to = null;
  if (from && to && from > to) [from, to] = [to, from];
  const filters: CoverageFilters = {
    operators: operators.length === OPERATORS.length ? [] : operators,
    ...(setting && { setting }),
    ...(technology && { technology }),
    ...(from && { from }),
    ...(to && { to }),
  };
  const view = parseView(params.get('view'));
  return { filters, ...(view && { view }) };
}

function parseView(value: string | null): MapView | undefined {
  if (!value) return undefined;
  const [zoom, lat, lon] = value.split('/').map(Number);
  if (![zoom, lat, lon].every((n) => Number.isFinite(n))) return undefined;
  if (zoom! < 0 || zoom! > 20 || Math.abs(lat!) > 85 || Math.abs(lon!) > 180) return undefined;
  return { zoom: Math.round(zoom!), lat: lat!, lon: lon! };
}

/** The hash for a state; parseCoverageHash(formatCoverageHash(s)) gives s back. */
export function formatCoverageHash(state: CoverageState): string {
  return formatRoute(coverageRoute(state));
}

/** The route of the coverage map showing a state. */
export function coverageRoute({ filters, view }: CoverageState): Route {
  const parts: string[] = [];
  if (filters.operators.length > 0 && filters.operators.length < OPERATORS.length) parts.push(`operator=${orderedOperators(filters.operators).join(',')}`);
  if (filters.technology) parts.push(`technology=${filters.technology}`);
  if (filters.setting) parts.push(`setting=${filters.setting}`);
  if (filters.from) parts.push(`from=${filters.from}`);
  if (filters.to) parts.push(`to=${filters.to}`);
  if (view) parts.push(`view=${view.zoom}/${view.lat.toFixed(5)}/${view.lon.toFixed(5)}`);
  return { name: 'couverture', query: parts.join('&') };
}

export interface LonLatBounds {
  west: number;
  south: number;
  east: number;
  north: number;
}

const clamp = (n: number, min: number, max: number) => Math.min(max, Math.max(min, n));

/** `minLon,minLat,maxLon,maxLat`, clamped to the world and rounded (5 decimals ≈ 1 m). */
export function formatBbox({ west, south, east, north }: LonLatBounds): string {
  return [clamp(west, -180, 180), clamp(south, -90, 90), clamp(east, -180, 180), clamp(north, -90, 90)].map((n) => n.toFixed(5)).join(',');
}

/** GET /api/v1/cells for one tile of the grid (src/domain/grid/cell-tiles.ts), in the page's compact format. */
export function cellsTileUrl(filters: CoverageFilters, tile: CellTile): string {
  return `/api/v1/cells?${cellsTileQuery(filters, tile)}`;
}

export function suggestionsUrl(filters: CoverageFilters, bounds: LonLatBounds): string {
  return `/api/v1/zones/suggestions?bbox=${formatBbox(bounds)}&${filterParams(filters).join('&')}`;
}

/** The zoom from which cells are drawn at all: below it a view holds too many. */
export const MIN_CELL_ZOOM = 7;
/** Cells the reviewer can select to make a zone: the survey's own 200 m grid. */
export const ZONE_RESOLUTION_M = 200;

/**
 * The grid drawn at a zoom level: the 200 m grid from zoom 13 (a cell is then ≥ 14 px wide),
 * coarser grids (all multiples of 200 m, so they nest) further out; none below {@link MIN_CELL_ZOOM}.
 */
export function resolutionForZoom(zoom: number): number | undefined {
  if (zoom >= 13) return 200;
  if (zoom >= 11) return 1000;
  if (zoom >= 10) return 2000;
  if (zoom >= 9) return 5000;
  if (zoom >= MIN_CELL_ZOOM) return 10_000;
  return undefined;
}
