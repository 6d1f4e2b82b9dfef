/// <reference lib="webworker" />
import { ExpirationPlugin } from 'workbox-expiration';
import { registerRoute } from 'workbox-routing';
import { CacheFirst } from 'workbox-strategies';
import { matchTileUrl } from '../src/domain/tiles.ts';
import { BROWSE_TILES_CACHE, OFFLINE_TILES_CACHE, TILE_MATCH_OPTIONS } from '../src/store/tile-caches.ts';
import { TILE_SOURCES_CHANGED, readBrowseCacheLimit, readTileSources } from '../src/store/tile-sources.ts';
import { placeholderTile } from './placeholder-tile.ts';

declare const self: ServiceWorkerGlobalScope;

/** About 50 MB of Plan IGN: a few days of browsing the same communes. */
const BROWSE_MAX_ENTRIES = 2000;
const BROWSE_MAX_AGE_S = 30 * 24 * 3600;

interface TileSettings {
  /** URL templates of the deployment's sources: a request matching one is a tile. */
  templates: string[];
  browse: CacheFirst;
}

let settings: Promise<TileSettings> | undefined;

/**
 * Tile requests, in order: the areas downloaded ahead ("tiles-offline"), the browsing cache
 * ("tiles-browse", bounded, least recently used out first), then the network, whose 200
 * answers go to the browsing cache. Offline and in neither cache: a « Non téléchargé » tile,
 * never a broken image.
 */
export function registerTileRoutes(): void {
  registerRoute(
    ({ request }) => request.destination === 'image',
    async ({ request, event }) => {
      const { templates, browse } = await tileSettings();
      if (!templates.some((template) => matchTileUrl(request.url, template))) return fetch(request);
      const offline = await caches.open(OFFLINE_TILES_CACHE);
      const downloaded = await offline.match(request.url, TILE_MATCH_OPTIONS);
      if (downloaded) return downloaded;
      try {
        return await browse.handle({ request, event });
      } catch {
        return placeholderTile();
      }
    },
  );

  self.addEventListener('message', (event: ExtendableMessageEvent) => {
    if ((event.data as { type?: unknown } | undefined)?.type === TILE_SOURCES_CHANGED) settings = undefined;
  });
}

function tileSettings(): Promise<TileSettings> {
  settings ??= loadTileSettings();
  return settings;
}

async function loadTileSettings(): Promise<TileSettings> {
  const [config, limit] = await Promise.all([readTileSources().catch(() => undefined), readBrowseCacheLimit().catch(() => undefined)]);
  return {
    // A template that is a path on this server matches the absolute URLs requests carry.
    templates: config?.sources.map(({ url }) => (url.startsWith('/') ? `${self.location.origin}${url}` : url)) ?? [],
    browse: new CacheFirst({
      cacheName: BROWSE_TILES_CACHE,
      matchOptions: TILE_MATCH_OPTIONS,
      plugins: [
        new ExpirationPlugin({
          maxEntries: limit ?? BROWSE_MAX_ENTRIES,
          maxAgeSeconds: BROWSE_MAX_AGE_S,
          matchOptions: TILE_MATCH_OPTIONS,
          // Out of quota, the browsing cache goes first: readings and downloaded areas matter more.
          purgeOnQuotaError: true,
        }),
      ],
    }),
  };
}
