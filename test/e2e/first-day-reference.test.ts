import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCommunes } from '../../src/server/communes/communes.ts';
import { createUser, launchPhone, openInstalled, signInThroughPage, startServer, type Phone, type TestServer } from './harness.ts';

/** Montpellier's town hall: the Hérault (34). */
const MONTPELLIER = { latitude: 43.6109, longitude: 3.8772, accuracy: 15 };

describe('a fresh server with no commune data loaded (a default install)', () => {
  let server: TestServer;
  let phone: Phone;

  beforeEach(async () => {
    server = await startServer({ communes: createCommunes() });
    phone = await launchPhone();
  });
  afterEach(async () => {
    const cspViolations = [...phone.cspViolations];
    await phone.close();
    await server.close();
    expect(cspViolations).toEqual([]);
  });

  it('shows a resident’s report in Montpellier in the Hérault reviewer’s « Signalements »', async () => {
    await phone.context.setGeolocation(MONTPELLIER);
    const page = await openInstalled(phone.context, `${server.url}/#signaler`);
    await page.getByText('Position du téléphone').waitFor();
    await page.getByRole('group', { name: 'Votre opérateur' }).getByText('SFR', { exact: true }).click();
    await page.getByRole('group', { name: 'Qu’est-ce qui ne marche pas ?' }).getByText('Aucun réseau', { exact: true }).click();
    await page.getByRole('group', { name: 'Où étiez-vous ?' }).getByText('Dehors', { exact: true }).click();
    await page.getByLabel('Précision (facultatif)').fill('rien place de la Comédie');
    await page.getByRole('button', { name: 'Envoyer le signalement' }).click();
    await page.getByRole('list', { name: 'Vos signalements' }).locator('[data-state="sent"]').waitFor();

    const reviewer = await createUser(server, { role: 'reviewer' }); // Hérault
    await page.goto(`${server.url}/#connexion`);
    await signInThroughPage(page, reviewer);
    await page.getByRole('link', { name: 'Signalements', exact: true }).click();
    await page.getByRole('heading', { name: /Signalements des habitants/ }).waitFor();
    await page.getByRole('list', { name: 'Signalements' }).getByRole('listitem').filter({ hasText: 'rien place de la Comédie' }).waitFor();
  });
});
