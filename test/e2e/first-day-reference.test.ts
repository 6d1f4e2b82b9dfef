import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cellIdAt } from '../../src/domain/grid/cell-id.ts';
import { createCommunes } from '../../src/server/communes/communes.ts';
import { runServerCommand } from '../support/server-process.ts';
import { eventually } from './expect-locator.ts';
import {
  launchPhone,
  openInstalled,
  recordReading,
  signInThroughPage,
  startServer,
  syncBar,
  sendUntilNoneWaiting,
  type Phone,
  type TestServer,
  type TestUser,
} from './harness.ts';

const run = promisify(execFile);

/** Montpellier's town hall: the Hérault (34). */
const MONTPELLIER = { latitude: 43.6109, longitude: 3.8772, accuracy: 15 };
const CELL = cellIdAt(MONTPELLIER.longitude, MONTPELLIER.latitude)!;
const OPERATORS = ['Orange', 'SFR', 'Bouygues Telecom', 'Free Mobile'];

/** The README's « First start: accounts » commands, on the test server's database. */
function admin(server: TestServer, args: string[], env: Record<string, string> = {}) {
  return runServerCommand('admin.ts', args, { ...server.commandEnv, ...env });
}

/** A first sign-in with the provisional password an admin gave: the person chooses their own before anything else. */
async function firstSignIn(page: Page, user: TestUser, chosen: string): Promise<void> {
  await signInThroughPage(page, user);
  await page.getByRole('heading', { name: 'Choisissez votre mot de passe' }).waitFor();
  await page.getByLabel('Mot de passe provisoire').fill(user.password);
  await page.getByLabel('Nouveau mot de passe (10 caractères au moins)').fill(chosen);
  await page.getByLabel('Nouveau mot de passe, encore').fill(chosen);
  await page.getByRole('button', { name: 'Enregistrer et continuer' }).click();
  await page.getByRole('heading', { name: 'Choisissez votre mot de passe' }).waitFor({ state: 'detached' });
}

// Issue 15's « Done when »: the first day of a default install, as the README tells it, with
// one person per browser. Nothing configured: no commune data, so points are placed by the
// département outlines shipped with the server.
describe('the first day on a fresh server with no configuration (issue 15)', () => {
  let server: TestServer;
  const phones: Phone[] = [];

  async function launch(options?: { desktop?: boolean }): Promise<Phone> {
    const phone = await launchPhone(options);
    phones.push(phone);
    return phone;
  }
  async function close(phone: Phone): Promise<void> {
    phones.splice(phones.indexOf(phone), 1);
    const violations = [...phone.cspViolations];
    await phone.close();
    expect(violations).toEqual([]);
  }

  beforeEach(async () => {
    server = await startServer({ communes: createCommunes() });
  });
  afterEach(async () => {
    for (const phone of [...phones]) await close(phone);
    await server.close();
  });

  it('accounts by the README’s commands; a resident’s report in Montpellier reaches the Hérault reviewer; an agent records offline on a 360×640 phone; the reviewer files one zone and prints its dossier', {
    timeout: 240_000,
  }, async () => {
    // The admin, at the server's shell.
    const made = await admin(server, ['create-admin', '--email', 'admin@example.fr', '--name', 'Admin'], { COUVERTURE_PASSWORD: 'le mot de passe de l’admin' });
    expect(made.stderr).toBe('');
    expect(made.stdout).toMatch(/^Administrateur créé : admin@example\.fr/);
    const agent: TestUser = { id: '', email: 'mairie@example.fr', name: 'Mairie de Montpellier', password: 'provisoire-mairie-2026' };
    const addAgent = await admin(server, [
      'add-user',
      '--email',
      agent.email,
      '--name',
      agent.name,
      '--role',
      'agent',
      '--communes',
      '34172,34003',
      '--password',
      agent.password,
    ]);
    expect(addAgent.stdout).toMatch(/agent, communes 34172, 34003/);
    const reviewer: TestUser = { id: '', email: 'ddt34@example.fr', name: 'DDT Hérault', password: 'provisoire-ddt-2026' };
    const addReviewer = await admin(server, [
      'add-user',
      '--email',
      reviewer.email,
      '--name',
      reviewer.name,
      '--role',
      'reviewer',
      '--departement',
      '34',
      '--password',
      reviewer.password,
    ]);
    expect(addReviewer.stdout).toMatch(/reviewer, département 34/);

    // A resident reports a dead spot in Montpellier, without an account.
    const residentPhone = await launch();
    await residentPhone.context.setGeolocation(MONTPELLIER);
    const resident = await openInstalled(residentPhone.context, `${server.url}/#signaler`);
    await resident.getByText('Position du téléphone').waitFor();
    await resident.getByRole('group', { name: 'Votre opérateur' }).getByText('SFR', { exact: true }).click();
    await resident.getByRole('group', { name: 'Qu’est-ce qui ne marche pas ?' }).getByText('Aucun réseau', { exact: true }).click();
    await resident.getByRole('group', { name: 'Où étiez-vous ?' }).getByText('Dehors', { exact: true }).click();
    await resident.getByLabel('Précision (facultatif)').fill('rien place de la Comédie');
    await resident.getByRole('button', { name: 'Envoyer le signalement' }).click();
    await resident.getByRole('list', { name: 'Vos signalements' }).locator('[data-state="sent"]').waitFor();
    // The département outlines that placed it are credited, as their licence asks.
    await resident.getByRole('link', { name: 'À propos et crédits' }).click();
    await resident.getByText('IGN – Admin Express, via france-geojson').waitFor();
    await close(residentPhone);
    expect((await server.storedReports()).map((report) => report.note)).toEqual(['rien place de la Comédie']);

    // The agent, on a 360×640 phone: chooses a password online, then records offline, four
    // readings per operator (only Orange covers: a zone grise), and they leave once online.
    const agentPhone = await launch();
    await agentPhone.context.setGeolocation(MONTPELLIER);
    const field = await openInstalled(agentPhone.context, server.url);
    await field.setViewportSize({ width: 360, height: 640 });
    await firstSignIn(field, agent, 'le mot de passe de la mairie');
    await field.getByRole('heading', { name: 'Nouveau relevé' }).waitFor();
    await agentPhone.context.setOffline(true);
    for (const operator of OPERATORS) {
      for (let i = 0; i < 4; i++) await recordReading(field, { operator, bars: operator === 'Orange' ? '4' : '1' });
    }
    await syncBar(field).getByText('16 relevés en attente').waitFor();
    expect(await server.storedReadings()).toHaveLength(0);
    await agentPhone.context.setOffline(false);
    await sendUntilNoneWaiting(field);
    expect(await server.storedReadings()).toHaveLength(16);
    await close(agentPhone);

    // The Hérault reviewer, at a 1366×900 desk: the resident's report in « Signalements »…
    const desk = await launch({ desktop: true });
    const page = await openInstalled(desk.context, server.url);
    await firstSignIn(page, reviewer, 'le mot de passe de la DDT');
    await page.getByRole('link', { name: 'Signalements', exact: true }).click();
    await page.getByRole('heading', { name: /Signalements des habitants/ }).waitFor();
    const report = page.getByRole('list', { name: 'Signalements' }).getByRole('listitem').filter({ hasText: 'rien place de la Comédie' });
    // No commune outlines loaded: said as not determined, not as lost.
    await report.getByText(/^Commune non déterminée · Aucun réseau · SFR/).waitFor();

    // …the agent's cell on « Couverture », filed once as a zone from the suggestion.
    await page.evaluate(({ latitude, longitude }) => (window.location.hash = `#couverture?view=16/${latitude}/${longitude}`), MONTPELLIER);
    await page.getByRole('heading', { name: 'Couverture (département 34)' }).waitFor();
    await page.getByRole('status').filter({ hasText: '1 maille de 200 m dans la vue' }).waitFor();
    const suggestions = page.getByRole('list', { name: 'Zones suggérées' });
    await suggestions.getByText('1 maille (0 blanche, 1 grise) · 16 relevés · 1 contributeur').waitFor();
    if (process.env.SCREENSHOTS_DIR) await page.screenshot({ path: `${process.env.SCREENSHOTS_DIR}/first-day-coverage-1366.png` });
    await suggestions.getByRole('button', { name: 'Créer cette zone' }).click();
    await page.getByRole('status').filter({ hasText: 'Zone « Zone suggérée n° 1 (1 maille) » créée' }).waitFor();
    await page.getByText('Aucune zone blanche ou grise dans la vue.').waitFor();
    const zones = await server.store.listZones('34');
    expect(zones.map((zone) => zone.cells)).toEqual([[CELL]]);

    // …and its dossier, printed on A4 by Chromium.
    await page.getByRole('link', { name: 'Zones', exact: true }).click();
    const zone = page.getByRole('listitem', { name: 'Zone suggérée n° 1 (1 maille)' });
    await zone.getByText('À étudier', { exact: true }).waitFor();
    await zone.getByText(/communes non déterminées \(contours des communes non chargés sur ce serveur\)/).waitFor();
    await zone.getByRole('link', { name: 'Page imprimable' }).click();
    const sheet = page.getByRole('article', { name: 'Zone suggérée n° 1 (1 maille)' });
    await eventually(() =>
      sheet
        .getByRole('table', { name: 'Par opérateur' })
        .getByRole('row', { name: /Orange/ })
        .textContent(),
    ).toContain('TBC');
    await sheet.locator('.dossier-map path').first().waitFor();
    if (process.env.SCREENSHOTS_DIR) await page.screenshot({ path: `${process.env.SCREENSHOTS_DIR}/first-day-dossier-1366.png`, fullPage: true });
    await page.emulateMedia({ media: 'print' });
    const pdf = await page.pdf({ format: 'A4' });
    await page.emulateMedia({ media: 'screen' });
    const dir = await mkdtemp(join(tmpdir(), 'couverture-first-day-'));
    try {
      const file = join(dir, 'dossier.pdf');
      await writeFile(file, pdf);
      const { stdout: text } = await run('pdftotext', ['-layout', file, '-']);
      expect(text).toContain('Zone suggérée n° 1 (1 maille)');
      // Placed in the Hérault by the shipped outlines; each operator's verdict on paper.
      expect(text).toContain('Hérault (34)');
      expect(text).toMatch(/Communes : non déterminées \(contours des communes non chargés sur ce\s+serveur\)/);
      expect(text).toMatch(/Orange\s+TBC\s+4 \(1\)/);
      for (const operator of ['SFR', 'Bouygues Telecom', 'Free Mobile']) expect(text).toMatch(new RegExp(`${operator}\\s+CL\\s+4 \\(1\\)`));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
