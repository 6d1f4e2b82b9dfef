import type { TileSource, TileSourcesConfig } from '../../domain/tile-source.ts';
import { TILE_SOURCES_CHANGED, saveTileSources } from '../../store/tile-sources.ts';
import { askServerConfig } from '../shell/server-config.ts';

/** The legacy shape of GET /api/v1/config → `tiles` (one base map); every TileSource has it. */
export interface TileConfig {
  url: string;
  attribution: string;
  maxZoom: number;
}

const SOURCES_CACHE_KEY = 'couverture.tile-sources';
/** What versions before the tile sources remembered: still read for a first offline start. */
const LEGACY_CACHE_KEY = 'couverture.tile-config';
const CHOICE_KEY = 'couverture.tile-source';

let loading: Promise<TileSourcesConfig | undefined> | undefined;

/**
 * The deployment's base maps (GET /api/v1/config → `tileSources`), remembered for offline
 * starts, and handed to the service worker (IndexedDB meta) so that it knows which requests
 * are tiles. Maps opening together share one request.
 */
export function loadTileSources(): Promise<TileSourcesConfig | undefined> {
  loading ??= fetchTileSources().finally(() => (loading = undefined));
  return loading;
}

/** The base map the user chose on this device if the deployment still offers it, else the deployment's default. */
export function chosenSource(config: TileSourcesConfig): TileSource | undefined {
  const chosenId = readStorage(CHOICE_KEY);
  return config.sources.find((source) => source.id === chosenId) ?? config.sources.find((source) => source.id === config.defaultSourceId) ?? config.sources[0];
}

/** The base map maps open with (see chosenSource), or undefined offline on a device that never loaded it. */
export async function loadChosenTileSource(): Promise<TileSource | undefined> {
  const config = await loadTileSources();
  return config && chosenSource(config);
}

/** For the maps written before there were several sources: the chosen one. */
export function loadTileConfig(): Promise<TileSource | undefined> {
  return loadChosenTileSource();
}

const choiceListeners = new Set<(sourceId: string) => void>();

/** Remembers the user's base map on this device and tells the open maps. */
export function chooseTileSource(sourceId: string): void {
  writeStorage(CHOICE_KEY, sourceId);
  for (const listener of choiceListeners) listener(sourceId);
}

/** Called with the new source's id whenever the user picks another base map. */
export function onTileSourceChosen(listener: (sourceId: string) => void): () => void {
  choiceListeners.add(listener);
  return () => choiceListeners.delete(listener);
}

async function fetchTileSources(): Promise<TileSourcesConfig | undefined> {
  const body = await askServerConfig();
  let config = body?.tileSources ?? (body?.tiles && fromLegacy(body.tiles));
  if (config) writeStorage(SOURCES_CACHE_KEY, JSON.stringify(config));
  else config = cachedTileSources();
  if (config) await tellServiceWorker(config);
  return config;
}

function cachedTileSources(): TileSourcesConfig | undefined {
  try {
    const cached = readStorage(SOURCES_CACHE_KEY);
    if (cached) return JSON.parse(cached) as TileSourcesConfig;
    const legacy = readStorage(LEGACY_CACHE_KEY);
    return legacy ? fromLegacy(JSON.parse(legacy) as TileConfig) : undefined;
  } catch {
    return undefined;
  }
}

/** A server from before the tile sources: its one base map, browse-time caching only. */
function fromLegacy(tiles: TileConfig): TileSourcesConfig {
  return {
    defaultSourceId: 'custom',
    sources: [
      {
        id: 'custom',
        label: 'Fond de carte',
        url: tiles.url,
        attribution: tiles.attribution,
        minZoom: 0,
        maxZoom: tiles.maxZoom,
        allowsPrefetch: false,
        averageTileBytes: 20_000,
      },
    ],
  };
}

/**
 * Written before any tile layer exists, so that the service worker recognises the first
 * tile. A failure only costs the caching of tiles: the map itself still works.
 */
async function tellServiceWorker(config: TileSourcesConfig): Promise<void> {
  try {
    await saveTileSources(config);
    navigator.serviceWorker?.controller?.postMessage({ type: TILE_SOURCES_CHANGED });
  } catch {
    // IndexedDB unavailable (a private window that refuses it): tiles go straight to the network.
  }
}

function readStorage(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function writeStorage(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // Storage full or refused: the choice lasts for this page only.
  }
}
