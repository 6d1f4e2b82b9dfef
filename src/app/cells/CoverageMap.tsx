import L from '../map/leaflet.ts';
import { useEffect, useRef } from 'preact/hooks';
import { createBaseLayer } from '../map/base-layer.ts';
import { loadTileConfig } from '../map/tile-config.ts';
import { ZONE_COLOURS } from '../map/zone-colours.ts';
import { DISCREPANCY_COLOUR } from './labels.ts';
import { cellIdOf, type CellFeature, type OutlineGeometry } from './api-types.ts';
import { resolutionForZoom, type CoverageFilters, type LonLatBounds, type MapView } from './coverage-filters.ts';
import { createTileLoader, type CellsLoad } from './tile-loader.ts';

/** Hérault, where Couverture started. */
const DEFAULT_VIEW: MapView = { zoom: 9, lat: 43.61, lon: 3.6 };

export interface CoverageMapProps {
  filters: CoverageFilters;
  initialView: MapView | undefined;
  selection: ReadonlySet<string>;
  activeCell: string | undefined;
  /** Outline drawn over the cells (a suggestion or a zone being looked at). */
  highlight: OutlineGeometry | undefined;
  onView(view: MapView, bounds: LonLatBounds): void;
  onCells(load: CellsLoad): void;
  onCellClick(feature: CellFeature): void;
  /** A shift-drag rectangle was drawn. */
  onRectangle(bounds: LonLatBounds): void;
  /** Zones already made in the département: dashed outlines, under the clicks. */
  zoneOutlines: OutlineGeometry[];
  /** When set, the map moves there (then the parent clears it). */
  flyTo: LonLatBounds | undefined;
  /** The « Écarts avec les cartes des opérateurs » layer: cells whose discrepancy is not empty outlined in violet. */
  showDiscrepancies?: boolean;
}

function boundsOf(map: L.Map): LonLatBounds {
  const b = map.getBounds();
  return { west: b.getWest(), south: b.getSouth(), east: b.getEast(), north: b.getNorth() };
}

/**
 * The cells of the view on a canvas (thousands of squares stay smooth), asked a tile at a time
 * (tile-loader.ts: only the tiles newly in sight after a move), on a coarser grid when zoomed
 * out. Shift-drag draws a selection rectangle (Leaflet's own shift-drag box zoom is turned off
 * for it).
 */
export function CoverageMap(props: CoverageMapProps) {
  const container = useRef<HTMLDivElement>(null);
  const latest = useRef(props);
  latest.current = props;
  const map = useRef<L.Map | undefined>(undefined);
  const drawnCells = useRef<() => L.GeoJSON[]>(() => []);
  const highlightLayer = useRef<L.GeoJSON | undefined>(undefined);
  const zonesLayer = useRef<L.GeoJSON | undefined>(undefined);
  const reload = useRef<() => void>(() => undefined);

  useEffect(() => {
    const start = latest.current.initialView ?? DEFAULT_VIEW;
    const renderer = L.canvas({ padding: 0.2 });
    const leaflet = L.map(container.current!, { renderer, preferCanvas: true, boxZoom: false }).setView([start.lat, start.lon], start.zoom);
    map.current = leaflet;
    void loadTileConfig().then((tiles) => {
      if (tiles) createBaseLayer(L, tiles).addTo(leaflet);
    });
    // One layer per tile, all alike: a cell is drawn the same whichever tile brought it.
    const cellsLayerOptions = {
      renderer,
      style: (feature) => cellStyle(feature as CellFeature, latest.current),
      onEachFeature: (feature, drawn) => {
        drawn.on('click', () => latest.current.onCellClick(feature as CellFeature));
      },
    } as L.GeoJSONOptions;
    const zones = L.geoJSON(undefined, {
      renderer,
      interactive: false,
      style: { color: '#1b1b1b', weight: 2, dashArray: '3 4', fill: false },
    } as L.GeoJSONOptions).addTo(leaflet);
    const highlight = L.geoJSON(undefined, {
      renderer,
      interactive: false,
      style: { color: '#003d7a', weight: 3, dashArray: '6 4', fill: false },
    } as L.GeoJSONOptions).addTo(leaflet);
    zonesLayer.current = zones;
    highlightLayer.current = highlight;

    const tiles = createTileLoader({
      filters: () => latest.current.filters,
      draw: (cells) => {
        const drawn = L.geoJSON(undefined, cellsLayerOptions).addTo(leaflet);
        drawn.addData({ type: 'FeatureCollection', features: cells } as GeoJSON.FeatureCollection);
        // The canvas paints in the order layers were added: the outlines stay over the cells.
        zones.bringToFront();
        highlight.bringToFront();
        return drawn;
      },
      erase: (drawn) => drawn.remove(),
      report: (load) => latest.current.onCells(load),
    });
    const load = () => {
      const resolution = resolutionForZoom(leaflet.getZoom());
      if (resolution === undefined) {
        tiles.show(undefined);
        latest.current.onCells({ state: 'too-far', cells: [], message: 'Zoomez pour afficher les mailles.' });
        return;
      }
      tiles.show({ bounds: boundsOf(leaflet), resolutionM: resolution });
    };
    reload.current = () => {
      tiles.forget();
      load();
    };
    drawnCells.current = () => tiles.drawn();
    const moved = () => {
      const centre = leaflet.getCenter();
      latest.current.onView({ zoom: leaflet.getZoom(), lat: centre.lat, lon: centre.lng }, boundsOf(leaflet));
      load();
    };
    leaflet.on('moveend', moved);
    moved();

    // Shift-drag: a rectangle that adds the cells whose centre it holds. Caught before
    // Leaflet's own handlers so that the map does not pan meanwhile.
    const box = container.current!;
    let suppressClickUntil = 0;
    const onDown = (event: MouseEvent) => {
      if (!event.shiftKey || event.button !== 0) return;
      event.stopPropagation();
      event.preventDefault();
      const from = leaflet.mouseEventToLatLng(event);
      const rectangle = L.rectangle(L.latLngBounds(from, from), { color: '#003d7a', weight: 1, dashArray: '4 3', fillOpacity: 0.1, interactive: false }).addTo(
        leaflet,
      );
      const onMove = (move: MouseEvent) => rectangle.setBounds(L.latLngBounds(from, leaflet.mouseEventToLatLng(move)));
      const onUp = (up: MouseEvent) => {
        document.removeEventListener('mousemove', onMove);
        document.removeEventListener('mouseup', onUp);
        rectangle.remove();
        suppressClickUntil = Date.now() + 400;
        const to = leaflet.mouseEventToLatLng(up);
        latest.current.onRectangle({
          west: Math.min(from.lng, to.lng),
          east: Math.max(from.lng, to.lng),
          south: Math.min(from.lat, to.lat),
          north: Math.max(from.lat, to.lat),
        });
      };
      document.addEventListener('mousemove', onMove);
      document.addEventListener('mouseup', onUp);
    };
    const onClick = (event: MouseEvent) => {
      if (Date.now() < suppressClickUntil) event.stopPropagation();
    };
    box.addEventListener('mousedown', onDown, true);
    box.addEventListener('click', onClick, true);
    return () => {
      tiles.stop();
      box.removeEventListener('mousedown', onDown, true);
      box.removeEventListener('click', onClick, true);
      leaflet.remove();
    };
  }, []);

  // New filters: the same view again (the first render's load is the mount's).
  const filtersSeen = useRef(props.filters);
  useEffect(() => {
    if (filtersSeen.current === props.filters) return;
    filtersSeen.current = props.filters;
    reload.current();
  }, [props.filters]);

  useEffect(() => {
    for (const layer of drawnCells.current())
      layer.eachLayer((drawn) => (drawn as L.Path).setStyle(cellStyle((drawn as L.Path & { feature: CellFeature }).feature, latest.current)));
  }, [props.selection, props.activeCell, props.showDiscrepancies]);

  useEffect(() => {
    highlightLayer.current?.clearLayers();
    if (props.highlight) highlightLayer.current?.addData(props.highlight);
  }, [props.highlight]);

  useEffect(() => {
    zonesLayer.current?.clearLayers();
    for (const outline of props.zoneOutlines) zonesLayer.current?.addData(outline);
  }, [props.zoneOutlines]);

  useEffect(() => {
    if (!props.flyTo || !map.current) return;
    const { west, south, east, north } = props.flyTo;
    map.current.fitBounds(
      [
        [south, west],
        [north, east],
      ],
      { maxZoom: 16, padding: [24, 24] },
    );
  }, [props.flyTo]);

  return <div ref={container} class="coverage-map" role="region" aria-label="Carte des mailles" />;
}

function cellStyle(
  feature: CellFeature,
  { selection, activeCell, showDiscrepancies }: Pick<CoverageMapProps, 'selection' | 'activeCell' | 'showDiscrepancies'>,
): L.PathOptions {
  const id = cellIdOf(feature);
  const colour = ZONE_COLOURS[feature.properties.zone] ?? ZONE_COLOURS.insufficient;
  if (selection.has(id)) return { color: '#003d7a', weight: 3, fillColor: colour, fillOpacity: 0.8 };
  if (id === activeCell) return { color: '#1b1b1b', weight: 2, fillColor: colour, fillOpacity: 0.6 };
  if (showDiscrepancies) {
    // The contested cells stand out; the others fade so that the layer reads at a glance.
    if (feature.properties.discrepancy.length > 0) return { color: DISCREPANCY_COLOUR, weight: 3, fillColor: colour, fillOpacity: 0.7 };
    return { color: colour, weight: 0.5, fillColor: colour, fillOpacity: 0.15 };
  }
  return { color: colour, weight: 0.5, fillColor: colour, fillOpacity: 0.45 };
}
