import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { CELL_ZONES, type CellZone } from '../../domain/grid/cell-verdict.ts';
import { OPERATOR_LABELS, OPERATORS, type Operator } from '../../domain/operators.ts';
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
import { bboxBounds, cellIdOf, type CellFeature, type OutlineGeometry, type Suggestion } from './api-types.ts';
import { CellPanel } from './CellPanel.tsx';
import { CoverageMap, type CellsLoad } from './CoverageMap.tsx';
import { isMonth, suggestionsUrl, ZONE_RESOLUTION_M, type CoverageFilters, type LonLatBounds, type MapView } from './coverage-filters.ts';
import { initialCoverageState, saveCoverageState } from './coverage-state.ts';
import { addCells, cellResolution, cellsInRectangle, toggleCell } from './selection.ts';
import { formatResolutionM } from './resolution.ts';
import { SuggestionsPanel } from './SuggestionsPanel.tsx';
import { ZoneForm } from './ZoneForm.tsx';
import { useTitle } from '../shell/use-title.ts';
import { hrefTo } from '../shell/routes.ts';

/** Suggestions are asked for views no larger than this (zoomed out, a view holds a whole département). */
const MIN_SUGGESTION_ZOOM = 12;

type ClickMode = 'consult' | 'select';

/**
 * « Couverture » (reviewers, desktop first): the grid's cells coloured by verdict, filters kept
 * in the link, a cell's panel, selecting cells into a zone, and the server's suggested zones.
 */
export function CoverageScreen() {
  useTitle('Carte de couverture');
  const { session } = useStore(sessionState);
  const user = session?.info.user;
  const initial = useMemo(initialCoverageState, []);
  const [filters, setFilters] = useState<CoverageFilters>(initial.filters);
  const view = useRef<MapView | undefined>(initial.view);
  const bounds = useRef<LonLatBounds | undefined>(undefined);
  const [load, setLoad] = useState<CellsLoad>({ state: 'loading', cells: [] });
  const [active, setActive] = useState<CellFeature>();
  const [selection, setSelection] = useState<ReadonlySet<string>>(new Set());
  const [mode, setMode] = useState<ClickMode>('consult');
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<Zone>();
  const [highlight, setHighlight] = useState<OutlineGeometry>();
  const [flyTo, setFlyTo] = useState<LonLatBounds>();
  const [suggestions, setSuggestions] = useState<Suggestion[]>();
  const [suggesting, setSuggesting] = useState(false);
  const [suggestionError, setSuggestionError] = useState<string>();
  const [suggestionHint, setSuggestionHint] = useState<string>();
  const [viewBounds, setViewBounds] = useState<LonLatBounds>();
  const suggestionRequest = useRef<AbortController | undefined>(undefined);
  const [zones, setZones] = useState<Zone[]>([]);
  const loadZones = () => void listZones().then(setZones, () => undefined);
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
  const byId = useMemo(() => new Map(load.cells.map((cell) => [cellIdOf(cell), cell])), [load.cells]);

  const loadSuggestions = async () => {
    suggestionRequest.current?.abort();
    if (!bounds.current || (view.current?.zoom ?? 0) < MIN_SUGGESTION_ZOOM) {
      setSuggestions(undefined);
      setSuggestionError(undefined);
      setSuggestionHint('Zoomez sur une commune pour voir les zones suggérées.');
      return;
    }
    const controller = new AbortController();
    suggestionRequest.current = controller;
    setSuggesting(true);
    setSuggestionError(undefined);
    setSuggestionHint(undefined);
    try {
      const answer = await api<{ suggestions: Suggestion[] }>(suggestionsUrl(filters, bounds.current), { signal: controller.signal });
      setSuggestions(answer.suggestions);
    } catch (caught) {
      if ((caught as Error).name === 'AbortError') return;
      setSuggestionError(caught instanceof ApiError ? caught.message : 'Les suggestions n’ont pas pu être chargées.');
    } finally {
      if (suggestionRequest.current === controller) setSuggesting(false);
    }
  };
  const loadSuggestionsLatest = useRef(loadSuggestions);
  loadSuggestionsLatest.current = loadSuggestions;

  useEffect(() => {
    saveCoverageState({ filters, ...(view.current && { view: view.current }) });
    void loadSuggestionsLatest.current();
  }, [filters]);
  useEffect(() => () => suggestionRequest.current?.abort(), []);

  const onView = (next: MapView, nextBounds: LonLatBounds) => {
    view.current = next;
    bounds.current = nextBounds;
    setViewBounds(nextBounds);
    saveCoverageState({ filters, view: next });
    void loadSuggestionsLatest.current();
  };

  const onCellClick = (feature: CellFeature) => {
    setActive(feature);
    const id = cellIdOf(feature);
    if (mode === 'select' && cellResolution(id) === ZONE_RESOLUTION_M) setSelection((s) => toggleCell(s, id));
  };

  const onRectangle = (rectangle: LonLatBounds) => {
    if (!fineGrid) return;
    const cells = load.cells.map((feature) => ({ id: cellIdOf(feature), ring: feature.geometry.coordinates[0] ?? [] }));
    setSelection((s) => addCells(s, cellsInRectangle(cells, rectangle)));
  };

  const onCreated = (zone: Zone) => {
    // Its cells are filed: the suggestions holding them go at once (the server's next answer leaves them out too).
    const filed = new Set(zone.cells);
    setSuggestions((list) => list?.filter((suggestion) => !suggestion.cells.some((cell) => filed.has(cell))));
    setZones((list) => [...list.filter((other) => other.id !== zone.id), zone]);
    setCreated(zone);
    setCreating(false);
    setSelection(new Set());
    setHighlight(undefined);
    void loadSuggestions();
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

  const setFilter = (patch: Partial<CoverageFilters>) => {
    setFilters((previous) => {
      const next: CoverageFilters = { ...previous, ...patch };
      for (const key of ['technology', 'setting', 'from', 'to'] as const) if (next[key] === undefined || next[key] === '') delete next[key];
      return next;
    });
  };
  const toggleOperator = (operator: Operator, on: boolean) => {
    const current = filters.operators.length === 0 ? [...OPERATORS] : filters.operators;
    const next = on ? [...current, operator] : current.filter((o) => o !== operator);
    setFilter({ operators: next.length === OPERATORS.length ? [] : OPERATORS.filter((o) => next.includes(o)) });
  };

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
                  onChange={(event) => toggleOperator(operator, event.currentTarget.checked)}
                />{' '}
                {OPERATOR_LABELS[operator]}
              </label>
            ))}
          </div>
        </fieldset>
        <div class="field">
          <label for="filter-technology">Technologie</label>
          <select id="filter-technology" value={filters.technology ?? ''} onChange={(event) => setFilter({ technology: (event.currentTarget.value || undefined) as Technology | undefined })}>
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
          <select id="filter-setting" value={filters.setting ?? ''} onChange={(event) => setFilter({ setting: (event.currentTarget.value || undefined) as Setting | undefined })}>
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
          <input id="filter-from" type="month" value={filters.from ?? ''} onChange={(event) => setFilter({ from: isMonth(event.currentTarget.value) ? event.currentTarget.value : undefined })} />
        </div>
        <div class="field">
          <label for="filter-to">Au mois</label>
          <input id="filter-to" type="month" value={filters.to ?? ''} onChange={(event) => setFilter({ to: isMonth(event.currentTarget.value) ? event.currentTarget.value : undefined })} />
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
                  <input type="radio" name="click-mode" value={key} checked={mode === key} onChange={() => setMode(key)} />
                  <span>{label}</span>
                </label>
              ))}
            </div>
          </fieldset>
          <CoverageMap
            filters={filters}
            initialView={initial.view}
            selection={selection}
            activeCell={active && cellIdOf(active)}
            highlight={highlight}
            flyTo={flyTo}
            zoneOutlines={zoneOutlines}
            onView={onView}
            onCells={setLoad}
            onCellClick={onCellClick}
            onRectangle={onRectangle}
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
              <button type="button" onClick={() => setCreated(undefined)}>
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
              onToggle={() => setSelection((s) => toggleCell(s, cellIdOf(active)))}
              onClose={() => setActive(undefined)}
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
                  {selectedCounts['zone-blanche'] > 1 ? 's' : ''}, {selectedCounts['zone-grise']} grise{selectedCounts['zone-grise'] > 1 ? 's' : ''}, {selectedCounts.covered} couverte
                  {selectedCounts.covered > 1 ? 's' : ''}, {selectedCounts.insufficient + selectedCounts.unknown} sans verdict
                </p>
                {creating ? (
                  <ZoneForm cells={[...selection].sort()} onCreated={onCreated} onCancel={() => setCreating(false)} />
                ) : (
                  <div class="actions">
                    <button type="button" class="primary" onClick={() => setCreating(true)}>
                      Créer une zone
                    </button>
                    <button type="button" onClick={() => setSelection(new Set())}>
                      Vider la sélection
                    </button>
                  </div>
                )}
              </>
            )}
          </section>
          <SuggestionsPanel
            suggestions={suggestions}
            loading={suggesting}
            error={suggestionError}
            hint={suggestionHint}
            onRefresh={() => void loadSuggestions()}
            onShow={(s) => {
              setHighlight(s.outline);
              setFlyTo(bboxBounds(s.bbox));
            }}
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

