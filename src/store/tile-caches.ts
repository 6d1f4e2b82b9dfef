/**
 * The Cache Storage caches that hold base-map tiles, shared by the page (which downloads
 * areas) and the service worker (which answers tile requests). Not versioned with the app:
 * they hold the user's data, not the shell, and must survive updates.
 */

/** Tiles of the areas prepared with « Préparer hors ligne ». Never expired by browsing. */
export const OFFLINE_TILES_CACHE = 'tiles-offline';

/** Tiles seen while browsing: bounded and expiring (service-worker/tile-cache.ts). */
export const BROWSE_TILES_CACHE = 'tiles-browse';

/** Tiles are cached by URL alone: a tile server's Vary: Origin must not hide a tile fetched from the page. */
export const TILE_MATCH_OPTIONS: CacheQueryOptions = { ignoreVary: true };
