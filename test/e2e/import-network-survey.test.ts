import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { deviceReadingIds, openSignedIn, syncBar, useFieldDay, type Phone, type TestServer, type TestUser } from './harness.ts';
import { eventually } from './expect-locator.ts';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

describe('importing Network Survey’s NR, UMTS and GSM files and its call log', () => {
  let server: TestServer;
  let phone: Phone;
  let agent: TestUser;

  useFieldDay((day) => ({ server, phone, agent } = day));

  it('imports the serving cells of each technology’s file, sends them, and adds nothing the second time', async () => {
    const page = await openSignedIn(phone.context, server.url, agent);
    await page.getByRole('link', { name: 'Relevés', exact: true }).click();
    const fileInput = page.getByLabel(/Fichier de relevés/);
    const preview = page.getByRole('region', { name: 'Aperçu de l’import' });

    const files = [
      { name: 'network-survey-nr.csv', label: 'Network Survey, 5G NR (CSV)', added: 3, refused: 4 },
      { name: 'network-survey-umts.csv', label: 'Network Survey, UMTS (CSV)', added: 2, refused: 3 },
      { name: 'network-survey-gsm.csv', label: 'Network Survey, GSM (CSV)', added: 2, refused: 2 },
    ];
    let total = 0;
    for (const { name, label, added, refused } of files) {
      await fileInput.setInputFiles(fixture(name));
      await preview.getByText(`Format reconnu : ${label}`).waitFor();
      await eventually(() => preview.getByText(/^Cellules voisines \(seule la cellule de service est importée\) : [12]$/).isVisible(), name).toBe(true);
      await page.getByRole('button', { name: `Importer ${added} relevés` }).click();
      await page
        .getByRole('status')
        .filter({ hasText: `Import terminé : ${added} relevés ajoutés, ${refused} lignes refusées.` })
        .waitFor();
      total += added;
      await expect.poll(async () => (await deviceReadingIds(page)).length).toBe(total);
    }

    await syncBar(page).getByText('Aucun relevé en attente').waitFor();
    await expect.poll(async () => (await server.storedReadings()).length).toBe(total);
    const stored = await server.storedReadings();
    expect(stored.map((reading) => `${reading.extra?.format} ${reading.operator} ${reading.technology} ${reading.signalDbm}`).sort()).toEqual([
      'network-survey-gsm bouygues 2G -101',
      'network-survey-gsm orange 2G -79',
      'network-survey-nr free 5G -108',
      'network-survey-nr orange 5G -95',
      'network-survey-nr sfr 5G -88',
      'network-survey-umts bouygues 3G -92',
      'network-survey-umts sfr 3G -101',
    ]);
    expect(stored.every((reading) => reading.source === 'import')).toBe(true);

    // The NR file again: all on the device already.
    await fileInput.setInputFiles(fixture('network-survey-nr.csv'));
    await eventually(() => preview.getByText('Déjà sur l’appareil : 3', { exact: true }).isVisible()).toBe(true);
    await eventually(() => page.getByText('Rien de nouveau à importer').isVisible()).toBe(true);
    await eventually(() => page.getByRole('button', { name: /^Importer \d/ }).count()).toBe(0);
    expect(await deviceReadingIds(page)).toHaveLength(total);
  });

  it('reads the call log and says, line by line, why no call in it is a call test', async () => {
    const page = await openSignedIn(phone.context, server.url, agent);
    await page.getByRole('link', { name: 'Relevés', exact: true }).click();
    await page.getByLabel(/Fichier de relevés/).setInputFiles(fixture('network-survey-cdr.csv'));
    const preview = page.getByRole('region', { name: 'Aperçu de l’import' });
    await preview.getByText('Format reconnu : Network Survey, journal d’appels (CDR, CSV)').waitFor();
    for (const line of ['Lignes lues : 6', 'À importer : 0', 'Refusées : 6']) {
      await eventually(() => preview.getByText(line, { exact: true }).isVisible(), line).toBe(true);
    }
    await eventually(() => preview.getByText('Appels sans issue ni durée (le journal n’en note que le début) : 3').isVisible()).toBe(true);
    await eventually(() => preview.getByText(/^Ligne 4 : Appel sans issue ni durée/).isVisible()).toBe(true);
    await eventually(() => preview.getByText('Ligne 6 : Appel sans position : le téléphone n’avait pas de position GPS au début de l’appel').isVisible()).toBe(
      true,
    );
    await eventually(() => page.getByText('Aucune ligne de ce fichier ne donne un relevé : voyez les motifs ci-dessus.').isVisible()).toBe(true);
    // Nothing to import, so no setting to choose for it.
    await eventually(() => page.getByRole('group', { name: 'Situation des relevés importés' }).count()).toBe(0);
    await eventually(() => page.getByRole('button', { name: /^Importer \d/ }).count()).toBe(0);
    expect(await deviceReadingIds(page)).toHaveLength(0);
  });
});
