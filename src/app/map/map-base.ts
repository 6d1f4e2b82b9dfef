import L from 'leaflet';
import type { TileSource } from '../../domain/tile-source.ts';
import { createBaseLayer } from './base-layer.ts';
import { chosenSource, loadTileSources, onTileSourceChosen } from './tile-config.ts';

/**
 * The base map under the readings: the source chosen on this device (or the deployment's
 * default), swapped when the user picks another. `onSource` hears which one is shown (the
 * « Préparer hors ligne » panel downloads that one); a notice replaces it when it cannot be
 * had offline. Returns how to remove it.
 */
export function addBaseLayer(map: L.Map, notify: (notice: string | undefined) => void, onSource: (source: TileSource) => void): () => void {
  let layer: L.Layer | undefined;
  let removed = false;
  const show = async () => {
    const config = await loadTileSources();
    if (removed) return;
    const source = config && chosenSource(config);
    if (!source) return notify('Fond de carte indisponible hors ligne : les relevés restent affichés.');
    layer?.remove();
    layer = createBaseLayer(L, source).addTo(map);
    notify(undefined);
    onSource(source);
  };
  void show();
  const stopListening = onTileSourceChosen(() => void show());
  return () => {
    removed = true;
    stopListening();
    layer?.remove();
  };
}
