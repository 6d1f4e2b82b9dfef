import type L from 'leaflet';
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { TileSource } from '../../domain/tile-source.ts';
import type { OfflineMapsPanelProps } from '../offline-maps/OfflineMapsPanel.tsx';

/** « Préparer hors ligne » below the map, for the view on screen and the base map shown. Lazy: only opening the map needs it. */
export function OfflineMaps({ map, source }: { map: L.Map; source: TileSource }) {
  const [Panel, setPanel] = useState<ComponentType<OfflineMapsPanelProps>>();
  useEffect(() => {
    void import('../offline-maps/OfflineMapsPanel.tsx').then((module) => setPanel(() => module.OfflineMapsPanel));
  }, []);
  const getView = () => {
    const b = map.getBounds();
    return { bbox: [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()] as const, zoom: map.getZoom() };
  };
  return Panel ? <Panel getView={getView} source={source} /> : null;
}
