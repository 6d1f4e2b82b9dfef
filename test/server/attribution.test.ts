import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCommunes } from '../../src/server/communes/communes.ts';
import { addUser, makeReading, MONTPELLIER, NIMES, openTestApp, postReadings, useTempDir, type TestApp } from './fixtures.ts';

const tempDir = useTempDir();
let server: TestApp;

beforeEach(async () => {
  server = await openTestApp(tempDir());
});

afterEach(async () => {
  await server.close();
});

describe('attribution of readings, whatever the client claims', () => {
  it('files a reading under the account that sent it, whoever the body names', async () => {
    const agent = await addUser(server.app, { communes: ['34261'] });
    const claimed = makeReading({ note: 'envoyé par quelqu’un d’autre', accountId: 'un-autre-compte' } as never);
    const response = await postReadings(server.app, [claimed], agent);
    expect(response.json()).toMatchObject({ accepted: [claimed.id], rejected: [], outsideCommunes: [] });
    expect(await server.app.accounts.readingAttribution(claimed.id)).toEqual({ accountId: agent.id, source: 'agent' });
    const [stored] = (await server.store.query({ limit: 1 })).readings;
    expect(stored).not.toHaveProperty('accountId');
    expect(stored?.source).toBe('agent');
  });

  it.each(['session', 'token'] as const)('keeps "import" or "agent" as sent (%s): the phone imports Android logs too', async (via) => {
    const sender = await addUser(server.app, {}, via);
    const imported = makeReading({ source: 'import' });
    const recorded = makeReading({ source: 'agent' });
    await postReadings(server.app, [imported, recorded], sender);
    expect(await server.app.accounts.readingAttribution(imported.id)).toEqual({ accountId: sender.id, source: 'import' });
    expect(await server.app.accounts.readingAttribution(recorded.id)).toEqual({ accountId: sender.id, source: 'agent' });
  });

  it('refuses a reading that claims to be a resident’s, alone', async () => {
    const agent = await addUser(server.app);
    const resident = makeReading({ source: 'resident' });
    const good = makeReading();
    const response = await postReadings(server.app, [resident, good], agent);
    expect(response.json()).toEqual({
      accepted: [good.id],
      duplicates: [],
      rejected: [
        { id: resident.id, index: 0, code: 'invalid', errors: [{ field: 'source', message: 'Les signalements d’habitants passent par /api/v1/reports' }] },
      ],
      outsideCommunes: [],
      warnings: [],
    });
    expect(await server.app.accounts.readingAttribution(resident.id)).toBeUndefined();
  });

  it('accepts a reading outside the agent’s communes, flagged', async () => {
    const agent = await addUser(server.app, { communes: ['34261'] });
    const inside = makeReading();
    const outside = makeReading({ ...MONTPELLIER });
    const response = await postReadings(server.app, [inside, outside], agent);
    expect(response.json()).toMatchObject({ accepted: [inside.id, outside.id], outsideCommunes: [outside.id] });
    const page = await server.store.query({ limit: 10 });
    expect(page.places).toEqual([
      { commune: '34261', outsideCommunes: false, placement: 'centre' },
      { commune: '34172', outsideCommunes: true, placement: 'centre' },
    ]);
  });

  it('never flags a reviewer’s or an admin’s readings as outside', async () => {
    const reviewer = await addUser(server.app, { role: 'reviewer', departement: '34' });
    const response = await postReadings(server.app, [makeReading({ ...NIMES })], reviewer);
    expect(response.json().outsideCommunes).toEqual([]);
  });

  it('keeps the first sender when another account sends the same reading again (a duplicate)', async () => {
    const first = await addUser(server.app);
    const second = await addUser(server.app);
    const reading = makeReading();
    await postReadings(server.app, [reading], first);
    expect((await postReadings(server.app, [reading], second)).json().duplicates).toEqual([reading.id]);
    expect((await server.app.accounts.readingAttribution(reading.id))?.accountId).toBe(first.id);
  });

  it('without commune centres, files an agent’s reading under their communes’ département', async () => {
    await server.close();
    server = await openTestApp(tempDir(), { communes: createCommunes() });
    const agent = await addUser(server.app, { communes: ['34261', '34172'] });
    const reviewer = await addUser(server.app, { role: 'reviewer', departement: '34' });
    const reading = makeReading();
    expect((await postReadings(server.app, [reading], agent)).json().outsideCommunes).toEqual([]);
    const seen = await server.app.inject({ method: 'GET', url: '/api/v1/readings', headers: reviewer.headers });
    expect(seen.json().features.map((f: { id: string }) => f.id)).toEqual([reading.id]);
    expect(seen.json().features[0].properties).toMatchObject({ commune: null, outsideCommunes: false });
  });
});

describe('GET /api/v1/readings: each reads their scope', () => {
  it('agent: own readings and their communes’; reviewer: their département; admin: all', async () => {
    const agentA = await addUser(server.app, { communes: ['34261'] });
    const agentB = await addUser(server.app, { communes: ['34172'] });
    const reviewer34 = await addUser(server.app, { role: 'reviewer', departement: '34' });
    const reviewer30 = await addUser(server.app, { role: 'reviewer', departement: '30' });
    const admin = await addUser(server.app, { role: 'admin' });

    const aHome = makeReading(); // Saint-Guilhem, by A
    const aInMontpellier = makeReading({ ...MONTPELLIER }); // by A, outside A's communes
    const bHome = makeReading({ ...MONTPELLIER }); // by B
    const bInNimes = makeReading({ ...NIMES }); // by B, in the Gard
    await postReadings(server.app, [aHome, aInMontpellier], agentA);
    await postReadings(server.app, [bHome, bInNimes], agentB);

    const seenBy = async (caller: { headers: Record<string, string> }) => {
      const response = await server.app.inject({ method: 'GET', url: '/api/v1/readings', headers: caller.headers });
      expect(response.statusCode).toBe(200);
      return response
        .json()
        .features.map((f: { id: string }) => f.id)
        .sort();
    };
    const sorted = (...ids: string[]) => ids.sort();
    expect(await seenBy(agentA)).toEqual(sorted(aHome.id, aInMontpellier.id));
    expect(await seenBy(agentB)).toEqual(sorted(aInMontpellier.id, bHome.id, bInNimes.id));
    expect(await seenBy(reviewer34)).toEqual(sorted(aHome.id, aInMontpellier.id, bHome.id));
    expect(await seenBy(reviewer30)).toEqual(sorted(bInNimes.id));
    expect(await seenBy(admin)).toEqual(sorted(aHome.id, aInMontpellier.id, bHome.id, bInNimes.id));
  });

  it('never says who sent a reading', async () => {
    const agent = await addUser(server.app, { email: 'agnes.martin@example.fr' });
    await postReadings(server.app, [makeReading()], agent);
    const response = await server.app.inject({ method: 'GET', url: '/api/v1/readings', headers: agent.headers });
    expect(response.body).not.toContain('agnes.martin');
    expect(response.body).not.toContain(agent.id);
  });

  it('answers 401 to anyone not signed in', async () => {
    const response = await server.app.inject({ method: 'GET', url: '/api/v1/readings' });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({ error: expect.stringContaining('Connectez-vous') });
  });
});
