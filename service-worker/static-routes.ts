/// <reference lib="webworker" />
declare const self: ServiceWorkerGlobalScope;

/** One precache entry as vite-plugin-pwa writes them into `self.__WB_MANIFEST`. */
export interface PrecacheEntry {
  url: string;
  revision: string | null;
}

/** A rule of the Static Routing API (Chromium 123+), as much of it as this worker uses. */
export interface StaticRoute {
  condition: {
    urlPattern?: { pathname: string; search?: string };
    requestMode?: RequestMode;
    requestMethod?: string;
    or?: StaticRoute['condition'][];
  };
  source: { cacheName: string };
}

type InstallEventWithRoutes = ExtendableEvent & { addRoutes?: (routes: StaticRoute[]) => Promise<void> };

/** Caches holding the page's HTML under `/`, one per revision of index.html. */
export const SHELL_CACHE_PREFIX = 'shell-';

/**
 * The cache holding this build's index.html under `/`, named by its revision, so that a
 * worker waiting to take over never overwrites the HTML the active one answers with.
 */
export function shellCacheName(manifest: readonly PrecacheEntry[]): string | undefined {
  const revision = manifest.find((entry) => entry.url === 'index.html')?.revision;
  return revision ? `${SHELL_CACHE_PREFIX}${revision}` : undefined;
}

/**
 * The routes the browser answers from Cache Storage by itself, without starting this worker
 * or running its fetch handler: the start page (`/` opened from the home screen, any hash
 * route) from the shell cache, and the build's files with a hash in their name from the
 * precache. A lookup that misses goes to the network, so only what install has cached is
 * routed: the reviewers' chunks left out of the precache, other pages and every query string
 * still go through the fetch handler (assets-on-demand.ts, the NavigationRoute).
 */
export function staticRoutes(manifest: readonly PrecacheEntry[], shellCache: string, precacheCache: string): StaticRoute[] {
  const hashed = manifest.filter((entry) => entry.revision === null && entry.url.startsWith('assets/'));
  const routes: StaticRoute[] = [
    { condition: { urlPattern: { pathname: '/', search: '' }, requestMode: 'navigate', requestMethod: 'GET' }, source: { cacheName: shellCache } },
  ];
  if (hashed.length > 0) {
    routes.push({
      // `or` allows no other condition beside it (Chromium): each branch is a GET by its nature.
      condition: { or: hashed.map((entry) => ({ urlPattern: { pathname: `/${entry.url}`, search: '' } })) },
      source: { cacheName: precacheCache },
    });
  }
  return routes;
}

/**
 * A repeat visit's start without the service worker in its way (issue 19): at install, the
 * page's HTML is kept under `/` in this build's shell cache and the static routes are
 * declared; at activation, the shell caches of older builds go. Browsers without
 * `addRoutes` keep answering every request from the fetch handler, as before. `precacheCache`
 * is Workbox's precache (`cacheNames.precache`).
 *
 * The HTML kept is checked against this build's precache list: after a deployment changed in
 * the middle of the install (HTML naming files this worker does not hold), or anything else
 * failing here, no route is declared and the fetch handler answers everything, as before.
 */
export function registerStaticRoutes(manifest: readonly PrecacheEntry[], precacheCache: string): void {
  const shellCache = shellCacheName(manifest);
  if (shellCache === undefined) return;
  self.addEventListener('install', (event) => {
    const routing = event as InstallEventWithRoutes;
    if (typeof routing.addRoutes !== 'function') return;
    // Never the install's failure: without the routes, the fetch handler answers as before.
    const routed = keepShell(manifest, shellCache).then(() => routing.addRoutes!(staticRoutes(manifest, shellCache, precacheCache)));
    event.waitUntil(routed.catch((error: unknown) => console.warn('Routes statiques non déclarées :', error)));
  });
  self.addEventListener('activate', (event) => {
    event.waitUntil(dropOtherShells(shellCache));
  });
}

async function keepShell(manifest: readonly PrecacheEntry[], shellCache: string): Promise<void> {
  const response = await fetch('/index.html', { cache: 'no-cache', credentials: 'same-origin' });
  if (!response.ok) throw new Error(`index.html: ${response.status}`);
  const html = await response.clone().text();
  const held = new Set(manifest.map((entry) => `/${entry.url}`));
  const missing = namedAssets(html).filter((path) => !held.has(path));
  if (missing.length > 0) throw new Error(`index.html names files this worker does not hold: ${missing.join(', ')}`);
  const cache = await caches.open(shellCache);
  await cache.put(new Request(new URL('/', self.location.origin).href), response);
}

/** The build's files an HTML page names (`/assets/…` in src and href attributes). */
export function namedAssets(html: string): string[] {
  return [...html.matchAll(/(?:src|href)="(\/assets\/[^"?#]+)"/g)].map((match) => match[1]!);
}

async function dropOtherShells(current: string): Promise<void> {
  const names = await caches.keys();
  await Promise.all(names.filter((name) => name.startsWith(SHELL_CACHE_PREFIX) && name !== current).map((name) => caches.delete(name)));
}
