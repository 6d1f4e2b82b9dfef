import { useEffect, useMemo, useReducer, useRef, useState } from 'preact/hooks';
import { SuggestionsAnswerSchema } from '../../domain/api/index.ts';
import { CELL_ZONES, type CellZone } from '../../domain/grid/cell-verdict.ts';
import { OPERATOR_LABELS, OPERATORS } from '../../domain/operators.ts';
import { SETTING_LABELS, SETTINGS, type Setting } from '../../domain/reading.ts';
import { TECHNOLOGIES, TECHNOLOGY_LABELS, type Technology } from '../../domain/signal.ts';
import { parseCellId, type CellRef } from '../../domain/grid/cell-id.ts';
import { cellsOutline } from '../../domain/grid/outline.ts';
import { isOpenZone, ZONE_STATUS_LABELS, type Zone } from '../../domain/zone.ts';
import { listZones } from '../zones/zones-api.ts';
import { ZONE_LEGEND } from '../map/zone-colours.ts';
import { api, ApiError } from '../shell/api.ts';
import { sessionState } from '../shell/session-state.ts';
import { useStore } from '../shell/tiny-store.ts';
import { bboxBounds, cellIdOf, type OutlineGeometry } from './api-types.ts';
import { CellPanel } from './CellPanel.tsx';
import { DISCREPANCY_LAYER_LABEL } from './labels.ts';
import { CoverageMap } from './CoverageMap.tsx';
import { isMonth, suggestionsUrl, ZONE_RESOLUTION_M, type CoverageFilters, type LonLatBounds, type MapView } from './coverage-filters.ts';
import { initialCoverageState, saveCoverageState } from './coverage-state.ts';
import { cellResolution } from './selection.ts';
import { coverageReducer, initialCoverageScreenState } from './coverage-screen-state.ts';
import { RequestSlot } from '../shell/request-slot.ts';
import { formatResolutionM } from './resolution.ts';
import { SuggestionsPanel } from './SuggestionsPanel.tsx';
import { ZoneForm } from './ZoneForm.tsx';
import { useTitle } from '../shell/use-title.ts';
import { hrefTo } from '../shell/routes.ts';

/** Suggestions are asked for views no larger than this (zoomed out, a view holds a whole département). */
const MIN_SUGGESTION_ZOOM = 12;

/**
 * « Couverture » (reviewers, desktop first): the grid's cells coloured by verdict, filters kept
 * in the link, a cell's panel, selecting cells into a zone, and the server's suggested zones.
 * Its state is one reducer (`coverage-screen-state.ts`); requests and the link stay here.
 */
export function CoverageScreen() {
  useTitle('Carte de couverture');
  const { session } = useStore(sessionState);
  const user = session?.info.user;
  const initial = useMemo(initialCoverageState, []);
  const [state, dispatch] = useReducer(coverageReducer, initial.filters, initialCoverageScreenState);
  const { filters, load, active, selection, mode, creating, created, highlight, flyTo, suggestions, viewBounds, zones } = state;
  const view = useRef<MapView | undefined>(initial.view);
  const bounds = useRef<LonLatBounds | undefined>(undefined);
  const suggestionRequest = useRef(new RequestSlot());
  const loadZones = () =>
    void listZones().then(
      (list) => dispatch({ type: 'zones-loaded', zones: list }),
      () => undefined,
    );
  useEffect(loadZones, []);
  // Outlines of the open zones (set aside and covered ones give their cells back), from their cells.
  const zoneOutlines = useMemo(
    () =>
      zones
        .filter((zone) => isOpenZone(zone.status))
        .map((zone) => zone.cells.map(parseCellId).filter((ref): ref is CellRef => ref !== undefined))
        .filter((refs) => refs.length > 0 && refs.every((ref) => ref.resolutionM === refs[0]!.resolutionM))
        .map((refs) => cellsOutline(refs) as OutlineGeometry),
    [zones],
  );
  // The legend counts what the map shows: the outlines that cross the view.
  const zonesInView = useMemo(() => (viewBounds ? zoneOutlines.filter((outline) => crosses(outline, viewBounds)).length : 0), [zoneOutlines, viewBounds]);

  const fineGrid = load.resolutionM === ZONE_RESOLUTION_M;
  const [showDiscrepancies, setShowDiscrepancies] = useState(false);
  const discrepantCells = useMemo(() => load.cells.filter((cell) => cell.properties.discrepancy.length > 0).length, [load.cells]);
  const byId = useMemo(() => new Map(load.cells.map((cell) => [cellIdOf(cell), cell])), [load.cells]);

  const loadSuggestions = () => {
    if (!bounds.current || (view.current?.zoom ?? 0) < MIN_SUGGESTION_ZOOM) {
      suggestionRequest.current.abort();
      dispatch({ type: 'suggestions-advised', hint: 'Zoomez sur une commune pour voir les zones suggérées.' });
      return;
    }
    const url = suggestionsUrl(filters, bounds.current);
    dispatch({ type: 'suggestions-asked' });
    suggestionRequest.current.run(
      (signal) => api(url, SuggestionsAnswerSchema, { signal }),
      (outcome) =>
        dispatch(
          'data' in outcome
            ? { type: 'suggestions-loaded', list: outcome.data.suggestions }
            : {
                type: 'suggestions-failed',
                message: outcome.error instanceof ApiError ? outcome.error.message : 'Les suggestions n’ont pas pu être chargées.',
              },
        ),
    );
  };
  const loadSuggestionsLatest = useRef(loadSuggestions);
  loadSuggestionsLatest.current = loadSuggestions;

  useEffect(() => {
    saveCoverageState({ filters, ...(view.current && { view: view.current }) });
    loadSuggestionsLatest.current();
  }, [filters]);
  useEffect(() => () => suggestionRequest.current.abort(), []);

  const onView = (next: MapView, nextBounds: LonLatBounds) => {
    view.current = next;
    bounds.current = nextBounds;
    dispatch({ type: 'view-moved', bounds: nextBounds });
    saveCoverageState({ filters, view: next });
    loadSuggestionsLatest.current();
  };

  const onCreated = (zone: Zone) => {
    dispatch({ type: 'zone-created', zone });
    loadSuggestions();
    loadZones();
  };

  const selectedCounts = useMemo(() => {
    const counts: Record<CellZone | 'unknown', number> = { 'zone-blanche': 0, 'zone-grise': 0, covered: 0, insufficient: 0, unknown: 0 };
    for (const id of selection) counts[byId.get(id)?.properties.zone ?? 'unknown'] += 1;
    return counts;
  }, [selection, byId]);

  const zoneCounts = useMemo(() => {
    const counts = Object.fromEntries(CELL_ZONES.map((zone) => [zone, 0])) as Record<CellZone, number>;
    for (const cell of load.cells) counts[cell.properties.zone] = (counts[cell.properties.zone] ?? 0) + 1;
    return counts;
  }, [load.cells]);

  const setFilter = (patch: Partial<CoverageFilters>) => dispatch({ type: 'filter', patch });

  return (
    <section class="screen coverage-screen" aria-labelledby="coverage-title">
      <h2 id="coverage-title">Couverture{user?.departement ? ` (département ${user.departement})` : ''}</h2>
      <form class="coverage-filters" aria-label="Filtres" onSubmit={(event) => event.preventDefault()}>
        <fieldset class="field">
          <legend>Opérateurs</legend>
          <div class="checks">
            {OPERATORS.map((operator) => (
              <label key={operator}>
                <input
                  type="checkbox"
                  checked={filters.operators.length === 0 || filters.operators.includes(operator)}
                  onChange={(event) => dispatch({ type: 'toggle-operator', operator, on: event.currentTarget.checked })}
                />{' '}
                {OPERATOR_LABELS[operator]}
              </label>
            ))}
          </div>
        </fieldset>
        <div class="field">
          <label for="filter-technology">Technologie</label>
          <select
            id="filter-technology"
            value={filters.technology ?? ''}
            onChange={(event) => setFilter({ technology: (event.currentTarget.value || undefined) as Technology | undefined })}
          >
            <option value="">Toutes</option>
            {TECHNOLOGIES.map((t) => (
              <option key={t} value={t}>
                {TECHNOLOGY_LABELS[t]}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="filter-setting">Situation</label>
          <select
            id="filter-setting"
            value={filters.setting ?? ''}
            onChange={(event) => setFilter({ setting: (event.currentTarget.value || undefined) as Setting | undefined })}
          >
            <option value="">Toutes</option>
            {SETTINGS.map((s) => (
              <option key={s} value={s}>
                {SETTING_LABELS[s]}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="filter-from">Du mois</label>
          <input
            id="filter-from"
            type="month"
            value={filters.from ?? ''}
            onChange={(event) => setFilter({ from: isMonth(event.currentTarget.value) ? event.currentTarget.value : undefined })}
          />
        </div>
        <div class="field">
          <label for="filter-to">Au mois</label>
          <input
            id="filter-to"
            type="month"
            value={filters.to ?? ''}
            onChange={(event) => setFilter({ to: isMonth(event.currentTarget.value) ? event.currentTarget.value : undefined })}
          />
        </div>
      </form>
      <div class="coverage-layout">
        <div class="coverage-main">
          <fieldset class="field click-mode">
            <legend>Un clic sur une maille</legend>
            <div class="segmented">
              {(
                [
                  ['consult', 'Affiche ses chiffres'],
                  ['select', 'La sélectionne'],
                ] as const
              ).map(([key, label]) => (
                <label key={key}>
                  <input type="radio" name="click-mode" value={key} checked={mode === key} onChange={() => dispatch({ type: 'mode-chosen', mode: key })} />
                  <span>{label}</span>
                </label>
              ))}
            </div>
          </fieldset>
          <div class="field discrepancy-layer">
            <label>
              <input type="checkbox" checked={showDiscrepancies} onChange={(event) => setShowDiscrepancies(event.currentTarget.checked)} />{' '}
              {DISCREPANCY_LAYER_LABEL}
            </label>
            {showDiscrepancies && load.state === 'loaded' && (
              <p class="hint" role="status">
                {discrepantCells === 0
                  ? 'Aucune maille de la vue où la carte d’un opérateur annonce une bonne couverture que les mesures contredisent.'
                  : `${discrepantCells} maille${discrepantCells > 1 ? 's' : ''} (contour violet) où la carte d’un opérateur annonce une bonne ou très bonne couverture, et ses mesures une couverture limitée ou nulle.`}
              </p>
            )}
          </div>
          <CoverageMap
            filters={filters}
            initialView={initial.view}
            selection={selection}
            activeCell={active && cellIdOf(active)}
            highlight={highlight}
            flyTo={flyTo}
            zoneOutlines={zoneOutlines}
            showDiscrepancies={showDiscrepancies}
            onView={onView}
            onCells={(cells) => dispatch({ type: 'cells-loaded', load: cells })}
            onCellClick={(feature) => dispatch({ type: 'cell-clicked', feature })}
            onRectangle={(rectangle) => dispatch({ type: 'rectangle-drawn', rectangle })}
          />
          <p class="hint cells-status" role="status" data-state={load.state}>
            {load.state === 'loading' && 'Chargement des mailles…'}
            {load.state === 'loaded' &&
              `${load.cells.length} maille${load.cells.length > 1 ? 's' : ''} de ${formatResolutionM(load.resolutionM!)} dans la vue.${fineGrid ? ' Maj + glisser : sélectionner un rectangle.' : ' Zoomez pour les mailles de 200 m.'}`}
            {(load.state === 'failed' || load.state === 'too-far') && load.message}
          </p>
          <ul class="legend" aria-label="Légende des mailles">
            {CELL_ZONES.map((zone) => (
              <li key={zone}>
                <span class={`zone-swatch zone-${zone}`} /> {ZONE_LEGEND[zone]}
                {load.state === 'loaded' && ` : ${zoneCounts[zone]}`}
              </li>
            ))}
            <li>
              <span class="zone-swatch zone-outline" /> Zone en cours ({zonesInView} dans la vue)
            </li>
          </ul>
        </div>
        <aside class="coverage-side" aria-label="Détails">
          {created && (
            <div class="banner ready" role="status">
              <span>
                Zone « {created.name} » créée ({ZONE_STATUS_LABELS[created.status]}
                {created.communes.length > 0 && `, communes ${created.communes.join(', ')}`}). <a href={hrefTo('zones')}>Voir les zones</a>
              </span>
              <button type="button" onClick={() => dispatch({ type: 'created-dismissed' })}>
                OK
              </button>
            </div>
          )}
          {active && (
            <CellPanel
              key={cellIdOf(active)}
              feature={byId.get(cellIdOf(active)) ?? active}
              selectable={cellResolution(cellIdOf(active)) === ZONE_RESOLUTION_M}
              selected={selection.has(cellIdOf(active))}
              onToggle={() => dispatch({ type: 'cell-toggled', id: cellIdOf(active) })}
              onClose={() => dispatch({ type: 'panel-closed' })}
            />
          )}
          <section class="side-section" aria-labelledby="selection-title">
            <h3 id="selection-title">Sélection</h3>
            {selection.size === 0 ? (
              <p class="hint">Choisissez « La sélectionne » puis cliquez des mailles, ou tracez un rectangle avec Maj + glisser.</p>
            ) : (
              <>
                <p class="selection-summary">
                  {selection.size} maille{selection.size > 1 ? 's' : ''} sélectionnée{selection.size > 1 ? 's' : ''} : {selectedCounts['zone-blanche']} blanche
                  {selectedCounts['zone-blanche'] > 1 ? 's' : ''}, {selectedCounts['zone-grise']} grise{selectedCounts['zone-grise'] > 1 ? 's' : ''},{' '}
                  {selectedCounts.covered} couverte
                  {selectedCounts.covered > 1 ? 's' : ''}, {selectedCounts.insufficient + selectedCounts.unknown} sans verdict
                </p>
                {creating ? (
                  <ZoneForm cells={[...selection].sort()} onCreated={onCreated} onCancel={() => dispatch({ type: 'form-closed' })} />
                ) : (
                  <div class="actions">
                    <button type="button" class="primary" onClick={() => dispatch({ type: 'form-opened' })}>
                      Créer une zone
                    </button>
                    <button type="button" onClick={() => dispatch({ type: 'selection-cleared' })}>
                      Vider la sélection
                    </button>
                  </div>
                )}
              </>
            )}
          </section>
          <SuggestionsPanel
            suggestions={suggestions.list}
            loading={suggestions.loading}
            error={suggestions.error}
            hint={suggestions.hint}
            onRefresh={loadSuggestions}
            onShow={(s) => dispatch({ type: 'suggestion-shown', outline: s.outline, bounds: bboxBounds(s.bbox) })}
            onCreated={onCreated}
          />
        </aside>
      </div>
    </section>
  );
}

/** Whether an outline's box meets the view's (enough for a count: zones are small beside a view). */
function crosses(outline: OutlineGeometry, view: LonLatBounds): boolean {
  const rings = outline.type === 'Polygon' ? outline.coordinates : outline.coordinates.flat();
  let west = Infinity;
  let east = -Infinity;
  let south = Infinity;
  let north = -Infinity;
  for (const ring of rings) {
    for (const [lon, lat] of ring) {
      west = Math.min(west, lon);
      east = Math.max(east, lon);
      south = Math.min(south, lat);
      north = Math.max(north, lat);
    }
  }
  return west <= view.east && east >= view.west && south <= view.north && north >= view.south;
}
