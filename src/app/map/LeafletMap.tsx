import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { FeatureCollection, ReadingProperties } from '../../domain/geojson.ts';
import { LEVEL_COLOURS, LEVEL_LABELS, LEVELS, type Level } from '../../domain/level.ts';
import { OPERATOR_LABELS } from '../../domain/operators.ts';
import { TECHNOLOGY_LABELS } from '../../domain/signal.ts';
import type { OutboxRecord } from '../../store/outbox.ts';
import { formatTime } from '../format.ts';
import { callWorker } from '../shell/worker-bridge.ts';
import { CELL_ZONES, type CellZone } from '../../domain/grid/cell-verdict.ts';
import { loadTileConfig } from './tile-config.ts';
import { ZONE_COLOURS, ZONE_LEGEND } from './zone-colours.ts';

export interface LeafletMapProps {
  records: OutboxRecord[];
  /** Offer « Mes mailles » (agents: the device's own readings on the grid). */
  deviceCells: boolean;
}

/** Hérault, where Couverture started; the map moves to the device's readings when it has some. */
const DEFAULT_VIEW: [number, number, number] = [43.61, 3.6, 9];
const SERVER_PAGE = 2000;
const MY_CELLS_KEY = 'couverture.my-cells';

export function LeafletMap({ records, deviceCells }: LeafletMapProps) {
  const container = useRef<HTMLDivElement>(null);
  const map = useRef<L.Map | undefined>(undefined);
  const deviceLayer = useRef<L.GeoJSON | undefined>(undefined);
  const fitted = useRef(false);
  const [tileNotice, setTileNotice] = useState<string>();
  const [serverNotice, setServerNotice] = useState<string>();
  const [counts, setCounts] = useState<Record<Level, number>>();
  const cellsLayer = useRef<L.GeoJSON | undefined>(undefined);
  const cellsRenderer = useRef<L.Renderer | undefined>(undefined);
  const [cellsWanted, setShowCells] = useState(() => localStorage.getItem(MY_CELLS_KEY) === '1');
  const showCells = deviceCells && cellsWanted;
  const [cellCounts, setCellCounts] = useState<Record<CellZone, number>>();

  useEffect(() => {
    const leaflet = L.map(container.current!, { preferCanvas: true }).setView([DEFAULT_VIEW[0], DEFAULT_VIEW[1]], DEFAULT_VIEW[2]);
    map.current = leaflet;
    // « Mes mailles » under the readings' dots: its own pane, below the overlay pane.
    leaflet.createPane('cells').style.zIndex = '350';
    cellsRenderer.current = L.canvas({ pane: 'cells' });
    void loadTileConfig().then((tiles) => {
      if (!tiles) return setTileNotice('Fond de carte indisponible hors ligne : les relevés restent affichés.');
      L.tileLayer(tiles.url, { attribution: tiles.attribution, maxZoom: tiles.maxZoom }).addTo(leaflet);
    });
    const serverLayer = L.layerGroup().addTo(leaflet);
    let request: AbortController | undefined;
    const loadServerReadings = async () => {
      request?.abort();
      if (!navigator.onLine) return setServerNotice('Hors ligne : seuls les relevés de cet appareil sont affichés.');
      request = new AbortController();
      const b = leaflet.getBounds();
      const bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((n) => Math.max(-180, Math.min(180, n)).toFixed(5)).join(',');
      try {
        const response = await fetch(`/api/v1/readings?bbox=${bbox}&limit=${SERVER_PAGE}`, { cache: 'no-store', signal: request.signal });
        if (!response.ok) throw new Error(String(response.status));
        const collection = (await response.json()) as FeatureCollection<ReadingProperties> & { nextCursor?: string };
        serverLayer.clearLayers();
        L.geoJSON(collection, { pointToLayer: (feature, at) => marker(feature.properties as ReadingProperties, at, false) }).addTo(serverLayer);
        const shown = collection.features.length;
        setServerNotice(`${shown} relevé${shown > 1 ? 's' : ''} du serveur dans la vue${collection.nextCursor ? ' (les plus anciens ; zoomez pour tout voir)' : ''}.`);
      } catch (error) {
        if ((error as Error).name !== 'AbortError') setServerNotice('Les relevés du serveur n’ont pas pu être chargés.');
      }
    };
    leaflet.on('moveend', () => void loadServerReadings());
    void loadServerReadings();
    return () => {
      request?.abort();
      leaflet.remove();
    };
  }, []);

  useEffect(() => {
    const abort = new AbortController();
    void callWorker((services) => services.buildDeviceLayer(records.map(({ reading, state }) => ({ reading, state }))), abort.signal).then(
      ({ collection, countsByLevel }) => {
        if (!map.current) return;
        deviceLayer.current?.remove();
        deviceLayer.current = L.geoJSON(collection, {
          pointToLayer: (feature, at) => marker(feature.properties as ReadingProperties, at, true),
        }).addTo(map.current);
        setCounts(countsByLevel);
        if (!fitted.current && collection.features.length > 0) {
          fitted.current = true;
          map.current.fitBounds(deviceLayer.current.getBounds(), { maxZoom: 16, padding: [24, 24] });
        }
      },
      () => undefined,
    );
    return () => abort.abort();
  }, [records]);

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
    void callWorker((services) => services.buildDeviceGrid(records.map(({ reading, recordedBy }) => ({ reading, ...(recordedBy !== undefined && { recordedBy }) }))), abort.signal).then(
      ({ collection, countsByZone }) => {
        if (!map.current) return;
        cellsLayer.current?.remove();
        cellsLayer.current = L.geoJSON(collection as unknown as GeoJSON.FeatureCollection, {
          pane: 'cells',
          renderer: cellsRenderer.current,
          interactive: false,
          style: (feature) => {
            const colour = ZONE_COLOURS[(feature?.properties as { zone: CellZone }).zone];
            return { color: colour, weight: 1, fillColor: colour, fillOpacity: 0.35 };
          },
        } as L.GeoJSONOptions).addTo(map.current);
        setCellCounts(countsByZone);
      },
      () => undefined,
    );
    return () => abort.abort();
  }, [records, showCells, deviceCells]);

  return (
    <div class="map-wrap">
      {deviceCells && (
        <label class="map-toggle">
          <input type="checkbox" checked={showCells} onChange={(event) => setShowCells(event.currentTarget.checked)} /> Mes mailles (mes relevés sur la grille de 200 m)
        </label>
      )}
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
      </ul>
      {showCells && (
        <ul class="legend" aria-label="Légende de mes mailles">
          {CELL_ZONES.map((zone) => (
            <li key={zone}>
              <span class={`zone-swatch zone-${zone}`} /> {ZONE_LEGEND[zone]}
              {cellCounts && ` : ${cellCounts[zone]} maille${cellCounts[zone] > 1 ? 's' : ''}`}
            </li>
          ))}
        </ul>
      )}
      {showCells && <p class="hint">Mes mailles : un verdict demande au moins 3 relevés par opérateur, et les quatre opérateurs mesurés pour une zone blanche ou grise.</p>}
      {tileNotice && <p class="hint">{tileNotice}</p>}
      {serverNotice && <p class="hint server-notice">{serverNotice}</p>}
    </div>
  );
}

function marker(properties: ReadingProperties, at: L.LatLng, onDevice: boolean): L.CircleMarker {
  const colour = LEVEL_COLOURS[properties.level];
  const circle = onDevice
    ? L.circleMarker(at, { radius: 8, color: '#ffffff', weight: 2, fillColor: colour, fillOpacity: 0.95 })
    : L.circleMarker(at, { radius: 6, color: colour, weight: 3, fillOpacity: 0 });
  circle.bindPopup(() => popup(properties));
  return circle;
}

/** Built from text nodes: a reading's note comes from a person and is never HTML. */
function popup(p: ReadingProperties): HTMLElement {
  const element = document.createElement('div');
  const lines = [
    `${LEVEL_LABELS[p.level]}`,
    `${OPERATOR_LABELS[p.operator]} · ${TECHNOLOGY_LABELS[p.technology]}`,
    p.signalDbm !== undefined ? `${p.signalDbm} dBm` : p.signalBars !== undefined ? `${p.signalBars} barre(s)` : '',
    `${formatTime(p.recordedAt)} · ± ${Math.round(p.accuracyM)} m`,
    p.note ? `« ${p.note} »` : '',
  ];
  for (const line of lines.filter(Boolean)) {
    const row = document.createElement('div');
    row.textContent = line;
    element.append(row);
  }
  return element;
}
