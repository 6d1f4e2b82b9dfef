import { fileURLToPath } from 'node:url';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createUser, deviceReadingIds, openSignedIn, recordReading, syncBar, useServerWithPhones, type ServerWithPhones, type TestServer } from './harness.ts';
import { eventually } from './expect-locator.ts';

/** Six readings of June 2025 around Saint-Guilhem-le-Désert. */
const TOWER_COLLECTOR = fileURLToPath(new URL('../fixtures/tower-collector.csv', import.meta.url));

const CAMPAIGN_NAME = 'Campagne Saint-Guilhem-le-Désert';

/** The figures of one operator's row in « Relevés par opérateur »: server, device, total. */
async function operatorRow(page: Page, operator: string): Promise<string[]> {
  const row = page
    .getByRole('table', { name: 'Relevés par opérateur' })
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader', { name: operator, exact: true }) });
  return (await row.getByRole('cell').allInnerTexts()).slice(0, 3).map((text) => text.trim());
}

function campaignItem(page: Page): Locator {
  return page.getByRole('list', { name: 'Campagnes' }).getByRole('listitem', { name: CAMPAIGN_NAME });
}

describe('campaigns: set up by the département, picked by the agent, progress on the phone', () => {
  let server: TestServer;
  let launch: ServerWithPhones['launch'];
  useServerWithPhones((given) => ({ server, launch } = given));

  it('a reviewer creates a campaign for an agent; the agent picks it, records, and sees the reading on the device, then on the server, offline too', async () => {
    const agent = await createUser(server);
    const reviewer = await createUser(server, { role: 'reviewer' });

    // The reviewer, at a desk, sets up the campaign.
    const desk = await launch({ desktop: true });
    const office = await openSignedIn(desk.context, `${server.url}/#campagnes`, reviewer);
    await office.getByRole('link', { name: 'Nouvelle campagne' }).click();
    await office.getByLabel('Commune (nom ou code INSEE)').fill('Saint-Guilhem');
    await office.getByRole('listbox', { name: 'Communes proposées' }).getByRole('option', { name: 'Saint-Guilhem-le-Désert (34261)' }).click();
    await eventually(() => office.getByLabel('Nom de la campagne').inputValue()).toBe(CAMPAIGN_NAME);
    const operators = office.getByRole('group', { name: 'Opérateurs à mesurer' });
    for (const operator of ['Orange', 'SFR', 'Bouygues Telecom', 'Free Mobile']) await eventually(() => operators.getByLabel(operator).isChecked()).toBe(true);
    await office.getByRole('group', { name: 'Agents' }).getByLabel(agent.name).check();

    // Checked on the page with the shared schema before anything is sent.
    const testNumber = office.getByLabel('Numéro à appeler pour les tests');
    await testNumber.fill('appelez Paul');
    await office.getByRole('button', { name: 'Créer la campagne' }).click();
    await office
      .locator('#campaign-testNumber-error')
      .getByText(/^Numéro de test invalide/)
      .waitFor();
    await eventually(() => testNumber.getAttribute('aria-invalid')).toBe('true');
    await testNumber.fill('06 12 34 56 78');
    await office.getByRole('button', { name: 'Créer la campagne' }).click();

    await campaignItem(office).waitFor();
    await campaignItem(office).getByText('Agents : Camille Agent').waitFor();
    await campaignItem(office).getByText('Opérateurs : Orange, SFR, Bouygues Telecom, Free Mobile').waitFor();
    await eventually(() => office.getByRole('button', { name: 'Choisir cette campagne' }).count()).toBe(0);

    // The agent picks it on the phone.
    const agentPhone = await launch();
    const page = await openSignedIn(agentPhone.context, server.url, agent);
    await page.getByRole('link', { name: 'Campagnes', exact: true }).click();
    await campaignItem(page).getByRole('button', { name: 'Choisir cette campagne' }).click();
    await campaignItem(page).getByText('✓ Campagne de cet appareil').waitFor();
    await page.getByRole('status', { name: 'Campagne de cet appareil' }).getByText(CAMPAIGN_NAME).waitFor();

    // A reading recorded while nothing reaches the server stays on the device.
    const release = server.holdPosts();
    await recordReading(page, { operator: 'Orange' });
    await page.getByText(`Campagne en cours : ${CAMPAIGN_NAME}`).waitFor();
    await page.getByRole('link', { name: 'Campagnes', exact: true }).click();
    await campaignItem(page).getByRole('link', { name: 'Avancement' }).click();
    await page.getByRole('heading', { name: CAMPAIGN_NAME }).waitFor();
    await expect.poll(() => operatorRow(page, 'Orange'), { message: 'Orange: 0 on the server, 1 on this device' }).toEqual(['0', '1', '1']);
    expect(await operatorRow(page, 'SFR')).toEqual(['0', '0', 'pas encore mesuré']);
    expect(await operatorRow(page, 'Free Mobile')).toEqual(['0', '0', 'pas encore mesuré']);
    const legend = page.getByRole('list', { name: 'Légende des mailles' });
    await legend.getByText('Une partie des opérateurs mesurés : 1 maille').waitFor();
    await legend.getByText('Relevés seulement sur cet appareil : 1 maille').waitFor();
    await page.getByRole('region', { name: 'Carte des mailles de la campagne' }).waitFor();

    // Once it is sent, the same reading is counted on the server, and only there.
    release();
    await expect.poll(() => operatorRow(page, 'Orange'), { message: 'Orange: 1 on the server, 0 on this device', timeout: 20_000 }).toEqual(['1', '0', '1']);
    await legend.getByText('Relevés seulement sur cet appareil : 0 maille').waitFor();
    await legend.getByText('Une partie des opérateurs mesurés : 1 maille').waitFor();
    await syncBar(page).getByText('Aucun relevé en attente').waitFor();

    const stored = await server.storedReadings();
    expect(stored).toHaveLength(1);
    const campaignId = page.url().split('#campagnes/')[1];
    expect(stored[0]).toMatchObject({ operator: 'orange', campaignId, communeInsee: '34261' });

    // Offline, the list and the progress open from the device's copies.
    server.unreachable = true;
    await page.reload();
    await page.getByRole('heading', { name: CAMPAIGN_NAME }).waitFor();
    await page
      .getByRole('status')
      .filter({ hasText: /Hors ligne : chiffres du serveur du .+, gardés sur cet appareil/ })
      .waitFor();
    await expect.poll(() => operatorRow(page, 'Orange')).toEqual(['1', '0', '1']);
    await page.getByRole('link', { name: '← Campagnes' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: /Hors ligne : liste du .+, gardée sur cet appareil/ })
      .waitFor();
    await campaignItem(page).getByText('✓ Campagne de cet appareil').waitFor();
  });

  it('an agent’s new campaign becomes the device’s; readings outside its period are kept without it, and the agent is told', async () => {
    const agent = await createUser(server);
    const phone = await launch();
    const page = await openSignedIn(phone.context, `${server.url}/#campagnes/nouvelle`, agent);
    await page.getByLabel('Commune', { exact: true }).selectOption('34261');
    // It starts tomorrow: what the agent measures today is not the campaign's.
    const tomorrow = await page.evaluate(() => {
      const day = new Date();
      day.setDate(day.getDate() + 1);
      return `${day.getFullYear()}-${String(day.getMonth() + 1).padStart(2, '0')}-${String(day.getDate()).padStart(2, '0')}`;
    });
    await page.getByLabel('Début').fill(tomorrow);
    await page.getByLabel('Fin').fill(tomorrow);
    // The phone-sized form ends under the « prête à fonctionner sans réseau » banner of a first visit.
    const ready = page.getByRole('status').filter({ hasText: 'prête à fonctionner sans réseau' });
    if (await ready.count()) await ready.getByRole('button', { name: 'OK' }).click();
    await page.getByRole('button', { name: 'Créer la campagne' }).click();

    // Just created, it is the device's campaign, with no « Choisir » to tap.
    await campaignItem(page).getByText('✓ Campagne de cet appareil').waitFor();
    await campaignItem(page)
      .getByText(/· le \d+ \S+ \d{4}$/)
      .waitFor();
    await page.getByRole('status', { name: 'Campagne de cet appareil' }).getByText(CAMPAIGN_NAME).waitFor();

    await recordReading(page, { operator: 'Orange' });
    await page.getByText(`Campagne en cours : ${CAMPAIGN_NAME}`).waitFor();
    await page.getByRole('status').filter({ hasText: '1 relevé hors de la période ou des communes de la campagne : non rattaché.' }).waitFor();
    await syncBar(page).getByText('Aucun relevé en attente').waitFor();
    const [recorded] = await server.storedReadings();
    expect(recorded!.campaignId).toBeUndefined();

    // A log of June 2025, imported with the campaign ticked: none of it is the campaign's.
    await page.getByRole('link', { name: 'Relevés', exact: true }).click();
    await page.getByLabel(/Fichier de relevés/).setInputFiles(TOWER_COLLECTOR);
    await page.getByRole('region', { name: 'Aperçu de l’import' }).getByText('À importer : 6', { exact: true }).waitFor();
    await eventually(() => page.getByLabel(`Rattacher à la campagne « ${CAMPAIGN_NAME} »`).isChecked()).toBe(true);
    await page.getByRole('status').filter({ hasText: '6 relevés hors de la période ou des communes de la campagne : non rattachés.' }).waitFor();
    await page.getByRole('button', { name: 'Importer 6 relevés' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: /^Import terminé : 6 relevés ajoutés, .*6 relevés hors de la période ou des communes de la campagne : non rattachés\./ })
      .waitFor();
    await expect.poll(async () => (await deviceReadingIds(page)).length).toBe(7);
    await syncBar(page).getByText('Aucun relevé en attente').waitFor();
    const stored = await server.storedReadings();
    expect(stored).toHaveLength(7);
    expect(stored.filter((reading) => reading.campaignId !== undefined)).toEqual([]);
  });

  it('a reviewer edits a campaign (checked on the page first), then deletes it', async () => {
    await createUser(server);
    const reviewer = await createUser(server, { role: 'reviewer' });
    const desk = await launch({ desktop: true });
    const page = await openSignedIn(desk.context, `${server.url}/#campagnes/nouvelle`, reviewer);
    await page.getByLabel('Commune (nom ou code INSEE)').fill('34261');
    await page.getByRole('option', { name: 'Saint-Guilhem-le-Désert (34261)' }).click();
    await page.getByLabel('Numéro à appeler pour les tests').fill('06 12 34 56 78');
    await page.getByRole('button', { name: 'Créer la campagne' }).click();
    await campaignItem(page).getByText('Numéro de test : 06 12 34 56 78').waitFor();
    const [created] = (await page.evaluate(() => fetch('/api/v1/campaigns').then((response) => response.json()))).campaigns as {
      id: string;
      startsOn: string;
    }[];

    await campaignItem(page).getByRole('link', { name: 'Modifier' }).click();
    await page.getByRole('heading', { name: `Modifier « ${CAMPAIGN_NAME} »` }).waitFor();
    await page.getByText('Saint-Guilhem-le-Désert (34261)').waitFor();
    const dayBefore = new Date(Date.parse(`${created!.startsOn}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel('Fin').fill(dayBefore);
    await page.getByRole('button', { name: 'Enregistrer les modifications' }).click();
    await page.locator('#campaign-endsOn-error').getByText('La fin de la campagne précède son début').waitFor();

    await page.getByLabel('Fin').fill(created!.startsOn);
    await page.getByRole('group', { name: 'Opérateurs à mesurer' }).getByLabel('Free Mobile').uncheck();
    await page.getByLabel('Numéro à appeler pour les tests').fill('');
    await page.getByRole('button', { name: 'Enregistrer les modifications' }).click();
    // Saved, the page shows the campaign's progress: Free Mobile is no longer surveyed.
    await page.getByRole('heading', { name: CAMPAIGN_NAME }).waitFor();
    await page.getByRole('table', { name: 'Relevés par opérateur' }).getByRole('rowheader', { name: 'Bouygues Telecom' }).waitFor();
    await eventually(() => page.getByRole('table', { name: 'Relevés par opérateur' }).getByRole('rowheader', { name: 'Free Mobile' }).count()).toBe(0);
    const edited = await page.evaluate((id) => fetch(`/api/v1/campaigns/${id}`).then((response) => response.json()), created!.id);
    expect(edited).toMatchObject({ endsOn: created!.startsOn, operators: ['orange', 'sfr', 'bouygues'] });
    expect(edited.testNumber).toBeUndefined();

    await page.getByRole('link', { name: '← Campagnes' }).click();
    await campaignItem(page).getByText('Pas de numéro de test : l’agent le saisit à chaque test.').waitFor();
    page.once('dialog', (dialog) => void dialog.accept());
    await campaignItem(page).getByRole('button', { name: 'Supprimer' }).click();
    await page.getByText('Aucune campagne pour l’instant.').waitFor();
    expect((await page.evaluate(() => fetch('/api/v1/campaigns').then((response) => response.json()))).campaigns).toEqual([]);
  });
});
