import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { addUser, makeReading, postReadings } from '../server/fixtures.ts';
import { blockingViolations } from './axe.ts';
import { createUser, openInstalled, openSignedIn, recordReading, useServerWithPhones, type ServerWithPhones } from './harness.ts';
import { eventually } from './expect-locator.ts';

/**
 * Open data was linked from nowhere. A visitor now reaches « Données ouvertes » from the
 * sign-in screen: the licence, the files, what is and is not published, and
 * grid.csv downloads from there. And the phone's export offers « CSV pour tableur », the file
 * French Excel opens into columns (byte-order mark, semicolons).
 */

const SHOTS = process.env.COUVERTURE_SCREENSHOTS;

describe('open data page and the spreadsheet CSV', () => {
  let given: ServerWithPhones;
  useServerWithPhones((g) => (given = g));

  it('from the sign-in screen a visitor finds the open data, its licence and files, and downloads grid.csv', async () => {
    const { server } = given;
    // Three agents measure Orange on one spot: one row has enough contributors to be published.
    const recordedAt = new Date(Date.now() - 3_600_000).toISOString();
    for (let i = 0; i < 3; i += 1) {
      const agent = await addUser(server.app, { communes: ['34261'], email: `agent-${i}@couverture.test` });
      const readings = [0, 1].map(() => makeReading({ recordedAt, operator: 'orange', signalDbm: -105 }));
      expect((await postReadings(server.app, readings, agent)).statusCode).toBe(200);
    }

    const phone = await given.launch();
    const page = await openInstalled(phone.context, server.url);
    await page.getByRole('link', { name: 'Données ouvertes' }).click();
    await page.getByRole('heading', { name: 'Données ouvertes', level: 2 }).waitFor();
    await eventually(() => page.title()).toBe('Données ouvertes · Couverture');
    await eventually(() => page.getByRole('link', { name: 'Licence Ouverte 2.0 (Etalab)' }).getAttribute('href')).toBe(
      'https://www.etalab.gouv.fr/licence-ouverte-open-licence/',
    );
    await page.getByText(/1 ligne \(maille × opérateur\) sur 1 maille publiées/).waitFor();
    await eventually(() => page.getByText(/Les signalements des habitants, jamais/).isVisible()).toBe(true);
    await eventually(() => page.getByText(/moins de 3 contributeurs distincts/).isVisible()).toBe(true);
    for (const file of ['grid.csv', 'grid.geojson', 'grid.schema.json', 'datapackage.json']) {
      await eventually(() => page.getByText(file, { exact: true }).isVisible(), file).toBe(true);
    }
    await eventually(() => page.getByText(/non publiée/).count()).toBe(0);
    expect(await page.content()).not.toMatch(/retenue/i);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Grille de couverture (CSV)' }).click()]);
    expect(download.suggestedFilename()).toBe('grid.csv');
    const lines = (await readFile((await download.path())!, 'utf8')).trimEnd().split('\n');
    expect(lines[0]).toMatch(/^cell_id,lon,lat,cell_zone,/);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(',orange,BC,6,3,');

    expect(await blockingViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 360, height: 640 });
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/open-data-360.png`, fullPage: true });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  });

  it('says plainly when nothing is published yet, from the residents’ page too', async () => {
    const { server } = given;
    const agent = await addUser(server.app, { communes: ['34261'], email: 'seul@couverture.test' });
    expect((await postReadings(server.app, [makeReading({ recordedAt: new Date(Date.now() - 3_600_000).toISOString() })], agent)).statusCode).toBe(200);

    const phone = await given.launch();
    const page = await openInstalled(phone.context, `${server.url}/#signaler`);
    await page.getByRole('link', { name: 'Données ouvertes' }).click();
    await page.getByText('Rien n’est encore publié.').waitFor();
    await eventually(() => page.getByText(/au moins 3 contributeurs/).isVisible()).toBe(true);
    await eventually(() => page.getByText(/Aujourd’hui, 1 ligne non publiée, dont toutes celles de 1 maille/).isVisible()).toBe(true);
    expect(await blockingViolations(page)).toEqual([]);
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/open-data-empty.png`, fullPage: true });
  });

  it('the phone’s export offers « CSV pour tableur »: a byte-order mark, semicolons, French headers', async () => {
    const { server } = given;
    const agent = await createUser(server);
    const phone = await given.launch();
    const page = await openSignedIn(phone.context, server.url, agent);
    await recordReading(page);
    await page.getByRole('link', { name: 'Relevés', exact: true }).click();
    await page.getByText('pour un tableur ; pour réimporter, choisissez CSV', { exact: false }).waitFor();
    await page.getByRole('group', { name: 'Relevés à exporter' }).getByText('Tous', { exact: true }).click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Exporter en CSV pour tableur' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^couverture-releves-tableur-\d{4}-\d{2}-\d{2}\.csv$/);
    const bytes = await readFile((await download.path())!);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').split('\r\n');
    expect(lines[0]).toMatch(/^Date du relevé;Sur cet appareil;Opérateur;/);
    expect(lines[1]).toMatch(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2};[^;]+;Orange;4G \(LTE\);/);
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/export-360.png`, fullPage: true });
  });
});
