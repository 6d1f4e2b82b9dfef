import { describe, expect, it } from 'vitest';
import { openSignedIn, recordReading, useFieldDay, syncBar, type Phone, type TestServer, type TestUser } from './harness.ts';

describe('map', () => {
  let server: TestServer;
  let phone: Phone;
  let agent: TestUser;

  useFieldDay((day) => ({ server, phone, agent } = day));

  it('loads Leaflet only when opened, and shows the device’s and the server’s readings on the configured tiles', async () => {
    const page = await openSignedIn(phone.context, server.url, agent);
    const requested: string[] = [];
    page.on('request', (request) => requested.push(request.url()));
    await recordReading(page, { bars: '4' });
    await recordReading(page, { bars: '0' });
    await syncBar(page).getByText('Aucun relevé en attente').waitFor();
    expect(requested.filter((url) => url.includes('LeafletMap'))).toEqual([]);

    await page.getByRole('link', { name: 'Carte' }).click();
    const legend = page.getByRole('list', { name: 'Légende' });
    await legend.getByText('Très bonne couverture (1 sur cet appareil)').waitFor();
    await legend.getByText('Pas de couverture (1 sur cet appareil)').waitFor();
    await page.getByText('2 relevés du serveur dans la vue').waitFor();
    expect(requested.some((url) => url.includes('LeafletMap'))).toBe(true);
    await expect.poll(() => server.tileRequests).toBeGreaterThan(0);
    await expect(page.locator('.leaflet-control-attribution').textContent()).resolves.toContain('Tuiles de test');
  });

  it('still opens offline, from the precached app, with the device’s readings', async () => {
    const page = await openSignedIn(phone.context, server.url, agent);
    await phone.context.setOffline(true);
    await recordReading(page, { bars: '3' });
    await page.reload();
    await page.getByRole('link', { name: 'Carte' }).click();
    await page.getByRole('list', { name: 'Légende' }).getByText('Bonne couverture (1 sur cet appareil)').waitFor();
    await page.getByText('Hors ligne : seuls les relevés de cet appareil sont affichés.').waitFor();
  });
});
