import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { blockingViolations } from './axe.ts';
import {
  createUser,
  launchPhone,
  openInstalled,
  openSignedIn,
  recordReading,
  signInThroughPage,
  startServer,
  syncBar,
  type Phone,
  type TestServer,
  type TestUser,
} from './harness.ts';
import { eventually } from './expect-locator.ts';

/**
 * The admin's account screens (issue 15): an agent's communes edited through the commune
 * combobox with the keyboard alone, a password reset to a provisional one the app proposes,
 * which the agent must replace at sign-in before anything else; no « Désactiver » on the
 * admin's own account; axe finds nothing serious on « Administration » and « Mon compte ».
 */
describe('accounts administered from the screens', () => {
  let server: TestServer;
  let office: Phone;
  let phone: Phone;
  let admin: TestUser;
  let agent: TestUser;

  beforeEach(async () => {
    server = await startServer();
    office = await launchPhone({ desktop: true });
    phone = await launchPhone();
    admin = await createUser(server, { role: 'admin' });
    agent = await createUser(server);
  });
  afterEach(async () => {
    const violations = [...office.cspViolations, ...phone.cspViolations];
    await office.close();
    await phone.close();
    await server.close();
    expect(violations).toEqual([]);
  });

  it('the admin edits an agent’s communes by keyboard and resets their password; the agent must choose a new one, then works', async () => {
    const page = await openSignedIn(office.context, server.url, admin);
    await page.getByRole('heading', { name: 'Administration' }).waitFor();
    const accounts = page.getByRole('list', { name: 'Comptes' });
    const own = accounts.getByRole('listitem', { name: admin.email });
    const agentRow = accounts.getByRole('listitem', { name: agent.email });
    await agentRow.getByRole('button', { name: 'Désactiver' }).waitFor();

    // Nothing the server refuses an admin on their own account is offered.
    await own.getByText('C’est votre compte').waitFor();
    for (const refused of ['Désactiver', 'Réinitialiser le mot de passe', 'Révoquer les sessions et jetons']) {
      await eventually(() => own.getByRole('button', { name: refused }).count()).toBe(0);
    }
    expect(await blockingViolations(page)).toEqual([]);

    // Montpellier added to the agent's communes with the keyboard alone.
    await agentRow.getByRole('button', { name: 'Modifier' }).click();
    const form = page.getByRole('form', { name: `Modifier le compte ${agent.email}` });
    await form.getByRole('listitem').filter({ hasText: 'Saint-Guilhem-le-Désert (34261)' }).waitFor();
    const combobox = form.getByRole('combobox', { name: 'Communes (nom ou code INSEE)' });
    await combobox.focus();
    await page.keyboard.type('Montpel');
    const listbox = form.getByRole('listbox');
    await listbox.getByRole('option', { name: 'Montpellier (34172)' }).waitFor();
    await eventually(() => combobox.getAttribute('aria-expanded')).toBe('true');
    expect(await blockingViolations(page)).toEqual([]);
    await page.keyboard.press('ArrowDown');
    const active = await combobox.getAttribute('aria-activedescendant');
    await eventually(() => page.locator(`#${active}`).textContent()).toBe('Montpellier (34172)');
    await eventually(() => page.locator(`#${active}`).getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('Enter');
    await form.getByRole('list', { name: 'Communes choisies' }).getByText('Montpellier (34172)').waitFor();
    await eventually(() => combobox.inputValue()).toBe('');
    // Escape closes a list that a new search opened, without picking.
    await page.keyboard.type('Agde');
    await listbox.getByRole('option', { name: 'Agde (34003)' }).waitFor();
    await page.keyboard.press('Escape');
    await eventually(() => combobox.getAttribute('aria-expanded')).toBe('false');
    await page.keyboard.press('Escape');
    await eventually(() => combobox.inputValue()).toBe('');
    await form.getByRole('button', { name: 'Enregistrer' }).click();
    await page.getByRole('status').getByText(`Compte de ${agent.email} enregistré.`).waitFor();
    await expect(server.store.userById(agent.id).then((user) => user?.communes)).resolves.toEqual(['34261', '34172']);

    // A provisional password, proposed by the app.
    await agentRow.getByRole('button', { name: 'Réinitialiser le mot de passe' }).click();
    const reset = page.getByRole('form', { name: `Réinitialiser le mot de passe de ${agent.email}` });
    await reset.getByRole('button', { name: 'Proposer un mot de passe' }).click();
    const provisional = await reset.getByLabel('Mot de passe provisoire (10 caractères au moins)').inputValue();
    expect(provisional).toMatch(/^[A-Za-z2-9]{14}$/);
    await reset.getByRole('button', { name: 'Enregistrer le mot de passe provisoire' }).click();
    await page.getByRole('status').getByText(`Mot de passe provisoire enregistré pour ${agent.email}`).waitFor();
    await agentRow.getByText('Mot de passe provisoire').waitFor();

    // The agent signs in with it and is made to choose their own before anything else.
    const field = await openInstalled(phone.context, server.url);
    await signInThroughPage(field, { ...agent, password: provisional });
    await field.getByRole('heading', { name: 'Choisissez votre mot de passe' }).waitFor();
    await eventually(() => field.getByRole('navigation').count()).toBe(0);
    expect(await blockingViolations(field)).toEqual([]);
    const chosen = 'mon mot de passe à moi 2026';
    await field.getByLabel('Mot de passe provisoire').fill(provisional);
    await field.getByLabel('Nouveau mot de passe (10 caractères au moins)').fill(chosen);
    await field.getByLabel('Nouveau mot de passe, encore').fill(chosen);
    await field.getByRole('button', { name: 'Enregistrer et continuer' }).click();
    await field.getByRole('heading', { name: 'Nouveau relevé' }).waitFor();

    // Then works: a reading reaches the server, attributed to the agent.
    await recordReading(field);
    await syncBar(field).getByText('Aucun relevé en attente').waitFor();
    expect(await server.storedReadings()).toHaveLength(1);

    // « Mon compte »: who they are, and their own password.
    await field.getByRole('link', { name: /Mon compte/ }).click();
    await field.getByRole('heading', { name: 'Mon compte' }).waitFor();
    await field.getByText(agent.email).waitFor();
    await field.getByText('Montpellier (34172)', { exact: false }).waitFor();
    expect(await blockingViolations(field)).toEqual([]);
    await field.getByLabel('Mot de passe actuel').fill('pas le bon mot de passe');
    await field.getByLabel('Nouveau mot de passe (10 caractères au moins)').fill('encore un autre mot de passe');
    await field.getByLabel('Nouveau mot de passe, encore').fill('encore un autre mot de passe');
    await field.getByRole('button', { name: 'Changer mon mot de passe' }).click();
    await field.getByRole('alert').getByText('Mot de passe actuel incorrect').waitFor();
    await field.getByLabel('Mot de passe actuel').fill(chosen);
    await field.getByRole('button', { name: 'Changer mon mot de passe' }).click();
    await field.getByRole('status').getByText('Mot de passe changé.', { exact: false }).waitFor();
    await eventually(() => field.getByRole('button', { name: 'Se déconnecter' }).isVisible()).toBe(true);
  });
});
