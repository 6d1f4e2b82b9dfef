import L from './leaflet.ts';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Campaign } from '../../domain/campaign.ts';
import { CELL_ZONES, type CellZone } from '../../domain/grid/cell-verdict.ts';
import type { Bbox } from '../../domain/geojson.ts';
import { LEVEL_COLOURS, LEVEL_LABELS, LEVELS, type Level } from '../../domain/level.ts';
import { CLUSTER_BELOW_ZOOM } from '../../domain/reading-clusters.ts';
import type { TileSource } from '../../domain/tile-source.ts';
import type { OutboxRecord } from '../../store/outbox.ts';
import type { CellsToSurvey } from '../../worker/cells-to-survey.ts';
import type { DeviceMapView } from '../../worker/map-layers.ts';
import { callWorker } from '../shell/worker-bridge.ts';
import { api } from '../shell/api.ts';
import { ReadingsOrClustersAnswerSchema } from '../../domain/api/readings.ts';
import { useCellsToSurvey } from './use-cells-to-survey.ts';
import { PLANNED_CELLS_SHOWN, type PlannedCell } from './sampling-plan-cells.ts';
import { useSamplingPlan } from './use-sampling-plan.ts';
import { clusterMarker } from './cluster-marker.ts';
import { FollowMe, type FollowMeState } from './follow-me.ts';
import { MapFilterChips } from './MapFilterChips.tsx';
import { loadMapFilters, saveMapFilters, serverReadingsUrl, type MapReadingFilters } from './map-filters.ts';
import { startMapWorker, type MapWorker } from './map-worker.ts';
import { stackedReadingsPopup } from './reading-popup.ts';
import { readingsNear, type DrawnReading } from './stacked-readings.ts';
import { plural } from '../format.ts';
import { addBaseLayer } from './map-base.ts';
import { OfflineMaps } from './OfflineMaps.tsx';
import { ZONE_COLOURS, ZONE_LEGEND } from './zone-colours.ts';

export interface LeafletMapProps {
  records: OutboxRecord[];
  /** Offer « Mes mailles » (agents: the device's own readings on the grid). */
  deviceCells: boolean;
  /** The campaign picked on this device: its commune's outline and the cells still to survey. */
  campaign?: Campaign;
  /** Whose cached campaign progress to read (one cache per account). */
  userId?: string;
}

/** Hérault, where Couverture started; the map moves to the device's readings when it has some. */
const DEFAULT_VIEW: [number, number, number] = [43.61, 3.6, 9];
const SERVER_PAGE = 2000;
const MY_CELLS_KEY = 'couverture.my-cells';
/** A pan is often several moves in a row: ask for the view once it settles. */
const MOVE_DEBOUNCE_MS = 150;

interface MapView {
  bbox: Bbox;
  zoom: number;
}

const viewOf = (map: L.Map): MapView => {
  const b = map.getBounds();
  return { bbox: { minLon: b.getWest(), minLat: b.getSouth(), maxLon: b.getEast(), maxLat: b.getNorth() }, zoom: map.getZoom() };
};

export function LeafletMap({ records, deviceCells, campaign, userId }: LeafletMapProps) {
  const container = useRef<HTMLDivElement>(null);
  const map = useRef<L.Map | undefined>(undefined);
  const worker = useRef<MapWorker | undefined>(undefined);
  const followMe = useRef<FollowMe | undefined>(undefined);
  const serverLayer = useRef<L.LayerGroup | undefined>(undefined);
  const deviceLayer = useRef<L.LayerGroup | undefined>(undefined);
  // The points drawn now, device's and server's, for a tap on readings stacked at one spot.
  const drawn = useRef<{ device: DrawnReading[]; server: DrawnReading[] }>({ device: [], server: [] });
  const fitted = useRef(false);
  const [view, setView] = useState<MapView>();
  const [filters, setFilters] = useState<MapReadingFilters>(loadMapFilters);
  const [heldVersion, setHeldVersion] = useState(0);
  const [tileNotice, setTileNotice] = useState<string>();
  const [tileSource, setTileSource] = useState<TileSource>();
  const [serverNotice, setServerNotice] = useState<string>();
  const [deviceNotice, setDeviceNotice] = useState<string>();
  const [counts, setCounts] = useState<Record<Level, number>>();
  const [follow, setFollow] = useState<FollowMeState>({ following: false, stoppedByPan: false });
  const cellsLayer = useRef<L.GeoJSON | undefined>(undefined);
  const cellsRenderer = useRef<L.Renderer | undefined>(undefined);
  const [cellsWanted, setShowCells] = useState(() => localStorage.getItem(MY_CELLS_KEY) === '1');
  const showCells = deviceCells && cellsWanted;
  const [cellCounts, setCellCounts] = useState<Record<CellZone, number>>();

  useEffect(() => {
    const leaflet = L.map(container.current!, { preferCanvas: true }).setView([DEFAULT_VIEW[0], DEFAULT_VIEW[1]], DEFAULT_VIEW[2]);
    map.current = leaflet;
    worker.current = startMapWorker();
    // Under the readings' dots: « Mes mailles », and lower still the cells still to survey.
    leaflet.createPane('cells').style.zIndex = '350';
    leaflet.createPane('survey').style.zIndex = '340';
    cellsRenderer.current = L.canvas({ pane: 'cells' });
    serverLayer.current = L.layerGroup().addTo(leaflet);
    deviceLayer.current = L.layerGroup().addTo(leaflet);
    const disposeBase = addBaseLayer(leaflet, setTileNotice, setTileSource);
    followMe.current = new FollowMe(leaflet, setFollow);
    let settle: ReturnType<typeof setTimeout> | undefined;
    leaflet.on('moveend', () => {
      clearTimeout(settle);
      settle = setTimeout(() => setView(viewOf(leaflet)), MOVE_DEBOUNCE_MS);
    });
    setView(viewOf(leaflet));
    return () => {
      clearTimeout(settle);
      disposeBase();
      followMe.current?.dispose();
      worker.current?.stop();
      worker.current = undefined;
      leaflet.remove();
      map.current = undefined;
    };
  }, []);

  // The device's readings go to the map's worker once per change, not once per view.
  useEffect(() => {
    let stale = false;
    void worker.current?.remote.holdDeviceReadings(records.map(({ reading, state }) => ({ reading, state }))).then(() => {
      if (!stale) setHeldVersion((version) => version + 1);
    });
    if (!fitted.current && records.length > 0 && map.current) {
      fitted.current = true;
      const bounds = L.latLngBounds(records.map(({ reading }) => [reading.lat, reading.lon] as [number, number]));
      map.current.fitBounds(bounds, { maxZoom: 16, padding: [24, 24] });
    }
    return () => {
      stale = true;
    };
  }, [records]);

  useEffect(() => saveMapFilters(filters), [filters]);

  // The device's readings in view: clusters or points, computed in the worker.
  useEffect(() => {
    if (!view || heldVersion === 0 || !worker.current) return;
    let stale = false;
    void worker.current.remote.deviceMapView({ ...view, filters }).then(
      (answer) => {
        if (!stale) drawDevice(answer);
      },
      () => undefined,
    );
    const drawDevice = (answer: DeviceMapView) => {
      const layer = deviceLayer.current!;
      layer.clearLayers();
      drawn.current.device = [];
      if (answer.kind === 'clusters') {
        for (const { geometry, properties } of answer.features)
          zoomOnClick(clusterMarker([geometry.coordinates[1], geometry.coordinates[0]], properties, true), map.current!).addTo(layer);
        setDeviceNotice(undefined);
      } else {
        for (const { properties } of answer.features) {
          const colour = LEVEL_COLOURS[properties.level];
          drawn.current.device.push({ properties, onDevice: true });
          openStackOnClick(
            L.circleMarker([properties.lat, properties.lon], { radius: 8, color: '#ffffff', weight: 2, fillColor: colour, fillOpacity: 0.95 }),
            map.current!,
            drawn.current,
          ).addTo(layer);
        }
        setDeviceNotice(
          answer.omitted > 0 ? `${plural(answer.omitted, 'relevé')} de cet appareil non dessinés ici (les plus anciens) : zoomez pour les voir.` : undefined,
        );
      }
      setCounts(answer.countsByLevel);
    };
    return () => {
      stale = true;
    };
  }, [view, filters, heldVersion]);

  // The server's readings in view: clusters below zoom 13, points above; a newer view aborts the older request.
  useEffect(() => {
    if (!view) return;
    if (!navigator.onLine) {
      serverLayer.current?.clearLayers();
      drawn.current.server = [];
      return setServerNotice('Hors ligne : seuls les relevés de cet appareil sont affichés.');
    }
    const request = new AbortController();
    void (async () => {
      try {
        const answer = await api(serverReadingsUrl(view.bbox, view.zoom, filters, SERVER_PAGE), ReadingsOrClustersAnswerSchema, { signal: request.signal });
        if (request.signal.aborted) return;
        const layer = serverLayer.current!;
        layer.clearLayers();
        drawn.current.server = [];
        if ('clustered' in answer) {
          let total = 0;
          for (const { geometry, properties } of answer.features) {
            total += properties.count;
            zoomOnClick(clusterMarker([geometry.coordinates[1], geometry.coordinates[0]], properties, false), map.current!).addTo(layer);
          }
          setServerNotice(`${plural(total, 'relevé')} du serveur dans la vue, regroupés : zoomez pour les détailler.`);
        } else {
          for (const { properties } of answer.features) {
            drawn.current.server.push({ properties, onDevice: false });
            openStackOnClick(
              L.circleMarker([properties.lat, properties.lon], { radius: 6, color: LEVEL_COLOURS[properties.level], weight: 3, fillOpacity: 0 }),
              map.current!,
              drawn.current,
            ).addTo(layer);
          }
          const shown = answer.features.length;
          setServerNotice(`${plural(shown, 'relevé')} du serveur dans la vue${answer.nextCursor ? ' (les plus anciens ; zoomez pour tout voir)' : ''}.`);
        }
      } catch (error) {
        if ((error as Error).name !== 'AbortError') setServerNotice('Les relevés du serveur n’ont pas pu être chargés.');
      }
    })();
    return () => request.abort();
  }, [view, filters]);

  useEffect(() => {
    if (deviceCells) localStorage.setItem(MY_CELLS_KEY, showCells ? '1' : '0');
    if (!showCells) {
      cellsLayer.current?.remove();
      cellsLayer.current = undefined;
      setCellCounts(undefined);
      return;
    }
    const abort = new AbortController();
    // The device's readings, judged on the 200 m grid in the worker: works offline.
    void callWorker(
      (services) => services.buildDeviceGrid(records.map(({ reading, recordedBy }) => ({ reading, ...(recordedBy !== undefined && { recordedBy }) }))),
      abort.signal,
    ).then(
      ({ collection, countsByZone }) => {
        if (!map.current) return;
        cellsLayer.current?.remove();
        cellsLayer.current = L.geoJSON(collection, {
          pane: 'cells',
          renderer: cellsRenderer.current,
          interactive: false,
          style: (feature) => {
            const colour = feature && ZONE_COLOURS[(feature.properties as { zone: CellZone }).zone];
            return { color: colour, weight: 1, fillColor: colour, fillOpacity: 0.35 };
          },
        } as L.GeoJSONOptions).addTo(map.current);
        setCellCounts(countsByZone);
      },
      () => undefined,
    );
    return () => abort.abort();
  }, [records, showCells, deviceCells]);

  const survey = useCellsToSurvey({ map, worker, campaign, userId, heldVersion });
  const plan = useSamplingPlan({ map, campaign, userId, heldVersion });

  return (
    <div class="map-wrap">
      <MapFilterChips filters={filters} onChange={setFilters} />
      <div class="map-tools">
        <button
          type="button"
          class="follow-me"
          aria-pressed={follow.following}
          onClick={() => (follow.following ? followMe.current?.stop() : followMe.current?.start())}
        >
          Me suivre
        </button>
        {deviceCells && (
          <label class="map-toggle">
            <input type="checkbox" checked={showCells} onChange={(event) => setShowCells(event.currentTarget.checked)} /> Mes mailles (mes relevés sur la grille
            de 200 m)
          </label>
        )}
      </div>
      {follow.following && <p class="hint follow-status">La carte suit votre position.</p>}
      {follow.stoppedByPan && <p class="hint follow-status">Suivi arrêté : vous avez déplacé la carte. « Me suivre » pour reprendre.</p>}
      {follow.error && <p class="hint follow-status">{follow.error}</p>}
      <div ref={container} class="map" role="region" aria-label="Carte" />
      <ul class="legend" aria-label="Légende">
        {LEVELS.map((level) => (
          <li key={level}>
            <span class="swatch" style={{ background: LEVEL_COLOURS[level] }} /> {LEVEL_LABELS[level]}
            {counts && ` (${counts[level]} sur cet appareil)`}
          </li>
        ))}
        <li>
          <span class="swatch hollow" /> Relevé reçu par le serveur
        </li>
        <li>
          <span class="swatch cluster-key" /> Cercle chiffré : relevés regroupés, couleur du niveau le plus fréquent (zoomez pour les détailler)
        </li>
        {survey.cells && <SurveyLegendItem cells={survey.cells} />}
        {plan.cells && <PlanLegendItem cells={plan.cells} cached={plan.cached === true} />}
      </ul>
      {showCells && (
        <ul class="legend" aria-label="Légende de mes mailles">
          {CELL_ZONES.map((zone) => (
            <li key={zone}>
              <span class={`zone-swatch zone-${zone}`} /> {ZONE_LEGEND[zone]}
              {cellCounts && ` : ${plural(cellCounts[zone], 'maille')}`}
            </li>
          ))}
        </ul>
      )}
      {showCells && (
        <p class="hint">
          Mes mailles : un verdict demande au moins 3 relevés par opérateur dont la part en bonne couverture est nettement d’un côté de 50 % (4 relevés
          concordants au moins), et les quatre opérateurs mesurés pour une zone blanche ou grise.
        </p>
      )}
      {survey.notice && <p class="hint outline-notice">{survey.notice}</p>}
      {survey.outlineBounds && campaign && (
        <p class="frame-commune">
          {/* The commune in view, ready for « Préparer hors ligne », which downloads the view. */}
          <button type="button" onClick={() => map.current?.fitBounds(survey.outlineBounds!, { padding: [12, 12] })}>
            Cadrer sur {campaign.communeName}
          </button>
        </p>
      )}
      {tileNotice && <p class="hint">{tileNotice}</p>}
      {serverNotice && <p class="hint server-notice">{serverNotice}</p>}
      {deviceNotice && <p class="hint">{deviceNotice}</p>}
      {tileSource && map.current && <OfflineMaps map={map.current} source={tileSource} />}
    </div>
  );
}

/** A tap on a cluster zooms towards it, up to where points replace clusters. */
function zoomOnClick(marker: L.Marker, map: L.Map): L.Marker {
  return marker.on('click', () => map.setView(marker.getLatLng(), Math.min(map.getZoom() + 2, CLUSTER_BELOW_ZOOM)));
}

/**
 * A tap on a reading's dot opens one popup listing every reading drawn within a finger's
 * reach (stacked-readings.ts): on the canvas, only the top one of a stack receives the tap.
 */
function openStackOnClick(marker: L.CircleMarker, map: L.Map, drawn: { device: DrawnReading[]; server: DrawnReading[] }): L.CircleMarker {
  return marker.on('click', (event: L.LeafletMouseEvent) => {
    const tap = map.latLngToContainerPoint(marker.getLatLng());
    const near = readingsNear([...drawn.device, ...drawn.server], tap, ({ properties }) => map.latLngToContainerPoint([properties.lat, properties.lon]));
    if (near.length === 0) return;
    L.DomEvent.stopPropagation(event);
    L.popup({ maxWidth: 280 }).setLatLng(marker.getLatLng()).setContent(stackedReadingsPopup(near)).openOn(map);
  });
}

function SurveyLegendItem({ cells }: { cells: CellsToSurvey }) {
  return (
    <li>
      <span class="swatch survey-key" /> Mailles encore à parcourir : {cells.remaining.toLocaleString('fr-FR')} sur {cells.total.toLocaleString('fr-FR')}
    </li>
  );
}

/** The sampling plan's cells « à mesurer », numbered from the quickest to decide. */
function PlanLegendItem({ cells, cached }: { cells: PlannedCell[]; cached: boolean }) {
  if (cells.length === 0) return <li>À mesurer : aucune maille de la campagne n’attend de relevé pour être tranchée.</li>;
  const shown = Math.min(cells.length, PLANNED_CELLS_SHOWN);
  return (
    <li>
      <span class="swatch plan-key" /> À mesurer : {plural(cells.length, 'maille')} de la campagne encore indécise{cells.length > 1 ? 's' : ''}, numérotée
      {cells.length > 1 ? 's' : ''} de la plus rapide à trancher (1) à la plus longue
      {cells.length > shown && ` ; les ${shown} premières sur la carte`}
      {cached && ' (plan gardé sur l’appareil, hors ligne)'}
    </li>
  );
}
