import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createUser, openSignedIn, recordReading, syncBar, useServerWithPhones, type ServerWithPhones, type TestServer } from './harness.ts';

const CAMPAIGN_NAME = 'Campagne Saint-Guilhem-le-Désert';

/** The figures of one operator's row in « Relevés par opérateur »: server, device, total. */
async function operatorRow(page: Page, operator: string): Promise<string[]> {
  const row = page.getByRole('table', { name: 'Relevés par opérateur' }).getByRole('row').filter({ has: page.getByRole('rowheader', { name: operator, exact: true }) });
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
    await office.getByRole('list', { name: 'Communes trouvées' }).getByRole('button', { name: 'Saint-Guilhem-le-Désert (34261)' }).click();
    expect(await office.getByLabel('Nom de la campagne').inputValue()).toBe(CAMPAIGN_NAME);
    const operators = office.getByRole('group', { name: 'Opérateurs à mesurer' });
    for (const operator of ['Orange', 'SFR', 'Bouygues Telecom', 'Free Mobile']) expect(await operators.getByLabel(operator).isChecked()).toBe(true);
    await office.getByRole('group', { name: 'Agents' }).getByLabel(agent.name).check();

    // Checked on the page with the shared schema before anything is sent.
    const testNumber = office.getByLabel('Numéro à appeler pour les tests');
    await testNumber.fill('appelez Paul');
    await office.getByRole('button', { name: 'Créer la campagne' }).click();
    await office.locator('#campaign-testNumber-error').getByText(/^Numéro de test invalide/).waitFor();
    expect(await testNumber.getAttribute('aria-invalid')).toBe('true');
    await testNumber.fill('06 12 34 56 78');
    await office.getByRole('button', { name: 'Créer la campagne' }).click();

    await campaignItem(office).waitFor();
    await campaignItem(office).getByText('Agents : Camille Agent').waitFor();
    await campaignItem(office).getByText('Opérateurs : Orange, SFR, Bouygues Telecom, Free Mobile').waitFor();
    expect(await office.getByRole('button', { name: 'Choisir cette campagne' }).count()).toBe(0);

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
    await page.getByRole('status').filter({ hasText: /Hors ligne : chiffres du serveur du .+, gardés sur cet appareil/ }).waitFor();
    await expect.poll(() => operatorRow(page, 'Orange')).toEqual(['1', '0', '1']);
    await page.getByRole('link', { name: '← Campagnes' }).click();
    await page.getByRole('status').filter({ hasText: /Hors ligne : liste du .+, gardée sur cet appareil/ }).waitFor();
    await campaignItem(page).getByText('✓ Campagne de cet appareil').waitFor();
  });

  it('a reviewer edits a campaign (checked on the page first), then deletes it', async () => {
    await createUser(server);
    const reviewer = await createUser(server, { role: 'reviewer' });
    const desk = await launch({ desktop: true });
    const page = await openSignedIn(desk.context, `${server.url}/#campagnes/nouvelle`, reviewer);
    await page.getByLabel('Commune (nom ou code INSEE)').fill('34261');
    await page.getByRole('button', { name: 'Saint-Guilhem-le-Désert (34261)' }).click();
    await page.getByLabel('Numéro à appeler pour les tests').fill('06 12 34 56 78');
    await page.getByRole('button', { name: 'Créer la campagne' }).click();
    await campaignItem(page).getByText('Numéro de test : 06 12 34 56 78').waitFor();
    const [created] = (await page.evaluate(() => fetch('/api/v1/campaigns').then((response) => response.json()))).campaigns as { id: string; startsOn: string }[];

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
    expect(await page.getByRole('table', { name: 'Relevés par opérateur' }).getByRole('rowheader', { name: 'Free Mobile' }).count()).toBe(0);
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
