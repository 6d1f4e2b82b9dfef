import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createUser, openSignedIn, POSITION, useServerWithPhones, type ServerWithPhones, type TestServer } from './harness.ts';

/** Leaflet pans by 3 × 80 px for Shift + an arrow key. */
const SHIFT_PAN_PX = 240;
/** Enough presses to bring other 10 km tiles in sight at zoom 13 (a tile is about 720 px wide there). */
const PRESSES = 5;

/** Every GET /api/v1/cells the page sends, as `tile=…&…` queries. */
function cellsRequests(page: Page): string[] {
  const seen: string[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname.endsWith('/api/v1/cells')) seen.push(url.search);
  });
  return seen;
}

/**
 * The map pane's offset, px, and whether a pan animation is running. Leaflet eases a pan out, so
 * the pane sits within half a pixel of its end for the animation's last few frames: only the
 * class it removes when the pan ends (and fires `moveend`, which asks the tiles) says it has.
 * While the animation runs, Leaflet also ignores the arrow keys.
 */
function pane(page: Page): Promise<{ x: number; panning: boolean }> {
  return page.locator('.leaflet-map-pane').evaluate((element) => ({
    x: new DOMMatrixReadOnly(getComputedStyle(element).transform).m41,
    panning: element.classList.contains('leaflet-pan-anim'),
  }));
}

/** Pans the map with the keyboard, one press at a time, each once its animation has ended. */
async function pan(page: Page, key: 'ArrowLeft' | 'ArrowRight', presses: number): Promise<void> {
  await page.locator('.coverage-map').focus();
  const step = key === 'ArrowRight' ? -SHIFT_PAN_PX : SHIFT_PAN_PX;
  for (let i = 0; i < presses; i += 1) {
    const { x: from } = await pane(page);
    await page.keyboard.press(`Shift+${key}`);
    await expect.poll(() => pane(page), { message: 'the pan ends' }).toEqual({ x: from + step, panning: false });
  }
}

const loaded = (page: Page) => page.locator('.cells-status[data-state="loaded"]').waitFor();

/**
 * The reviewers' map asks the grid a tile at a time (src/app/cells/tile-loader.ts) and holds the
 * tiles it was answered: panning back to a place just seen asks the server nothing, and changing
 * a filter asks again.
 */
describe('the coverage map’s tiles', () => {
  let server: TestServer;
  let launch: ServerWithPhones['launch'];
  useServerWithPhones((given) => ({ server, launch } = given));

  it('asks nothing again for the tiles it holds when panned away and back, and asks again after a filter change', async () => {
    const reviewer = await createUser(server, { role: 'reviewer' });
    const desk = await launch({ desktop: true });
    const page = await openSignedIn(desk.context, `${server.url}/#couverture?view=13/${POSITION.latitude}/${POSITION.longitude}`, reviewer);
    const requests = cellsRequests(page);
    await page.reload();
    await loaded(page);
    await expect.poll(() => requests.length).toBeGreaterThan(0);
    expect(requests.every((query) => query.includes('tile=') && query.includes('resolution=200'))).toBe(true);
    const first = new Set(requests);

    await pan(page, 'ArrowRight', PRESSES);
    await loaded(page);
    // Other tiles came in sight and were asked; none already held was asked again.
    await expect.poll(() => requests.length).toBeGreaterThan(first.size);
    const away = requests.length;
    expect(new Set(requests).size).toBe(away);

    await pan(page, 'ArrowLeft', PRESSES);
    await loaded(page);
    expect(requests).toHaveLength(away);

    // Another operator filter: the same tiles asked again, with it.
    await page.getByRole('form', { name: 'Filtres' }).getByLabel('Free Mobile').uncheck();
    await expect.poll(() => requests.length).toBeGreaterThanOrEqual(away + first.size);
    await loaded(page);
    const again = requests.slice(away);
    expect(again.every((query) => query.includes('operator='))).toBe(true);
    expect(new Set(again.map((query) => new URLSearchParams(query).get('tile')))).toEqual(
      new Set([...first].map((query) => new URLSearchParams(query).get('tile'))),
    );
  });
});
