import { describe, expect, it } from 'vitest';
import { namedAssets, shellCacheName, staticRoutes } from '../../service-worker/static-routes.ts';

const manifest = [
  { url: 'index.html', revision: 'abc123' },
  { url: 'manifest.webmanifest', revision: 'def456' },
  { url: 'assets/index-B2jZ78Lx.js', revision: null },
  { url: 'assets/index-CiqCL4rz.css', revision: null },
];

// The routes the browser answers from Cache Storage without the worker (issue 19): a lookup
// that misses goes to the network, so only what install cached may be routed.
describe('the service worker’s static routes', () => {
  it('answer `/` without a query from this build’s shell cache, and only the precached hashed files from the precache', () => {
    expect(shellCacheName(manifest)).toBe('shell-abc123');
    expect(staticRoutes(manifest, 'shell-abc123', 'workbox-precache-v2-x')).toEqual([
      { condition: { urlPattern: { pathname: '/', search: '' }, requestMode: 'navigate', requestMethod: 'GET' }, source: { cacheName: 'shell-abc123' } },
      {
        condition: {
          or: [{ urlPattern: { pathname: '/assets/index-B2jZ78Lx.js', search: '' } }, { urlPattern: { pathname: '/assets/index-CiqCL4rz.css', search: '' } }],
        },
        source: { cacheName: 'workbox-precache-v2-x' },
      },
    ]);
  });

  it('read the files a page names, to check them against the precache before keeping it', () => {
    const html =
      '<script type="module" crossorigin src="/assets/index-B2jZ78Lx.js"></script><link rel="stylesheet" href="/assets/index-CiqCL4rz.css"><link rel="icon" href="/icons/icon.svg">';
    expect(namedAssets(html)).toEqual(['/assets/index-B2jZ78Lx.js', '/assets/index-CiqCL4rz.css']);
  });

  it('declare nothing for a build without index.html in its precache', () => {
    expect(shellCacheName(manifest.filter((entry) => entry.url !== 'index.html'))).toBeUndefined();
  });
});
