import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openInstalled, openSignedIn, useFieldDay, type Phone, type TestServer, type TestUser } from './harness.ts';

/** The wire names a person must never read in a message (issue 15: « Champ obligatoire manquant : operator »). */
const ENGLISH_FIELD = /\b(operator|technology|problem|setting|signalBars|signalDbm|positionSource|lat|lon)\b/;

const focusedName = (page: Page) => page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name ?? document.activeElement?.id ?? '');

// Issue 15, part 6: validation messages named fields in English and sat beside fields the
// agent had to find; now a summary at the top of the form lists them in French, each leading
// to its field, and the first field in error takes the focus.
describe('form errors, in French, summarised at the top of the form', () => {
  let server: TestServer;
  let phone: Phone;
  let agent: TestUser;

  useFieldDay((day) => ({ server, phone, agent } = day));

  it('the survey: a summary (role=alert) names the missing fields in French, focuses the first, and leads to each', async () => {
    const page = await openSignedIn(phone.context, server.url, agent);
    await page.getByText('Précision').waitFor();
    await page.getByRole('button', { name: 'Enregistrer le relevé' }).click();

    const summary = page.getByRole('alert').filter({ hasText: 'Le relevé n’est pas complet' });
    await summary.waitFor();
    const lines = await summary.getByRole('listitem').allTextContents();
    expect(lines).toEqual(['Champ obligatoire manquant : opérateur', 'Champ obligatoire manquant : réseau affiché']);
    for (const line of lines) expect(line).not.toMatch(ENGLISH_FIELD);
    // The first field in error has the focus: the operator's first choice.
    await expect.poll(() => focusedName(page)).toBe('survey-operator');

    await summary.getByRole('button', { name: 'Champ obligatoire manquant : réseau affiché' }).click();
    await expect.poll(() => focusedName(page)).toBe('survey-technology');

    // Corrected, the summary goes.
    await page.getByRole('group', { name: 'Opérateur' }).getByText('Orange', { exact: true }).click();
    await page.getByRole('group', { name: 'Réseau affiché' }).getByText('Aucun réseau', { exact: true }).click();
    await summary.waitFor({ state: 'detached' });
  });

  it('the residents’ page: the same summary, with the operator and the problem in French', async () => {
    const page = await openInstalled(phone.context, `${server.url}/#signaler`);
    await page.getByText('Position du téléphone').waitFor();
    await page.getByRole('button', { name: 'Envoyer le signalement' }).click();

    const summary = page.getByRole('alert').filter({ hasText: 'Le signalement n’est pas complet' });
    await summary.waitFor();
    const lines = await summary.getByRole('listitem').allTextContents();
    expect(lines).toEqual(['Champ obligatoire manquant : opérateur', 'Champ obligatoire manquant : problème']);
    for (const line of lines) expect(line).not.toMatch(ENGLISH_FIELD);
    await expect.poll(() => focusedName(page)).toBe('report-operator');
    await summary.getByRole('button', { name: /problème/ }).click();
    await expect.poll(() => focusedName(page)).toBe('report-problem');
  });
});
