import { describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { openInstalled, openSignedIn, syncBar, useFieldDay, type Phone, type TestServer, type TestUser } from './harness.ts';
import { eventually } from './expect-locator.ts';

const ZOOM_HINT = 'Zoomez pour placer le point à moins de 100 m';

/** Taps the middle of the map until the map is close enough for a point (each tap too far out zooms in there). */
async function tapUntilPlaced(page: Page, map: Locator, placed: RegExp): Promise<number> {
  let taps = 0;
  while (!(await page.getByText(placed).isVisible())) {
    expect(taps, 'a tap too far out zooms in; a few are enough').toBeLessThan(4);
    await map.click();
    taps += 1;
    await page.waitForFunction(() => !document.querySelector('.leaflet-zoom-anim'));
  }
  return taps;
}

// Issue 15, part 3: with location refused or no fix, the agent could not record at all, and a
// resident's tap on the département's map was taken « à ± 5000 m » near.
describe('no GPS: a point placed by hand on the map', () => {
  let server: TestServer;
  let phone: Phone;
  let agent: TestUser;

  useFieldDay((day) => ({ server, phone, agent } = day));

  it('the agent places the point on the map (zoomed in enough), and the reading says it was placed by hand', async () => {
    await phone.context.clearPermissions();
    const page = await openSignedIn(phone.context, server.url, agent);
    await page.getByText('La localisation est refusée').waitFor();
    const save = page.getByRole('button', { name: 'Enregistrer le relevé' });
    await eventually(() => save.isDisabled()).toBe(true);

    const map = page.getByRole('application', { name: 'Carte : touchez l’endroit où vous êtes' });
    await map.waitFor();
    // The département's view is too far out: no point yet, the button says why.
    const centre = page.getByRole('button', { name: 'Placer le point au centre de la carte' });
    await eventually(() => centre.isDisabled()).toBe(true);
    await page.getByText(ZOOM_HINT, { exact: false }).waitFor();
    const taps = await tapUntilPlaced(page, map, /Point placé à la main \(à ± \d+ m près\)/);
    expect(taps).toBeGreaterThan(1);
    await eventually(() => centre.isEnabled()).toBe(true);

    await page.getByRole('group', { name: 'Opérateur' }).getByText('Orange', { exact: true }).click();
    await page.getByRole('group', { name: 'Réseau affiché' }).getByText('Aucun réseau', { exact: true }).click();
    await save.click();
    // Beyond 50 m the agent confirms, as for an imprecise GPS fix.
    const confirm = page.getByRole('button', { name: 'Enregistrer quand même' });
    if (await confirm.isVisible()) await confirm.click();
    await page.getByRole('status').filter({ hasText: 'Relevé enregistré' }).waitFor();
    await syncBar(page).getByText('Aucun relevé en attente').waitFor();

    const [stored] = await server.storedReadings();
    expect(stored).toMatchObject({ operator: 'orange', technology: 'none', positionSource: 'manual' });
    expect(stored!.accuracyM).toBeLessThanOrEqual(100);
  });

  it('a resident’s pin needs the map zoomed in to within 100 m; its tap targets are at least 44 px', async () => {
    const page = await openInstalled(phone.context, `${server.url}/#signaler`);
    await page.getByText('Position du téléphone').waitFor();
    const other = page.getByRole('button', { name: 'Placer le point sur une carte plutôt' });
    expect((await other.boundingBox())!.height).toBeGreaterThanOrEqual(44);
    await other.click();

    const map = page.getByRole('application', { name: /touchez l’endroit/ });
    await map.waitFor();
    // Centred on the phone's rough position, the map opens close enough already.
    const centre = page.getByRole('button', { name: 'Placer le point au centre de la carte' });
    await eventually(() => centre.isEnabled()).toBe(true);
    expect((await centre.boundingBox())!.height).toBeGreaterThanOrEqual(44);
    const zoomOut = page.locator('.pin-map .leaflet-control-zoom-out');
    for (const zoom of [page.locator('.pin-map .leaflet-control-zoom-in'), zoomOut]) {
      const box = (await zoom.boundingBox())!;
      expect(Math.min(box.width, box.height), 'Leaflet’s zoom buttons').toBeGreaterThanOrEqual(44);
    }
    // Zoomed out to the département: a tap zooms in there instead of placing a point « à ± 5000 m ».
    for (let i = 0; i < 6; i += 1) await zoomOut.click();
    await page.getByText(ZOOM_HINT, { exact: false }).waitFor();
    await eventually(() => centre.isDisabled()).toBe(true);
    await map.click();
    await eventually(() => page.getByText(/Point placé/).isVisible()).toBe(false);
    await tapUntilPlaced(page, map, /Point placé \(à ± \d+ m près\)/);
    const accuracy = Number(/± (\d+) m/.exec((await page.getByText(/Point placé/).textContent())!)![1]);
    expect(accuracy).toBeLessThanOrEqual(100);
  });
});
