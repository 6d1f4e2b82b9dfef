import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { cellIdAt } from '../../src/domain/grid/cell-id.ts';
import { makeReport, postReports } from '../server/fixtures.ts';
import { eventually } from './expect-locator.ts';
import { createUser, openSignedIn, POSITION, useServerWithPhones, type ServerWithPhones, type TestServer } from './harness.ts';

const CELL = cellIdAt(POSITION.longitude, POSITION.latitude)!;
/** Close enough for the 200 m grid, centred on the reading and the report. */
const VIEW = `view=16/${POSITION.latitude}/${POSITION.longitude}`;

/** The Cache-Control header of every GET /api/v1/cells the page sends, in order. */
function cellsRequestsCacheControl(page: Page): (string | undefined)[] {
  const seen: (string | undefined)[] = [];
  page.on('request', (request) => {
    if (!new URL(request.url()).pathname.endsWith('/api/v1/cells')) return;
    seen.push(undefined);
    const index = seen.length - 1;
    void request.allHeaders().then((headers) => (seen[index] = headers['cache-control'] ?? 'none'));
  });
  return seen;
}

/** Opens the panel of the cell at the map's centre and returns its figures line. */
async function centreCellFigures(page: Page): Promise<string> {
  const box = (await page.locator('.coverage-map').boundingBox())!;
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  const heading = page.getByRole('heading', { name: new RegExp(`maille 200 m n° ${CELL}`) });
  await heading.waitFor();
  return (await page.locator('.cell-panel').textContent()) ?? '';
}

/**
 * The coverage map asks the server for its cells the way the browser's cache allows (an ETag
 * revalidation, and a seconds-old answer while the server builds the newest), except just after
 * the reviewer's own change: a report they have just hidden is gone from the map at once.
 */
describe('the coverage map after the reviewer’s own change', () => {
  let server: TestServer;
  let launch: ServerWithPhones['launch'];
  useServerWithPhones((given) => ({ server, launch } = given));

  it('revalidates a plain view, and asks for the newest after hiding a report', async () => {
    const reviewer = await createUser(server, { role: 'reviewer' });
    const place = { accountId: null, commune: '34261', departement: '34', outsideCommunes: false };
    await server.store.ingest(
      [
        {
          id: crypto.randomUUID(),
          recordedAt: new Date().toISOString(),
          lat: POSITION.latitude,
          lon: POSITION.longitude,
          accuracyM: 10,
          operator: 'sfr',
          technology: '4G',
          signalBars: 0,
          setting: 'outdoor',
          source: 'agent',
        },
      ],
      [place],
    );
    const report = makeReport({ reportedAt: new Date().toISOString(), note: 'aucune barre devant la mairie' });
    expect((await postReports(server.app, [report])).statusCode).toBe(200);

    const desk = await launch({ desktop: true });
    const page = await openSignedIn(desk.context, `${server.url}/#couverture?${VIEW}`, reviewer);
    const cacheControl = cellsRequestsCacheControl(page);
    await page.reload();
    await page.getByRole('status').filter({ hasText: '1 maille de 200 m dans la vue' }).waitFor();
    expect(await centreCellFigures(page)).toContain('1 signalement d’habitants');
    // A plain view: no « no-cache », so the browser revalidates and the server may answer at once.
    await eventually(async () => cacheControl.length > 0 && cacheControl.every((value) => value === 'none')).toBe(true);

    // The reviewer hides the report as spam, then goes back to the map.
    await page.getByRole('link', { name: 'Signalements' }).click();
    const item = page.getByRole('list', { name: 'Signalements' }).getByRole('listitem').filter({ hasText: 'aucune barre devant la mairie' });
    await item.getByRole('button', { name: 'Masquer (spam)' }).click();
    await item.getByLabel('Raison du masquage').fill('doublon');
    await item.getByRole('button', { name: 'Confirmer le masquage' }).click();
    await eventually(() => item.getAttribute('data-hidden')).toBe('true');
    const before = cacheControl.length;
    await page.goto(`${server.url}/#couverture?${VIEW}`);
    await page.getByRole('status').filter({ hasText: '1 maille de 200 m dans la vue' }).waitFor();
    // The newest answer, not the one from before the change (the server would serve that for up to 60 s).
    expect(await centreCellFigures(page)).not.toContain('signalement');
    await eventually(async () => cacheControl.length > before && cacheControl.slice(before).every((value) => value === 'max-age=0')).toBe(true);
  });
});
