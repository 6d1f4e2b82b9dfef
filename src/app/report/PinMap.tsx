import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import { useEffect, useRef, useState } from 'preact/hooks';
import { createBaseLayer } from '../map/base-layer.ts';
import { loadTileConfig } from '../map/tile-config.ts';

export interface Pin {
  lat: number;
  lon: number;
  /** What a finger can point at, at the zoom the pin was placed (metres). */
  accuracyM: number;
}

export interface PinMapProps {
  /** Where to start: the GPS's rough idea, else the département. */
  centre?: { lat: number; lon: number } | undefined;
  pin: Pin | undefined;
  onPin: (pin: Pin) => void;
}

const DEFAULT_VIEW = { lat: 43.61, lon: 3.6, zoom: 9 };
/** About the size of a fingertip on a phone screen. */
const FINGER_PX = 24;

/** Metres covered by FINGER_PX pixels at this zoom and latitude (Web Mercator). */
export function fingerAccuracyM(lat: number, zoom: number): number {
  const metresPerPixel = (40_075_016.686 * Math.cos((lat * Math.PI) / 180)) / 2 ** (zoom + 8);
  return Math.min(5000, Math.max(5, Math.round(metresPerPixel * FINGER_PX)));
}

/** A small map on which a resident taps where the phone does not work. Loaded on demand. */
export function PinMap({ centre, pin, onPin }: PinMapProps) {
  const container = useRef<HTMLDivElement>(null);
  const marker = useRef<L.CircleMarker | undefined>(undefined);
  const map = useRef<L.Map | undefined>(undefined);
  const [tileNotice, setTileNotice] = useState<string>();
  const onPinRef = useRef(onPin);
  onPinRef.current = onPin;

  useEffect(() => {
    const start = pin ?? centre;
    const leaflet = L.map(container.current!, { zoomControl: true }).setView(
      start ? [start.lat, start.lon] : [DEFAULT_VIEW.lat, DEFAULT_VIEW.lon],
      start ? 15 : DEFAULT_VIEW.zoom,
    );
    map.current = leaflet;
    void loadTileConfig().then((tiles) => {
      if (!tiles) return setTileNotice('Fond de carte indisponible hors ligne : le point reste utilisable, mais placez-le avec du réseau si vous pouvez.');
      createBaseLayer(L, tiles).addTo(leaflet);
    });
    leaflet.on('click', (event: L.LeafletMouseEvent) => {
      onPinRef.current({ lat: round(event.latlng.lat), lon: round(event.latlng.lng), accuracyM: fingerAccuracyM(event.latlng.lat, leaflet.getZoom()) });
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
    marker.current ??= L.circleMarker([pin.lat, pin.lon], { radius: 10, color: '#ffffff', weight: 3, fillColor: '#b3261e', fillOpacity: 0.95 }).addTo(map.current);
    marker.current.setLatLng([pin.lat, pin.lon]);
  }, [pin]);

  return (
    <div class="pin-map-wrap">
      <div ref={container} class="pin-map" role="application" aria-label="Carte : touchez l’endroit où le téléphone ne passe pas" />
      {/* For keyboards and screen readers: move the map (arrow keys), then place the point. */}
      <button
        type="button"
        class="pin-centre"
        onClick={() => {
          const leaflet = map.current;
          if (!leaflet) return;
          const at = leaflet.getCenter();
          onPin({ lat: round(at.lat), lon: round(at.lng), accuracyM: fingerAccuracyM(at.lat, leaflet.getZoom()) });
        }}
      >
        Placer le point au centre de la carte
      </button>
      {tileNotice && <p class="hint">{tileNotice}</p>}
    </div>
  );
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;
