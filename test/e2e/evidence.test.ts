import { describe, expect, it } from 'vitest';
import type { Campaign } from '../../src/domain/campaign.ts';
import type { Reading } from '../../src/domain/reading.ts';
import {
  deviceReadingIds,
  openSignedIn,
  POSITION,
  recordReading,
  syncBar,
  sendUntilNoneWaiting,
  useFieldDay,
  type Phone,
  type TestServer,
  type TestUser,
} from './harness.ts';
import { eventually } from './expect-locator.ts';

/** The one reading the server holds once it arrives. */
async function arrivedReading(server: TestServer, id: string): Promise<Reading> {
  let found: Reading | undefined;
  await expect
    .poll(async () => (found = (await server.storedReadings()).find((reading) => reading.id === id)), {
      message: `reading ${id} reaches the server`,
      timeout: 30_000,
    })
    .toBeDefined();
  return found!;
}

// Every reading carries what the phone measured itself: the connectivity probe against the
// server (or the proof that there was none), the browser's connection, and the guided tests.
describe('measured evidence', () => {
  let server: TestServer;
  let phone: Phone;
  let agent: TestUser;

  useFieldDay((day) => ({ server, phone, agent } = day));

  const evidenceStatus = (page: import('playwright-core').Page) => page.getByRole('status', { name: 'Mesure du réseau' });

  it('an online reading gets a reachable probe with figures, on the server', async () => {
    const page = await openSignedIn(phone.context, server.url, agent);
    await recordReading(page);
    const [id] = await deviceReadingIds(page);
    await evidenceStatus(page)
      .filter({ hasText: /Mesure du réseau : serveur joint, latence \d+ ms, ↓ [\d,]+ [kM]bit\/s, ↑ [\d,]+ [kM]bit\/s/ })
      .waitFor();

    const stored = await arrivedReading(server, id!);
    expect(stored.probe).toMatchObject({ result: 'reachable', latencySamples: 3 });
    expect(stored.probe?.failedStep).toBeUndefined();
    expect(stored.probe?.latencyMs).toEqual(expect.any(Number));
    expect(stored.probe?.downloadKbps).toBeGreaterThan(0);
    expect(stored.probe?.uploadKbps).toBeGreaterThan(0);
    // Chromium has the Network Information API.
    expect(stored.connection).toMatchObject({ available: true });
    expect(stored.positionAgeMs).toEqual(expect.any(Number));

    // The readings list shows the evidence too.
    await page.getByRole('link', { name: 'Relevés', exact: true }).click();
    await page
      .getByRole('list', { name: 'Preuves mesurées' })
      .getByText(/Mesure du réseau : serveur joint/)
      .waitFor();
  });

  it('offline, the reading records the device offline and reaches the server later with it', async () => {
    const page = await openSignedIn(phone.context, server.url, agent);
    server.unreachable = true;
    await phone.context.setOffline(true);
    await recordReading(page, { operator: 'SFR' });
    const [id] = await deviceReadingIds(page);
    await evidenceStatus(page).filter({ hasText: 'Appareil hors ligne' }).waitFor();
    await syncBar(page).getByText('1 relevé en attente').waitFor();

    server.unreachable = false;
    await phone.context.setOffline(false);
    const stored = await arrivedReading(server, id!);
    expect(stored.probe).toMatchObject({ result: 'device-offline', durationMs: 0 });
    expect(stored.operator).toBe('sfr');
    expect(server.postedIds).toEqual([id]);
  });

  it('a server out of reach while the phone thinks it is online is recorded as unreachable', async () => {
    const page = await openSignedIn(phone.context, server.url, agent);
    server.unreachable = true;
    await recordReading(page, { operator: 'Free Mobile' });
    const [id] = await deviceReadingIds(page);
    await evidenceStatus(page).filter({ hasText: 'Serveur injoignable : preuve d’absence de service de données' }).waitFor();

    server.unreachable = false;
    await sendUntilNoneWaiting(page);
    const stored = await arrivedReading(server, id!);
    expect(stored.probe).toMatchObject({ result: 'unreachable', failedStep: 'reach' });
    expect(stored.probe?.latencyMs).toBeUndefined();
  });

  it('a guided call test survives a reload and stores voice and callTest on the server', async () => {
    // A headless browser has no dialler: Chromium's attempt to hand tel: to the system then
    // swallows the page's input. The link's own click handler still runs, as on a phone.
    await phone.context.addInitScript(() => {
      document.addEventListener(
        'click',
        (event) => {
          if ((event.target as Element | null)?.closest?.('a[href^="tel:"], a[href^="sms:"]')) event.preventDefault();
        },
        true,
      );
    });
    const page = await openSignedIn(phone.context, server.url, agent);
    await page.getByRole('link', { name: 'Relevé', exact: true }).click();
    // No campaign picked: the survey says so and leads to the campaigns.
    await eventually(() => page.getByRole('link', { name: 'Choisir une campagne' }).getAttribute('href')).toBe('#campagnes');

    await page.getByLabel('Numéro à joindre').fill('06 12 34 56 78');
    const call = page.getByRole('link', { name: 'Lancer le test d’appel' });
    await eventually(() => call.getAttribute('href')).toBe('tel:0612345678');
    await call.click();
    await page.getByText('Appel en cours vers 06 12 34 56 78').waitFor();
    await eventually(() => page.getByText('Restez dehors, téléphone immobile').isVisible()).toBe(true);

    // The phone reloads the page while the agent is in the dialler: the minute carries on.
    await page.reload();
    await page.getByText('Appel en cours vers 06 12 34 56 78').waitFor();
    await page.getByRole('button', { name: 'Appel terminé' }).click();
    await page.getByText('Comment s’est passé l’appel ?').waitFor();
    await page.getByRole('button', { name: 'Coupé' }).click();
    await page.getByText(/Test d’appel guidé : coupé après \d+ s/).waitFor();
    await eventually(() => page.getByRole('combobox', { name: 'Test d’appel' }).inputValue()).toBe('dropped');

    await page.getByRole('group', { name: 'Opérateur' }).getByText('Orange', { exact: true }).click();
    await page.getByRole('group', { name: 'Réseau affiché' }).getByText('4G (LTE)', { exact: true }).click();
    await page.getByRole('group', { name: 'Barres de réseau' }).getByText('4', { exact: true }).click();
    // Four bars would be TBC; the dropped call caps it at CL.
    await page.getByText('Niveau estimé').getByText('CL', { exact: true }).waitFor();
    await eventually(() => page.getByText('Niveau estimé').textContent()).toContain('Couverture limitée (plafonné : test en échec)');
    await page.getByRole('button', { name: 'Enregistrer le relevé' }).click();
    await page.getByRole('status').filter({ hasText: 'Relevé enregistré sur l’appareil (couverture limitée)' }).waitFor();
    const [id] = await deviceReadingIds(page);

    const stored = await arrivedReading(server, id!);
    expect(stored.voice).toBe('dropped');
    expect(stored.callTest?.durationS).toBeGreaterThanOrEqual(0);
    expect(stored.callTest?.durationS).toBeLessThan(60);
    expect(Date.parse(stored.callTest!.startedAt)).toBeLessThanOrEqual(Date.parse(stored.recordedAt));
    // The next reading starts without the test: it belonged to that spot.
    await eventually(() => page.getByRole('combobox', { name: 'Test d’appel' }).inputValue()).toBe('not-tested');
  });

  it('records the same spot for the next operator with the first reading’s position', async () => {
    const page = await openSignedIn(phone.context, server.url, agent);
    await recordReading(page, { operator: 'Orange' });
    const [first] = await deviceReadingIds(page);
    const spot = page.getByRole('region', { name: 'Même endroit' });
    await spot.getByRole('button', { name: 'Même endroit, autre opérateur : SFR' }).click();

    // The agent walks 15 m to fetch the other phone: still the same spot.
    await phone.context.setGeolocation({ ...POSITION, latitude: POSITION.latitude + 0.000135, accuracy: 40 });
    const following = page.getByRole('region', { name: 'Même endroit' });
    await following.getByText('Orange ✓').waitFor();
    await eventually(() => page.getByRole('group', { name: 'Opérateur' }).getByRole('radio', { name: 'SFR' }).isChecked()).toBe(true);
    await page.getByRole('group', { name: 'Barres de réseau' }).getByText('1', { exact: true }).click();
    await page.getByRole('button', { name: 'Enregistrer le relevé' }).click();
    await expect.poll(async () => (await deviceReadingIds(page)).length).toBe(2);
    const second = (await deviceReadingIds(page)).find((id) => id !== first)!;

    const [a, b] = [await arrivedReading(server, first!), await arrivedReading(server, second)];
    expect(b).toMatchObject({ operator: 'sfr', lat: a.lat, lon: a.lon, accuracyM: a.accuracyM, signalBars: 1 });
    expect(a.probe?.result).toBe('reachable');
    // This phone's data service says nothing of another phone's SIM.
    expect(b.probe).toBeUndefined();
  });

  it('records for the campaign picked: its commune shown, its operators only, its test number', async () => {
    const page = await openSignedIn(phone.context, server.url, agent);
    // Created on the server first: a reading naming a campaign the server does not know is kept
    // without the link (issue 14), so the phone's campaign must be a real one.
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const campaign = await page.evaluate(
      async (body) => {
        const session = (await (await fetch('/api/v1/session')).json()) as { csrfToken: string };
        const response = await fetch('/api/v1/campaigns', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken },
          body: JSON.stringify(body),
        });
        if (response.status !== 201) throw new Error(`campagne refusée : ${response.status} ${await response.text()}`);
        return (await response.json()) as Campaign;
      },
      {
        name: 'Campagne Saint-Guilhem-le-Désert',
        communeInsee: '34261',
        startsOn: day(-30),
        endsOn: day(30),
        operators: ['sfr', 'orange'],
        testNumber: '3179',
        agentIds: [agent.id],
      },
    );
    // As the « Campagnes » screen leaves it once the agent picked one (store/campaign-choice.ts).
    await page.evaluate(
      (chosen) =>
        new Promise<void>((resolve, reject) => {
          const open = indexedDB.open('couverture');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const tx = open.result.transaction('meta', 'readwrite');
            tx.objectStore('meta').put(chosen, 'campaign');
            tx.oncomplete = () => {
              open.result.close();
              resolve();
            };
            tx.onerror = () => reject(tx.error);
          };
        }),
      campaign,
    );
    await page.reload();
    await page.getByText('Campagne en cours : Campagne Saint-Guilhem-le-Désert · Saint-Guilhem-le-Désert (34261)').waitFor();
    const operators = page.getByRole('group', { name: 'Opérateur' }).getByRole('radio');
    await expect(operators.evaluateAll((radios) => radios.map((radio) => radio.closest('label')?.textContent))).resolves.toEqual(['SFR', 'Orange']);
    await page.getByText('Numéro de test de la campagne : 3179').waitFor();
    await eventually(() => page.getByRole('link', { name: 'Lancer le test d’appel' }).getAttribute('href')).toBe('tel:3179');

    await recordReading(page, { operator: 'SFR' });
    const [id] = await deviceReadingIds(page);
    const stored = await arrivedReading(server, id!);
    expect(stored).toMatchObject({ operator: 'sfr', campaignId: campaign.id, communeInsee: '34261' });
    // SFR is done at this spot; Orange, the campaign's other operator, is offered next.
    await page.getByRole('button', { name: 'Même endroit, autre opérateur : Orange' }).waitFor();
  });
});
