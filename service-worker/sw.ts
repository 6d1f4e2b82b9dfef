/// <reference lib="webworker" />
import { cacheNames, clientsClaim } from 'workbox-core';
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { flushForBackgroundSync } from '../src/sync/background-sync.ts';
import { flushOutbox } from '../src/sync/flush.ts';
import { SYNC_TAG, type PageToWorkerMessage } from '../src/sync/protocol.ts';
import { abandonUploadsInFlight, noteNetworkGone } from '../src/sync/upload.ts';
import { registerAssetsOnDemand } from './assets-on-demand.ts';
import { registerStaticRoutes } from './static-routes.ts';
import { registerTileRoutes } from './tile-cache.ts';
import { flushOptions } from './upload-timeout.ts';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: Array<{ url: string; revision: string | null }> };

// The app shell and every screen an agent or a resident may open offline, versioned by
// Workbox: each build's list replaces the last, and caches of older builds are deleted on
// activate. Reviewers' own chunks are not in it (scripts/precache-by-role.ts).
const precached = self.__WB_MANIFEST;
precacheAndRoute(precached);
cleanupOutdatedCaches();

// The start page and the hashed files answered by the browser from the caches above without
// running this worker (static routes, where supported); the routes below stay the fallback.
registerStaticRoutes(precached, cacheNames.precache);

// Any navigation (a reload in airplane mode, a deep link) gets the cached shell. The API is
// never answered from a cache: reachability must mean the server answered.
registerRoute(new NavigationRoute(createHandlerBoundToURL('index.html'), { denylist: [/^\/api\//] }));

// Reviewers' chunks, out of the precache: kept on first use.
registerAssetsOnDemand();

// Base-map tiles: downloaded areas, then the bounded browsing cache, then the network.
registerTileRoutes();

// First install takes control at once; an update waits for the page's « Mettre à jour ».
clientsClaim();

self.addEventListener('message', (event: ExtendableMessageEvent) => {
  const message = event.data as PageToWorkerMessage | undefined;
  if (message?.type === 'SKIP_WAITING') {
    void self.skipWaiting();
  } else if (message?.type === 'NETWORK_GONE') {
    noteNetworkGone();
  } else if (message?.type === 'NETWORK_BACK') {
    abandonUploadsInFlight();
  } else if (message?.type === 'SYNC_NOW') {
    const flushing = flushOptions().then(flushOutbox);
    event.waitUntil(flushing.catch(() => undefined));
    void flushing.then(
      (result) => event.ports[0]?.postMessage(result),
      (error: unknown) => event.ports[0]?.postMessage({ sent: 0, refused: 0, pending: 0, error: String(error) }),
    );
  }
});

// Background Sync (Chromium): the browser wakes the worker when the network returns, even
// with every tab closed; a failed event makes it try again later (src/sync/background-sync.ts).
self.addEventListener('sync', (event) => {
  if (event.tag !== SYNC_TAG) return;
  event.waitUntil(flushForBackgroundSync(() => flushOptions().then(flushOutbox)));
});

interface SyncEvent extends ExtendableEvent {
  readonly tag: string;
}
declare global {
  interface ServiceWorkerGlobalScopeEventMap {
    sync: SyncEvent;
  }
}
