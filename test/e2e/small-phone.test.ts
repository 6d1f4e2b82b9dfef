import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openSignedIn, recordReading, syncBar, useFieldDay, type Phone, type TestServer, type TestUser } from './harness.ts';
import { eventually } from './expect-locator.ts';

/** Heights of the fixed header and sync bar, and of the viewport (CSS pixels). */
function chromeHeights(page: Page): Promise<{ header: number; syncBar: number; viewport: number }> {
  return page.evaluate(() => ({
    header: document.querySelector('.app-header')!.getBoundingClientRect().height,
    syncBar: document.querySelector('.sync-bar')!.getBoundingClientRect().height,
    viewport: window.innerHeight,
  }));
}

/** The tab lies wholly inside the tab row's visible part (and the viewport). */
function tabFullyVisible(page: Page, name: string): Promise<boolean> {
  return page.evaluate((label) => {
    const nav = document.querySelector('nav[aria-label="Écrans"]')!;
    const tab = [...nav.querySelectorAll('a')].find((a) => a.firstChild?.textContent === label);
    if (!tab) return false;
    const row = nav.getBoundingClientRect();
    const box = tab.getBoundingClientRect();
    return box.left >= row.left - 1 && box.right <= row.right + 1 && box.right <= window.innerWidth + 1;
  }, name);
}

const AGENT_TABS = ['Relevé', 'Parcours', 'Relevés', 'Carte', 'Campagnes'];

// Issue 15, part 3: on a 360×640 phone offline, the header (136 px) and the sync bar (181 px)
// left 320 px for the form, hid « Même endroit, autre opérateur », and the fifth tab was off
// screen with nothing to say so.
describe('the agent’s screen on a small phone', () => {
  let server: TestServer;
  let phone: Phone;
  let agent: TestUser;

  useFieldDay((day) => ({ server, phone, agent } = day));

  for (const viewport of [
    { width: 360, height: 640 },
    { width: 390, height: 844 },
  ]) {
    it(`at ${viewport.width}×${viewport.height}, offline with readings waiting, leaves at least 60 % of the height to the work, and every tab can be reached`, async () => {
      const page = await openSignedIn(phone.context, server.url, agent);
      await page.setViewportSize(viewport);
      await phone.context.setOffline(true);
      await recordReading(page, { operator: 'Orange' });
      await recordReading(page, { operator: 'SFR' });
      const bar = syncBar(page);
      await bar.getByText('2 relevés en attente').waitFor();
      // The short line still says the phone is offline.
      await bar.getByText('Hors ligne', { exact: false }).waitFor();

      const { header, syncBar: barHeight, viewport: height } = await chromeHeights(page);
      expect(height).toBe(viewport.height);
      expect(header + barHeight, `header ${header} px + sync bar ${barHeight} px`).toBeLessThanOrEqual(0.4 * height);

      // « Même endroit, autre opérateur » is there for the next SIM, clear of the sync bar once
      // the page is scrolled to its end (the page keeps room for the bar below its last button).
      const sameSpot = page.getByRole('button', { name: /Même endroit, autre opérateur/ });
      await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
      if (process.env.SCREENSHOTS_DIR) await page.screenshot({ path: `${process.env.SCREENSHOTS_DIR}/agent-${viewport.width}.png` });
      const box = (await sameSpot.boundingBox())!;
      expect(box.y + box.height, 'not under the sync bar').toBeLessThanOrEqual(height - barHeight + 1);
      expect(box.y, 'not under the header').toBeGreaterThanOrEqual(header - 1);

      // Tabs that do not all fit say so with the chevron at the edge, and scroll into view.
      const hidden = [];
      for (const name of AGENT_TABS) if (!(await tabFullyVisible(page, name))) hidden.push(name);
      if (hidden.length > 0) await eventually(() => page.locator('.tabs-more.end').isVisible()).toBe(true);
      for (const name of [...AGENT_TABS].reverse()) {
        const tab = page.getByRole('navigation', { name: 'Écrans' }).getByRole('link', { name, exact: true });
        await tab.scrollIntoViewIfNeeded();
        await expect.poll(() => tabFullyVisible(page, name), { message: `tab ${name} reachable` }).toBe(true);
        const tabBox = (await tab.boundingBox())!;
        expect(tabBox.height, `tab ${name} is a tap target`).toBeGreaterThanOrEqual(44);
      }
      // The current tab is scrolled into view when a screen opens from a link.
      await page.evaluate(() => (window.location.hash = '#campagnes'));
      await expect.poll(() => tabFullyVisible(page, 'Campagnes')).toBe(true);
    });
  }

  it('the sync bar opens its details on demand (aria-expanded) and closes them again', async () => {
    const page = await openSignedIn(phone.context, server.url, agent);
    await page.setViewportSize({ width: 360, height: 640 });
    await phone.context.setOffline(true);
    await recordReading(page);
    const bar = syncBar(page);
    const toggle = bar.getByRole('button', { name: 'Détails de l’envoi' });
    await eventually(() => toggle.getAttribute('aria-expanded')).toBe('false');
    await eventually(() => bar.getByText('Aucun envoi réussi pour l’instant').isVisible()).toBe(false);
    const collapsed = (await bar.boundingBox())!.height;

    await toggle.click();
    await eventually(() => toggle.getAttribute('aria-expanded')).toBe('true');
    await bar.getByText('Aucun envoi réussi pour l’instant').waitFor();
    await bar.getByText('l’envoi se fera tout seul au retour du réseau', { exact: false }).waitFor();
    expect((await bar.boundingBox())!.height).toBeGreaterThan(collapsed);

    await toggle.click();
    await eventually(() => toggle.getAttribute('aria-expanded')).toBe('false');
    await bar.getByText('Aucun envoi réussi pour l’instant').waitFor({ state: 'hidden' });
  });

  it('each screen names the browser tab', async () => {
    const page = await openSignedIn(phone.context, server.url, agent);
    const titles: Record<string, string> = {
      '#releve': 'Nouveau relevé · Couverture',
      '#parcours': 'Parcours · Couverture',
      '#releves': 'Relevés de cet appareil · Couverture',
      '#carte': 'Carte des relevés · Couverture',
      '#campagnes': 'Campagnes · Couverture',
      '#signaler': 'Signaler une zone sans réseau · Couverture',
    };
    for (const [hash, title] of Object.entries(titles)) {
      await page.evaluate((to) => (window.location.hash = to), hash);
      await expect.poll(() => page.title(), { message: hash }).toBe(title);
    }
    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await expect.poll(() => page.title()).toBe('Connexion · Couverture');
  });
});
