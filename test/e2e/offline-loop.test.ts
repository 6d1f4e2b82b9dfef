import { describe, expect, it } from 'vitest';
import { deviceReadingIds, openSignedIn, recordReading, useFieldDay, syncBar, type Phone, type TestServer, type TestUser } from './harness.ts';
import { eventually } from './expect-locator.ts';

// The promise the whole product stands on: opened once with network, the app records with
// none, survives being closed, and delivers each reading once when the network returns. The
// phone may not use Background Sync: the page's own triggers send (test/e2e/background-sync.test.ts
// sends with every page closed, through the service worker's sync event).
describe('offline survey loop', () => {
  let server: TestServer;
  let phone: Phone;
  let agent: TestUser;

  useFieldDay((day) => ({ server, phone, agent } = day), { restartable: true });

  it('installs on first visit: the service worker takes control of the page', async () => {
    const page = await phone.context.newPage();
    await page.goto(server.url);
    await eventually(() => page.getByRole('heading', { name: 'Couverture' }).isVisible()).toBe(true);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    const scriptUrl = await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL);
    expect(scriptUrl).toBe(`${server.url}/sw.js`);
    // Without an account, the first screen signs in, and leads residents to their page.
    await page.getByRole('heading', { name: 'Connexion' }).waitFor();
    await eventually(() => page.getByRole('link', { name: 'Signaler une zone sans réseau' }).isVisible()).toBe(true);
  });

  it('shows the app when reloaded in airplane mode', async () => {
    const page = await openSignedIn(phone.context, server.url, agent);
    await phone.context.setOffline(true);
    await page.reload();
    await page.getByRole('button', { name: /Enregistrer/ }).waitFor();
    await eventually(() => page.getByRole('heading', { name: 'Nouveau relevé' }).isVisible()).toBe(true);
    // Proof that the network really was cut: the API is unreachable.
    await expect(page.evaluate(() => fetch('/api/v1/health').then((r) => r.status))).rejects.toThrow();
  });

  it('keeps three readings recorded offline across closing and reopening the app', async () => {
    let page = await openSignedIn(phone.context, server.url, agent);
    await phone.context.setOffline(true);
    for (const operator of ['Orange', 'SFR', 'Free Mobile']) await recordReading(page, { operator });
    await syncBar(page).getByText('3 relevés en attente').waitFor();
    const recorded = await deviceReadingIds(page);

    server.unreachable = true;
    const context = await phone.restart({ offline: true });
    page = await context.newPage();
    await page.goto(server.url);
    await syncBar(page).getByText('3 relevés en attente').waitFor();
    await page.getByRole('link', { name: 'Relevés', exact: true }).click();
    await eventually(() => page.getByRole('list', { name: 'Relevés' }).locator('[data-state="pending"]').count()).toBe(3);
    expect((await deviceReadingIds(page)).sort()).toEqual(recorded.sort());
    expect(await server.storedReadings()).toEqual([]);

    // Hours later, the network is back: everything goes, once.
    server.unreachable = false;
    await context.setOffline(false);
    await syncBar(page).getByText('Aucun relevé en attente').waitFor();
    expect((await server.storedReadings()).map((reading) => reading.id).sort()).toEqual(recorded.sort());
  });

  it('delivers readings recorded offline, each once, when the network returns', async () => {
    const page = await openSignedIn(phone.context, server.url, agent);
    await phone.context.setOffline(true);
    for (const bars of ['0', '1', '3']) await recordReading(page, { bars });
    await syncBar(page).getByText('3 relevés en attente').waitFor();
    const recorded = (await deviceReadingIds(page)).sort();

    await phone.context.setOffline(false);
    await syncBar(page).getByText('Aucun relevé en attente').waitFor();
    const stored = await server.storedReadings();
    expect(stored.map((r) => r.id).sort()).toEqual(recorded);
    expect(stored.map((r) => r.signalBars).sort()).toEqual([0, 1, 3]);
    // This phone has no Background Sync (as in Firefox, Safari): the page's `online` event sent
    // them, each once. The service worker's own send is background-sync.test.ts's.
    expect([...server.postedIds].sort()).toEqual(recorded);
    await page.getByRole('link', { name: 'Relevés', exact: true }).click();
    await eventually(() => page.locator('[data-state="sent"]').count()).toBe(3);
  });
});
