import { OPERATORS, type Operator } from '../../domain/operators.ts';
import type { Zone } from '../../domain/zone.ts';
import { cellIdOf, type CellFeature, type OutlineGeometry, type Suggestion } from './api-types.ts';
import type { CellsLoad } from './tile-loader.ts';
import { ZONE_RESOLUTION_M, type CoverageFilters, type LonLatBounds } from './coverage-filters.ts';
import { addCells, cellResolution, cellsInRectangle, toggleCell } from './selection.ts';

export type ClickMode = 'consult' | 'select';

/** The server's suggested zones for the view, or why there are none to show. */
export interface SuggestionsState {
  list: Suggestion[] | undefined;
  loading: boolean;
  error: string | undefined;
  /** What to do to get some (zoom in): advice, not an error. */
  hint: string | undefined;
}

/** Everything « Couverture » shows but the map itself (its view is kept in the link, not here). */
export interface CoverageScreenState {
  filters: CoverageFilters;
  /** The cells the map drew, and at which grid. */
  load: CellsLoad;
  /** The cell whose panel is open. */
  active: CellFeature | undefined;
  selection: ReadonlySet<string>;
  mode: ClickMode;
  /** The « Créer une zone » form is open. */
  creating: boolean;
  /** The zone just created, announced until « OK ». */
  created: Zone | undefined;
  /** A suggestion's outline drawn over the map, and the box the map flies to. */
  highlight: OutlineGeometry | undefined;
  flyTo: LonLatBounds | undefined;
  suggestions: SuggestionsState;
  viewBounds: LonLatBounds | undefined;
  zones: Zone[];
}

export type CoverageAction =
  | { type: 'filter'; patch: Partial<CoverageFilters> }
  | { type: 'toggle-operator'; operator: Operator; on: boolean }
  | { type: 'view-moved'; bounds: LonLatBounds }
  | { type: 'cells-loaded'; load: CellsLoad }
  | { type: 'cell-clicked'; feature: CellFeature }
  | { type: 'rectangle-drawn'; rectangle: LonLatBounds }
  | { type: 'cell-toggled'; id: string }
  | { type: 'panel-closed' }
  | { type: 'mode-chosen'; mode: ClickMode }
  | { type: 'form-opened' }
  | { type: 'form-closed' }
  | { type: 'selection-cleared' }
  | { type: 'zone-created'; zone: Zone }
  | { type: 'created-dismissed' }
  | { type: 'suggestion-shown'; outline: OutlineGeometry; bounds: LonLatBounds }
  | { type: 'zones-loaded'; zones: Zone[] }
  | { type: 'suggestions-advised'; hint: string }
  | { type: 'suggestions-asked' }
  | { type: 'suggestions-loaded'; list: Suggestion[] }
  | { type: 'suggestions-failed'; message: string };

export function initialCoverageScreenState(filters: CoverageFilters): CoverageScreenState {
  return {
    filters,
    load: { state: 'loading', cells: [] },
    active: undefined,
    selection: new Set(),
    mode: 'consult',
    creating: false,
    created: undefined,
    highlight: undefined,
    flyTo: undefined,
    suggestions: { list: undefined, loading: false, error: undefined, hint: undefined },
    viewBounds: undefined,
    zones: [],
  };
}

/** Filters with the emptied ones dropped, so the link and the requests leave them out. */
function patched(filters: CoverageFilters, patch: Partial<CoverageFilters>): CoverageFilters {
  const next: CoverageFilters = { ...filters, ...patch };
  for (const key of ['technology', 'setting', 'from', 'to'] as const) if (next[key] === undefined || next[key] === '') delete next[key];
  return next;
}

/** Only 200 m cells can make a zone. */
const selectable = (id: string) => cellResolution(id) === ZONE_RESOLUTION_M;

export function coverageReducer(state: CoverageScreenState, action: CoverageAction): CoverageScreenState {
  switch (action.type) {
    case 'filter':
      return { ...state, filters: patched(state.filters, action.patch) };
    case 'toggle-operator': {
      // No operator in the filter means all of them.
      const current = state.filters.operators.length === 0 ? [...OPERATORS] : state.filters.operators;
      const next = action.on ? [...current, action.operator] : current.filter((o) => o !== action.operator);
      return coverageReducer(state, {
        type: 'filter',
        patch: { operators: next.length === OPERATORS.length ? [] : OPERATORS.filter((o) => next.includes(o)) },
      });
    }
    case 'view-moved':
      return { ...state, viewBounds: action.bounds };
    case 'cells-loaded':
      return { ...state, load: action.load };
    case 'cell-clicked': {
      const id = cellIdOf(action.feature);
      const selection = state.mode === 'select' && selectable(id) ? toggleCell(state.selection, id) : state.selection;
      return { ...state, active: action.feature, selection };
    }
    case 'rectangle-drawn': {
      if (state.load.resolutionM !== ZONE_RESOLUTION_M) return state;
      const cells = state.load.cells.map((feature) => ({ id: cellIdOf(feature), ring: feature.geometry.coordinates[0] ?? [] }));
      return { ...state, selection: addCells(state.selection, cellsInRectangle(cells, action.rectangle)) };
    }
    case 'cell-toggled':
      return { ...state, selection: toggleCell(state.selection, action.id) };
    case 'panel-closed':
      return { ...state, active: undefined };
    case 'mode-chosen':
      return { ...state, mode: action.mode };
    case 'form-opened':
      return { ...state, creating: true };
    case 'form-closed':
      return { ...state, creating: false };
    case 'selection-cleared':
      return { ...state, selection: new Set() };
    case 'zone-created': {
      const { zone } = action;
      // Its cells are filed: the suggestions holding them go at once (the server's next answer leaves them out too).
      const filed = new Set(zone.cells);
      const list = state.suggestions.list?.filter((suggestion) => !suggestion.cells.some((cell) => filed.has(cell)));
      return {
        ...state,
        suggestions: { ...state.suggestions, list },
        zones: [...state.zones.filter((other) => other.id !== zone.id), zone],
        created: zone,
        creating: false,
        selection: new Set(),
        highlight: undefined,
      };
    }
    case 'created-dismissed':
      return { ...state, created: undefined };
    case 'suggestion-shown':
      return { ...state, highlight: action.outline, flyTo: action.bounds };
    case 'zones-loaded':
      return { ...state, zones: action.zones };
    case 'suggestions-advised':
      return { ...state, suggestions: { list: undefined, loading: false, error: undefined, hint: action.hint } };
    case 'suggestions-asked':
      return { ...state, suggestions: { ...state.suggestions, loading: true, error: undefined, hint: undefined } };
    case 'suggestions-loaded':
      return { ...state, suggestions: { ...state.suggestions, list: action.list, loading: false } };
    case 'suggestions-failed':
      return { ...state, suggestions: { ...state.suggestions, loading: false, error: action.message } };
  }
}
