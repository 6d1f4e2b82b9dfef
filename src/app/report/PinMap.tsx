import L from '../map/leaflet.ts';
import { useEffect, useRef, useState } from 'preact/hooks';
import { createBaseLayer } from '../map/base-layer.ts';
import { loadTileConfig } from '../map/tile-config.ts';
import { PIN_MAX_ACCURACY_M, pinAccuracyM, ZOOM_IN_HINT, zoomForPin } from './pin-accuracy.ts';

export interface Pin {
  lat: number;
  lon: number;
  /** What a fingertip covers at the zoom the pin was placed (metres, ≤ PIN_MAX_ACCURACY_M). */
  accuracyM: number;
}

export interface PinMapProps {
  /** Where to start: the GPS's rough idea, else the département. */
  centre?: { lat: number; lon: number } | undefined;
  pin: Pin | undefined;
  onPin: (pin: Pin) => void;
  /** What the map is for, said to screen readers (« touchez l’endroit où… »). */
  label?: string;
}

const DEFAULT_VIEW = { lat: 43.61, lon: 3.6, zoom: 9 };

/**
 * A small map on which a person taps a place: a resident's dead spot, an agent's position
 * when the phone has none. Loaded on demand (load-pin-map.ts). A point is only placed once
 * the map is zoomed in enough for it to be within PIN_MAX_ACCURACY_M; a tap further out
 * zooms in there instead.
 */
export function PinMap({ centre, pin, onPin, label = 'Carte : touchez l’endroit où le téléphone ne passe pas' }: PinMapProps) {
  const container = useRef<HTMLDivElement>(null);
  const marker = useRef<L.CircleMarker | undefined>(undefined);
  const map = useRef<L.Map | undefined>(undefined);
  const [tileNotice, setTileNotice] = useState<string>();
  const [viewAccuracyM, setViewAccuracyM] = useState<number>();
  const onPinRef = useRef(onPin);
  onPinRef.current = onPin;

  useEffect(() => {
    const start = pin ?? centre;
    const leaflet = L.map(container.current!, { zoomControl: true }).setView(
      start ? [start.lat, start.lon] : [DEFAULT_VIEW.lat, DEFAULT_VIEW.lon],
      start ? zoomForPin(start.lat) : DEFAULT_VIEW.zoom,
    );
    map.current = leaflet;
    const measure = () => setViewAccuracyM(pinAccuracyM(leaflet.getCenter().lat, leaflet.getZoom()));
    measure();
    leaflet.on('zoomend moveend', measure);
    void loadTileConfig().then((tiles) => {
      if (!tiles) return setTileNotice('Fond de carte indisponible hors ligne : le point reste utilisable, mais placez-le avec du réseau si vous pouvez.');
      createBaseLayer(L, tiles).addTo(leaflet);
    });
    leaflet.on('click', (event: L.LeafletMouseEvent) => {
      const { lat, lng } = event.latlng;
      const accuracyM = pinAccuracyM(lat, leaflet.getZoom());
      if (accuracyM > PIN_MAX_ACCURACY_M) return void leaflet.setView(event.latlng, zoomForPin(lat));
      onPinRef.current({ lat: round(lat), lon: round(lng), accuracyM });
    });
    return () => leaflet.remove();
  }, []);

  useEffect(() => {
    if (!map.current) return;
    if (!pin) {
      marker.current?.remove();
      marker.current = undefined;
      return;
    }
    marker.current ??= L.circleMarker([pin.lat, pin.lon], { radius: 10, color: '#ffffff', weight: 3, fillColor: '#b3261e', fillOpacity: 0.95 }).addTo(
      map.current,
    );
    marker.current.setLatLng([pin.lat, pin.lon]);
  }, [pin]);

  const tooCoarse = viewAccuracyM === undefined || viewAccuracyM > PIN_MAX_ACCURACY_M;
  return (
    <div class="pin-map-wrap">
      <div ref={container} class="pin-map" role="application" aria-label={label} />
      {/* For keyboards and screen readers: move the map (arrow keys), then place the point. */}
      <button
        type="button"
        class="pin-centre"
        disabled={tooCoarse}
        aria-describedby={tooCoarse ? 'pin-zoom-hint' : undefined}
        onClick={() => {
          const leaflet = map.current;
          if (!leaflet) return;
          const at = leaflet.getCenter();
          onPin({ lat: round(at.lat), lon: round(at.lng), accuracyM: pinAccuracyM(at.lat, leaflet.getZoom()) });
        }}
      >
        Placer le point au centre de la carte
      </button>
      <p id="pin-zoom-hint" class="hint pin-zoom-hint" role="status">
        {tooCoarse ? `${ZOOM_IN_HINT} (touchez la carte pour zoomer).` : ''}
      </p>
      {tileNotice && <p class="hint">{tileNotice}</p>}
    </div>
  );
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;
