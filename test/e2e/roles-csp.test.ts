import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createUser, launchPhone, openInstalled, recordReading, signInThroughPage, startServer, type Phone, type TestServer } from './harness.ts';
import { eventually } from './expect-locator.ts';

describe('screens by role, under the server’s strict CSP', () => {
  let server: TestServer;
  let phone: Phone;

  beforeEach(async () => {
    server = await startServer();
    phone = await launchPhone();
  });
  afterEach(async () => {
    await phone.close();
    await server.close();
  });

  it('the server sends a strict CSP, and no page of any role breaks it', async () => {
    const agent = await createUser(server);
    const reviewer = await createUser(server, { role: 'reviewer' });
    const admin = await createUser(server, { role: 'admin' });

    const page = await openInstalled(phone.context, server.url);
    // Confirmations (revoking sessions) are accepted.
    page.on('dialog', (dialog) => void dialog.accept());
    const response = await page.request.get(server.url);
    const csp = response.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toContain('unsafe-inline');

    // Agent: the three screens, the map with Leaflet and tiles.
    await signInThroughPage(page, agent);
    await recordReading(page, { bars: '3' });
    await page.getByRole('region', { name: 'Envoi des relevés' }).getByText('Aucun relevé en attente').waitFor();
    await page.getByRole('link', { name: 'Relevés', exact: true }).click();
    await page.getByRole('heading', { name: 'Relevés de cet appareil' }).waitFor();
    await page.getByRole('link', { name: 'Carte' }).click();
    await page.locator('.leaflet-tile-loaded').first().waitFor();
    await eventually(() => page.getByRole('link', { name: 'Administration' }).count()).toBe(0);
    await eventually(() => page.getByRole('link', { name: 'Signalements' }).count()).toBe(0);

    // A resident's report (the page is open to everyone, signed in or not).
    await page.goto(`${server.url}/#signaler`);
    await page.getByText('Position du téléphone').waitFor();
    await page.getByRole('group', { name: 'Votre opérateur' }).getByText('Free Mobile', { exact: true }).click();
    await page.getByRole('group', { name: 'Qu’est-ce qui ne marche pas ?' }).getByText('Internet mobile très lent', { exact: true }).click();
    await page.getByLabel('Précision (facultatif)').fill('publicité pour un site');
    await page.getByRole('button', { name: 'Envoyer le signalement' }).click();
    await page.getByRole('list', { name: 'Vos signalements' }).locator('[data-state="sent"]').waitFor();
    await page.getByRole('button', { name: 'Placer le point sur une carte plutôt' }).click();
    await page.locator('.pin-map .leaflet-tile-loaded').first().waitFor();

    // Reviewer of the département: Signalements + Carte; hides the spam with a reason.
    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await page.getByRole('heading', { name: 'Connexion' }).waitFor();
    await signInThroughPage(page, reviewer);
    await page.getByRole('heading', { name: /Signalements des habitants/ }).waitFor();
    await eventually(() => page.getByRole('link', { name: 'Relevé', exact: true }).count()).toBe(0);
    const item = page.getByRole('list', { name: 'Signalements' }).getByRole('listitem').filter({ hasText: 'publicité pour un site' });
    await item.getByRole('button', { name: 'Masquer (spam)' }).click();
    await item.getByLabel('Raison du masquage').fill('publicité');
    await item.getByRole('button', { name: 'Confirmer le masquage' }).click();
    await item.getByText('Raison du masquage : publicité').waitFor();
    await eventually(() => item.getAttribute('data-hidden')).toBe('true');

    // Admin: users, a new agent with a commune found by search, a token shown once.
    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await signInThroughPage(page, admin);
    await page.getByRole('heading', { name: 'Administration' }).waitFor();
    const accounts = page.getByRole('list', { name: 'Comptes' });
    await accounts.getByText(agent.email, { exact: false }).waitFor();
    await page.getByLabel('Nom', { exact: true }).fill('Lou Nouvelle');
    await page.getByLabel('Adresse e-mail').fill('lou@couverture.test');
    await page.getByLabel(/Mot de passe provisoire/).fill('un mot de passe long');
    await page.getByRole('combobox', { name: 'Communes (nom ou code INSEE)' }).fill('Saint-Guilhem');
    await page.getByRole('option', { name: 'Saint-Guilhem-le-Désert (34261)' }).click();
    await page.getByRole('list', { name: 'Communes choisies' }).getByText('Saint-Guilhem-le-Désert').waitFor();
    await page.getByRole('button', { name: 'Créer le compte' }).click();
    await page.getByText('Compte créé : lou@couverture.test').waitFor();
    await accounts.getByText('lou@couverture.test', { exact: false }).waitFor();

    await accounts.getByRole('listitem', { name: agent.email }).getByRole('button', { name: 'Révoquer les sessions et jetons' }).click();
    await page.getByText(`${agent.email} : `, { exact: false }).waitFor();

    await page.getByLabel('Nom du nouveau jeton').fill('import Tower Collector');
    await page.getByLabel('Votre mot de passe (confirmation)').fill(admin.password);
    await page.getByRole('button', { name: 'Créer un jeton' }).click();
    const token = await page.locator('.token-value').textContent();
    expect(token).toMatch(/^cvt_/);
    // The token works for scripts.
    const health = await page.request.get(`${server.url}/api/v1/tokens`, { headers: { authorization: `Bearer ${token}` } });
    expect(health.status()).toBe(200);

    expect(phone.cspViolations).toEqual([]);
  });
});
