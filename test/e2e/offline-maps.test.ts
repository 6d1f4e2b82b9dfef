import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openSignedIn, useFieldDay, type Phone, type TestServer, type TestUser } from './harness.ts';
import { eventually } from './expect-locator.ts';

/** A tile of the loopback tile server (the default source), as the page and the caches know it. */
const TILE = /^http:\/\/127\.0\.0\.1:\d+\/(\d+)\/(\d+)\/(\d+)\.png$/;
/** The loopback tile server answers the 192 px app icon; the service worker's placeholder is 256 px. */
const REAL_TILE_WIDTH = 192;
const PLACEHOLDER_WIDTH = 256;

describe('offline maps', () => {
  let server: TestServer;
  let phone: Phone;
  let agent: TestUser;

  useFieldDay((day) => ({ server, phone, agent } = day));

  it('downloads the view, then shows it offline from the device and « Non téléchargé » elsewhere', async () => {
    const page = await openSignedIn(phone.context, server.url, agent);
    await openMap(page);
    await zoomMapTo(page, 14);
    const tileCount = await prepareArea(page, 'Vallée', { minZoom: 14, maxZoom: 15 });
    await areaItem(page, 'Vallée').getByText('Prête hors ligne').waitFor();

    const downloaded = await cachedTiles(page, 'tiles-offline');
    expect(downloaded).toHaveLength(tileCount);
    expect(tileCount).toBeGreaterThan(8);
    expect(tileCount).toBeLessThan(80);
    expect(new Set(downloaded.map((path) => path.split('/')[1]))).toEqual(new Set(['14', '15']));

    // Only the download may serve the tiles from now on: the browsing cache holds the z14 view too.
    await page.evaluate(() => caches.delete('tiles-browse'));
    await phone.context.setOffline(true);
    server.unreachable = true;
    const tileRequestsBefore = server.tileRequests;
    await page.reload();
    await openMap(page);
    await zoomMapTo(page, 14);
    const widthsAt14 = await tileWidths(page, 14);
    expect(widthsAt14.length).toBeGreaterThan(0);
    expect(widthsAt14.every((width) => width === REAL_TILE_WIDTH)).toBe(true);
    await zoomMapTo(page, 15);
    const widthsAt15 = await tileWidths(page, 15);
    expect(widthsAt15.length).toBeGreaterThan(0);
    expect(widthsAt15.every((width) => width === REAL_TILE_WIDTH)).toBe(true);
    // Never downloaded nor seen: the placeholder, not a broken image.
    await zoomMapTo(page, 16);
    const widthsAt16 = await tileWidths(page, 16);
    expect(widthsAt16.length).toBeGreaterThan(0);
    expect(widthsAt16.every((width) => width === PLACEHOLDER_WIDTH)).toBe(true);
    expect(server.tileRequests).toBe(tileRequestsBefore);
    await areaItem(page, 'Vallée').getByText('Prête hors ligne').waitFor();
  });

  it('cancels a download mid-way and resumes it, after a reload too, without fetching a stored tile again', async () => {
    const page = await openSignedIn(phone.context, server.url, agent);
    await openMap(page);
    await zoomMapTo(page, 14);

    // The first 5 tiles arrive; the next requests hang, as on a slow link.
    const releaseFirst = server.holdTiles({ after: 5 });
    const tileCount = await prepareArea(page, 'Hameau', { minZoom: 14, maxZoom: 15 });
    const item = areaItem(page, 'Hameau');
    await item.getByText(`5 / ${tileCount} tuiles`).waitFor();
    await expect.poll(() => server.heldTiles, { message: 'four tile requests at a time' }).toBe(4);
    await item.getByRole('button', { name: 'Annuler' }).click();
    await item.getByText('En pause', { exact: true }).waitFor();
    expect(server.heldTiles).toBe(4);
    releaseFirst();
    const storedAtCancel = await cachedTiles(page, 'tiles-offline');
    expect(storedAtCancel).toHaveLength(5);
    const countsAtCancel = new Map(server.tileCounts);

    // Resumed by hand, then cut by a reload after 4 more tiles.
    const releaseSecond = server.holdTiles({ after: 4 });
    await item.getByRole('button', { name: 'Reprendre' }).click();
    await item.getByText(`9 / ${tileCount} tuiles`).waitFor();
    await expect.poll(() => server.heldTiles).toBe(4);
    await page.reload();
    releaseSecond();
    const storedAtReload = await cachedTiles(page, 'tiles-offline');
    expect(storedAtReload).toHaveLength(9);
    const countsAtReload = new Map(server.tileCounts);

    // Opening the map resumes the download the reload cut.
    await openMap(page);
    await areaItem(page, 'Hameau').getByText('Prête hors ligne').waitFor();
    const stored = await cachedTiles(page, 'tiles-offline');
    expect(stored).toHaveLength(tileCount);
    for (const path of storedAtCancel) expect(server.tileCounts.get(path), path).toBe(countsAtCancel.get(path));
    for (const path of storedAtReload) expect(server.tileCounts.get(path), path).toBe(countsAtReload.get(path));
    for (const path of stored) expect(server.tileCounts.get(path), path).toBeGreaterThanOrEqual(1);
  });

  it('pauses when the network goes mid-download and carries on by itself when it returns', async () => {
    const page = await openSignedIn(phone.context, server.url, agent);
    await openMap(page);
    await zoomMapTo(page, 14);
    const release = server.holdTiles({ after: 3 });
    const tileCount = await prepareArea(page, 'Col', { minZoom: 14, maxZoom: 15 });
    const item = areaItem(page, 'Col');
    await expect.poll(() => server.heldTiles).toBe(4);
    await phone.context.setOffline(true);
    release();
    await item.getByText('Appareil hors ligne : téléchargement en pause. Il reprendra de lui-même au retour du réseau.').waitFor();
    await item.getByText('En pause', { exact: true }).waitFor();
    expect((await cachedTiles(page, 'tiles-offline')).length).toBeLessThan(tileCount);
    await phone.context.setOffline(false);
    await item.getByText('Prête hors ligne').waitFor();
    expect(await cachedTiles(page, 'tiles-offline')).toHaveLength(tileCount);
  });

  it('offers the levels around the view by default, and says why and offers to retry when the tile server does not answer', async () => {
    const page = await openSignedIn(phone.context, server.url, agent);
    await openMap(page);
    await zoomMapTo(page, 14);
    const panel = await openPanel(page);
    // Zooming out to the commune and in to its streets, in words rather than zoom numbers.
    await expect.poll(() => panel.getByLabel('Du plus large').inputValue()).toBe('12');
    await eventually(() => panel.getByLabel('Au plus détaillé').inputValue()).toBe('16');
    await eventually(() => panel.getByLabel('Au plus détaillé').locator('option:checked').textContent()).toBe('Rues (16)');
    await eventually(() => panel.textContent()).not.toMatch(/zoom (minimal|maximal)/i);

    server.tilesUnreachable = true;
    const tileCount = await prepareArea(page, 'Gorges');
    const item = areaItem(page, 'Gorges');
    await item.getByText('Le serveur de cartes ne répond pas : téléchargement en pause.', { exact: false }).waitFor();
    await item.getByText('En pause', { exact: true }).waitFor();
    await eventually(() => item.getByText('Appareil hors ligne', { exact: false }).count()).toBe(0);

    server.tilesUnreachable = false;
    await item.getByRole('button', { name: 'Réessayer' }).click();
    await item.getByText('Prête hors ligne').waitFor();
    const stored = await cachedTiles(page, 'tiles-offline');
    expect(stored).toHaveLength(tileCount);
    expect(new Set(stored.map((path) => path.split('/')[1]))).toEqual(new Set(['12', '13', '14', '15', '16']));
    await item.getByText(`${tileCount} tuiles (de « Commune et alentours » à « Rues »)`, { exact: false }).waitFor();
  });

  it('keeps the browsing cache within its bound and never evicts downloaded tiles', async () => {
    const page = await openSignedIn(phone.context, server.url, agent);
    // A bound of 5 tiles instead of 2,000, so that a few views go past it.
    await page.evaluate(
      () =>
        new Promise<void>((resolve, reject) => {
          const open = indexedDB.open('couverture');
          open.onsuccess = () => {
            const transaction = open.result.transaction('meta', 'readwrite');
            transaction.objectStore('meta').put(5, 'tileBrowseCacheLimit');
            transaction.oncomplete = () => {
              open.result.close();
              resolve();
            };
            transaction.onerror = () => reject(transaction.error);
          };
          open.onerror = () => reject(open.error);
        }),
    );
    await page.evaluate(() => navigator.serviceWorker.controller?.postMessage({ type: 'TILE_SOURCES_CHANGED' }));
    await openMap(page);
    await zoomMapTo(page, 14);
    const tileCount = await prepareArea(page, 'Bourg', { minZoom: 15, maxZoom: 15 });
    await areaItem(page, 'Bourg').getByText('Prête hors ligne').waitFor();
    await zoomMapTo(page, 16);
    await zoomMapTo(page, 17);

    const browsedPaths = [...server.tileCounts.keys()].filter((path) => !path.startsWith('/15/'));
    expect(browsedPaths.length).toBeGreaterThan(15);
    await expect.poll(() => cachedTiles(page, 'tiles-browse').then((paths) => paths.length), { message: 'the browsing cache is trimmed to its bound' }).toBe(5);
    const browse = await cachedTiles(page, 'tiles-browse');
    // The oldest views went first; tiles served from the download were never copied into it.
    expect(browse.filter((path) => /^\/(9|10|11)\//.test(path))).toEqual([]);
    expect(browse.filter((path) => path.startsWith('/15/'))).toEqual([]);
    const downloaded = await cachedTiles(page, 'tiles-offline');
    expect(downloaded).toHaveLength(tileCount);
    expect(downloaded.every((path) => path.startsWith('/15/'))).toBe(true);
  });

  it('deletes an area with those of its tiles no other area holds', async () => {
    const page = await openSignedIn(phone.context, server.url, agent);
    await openMap(page);
    await zoomMapTo(page, 14);
    const wideCount = await prepareArea(page, 'Commune', { minZoom: 14, maxZoom: 15 });
    await areaItem(page, 'Commune').getByText('Prête hors ligne').waitFor();
    const detailCount = await prepareArea(page, 'Centre', { minZoom: 15, maxZoom: 15 });
    await areaItem(page, 'Centre').getByText('Prête hors ligne').waitFor();
    const both = await cachedTiles(page, 'tiles-offline');
    expect(both).toHaveLength(wideCount);
    const at15 = both.filter((path) => path.startsWith('/15/'));
    expect(at15).toHaveLength(detailCount);

    await areaItem(page, 'Commune').getByRole('button', { name: 'Supprimer' }).click();
    await areaItem(page, 'Commune').waitFor({ state: 'detached' });
    await expect.poll(() => cachedTiles(page, 'tiles-offline').then((paths) => paths.sort())).toEqual([...at15].sort());

    await areaItem(page, 'Centre').getByRole('button', { name: 'Supprimer' }).click();
    await page.getByRole('list', { name: 'Zones téléchargées' }).waitFor({ state: 'detached' });
    await expect.poll(() => cachedTiles(page, 'tiles-offline')).toEqual([]);
  });

  it('explains that a base map whose terms forbid it cannot be downloaded, and offers one that can', async () => {
    const page = await openSignedIn(phone.context, server.url, agent);
    await page.evaluate(() => localStorage.setItem('couverture.tile-source', 'test-libre'));
    await openMap(page);
    await expect.poll(() => page.locator('.leaflet-control-attribution').textContent()).toContain('navigation seulement');
    await page.getByText('Préparer hors ligne').click();
    await page.getByText('Les conditions d’utilisation du fond de carte « Tuiles sans téléchargement » interdisent').waitFor();
    await eventually(() => page.getByRole('button', { name: 'Télécharger cette zone' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Utiliser « Tuiles de test » pour préparer la carte' }).click();
    await expect.poll(() => page.locator('.leaflet-control-attribution').textContent()).not.toContain('navigation seulement');
    await page.getByRole('button', { name: 'Télécharger cette zone' }).waitFor();
  });
});

async function openMap(page: Page): Promise<void> {
  // The first visit's « prête à fonctionner sans réseau » floats over the panel's buttons until dismissed.
  const ready = page.getByRole('status').filter({ hasText: 'prête à fonctionner sans réseau' });
  if (await ready.count()) await ready.getByRole('button', { name: 'OK' }).click();
  await page.getByRole('link', { name: 'Carte' }).click();
  await page.waitForFunction(() => [...document.querySelectorAll<HTMLImageElement>('img.leaflet-tile')].some((tile) => tile.complete && tile.naturalWidth > 0));
}

/** The map's zoom, read from the tiles of the level on screen (Leaflet keeps one level once the zoom settles). */
async function mapZoom(page: Page): Promise<number> {
  return page.evaluate((pattern) => {
    const zooms = [...document.querySelectorAll<HTMLImageElement>('img.leaflet-tile')]
      .map((tile) => new RegExp(pattern).exec(tile.src)?.[1])
      .filter((zoom): zoom is string => zoom !== undefined)
      .map(Number);
    return Math.max(...zooms);
  }, TILE.source);
}

/** Zooms with the map's own +/− buttons, one level at a time, waiting for each level's tiles. */
async function zoomMapTo(page: Page, target: number): Promise<void> {
  for (let zoom = await mapZoom(page); zoom !== target; zoom = await mapZoom(page)) {
    const next = zoom < target ? zoom + 1 : zoom - 1;
    await page.locator(zoom < target ? '.leaflet-control-zoom-in' : '.leaflet-control-zoom-out').click();
    await page.waitForFunction(
      ({ pattern, level }) =>
        document.querySelector('.leaflet-zoom-anim') === null &&
        [...document.querySelectorAll<HTMLImageElement>('img.leaflet-tile')].some(
          (tile) => new RegExp(pattern).exec(tile.src)?.[1] === String(level) && tile.complete && tile.naturalWidth > 0,
        ),
      { pattern: TILE.source, level: next },
    );
  }
}

/** Natural widths of the tiles of one zoom level once all of them have loaded. */
async function tileWidths(page: Page, zoom: number): Promise<number[]> {
  const handle = await page.waitForFunction(
    ({ pattern, level }) => {
      const tiles = [...document.querySelectorAll<HTMLImageElement>('img.leaflet-tile')].filter(
        (tile) => new RegExp(pattern).exec(tile.src)?.[1] === String(level),
      );
      if (tiles.length === 0 || tiles.some((tile) => !tile.complete)) return undefined;
      return tiles.map((tile) => tile.naturalWidth);
    },
    { pattern: TILE.source, level: zoom },
  );
  return (await handle.jsonValue()) as number[];
}

/** Opens « Préparer hors ligne » under the map, unless it is open. */
async function openPanel(page: Page) {
  const panel = page.getByRole('region', { name: 'Cartes hors ligne' });
  if (!(await panel.locator('details[open]').count())) await panel.getByText('Préparer hors ligne').click();
  return panel;
}

/**
 * Fills « Préparer hors ligne » for the view on screen and starts the download; returns the
 * tile count it announced. Without `zooms`, the levels the panel offers by default.
 */
async function prepareArea(page: Page, name: string, zooms?: { minZoom: number; maxZoom: number }): Promise<number> {
  const panel = await openPanel(page);
  await panel.getByLabel('Nom de la zone').fill(name);
  if (zooms) {
    await panel.getByLabel('Au plus détaillé').selectOption(String(zooms.maxZoom));
    await panel.getByLabel('Du plus large').selectOption(String(zooms.minZoom));
  }
  const estimate = panel.locator('.offline-estimate');
  await expect.poll(() => estimate.textContent()).toMatch(/^\d+ tuiles, environ /);
  const tileCount = Number(/^(\d+) tuiles/.exec((await estimate.textContent()) ?? '')?.[1]);
  await panel.getByRole('button', { name: 'Télécharger cette zone' }).click();
  await areaItem(page, name).waitFor();
  return tileCount;
}

function areaItem(page: Page, name: string) {
  return page.getByRole('list', { name: 'Zones téléchargées' }).getByRole('listitem', { name });
}

/** Paths (`/z/x/y.png`) of the loopback tiles a Cache Storage cache holds. */
function cachedTiles(page: Page, cacheName: string): Promise<string[]> {
  return page.evaluate(
    async ({ name, pattern }) => {
      const cache = await caches.open(name);
      return (await cache.keys())
        .map((request) => new URL(request.url))
        .filter((url) => new RegExp(pattern).test(url.href))
        .map((url) => url.pathname);
    },
    { name: cacheName, pattern: TILE.source },
  );
}
