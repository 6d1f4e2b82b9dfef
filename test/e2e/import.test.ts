import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { deviceReadingIds, openSignedIn, syncBar, useFieldDay, type Phone, type TestServer, type TestUser } from './harness.ts';
import { eventually } from './expect-locator.ts';

const TOWER_COLLECTOR = fileURLToPath(new URL('../fixtures/tower-collector.csv', import.meta.url));

describe('importing a measurement app’s log', () => {
  let server: TestServer;
  let phone: Phone;
  let agent: TestUser;

  useFieldDay((day) => ({ server, phone, agent } = day));

  it('previews a Tower Collector file, imports it, sends it, and adds nothing the second time', async () => {
    const page = await openSignedIn(phone.context, server.url, agent);
    await page.getByRole('link', { name: 'Relevés', exact: true }).click();
    const fileInput = page.getByLabel(/Fichier de relevés/);
    await fileInput.setInputFiles(TOWER_COLLECTOR);

    const preview = page.getByRole('region', { name: 'Aperçu de l’import' });
    await preview.getByText('Format reconnu : Tower Collector (CSV)').waitFor();
    for (const line of ['Lignes lues : 17', 'À importer : 6', 'Déjà sur l’appareil : 0', 'En double dans le fichier : 1', 'Refusées : 10']) {
      await eventually(() => preview.getByText(line, { exact: true }).isVisible(), line).toBe(true);
    }
    await eventually(() => preview.getByText('Ligne 8 : Réseau d’un autre pays (MCC 222) : seuls les réseaux français (208) comptent').isVisible()).toBe(true);

    const [download] = await Promise.all([page.waitForEvent('download'), preview.getByRole('button', { name: 'Télécharger les lignes refusées' }).click()]);
    const refused = (await readFile((await download.path())!, 'utf8'))
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(refused[0]).toBe('ligne;motif;contenu');
    expect(refused).toHaveLength(11);
    expect(refused[1]).toMatch(/^7;Cellule voisine/);

    await page.getByRole('button', { name: 'Importer 6 relevés' }).click();
    await page.getByRole('status').filter({ hasText: 'Import terminé : 6 relevés ajoutés, 10 lignes refusées.' }).waitFor();
    await expect.poll(async () => (await deviceReadingIds(page)).length).toBe(6);
    const imported = (await deviceReadingIds(page)).sort();

    // Through the same outbox and sync as the readings recorded by hand.
    await syncBar(page).getByText('Aucun relevé en attente').waitFor();
    await expect.poll(async () => (await server.storedReadings()).length).toBe(6);
    const stored = await server.storedReadings();
    expect(stored.map((reading) => reading.id).sort()).toEqual(imported);
    // Stored as imported evidence, with the cell it was measured on.
    expect(stored.every((reading) => reading.source === 'import' && reading.extra?.format === 'tower-collector')).toBe(true);
    expect(stored.map((reading) => `${reading.operator} ${reading.technology} ${reading.signalDbm}`).sort()).toEqual([
      'bouygues 3G -88',
      'free 5G -85',
      'orange 2G -75',
      'orange 4G -101',
      'orange 4G -95',
      'sfr 4G -110',
    ]);

    // The same file again: everything is already on the device, nothing is written or sent.
    await fileInput.setInputFiles(TOWER_COLLECTOR);
    await preview.getByText('À importer : 0', { exact: true }).waitFor();
    await eventually(() => preview.getByText('Déjà sur l’appareil : 6', { exact: true }).isVisible()).toBe(true);
    await eventually(() => page.getByText('Rien de nouveau à importer').isVisible()).toBe(true);
    await eventually(() => page.getByRole('button', { name: /^Importer \d/ }).count()).toBe(0);
    expect((await deviceReadingIds(page)).sort()).toEqual(imported);
    expect(await server.storedReadings()).toHaveLength(6);
    expect([...server.postedIds].sort()).toEqual(imported);

    await eventually(() =>
      page
        .getByRole('group', { name: 'Stockage de l’appareil' })
        .getByText(/^Stockage utilisé : [\d,]+ Mo sur [\d\s,]+ Mo$/)
        .isVisible(),
    ).toBe(true);
  });

  it('exports the device’s readings as GeoJSON and CSV files that import back without duplicates', async () => {
    const page = await openSignedIn(phone.context, server.url, agent);
    await page.getByRole('link', { name: 'Relevés', exact: true }).click();
    await page.getByLabel(/Fichier de relevés/).setInputFiles(TOWER_COLLECTOR);
    await page.getByRole('button', { name: 'Importer 6 relevés' }).click();
    await page.getByRole('status').filter({ hasText: 'Import terminé' }).waitFor();
    await syncBar(page).getByText('Aucun relevé en attente').waitFor();

    await page.getByRole('group', { name: 'Relevés à exporter' }).getByText('Tous', { exact: true }).click();
    const [geojsonDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Exporter en GeoJSON (carte)' }).click()]);
    const geojsonPath = (await geojsonDownload.path())!;
    const collection = JSON.parse(await readFile(geojsonPath, 'utf8')) as { type: string; features: { properties: { state: string; source: string } }[] };
    expect(collection.type).toBe('FeatureCollection');
    expect(collection.features.map((feature) => feature.properties.state)).toEqual(Array(6).fill('sent'));

    const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Exporter en CSV', exact: true }).click()]);
    const csvPath = (await csvDownload.path())!;
    expect((await readFile(csvPath, 'utf8')).trim().split('\r\n')).toHaveLength(7);

    // Nothing left unsent: the default export says so instead of writing an empty file.
    await page.getByRole('group', { name: 'Relevés à exporter' }).getByText('Non envoyés', { exact: true }).click();
    await page.getByRole('button', { name: 'Exporter en CSV', exact: true }).click();
    await page.getByText('Aucun relevé non envoyé : rien à exporter.').waitFor();

    // Read back on the same device: recognised, nothing new.
    for (const path of [geojsonPath, csvPath]) {
      await page
        .getByLabel(/Fichier de relevés/)
        .setInputFiles({ name: path.endsWith('.csv') ? 'export.csv' : 'export.geojson', mimeType: 'application/octet-stream', buffer: await readFile(path) });
      const preview = page.getByRole('region', { name: 'Aperçu de l’import' });
      await preview.getByText('Déjà sur l’appareil : 6', { exact: true }).waitFor();
      await eventually(() => preview.getByText('À importer : 0', { exact: true }).isVisible()).toBe(true);
    }
    expect(await deviceReadingIds(page)).toHaveLength(6);
  });
});
