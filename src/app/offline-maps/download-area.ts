import { tileUrl, tilesOf, type TileCoord } from '../../domain/tiles.ts';
import type { OfflineAreaRecord } from '../../store/offline-areas.ts';
import { OFFLINE_TILES_CACHE, TILE_MATCH_OPTIONS } from '../../store/tile-caches.ts';

/** Requests at a time: polite to a public tile server, enough to fill a slow link. */
export const DOWNLOAD_CONCURRENCY = 4;
/** Tries of one tile the server answered 429 or 5xx, waiting 1 s, 2 s, 4 s between them. */
const SERVER_ERROR_TRIES = 4;

export interface DownloadCounts {
  doneCount: number;
  failedCount: number;
  bytesStored: number;
}

/**
 * How a run ended. `offline`: the device has no network (the run resumes when it returns);
 * `unreachable`: the device believes it is online but the tile server does not answer (down,
 * blocked, or a network too weak here); `server`: the tile server keeps refusing (429/5xx);
 * `full`: no more room in storage.
 */
export type DownloadOutcome = 'complete' | 'cancelled' | 'offline' | 'unreachable' | 'server' | 'full';

/**
 * Downloads an area's tiles into "tiles-offline", DOWNLOAD_CONCURRENCY at a time, in the
 * stable order of tilesOf. Tiles already there (an earlier, interrupted run) are counted
 * without being asked again, so a run resumes where the last one stopped whatever stopped it.
 * A tile the server answers 4xx for (none at that spot) counts as done and failed.
 */
export async function downloadArea(
  area: Pick<OfflineAreaRecord, 'bbox' | 'minZoom' | 'maxZoom' | 'urlTemplate'>,
  signal: AbortSignal,
  onProgress: (counts: DownloadCounts) => void,
): Promise<DownloadOutcome> {
  const cache = await caches.open(OFFLINE_TILES_CACHE);
  const tiles = tilesOf(area.bbox, area);
  const counts: DownloadCounts = { doneCount: 0, failedCount: 0, bytesStored: 0 };
  let stop: DownloadOutcome | undefined;

  const worker = async () => {
    for (let next = tiles.next(); !next.done && !stop && !signal.aborted; next = tiles.next()) {
      const result = await fetchTile(cache, tileUrl(area.urlTemplate, next.value as TileCoord), signal);
      if (typeof result === 'number') {
        counts.doneCount += 1;
        counts.bytesStored += result;
      } else if (result === 'refused') {
        counts.doneCount += 1;
        counts.failedCount += 1;
      } else {
        stop ??= result;
        break;
      }
      onProgress({ ...counts });
    }
  };
  await Promise.all(Array.from({ length: DOWNLOAD_CONCURRENCY }, worker));
  if (signal.aborted) return 'cancelled';
  return stop ?? 'complete';
}

/** Bytes stored, 'refused' (4xx: no such tile), or why the run must stop. */
async function fetchTile(cache: Cache, url: string, signal: AbortSignal): Promise<number | 'refused' | Exclude<DownloadOutcome, 'complete'>> {
  const stored = await cache.match(url, TILE_MATCH_OPTIONS);
  if (stored) return storedSize(stored);
  for (let attempt = 1; ; attempt += 1) {
    let response: Response;
    try {
      response = await fetch(url, { signal, mode: 'cors', credentials: 'omit' });
    } catch {
      return signal.aborted ? 'cancelled' : networkFailure();
    }
    if (response.ok) return store(cache, url, response, signal);
    if (response.status !== 429 && response.status < 500) return 'refused';
    if (attempt >= SERVER_ERROR_TRIES) return 'server';
    if (!(await pause(1000 * 2 ** (attempt - 1), signal))) return 'cancelled';
  }
}

async function store(cache: Cache, url: string, response: Response, signal: AbortSignal): Promise<number | 'cancelled' | 'offline' | 'unreachable' | 'full'> {
  let body: Blob;
  try {
    body = await response.blob();
  } catch {
    return signal.aborted ? 'cancelled' : networkFailure();
  }
  // Stored with its size, so that a resumed run counts the bytes without reading every tile.
  const headers = new Headers({ 'content-length': String(body.size), date: new Date().toUTCString() });
  const type = response.headers.get('content-type');
  if (type) headers.set('content-type', type);
  try {
    await cache.put(url, new Response(body, { headers }));
  } catch (error) {
    if (error instanceof DOMException && error.name === 'QuotaExceededError') return 'full';
    throw error;
  }
  return body.size;
}

/** A request that got no answer: the device is offline (certain when the browser says so), else the tile server is out of reach. */
function networkFailure(): 'offline' | 'unreachable' {
  return navigator.onLine ? 'unreachable' : 'offline';
}

async function storedSize(response: Response): Promise<number> {
  const length = Number(response.headers.get('content-length'));
  return Number.isFinite(length) && length > 0 ? length : (await response.blob()).size;
}

/** Waits, unless cancelled first; true when the wait ran to its end. */
function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(false);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
