import { describe, expect, it } from 'vitest';
import {
  deviceReadingIds,
  openInstalled,
  openSignedIn,
  recordReading,
  signInThroughPage,
  useFieldDay,
  syncBar,
  type Phone,
  type TestServer,
  type TestUser,
} from './harness.ts';
import { eventually } from './expect-locator.ts';

const EXPIRED = 'Session expirée : reconnectez-vous pour envoyer vos relevés';

describe('accounts in the offline loop', () => {
  let server: TestServer;
  let phone: Phone;
  let agent: TestUser;

  useFieldDay((day) => ({ server, phone, agent } = day), { restartable: true });

  it('revoked while offline: the readings wait, every open page asks to sign in, then they are stored once and attributed to the agent', async () => {
    const page = await openSignedIn(phone.context, server.url, agent);
    const other = await openInstalled(phone.context, server.url);
    await other.getByRole('button', { name: 'Se déconnecter' }).waitFor();
    await eventually(() => page.getByText('Camille Agent').first().isVisible()).toBe(true);

    await phone.context.setOffline(true);
    await page.bringToFront();
    for (const bars of ['1', '3']) await recordReading(page, { bars });
    await syncBar(page).getByText('2 relevés en attente').waitFor();
    const recorded = (await deviceReadingIds(page)).sort();

    // Meanwhile, an admin revokes the agent's sessions (a lost phone, say).
    expect(await server.app.accounts.revokeSessions(agent.id)).toBeGreaterThan(0);
    await phone.context.setOffline(false);

    // The send is refused: nothing is stored, nothing is dropped, both tabs ask to sign in.
    for (const tab of [page, other]) {
      await tab.getByRole('alert').getByText(EXPIRED).waitFor();
      await syncBar(tab).getByText('2 relevés en attente').waitFor();
    }
    await eventually(() => syncBar(page).getByRole('button', { name: 'Envoyer maintenant' }).isDisabled()).toBe(true);
    expect(await server.storedReadings()).toEqual([]);
    expect((await deviceReadingIds(page)).sort()).toEqual(recorded);
    await page.getByRole('link', { name: 'Relevés', exact: true }).click();
    await eventually(() => page.locator('[data-state="pending"]').count()).toBe(2);
    // The agent can still record while asked to sign in.
    await recordReading(page, { bars: '4' });
    const allRecorded = (await deviceReadingIds(page)).sort();
    expect(allRecorded).toHaveLength(3);
    expect(await server.storedReadings()).toEqual([]);

    // Signing in again, from the banner, resends by itself.
    await signInThroughPage(page, agent);
    await syncBar(page).getByText('Aucun relevé en attente').waitFor();
    await syncBar(other).getByText('Aucun relevé en attente').waitFor();
    await eventually(() => other.getByText(EXPIRED).count()).toBe(0);

    const stored = await server.storedReadings();
    expect(stored.map((r) => r.id).sort()).toEqual(allRecorded);
    for (const id of allRecorded) {
      await expect(server.app.accounts.readingAttribution(id)).resolves.toEqual({ accountId: agent.id, source: 'agent' });
    }
  });

  it('refuses a wrong password with a clear French message, and a signed-in agent opens the survey offline with no server round-trip', async () => {
    const page = await openInstalled(phone.context, server.url);
    await page.getByLabel('Adresse e-mail').fill(agent.email);
    await page.getByLabel('Mot de passe').fill('pas le bon mot de passe');
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('alert').getByText('Adresse e-mail ou mot de passe incorrect').waitFor();

    await signInThroughPage(page, agent);
    await page.getByRole('heading', { name: 'Nouveau relevé' }).waitFor();

    // Closed and reopened with no network at all: still signed in, still recording.
    server.unreachable = true;
    const context = await phone.restart({ offline: true });
    const reopened = await context.newPage();
    await reopened.goto(server.url);
    await reopened.getByRole('heading', { name: 'Nouveau relevé' }).waitFor();
    await eventually(() => reopened.getByText('Camille Agent').first().isVisible()).toBe(true);
    await recordReading(reopened, { bars: '2' });
    await syncBar(reopened).getByText('1 relevé en attente').waitFor();
    await eventually(() => reopened.getByText(EXPIRED).count()).toBe(0);
  });

  it('signing out keeps unsent readings on the device; they leave with their author’s next sign-in', async () => {
    const page = await openSignedIn(phone.context, server.url, agent);
    await phone.context.setOffline(true);
    await recordReading(page, { bars: '0' });
    const [id] = await deviceReadingIds(page);
    await phone.context.setOffline(false);
    await syncBar(page).getByText('Aucun relevé en attente').waitFor();
    await phone.context.setOffline(true);
    await recordReading(page, { bars: '1' });
    const waiting = (await deviceReadingIds(page)).find((other) => other !== id)!;

    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await page.getByRole('heading', { name: 'Connexion' }).waitFor();
    expect(await deviceReadingIds(page)).toContain(waiting);

    await phone.context.setOffline(false);
    await signInThroughPage(page, agent);
    await syncBar(page).getByText('Aucun relevé en attente').waitFor();
    expect((await server.storedReadings()).map((r) => r.id).sort()).toEqual([id!, waiting].sort());
    await expect(server.app.accounts.readingAttribution(waiting)).resolves.toEqual({ accountId: agent.id, source: 'agent' });
  });
});
