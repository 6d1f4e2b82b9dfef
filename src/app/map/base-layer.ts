import type * as Leaflet from 'leaflet';
import type { TileSource } from '../../domain/tile-source.ts';

/**
 * The base map of every Leaflet map in the app. Tiles are requested in CORS mode so that the
 * service worker caches readable responses: Chrome counts each opaque (no-cors) response as
 * megabytes against the storage quota, which a few thousand tiles would exhaust.
 */
export function createBaseLayer(L: typeof Leaflet, source: TileSource): Leaflet.TileLayer {
  return L.tileLayer(source.url, {
    attribution: source.attribution,
    minZoom: source.minZoom,
    maxZoom: source.maxZoom,
    crossOrigin: 'anonymous',
  });
}
