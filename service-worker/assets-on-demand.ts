/// <reference lib="webworker" />
import { ExpirationPlugin } from 'workbox-expiration';
import { registerRoute } from 'workbox-routing';
import { CacheFirst } from 'workbox-strategies';

declare const self: ServiceWorkerGlobalScope;

export const ASSETS_ON_DEMAND_CACHE = 'assets-on-demand';

/**
 * The build's files left out of the precache (reviewers' screens, scripts/precache-by-role.ts)
 * are kept on first use, so that a reviewer's second visit comes from the phone. Files under
 * /assets/ carry their content's hash and never change: the cached copy is always right.
 * Bounded, so that chunks of builds long gone leave by themselves.
 */
export function registerAssetsOnDemand(): void {
  registerRoute(
    ({ url }) => url.origin === self.location.origin && url.pathname.startsWith('/assets/'),
    new CacheFirst({
      cacheName: ASSETS_ON_DEMAND_CACHE,
      plugins: [new ExpirationPlugin({ maxEntries: 60, maxAgeSeconds: 90 * 24 * 3600, purgeOnQuotaError: true })],
    }),
  );
}
