import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { WAKE_LOCK_HELD, WAKE_LOCK_UNAVAILABLE } from '../../src/app/track/wake-lock.ts';
import { deviceHeldCount, deviceReadingIds, openSignedIn, POSITION, useFieldDay, type FieldDay } from './harness.ts';

const METRES_PER_DEGREE_OF_LATITUDE = 111_195;
const STEP_M = 150;

/** The mocked phone `steps` × 150 m north of where it starts. */
function northOf(steps: number) {
  return { ...POSITION, latitude: POSITION.latitude + (steps * STEP_M) / METRES_PER_DEGREE_OF_LATITUDE };
}

const pointsShown = async (page: Page) => Number(await page.locator('[data-figure="points"]').textContent());

describe('« Parcours »', () => {
  let day: FieldDay;
  useFieldDay((given) => (day = given));

  it('records a point every 150 m driven, resumes after a reload without counting twice, and the server gets each point once, in order', async () => {
    const { server, phone, agent } = day;
    // As a deployment with TRACK_INTERVAL_S=3600 would: only the distance makes points here,
    // so the count is exact however long the test machine takes between steps.
    await phone.context.route('**/api/v1/config', async (route) => {
      const response = await route.fetch();
      const config = (await response.json()) as { field: { track: { spacingM: number; intervalS: number } } };
      config.field.track = { spacingM: 100, intervalS: 3600 };
      await route.fulfill({ response, json: config });
    });
    const page = await openSignedIn(phone.context, server.url, agent);
    await page.getByRole('link', { name: 'Parcours', exact: true }).click();
    const start = page.getByRole('button', { name: 'Démarrer un parcours' });
    await page.getByRole('group', { name: 'Opérateur' }).getByText('SFR', { exact: true }).click();
    await page.getByRole('group', { name: 'Réseau affiché' }).getByText('4G (LTE)', { exact: true }).click();
    await page.getByRole('group', { name: 'Barres de réseau' }).getByText('1', { exact: true }).click();
    await page.getByRole('group', { name: 'Déplacement' }).getByText('En véhicule', { exact: true }).click();
    await expect.poll(() => start.isEnabled()).toBe(true);
    await start.click();

    await page.getByRole('status').filter({ hasText: 'Parcours en cours' }).waitFor();
    await expect.poll(() => pointsShown(page), { message: 'the first point, at once' }).toBe(1);
    await expect
      .poll(() => page.locator('.track-wake-lock').textContent(), { message: 'the wake lock is held, or the agent is told it cannot be' })
      .toMatch(new RegExp(`^(${WAKE_LOCK_HELD}|${WAKE_LOCK_UNAVAILABLE})$`));
    await expect.poll(() => page.locator('[data-figure="last-point"]').textContent()).toMatch(/± 12 m/);

    for (const step of [1, 2]) {
      await phone.context.setGeolocation(northOf(step));
      await expect.poll(() => pointsShown(page), { message: `a point after ${step * STEP_M} m` }).toBe(1 + step);
    }
    // The track goes on while the agent looks at another screen.
    await page.getByRole('link', { name: 'Relevé', exact: true }).click();
    await page.locator('[data-figure="points"]').waitFor({ state: 'detached' });
    await phone.context.setGeolocation(northOf(3));
    await expect.poll(async () => (await deviceReadingIds(page)).length, { message: 'a point recorded from the « Relevé » screen' }).toBe(4);
    await page.getByRole('link', { name: 'Parcours', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Parcours en cours' }).waitFor();
    expect(await pointsShown(page)).toBe(4);
    await expect.poll(() => page.locator('[data-figure="distance"]').textContent()).toBe('0,45 km');

    // Each point's network probe has ended (a reload mid-probe would hold that point back
    // until its hold expires: correct, but slow for a test).
    await expect.poll(() => deviceHeldCount(page), { message: 'the points’ probes end' }).toBe(0);
    // The phone reloads the page mid-track (an update, the system reclaiming memory).
    await page.reload();
    await page.getByRole('status').filter({ hasText: 'Parcours repris' }).waitFor();
    expect(await pointsShown(page)).toBe(4);
    // The position watch restarted and delivered where the phone stands, the last point's place.
    await page.getByText('Précision').waitFor();

    for (const step of [4, 5]) {
      await phone.context.setGeolocation(northOf(step));
      await expect.poll(() => pointsShown(page), { message: `a point after ${step * STEP_M} m` }).toBe(1 + step);
    }
    // Exactly one per place: the fix seen again after the reload made none.
    expect(await deviceReadingIds(page)).toHaveLength(6);
    await expect.poll(() => page.locator('[data-figure="distance"]').textContent()).toBe('0,75 km');

    await page.getByRole('button', { name: 'Arrêter le parcours' }).click();
    await start.waitFor();
    // Moving on after « Arrêter » makes no point (checked below: the device holds 6).
    await phone.context.setGeolocation(northOf(6));

    await expect.poll(async () => (await server.storedReadings()).length, { message: 'every point reaches the server', timeout: 20_000 }).toBe(6);
    const stored = await server.storedReadings();
    const deviceIds = await deviceReadingIds(page);
    expect(new Set(stored.map((r) => r.id))).toEqual(new Set(deviceIds));
    const trackIds = new Set(stored.map((r) => r.trackId));
    expect(trackIds.size).toBe(1);
    expect([...trackIds][0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(stored.every((r) => r.source === 'agent' && r.operator === 'sfr' && r.technology === '4G' && r.signalBars === 1 && r.setting === 'vehicle')).toBe(
      true,
    );
    // Each point carries what the phone measured itself: the server reached over loopback.
    expect(stored.map((r) => r.probe?.result)).toEqual(Array(6).fill('reachable'));
    // In the order driven: time and latitude rise together, 150 m apart.
    const byTime = [...stored].sort((a, b) => Date.parse(a.recordedAt) - Date.parse(b.recordedAt));
    expect(byTime.map((r) => Math.round((r.lat - POSITION.latitude) * METRES_PER_DEGREE_OF_LATITUDE))).toEqual([0, 150, 300, 450, 600, 750]);
    expect(new Set(byTime.map((r) => r.recordedAt)).size).toBe(6);

    const pastTrack = page.locator('.past-track');
    await expect.poll(() => pastTrack.textContent()).toMatch(/0,75 km.*6 points.*6 envoyés/);
  });
});
