import L from '../map/leaflet.ts';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { CampaignCell } from '../../domain/campaign.ts';
import { cellRing } from '../../domain/grid/cell-geometry.ts';
import { parseCellId } from '../../domain/grid/cell-id.ts';
import { OPERATOR_LABELS, type Operator } from '../../domain/operators.ts';
import type { Reading } from '../../domain/reading.ts';
import { createBaseLayer } from '../map/base-layer.ts';
import { plural } from '../format.ts';
import { loadTileConfig } from '../map/tile-config.ts';
import { useGeolocation } from '../survey/use-geolocation.ts';
import { campaignCells, COMPLETENESS_ORDER, countByCompleteness, type CampaignCellTally, type CellCompleteness } from './campaign-cells.ts';

export interface CampaignMapProps {
  serverCells: readonly CampaignCell[];
  /** This device's readings of the campaign that the server's figures do not hold yet. */
  deviceReadings: readonly Reading[];
  operators: readonly Operator[];
}

/** Darker where more of the campaign's operators were measured; distinct from the verdict colours of « Couverture ». */
const COMPLETENESS_COLOURS: Record<CellCompleteness, string> = {
  all: '#0d47a1',
  some: '#64b5f6',
  none: '#9e9e9e',
};

const COMPLETENESS_LEGEND: Record<CellCompleteness, string> = {
  all: 'Tous les opérateurs de la campagne mesurés',
  some: 'Une partie des opérateurs mesurés',
  none: 'Seulement des opérateurs hors campagne',
};

/** Hérault, where Couverture started: shown until there is a cell or a position to go to. */
const DEFAULT_VIEW: [number, number, number] = [43.61, 3.6, 9];

/**
 * The campaign's 200 m cells with readings, coloured by how many of its operators were
 * measured there, and the agent's position: the blank parts are where nobody has been yet.
 */
export function CampaignMap({ serverCells, deviceReadings, operators }: CampaignMapProps) {
  const container = useRef<HTMLDivElement>(null);
  const map = useRef<L.Map | undefined>(undefined);
  const cellsLayer = useRef<L.LayerGroup | undefined>(undefined);
  const positionMarker = useRef<L.CircleMarker | undefined>(undefined);
  const fitted = useRef<'cells' | 'position' | undefined>(undefined);
  const [tileNotice, setTileNotice] = useState<string>();
  const geolocation = useGeolocation();
  const cells = useMemo(() => campaignCells(serverCells, deviceReadings, operators), [serverCells, deviceReadings, operators]);
  const counts = countByCompleteness(cells);
  const deviceOnly = cells.filter((cell) => cell.deviceOnly).length;

  useEffect(() => {
    const renderer = L.canvas({ padding: 0.2 });
    const leaflet = L.map(container.current!, { renderer, preferCanvas: true }).setView([DEFAULT_VIEW[0], DEFAULT_VIEW[1]], DEFAULT_VIEW[2]);
    map.current = leaflet;
    cellsLayer.current = L.layerGroup().addTo(leaflet);
    void loadTileConfig().then((tiles) => {
      if (!tiles) return setTileNotice('Fond de carte indisponible hors ligne : les mailles restent affichées.');
      createBaseLayer(L, tiles).addTo(leaflet);
    });
    return () => {
      leaflet.remove();
      map.current = undefined;
    };
  }, []);

  useEffect(() => {
    const layer = cellsLayer.current;
    if (!layer || !map.current) return;
    layer.clearLayers();
    const bounds = L.latLngBounds([]);
    for (const cell of cells) {
      const ref = parseCellId(cell.cellId);
      if (!ref) continue;
      const ring = cellRing(ref).map(([lon, lat]) => L.latLng(lat, lon));
      const colour = COMPLETENESS_COLOURS[cell.completeness];
      const polygon = L.polygon(ring, {
        color: cell.deviceOnly ? '#1b1b1b' : colour,
        weight: cell.deviceOnly ? 2 : 1,
        dashArray: cell.deviceOnly ? '4 3' : undefined,
        fillColor: colour,
        fillOpacity: 0.45,
      });
      polygon.bindPopup(() => cellPopup(cell));
      polygon.addTo(layer);
      bounds.extend(polygon.getBounds());
    }
    if (fitted.current !== 'cells' && bounds.isValid()) {
      fitted.current = 'cells';
      map.current.fitBounds(bounds, { maxZoom: 16, padding: [24, 24] });
    }
  }, [cells]);

  const fix = geolocation.status === 'ok' ? geolocation.fix : undefined;
  useEffect(() => {
    if (!map.current || !fix) return;
    const at = L.latLng(fix.lat, fix.lon);
    positionMarker.current ??= L.circleMarker(at, { radius: 7, color: '#ffffff', weight: 2, fillColor: '#d81b60', fillOpacity: 1 })
      .bindTooltip('Vous êtes ici')
      .addTo(map.current);
    positionMarker.current.setLatLng(at);
    // With no cell yet, the agent's own position is the best place to start.
    if (fitted.current === undefined) {
      fitted.current = 'position';
      map.current.setView(at, 15);
    }
  }, [fix?.lat, fix?.lon]);

  return (
    <div class="map-wrap campaign-map-wrap">
      <div ref={container} class="map campaign-map" role="region" aria-label="Carte des mailles de la campagne" />
      <ul class="legend" aria-label="Légende des mailles">
        {COMPLETENESS_ORDER.filter((key) => key !== 'none' || counts.none > 0).map((key) => (
          <li key={key}>
            <span class={`zone-swatch completeness-${key}`} /> {COMPLETENESS_LEGEND[key]} : {plural(counts[key], 'maille')}
          </li>
        ))}
        <li>
          <span class="zone-swatch device-only" /> Relevés seulement sur cet appareil : {deviceOnly} maille{deviceOnly > 1 ? 's' : ''}
        </li>
        <li>
          <span class="swatch you-are-here" /> Votre position{fix ? '' : ' (inconnue)'}
        </li>
      </ul>
      <p class="hint">Mailles de 200 m (grille INSPIRE). Là où rien n’est dessiné, personne n’a encore mesuré pour cette campagne.</p>
      {tileNotice && <p class="hint">{tileNotice}</p>}
    </div>
  );
}

/** Built from text nodes, like the other map popups. */
function cellPopup(cell: CampaignCellTally): HTMLElement {
  const element = document.createElement('div');
  const lines = [
    `${cell.readings} relevé${cell.readings > 1 ? 's' : ''}`,
    cell.measured.length > 0 ? `Mesurés : ${cell.measured.map((operator) => OPERATOR_LABELS[operator]).join(', ')}` : '',
    cell.missing.length > 0
      ? `Manquent : ${cell.missing.map((operator) => OPERATOR_LABELS[operator]).join(', ')}`
      : 'Tous les opérateurs de la campagne mesurés',
    cell.deviceOnly ? 'Pas encore sur le serveur' : '',
  ];
  for (const line of lines.filter(Boolean)) {
    const row = document.createElement('div');
    row.textContent = line;
    element.append(row);
  }
  return element;
}
