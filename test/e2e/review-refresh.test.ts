import type { Route } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createUser, openSignedIn, POSITION, useServerWithPhones, type ServerWithPhones, type TestServer } from './harness.ts';
import { eventually } from './expect-locator.ts';

/** A report of the reviewer's département, as GET /api/v1/reports gives it. */
function reportFeature(id: string, note: string, minutesAgo: number) {
  const at = new Date(Date.now() - minutesAgo * 60_000).toISOString();
  return {
    type: 'Feature',
    geometry: { type: 'Point', coordinates: [POSITION.longitude, POSITION.latitude] },
    properties: {
      id,
      reportedAt: at,
      receivedAt: at,
      lat: POSITION.latitude,
      lon: POSITION.longitude,
      accuracyM: 15,
      positionSource: 'gps',
      operator: 'sfr',
      problem: 'no-signal',
      setting: 'outdoor',
      note,
      commune: '34261',
      departement: '34',
      placement: 'outline',
      hidden: false,
      hiddenReason: null,
      repeats: 0,
    },
  };
}

/**
 * Issue 16: « Actualiser » while « Signalements plus anciens » is still loading asks for the
 * newest page and drops the older one, however late it arrives: the list is the fresh one,
 * never the fresh one with a stale page appended.
 */
describe('« Signalements »: refreshing while older reports load', () => {
  let server: TestServer;
  let launch: ServerWithPhones['launch'];
  useServerWithPhones((given) => ({ server, launch } = given));

  it('aborts « plus anciens » and shows the fresh page alone', async () => {
    const reviewer = await createUser(server, { role: 'reviewer' });
    const desk = await launch({ desktop: true });
    let newestPages = 0;
    let olderPage: Route | undefined;
    let olderAsked!: () => void;
    const older = new Promise<void>((resolve) => (olderAsked = resolve));
    // The server's answers, held at will: the older page waits until after « Actualiser ».
    await desk.context.route(/\/api\/v1\/reports\?/, async (route) => {
      if (new URL(route.request().url()).searchParams.has('cursor')) {
        olderPage = route;
        olderAsked();
        return;
      }
      newestPages += 1;
      const features = newestPages === 1 ? [reportFeature('a', 'premier', 1)] : [reportFeature('b', 'nouveau', 0), reportFeature('a', 'premier', 1)];
      await route.fulfill({ json: { type: 'FeatureCollection', features, nextCursor: 'curseur-1' } });
    });
    const page = await openSignedIn(desk.context, `${server.url}/#signalements`, reviewer);
    const list = page.getByRole('list', { name: 'Signalements' });
    await list.getByText('« premier »').waitFor();

    await page.getByRole('button', { name: 'Signalements plus anciens' }).click();
    await older;
    await page.getByRole('button', { name: 'Actualiser' }).click({ timeout: 5_000 });
    await list.getByText('« nouveau »').waitFor();
    // The older page arrives at last: its request was aborted, its reports are never shown.
    await olderPage!.fulfill({ json: { type: 'FeatureCollection', features: [reportFeature('z', 'ancien', 600)] } }).catch(() => undefined);
    await expect.poll(() => list.getByRole('listitem').count()).toBe(2);
    await eventually(() => list.getByText('« ancien »').count()).toBe(0);
  });
});
