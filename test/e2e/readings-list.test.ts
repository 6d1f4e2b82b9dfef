import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openSignedIn, recordReading, useFieldDay, type Phone, type TestServer, type TestUser } from './harness.ts';
import { eventually } from './expect-locator.ts';

/** Six readings of June 2025 around Saint-Guilhem-le-Désert. */
const TOWER_COLLECTOR = fileURLToPath(new URL('../fixtures/tower-collector.csv', import.meta.url));

describe('the readings list of a field day', () => {
  let server: TestServer;
  let phone: Phone;
  let agent: TestUser;

  useFieldDay((day) => ({ server, phone, agent } = day));

  it('lists the newest first, imports included, before the files panel, and says nothing of a network the phone did not have', async () => {
    const page = await openSignedIn(phone.context, server.url, agent);
    await page.getByRole('link', { name: 'Relevés', exact: true }).click();
    await page.getByLabel(/Fichier de relevés/).setInputFiles(TOWER_COLLECTOR);
    await page.getByRole('button', { name: 'Importer 6 relevés' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: 'Import terminé : 6 relevés ajoutés, 10 lignes refusées. Ils partiront vers le serveur avec les autres relevés.' })
      .waitFor();

    // Today, in a valley with no network at all.
    await phone.context.setOffline(true);
    await recordReading(page, { operator: 'SFR' });
    await page.getByRole('link', { name: 'Relevés', exact: true }).click();
    const items = page.locator('ul.readings > li');
    await expect.poll(() => items.count()).toBe(7);
    // Today's reading on top, then the log's from its latest row to its first.
    await eventually(() => items.first().textContent()).toContain('SFR · 4G (LTE)');
    const times = await page.evaluate(() => [...document.querySelectorAll('ul.readings > li')].map((item) => item.getAttribute('data-recorded-at')));
    expect(times.slice(1)).toEqual([...times.slice(1)].sort().reverse());

    // Offline at save: « Appareil hors ligne », and not the browser's stale « 4g, ~10 Mbit/s ».
    const evidence = items.first().getByRole('list', { name: 'Preuves mesurées' });
    await evidence.getByText('Appareil hors ligne').waitFor();
    await eventually(() => evidence.getByText(/Réseau selon le navigateur/).count()).toBe(0);

    // The readings come before the import and export of files, which a button reaches.
    const listFirst = await page.evaluate(() => {
      const list = document.querySelector('ul.readings')!;
      const files = document.getElementById('import-title')!;
      return Boolean(list.compareDocumentPosition(files) & Node.DOCUMENT_POSITION_FOLLOWING);
    });
    expect(listFirst).toBe(true);
    await page.getByRole('button', { name: 'Importer ou exporter un fichier' }).click();
    await expect
      .poll(() => page.getByRole('heading', { name: 'Importer un fichier' }).evaluate((heading) => heading.getBoundingClientRect().top < window.innerHeight))
      .toBe(true);
  });

  it('closes the call test’s question left unanswered for 5 minutes, its result « non renseigné »', async () => {
    const page = await openSignedIn(phone.context, server.url, agent);
    await page.getByRole('link', { name: 'Relevé', exact: true }).click();
    await page.getByText('Précision').waitFor();
    await page.getByRole('heading', { name: 'Test d’appel' }).waitFor();
    await eventually(() => page.getByText("Test d'appel").count()).toBe(0);
    // A call started 15 minutes ago, never answered: the agent walked on with the phone in a pocket.
    await page.evaluate(() =>
      localStorage.setItem('couverture.guided-test.call', JSON.stringify({ startedAt: Date.now() - 15 * 60_000, number: '06 12 34 56 78' })),
    );
    await page.reload();
    await page.getByRole('heading', { name: 'Test d’appel' }).waitFor();
    // « de 23:54 », or « de 4 déc., 23:54 » when the call was yesterday (a run just after midnight in Paris).
    await page
      .getByRole('status')
      .filter({ hasText: /^Test d’appel de (\d{1,2} \p{L}+\.?, )?\d{2}:\d{2} : résultat non renseigné, resté sans réponse 5 minutes après l’appel\.$/u })
      .waitFor();
    await eventually(() => page.getByText('Comment s’est passé l’appel ?').count()).toBe(0);
    expect(await page.evaluate(() => localStorage.getItem('couverture.guided-test.call'))).toBeNull();
  });
});
