import { mkdir } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { distanceM, metresToDegreesLat, metresToDegreesLon } from '../../src/domain/geo.ts';
import { averagePosition } from '../../src/domain/position-average.ts';
import type { Reading } from '../../src/domain/reading.ts';
import { deviceReadingIds, openSignedIn, POSITION, useFieldDay, type Phone, type TestServer, type TestUser } from './harness.ts';

/**
 * Issue 17: a static test's position is the average of the fixes the phone gave during it,
 * imprecise fixes and outliers dropped (src/domain/position-average.ts), read back from the
 * server. COUVERTURE_SCREENSHOTS=<dir> keeps a 360 × 640 screenshot of the panel.
 */

const SHOTS = process.env.COUVERTURE_SCREENSHOTS;

/** A fix `north` and `east` metres from the harness's position, with its accuracy (m). */
const fixAt = (north: number, east: number, accuracy: number) => ({
  latitude: POSITION.latitude + metresToDegreesLat(north),
  longitude: POSITION.longitude + metresToDegreesLon(east, POSITION.latitude),
  accuracy,
});

async function showsFix(page: Page, fix: ReturnType<typeof fixAt>): Promise<void> {
  const panel = page.getByRole('group', { name: 'Position' });
  await panel.getByText(`± ${fix.accuracy} m`).waitFor();
  await panel.getByText(`${fix.latitude.toFixed(5)}, ${fix.longitude.toFixed(5)}`).waitFor();
}

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

describe('the position of a static test', () => {
  let server: TestServer;
  let phone: Phone;
  let agent: TestUser;
  useFieldDay((given) => ({ server, phone, agent } = given));

  it('averages the fixes taken during the call test, without the imprecise one nor the outlier, and says so', async () => {
    // A headless browser has no dialler; the link's own handler still runs.
    await phone.context.addInitScript(() => {
      document.addEventListener(
        'click',
        (event) => {
          if ((event.target as Element | null)?.closest?.('a[href^="tel:"]')) event.preventDefault();
        },
        true,
      );
    });
    const page = await openSignedIn(phone.context, `${server.url}/#releve`, agent);
    await page.setViewportSize({ width: 360, height: 640 });
    await page.getByLabel('Numéro à joindre').fill('06 12 34 56 78');
    await showsFix(page, fixAt(0, 0, 12));

    await page.getByRole('link', { name: 'Lancer le test d’appel' }).click();
    // During the call: three good fixes, one at 80 m (beyond the 50 m outside a campaign), one 200 m off.
    const fixes = [fixAt(1, 0, 10), fixAt(5, 0, 10), fixAt(1, 4, 20), fixAt(30, 0, 80), fixAt(200, 0, 10)];
    for (const fix of fixes) {
      await phone.context.setGeolocation(fix);
      await showsFix(page, fix);
    }
    await page.getByRole('button', { name: 'Appel terminé' }).click();
    await page.getByRole('button', { name: 'Réussi' }).click();

    const expected = averagePosition(
      fixes.map((fix) => ({ lat: fix.latitude, lon: fix.longitude, accuracyM: fix.accuracy })),
      50,
    );
    expect(expected?.fixes).toBe(3);
    await page.getByText(`Position moyenne de 3 points (± ${Math.round(expected!.accuracyM)} m)`).waitFor();
    if (SHOTS) {
      await mkdir(SHOTS, { recursive: true });
      await page.getByRole('group', { name: 'Position' }).scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${SHOTS}/static-fix-average.png` });
    }

    await page.getByRole('group', { name: 'Opérateur' }).getByText('Orange', { exact: true }).click();
    await page.getByRole('group', { name: 'Réseau affiché' }).getByText('4G (LTE)', { exact: true }).click();
    await page.getByRole('group', { name: 'Barres de réseau' }).getByText('3', { exact: true }).click();
    await page.getByRole('button', { name: 'Enregistrer le relevé' }).click();
    await page.getByRole('status').filter({ hasText: 'Relevé enregistré sur l’appareil' }).waitFor();
    const [id] = await deviceReadingIds(page);

    const stored = await arrivedReading(server, id!);
    expect(stored).toMatchObject({ voice: 'ok', positionFixes: 3, accuracyM: Math.round(expected!.accuracyM * 10) / 10 });
    // The average, not the last fix (200 m off) nor the first.
    expect(distanceM(stored, expected!)).toBeLessThan(0.01);
    expect(distanceM(stored, { lat: POSITION.latitude, lon: POSITION.longitude })).toBeGreaterThan(1);
  });
});
