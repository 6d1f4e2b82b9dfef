import type { TileSourcesConfig } from '../domain/tile-source.ts';
import { withDb } from './db.ts';

/**
 * The deployment's tile sources, written by the page each time it loads them from the server
 * and read by the service worker, which must tell tile requests apart from the rest.
 */
const SOURCES_KEY = 'tileSources';

/**
 * How many tiles the browsing cache keeps, when not the default. Nothing in the app sets it:
 * it lets support shrink the cache on a phone short of space, and tests reach the bound
 * with a handful of tiles.
 */
const BROWSE_LIMIT_KEY = 'tileBrowseCacheLimit';

/** The page tells the service worker that the sources (or the limit) changed. */
export const TILE_SOURCES_CHANGED = 'TILE_SOURCES_CHANGED';

export async function saveTileSources(config: TileSourcesConfig): Promise<void> {
  await withDb((db) => db.put('meta', config, SOURCES_KEY));
}

export async function readTileSources(): Promise<TileSourcesConfig | undefined> {
  return (await withDb((db) => db.get('meta', SOURCES_KEY))) as TileSourcesConfig | undefined;
}

export async function readBrowseCacheLimit(): Promise<number | undefined> {
  const limit = await withDb((db) => db.get('meta', BROWSE_LIMIT_KEY));
  return typeof limit === 'number' && Number.isInteger(limit) && limit > 0 ? limit : undefined;
}
