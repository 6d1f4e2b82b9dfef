import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CampaignProgress, CampaignView } from '../../src/domain/campaign.ts';
import { cellIdAt } from '../../src/domain/grid/cell-id.ts';
import { CAMPAIGN_MESSAGES } from '../../src/server/routes/campaigns.ts';
import { addUser, makeReading, MONTPELLIER, openTestApp, postReadings, signIn, useTempDir, type Caller, type TestApp } from './fixtures.ts';

const tempDir = useTempDir();
let server: TestApp;
let agentSG: Caller; // Saint-Guilhem-le-Désert
let agentSG2: Caller; // Saint-Guilhem-le-Désert and Aniane
let agentMtp: Caller; // Montpellier
let agentNimes: Caller; // Nîmes (Gard)
let disabledAgent: Caller; // Saint-Guilhem-le-Désert, account disabled
let reviewer34: Caller;
let reviewer30: Caller;
let admin: Caller;

const DRAFT = { communeInsee: '34261', startsOn: '2026-05-04', endsOn: '2026-05-29', operators: ['orange', 'sfr', 'bouygues', 'free'] };

beforeAll(async () => {
  server = await openTestApp(tempDir());
  const { app } = server;
  agentSG = await addUser(app, { communes: ['34261'] });
  agentSG2 = await addUser(app, { communes: ['34261', '34010'] });
  agentMtp = await addUser(app, { communes: ['34172'] });
  agentNimes = await addUser(app, { communes: ['30189'] });
  disabledAgent = await addUser(app, { communes: ['34261'] });
  reviewer34 = await addUser(app, { role: 'reviewer', departement: '34' });
  reviewer30 = await addUser(app, { role: 'reviewer', departement: '30' });
  admin = await addUser(app, { role: 'admin' });
  const disabled = await app.inject({ method: 'PATCH', url: `/api/v1/users/${disabledAgent.id}`, headers: admin.headers, payload: { disabled: true } });
  expect(disabled.statusCode, disabled.body).toBe(200);
});
afterAll(async () => {
  await server.close();
});

const create = (caller: Caller, payload: unknown) =>
  server.app.inject({ method: 'POST', url: '/api/v1/campaigns', headers: caller.headers, payload: payload as object });
const get = (caller: Caller, url: string) => server.app.inject({ method: 'GET', url, headers: caller.headers });
const patch = (caller: Caller, id: string, payload: unknown) =>
  server.app.inject({ method: 'PATCH', url: `/api/v1/campaigns/${id}`, headers: caller.headers, payload: payload as object });
const remove = (caller: Caller, id: string) => server.app.inject({ method: 'DELETE', url: `/api/v1/campaigns/${id}`, headers: caller.headers });

async function created(caller: Caller, payload: object = DRAFT): Promise<CampaignView> {
  const response = await create(caller, payload);
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

function errorOf(response: LightMyRequestResponse, status: number): string {
  expect(response.statusCode, response.body).toBe(status);
  return response.json().error;
}

async function lastAudit(): Promise<{ action: string; targetType: string; targetId: string; actorId: string; details: Record<string, unknown> }> {
  const response = await get(admin, '/api/v1/audit?limit=1');
  return response.json().entries[0];
}

const agentView = (caller: Caller) => ({ id: caller.id, name: expect.any(String), email: caller.email });

describe('POST /api/v1/campaigns', () => {
  it('creates a campaign in the reviewer’s département, named after its commune by default', async () => {
    const campaign = await created(reviewer34, { ...DRAFT, agentIds: [agentSG.id, agentSG2.id], testNumber: ' 06 12 34 56 78 ' });
    expect(campaign).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'Campagne Saint-Guilhem-le-Désert',
      communeInsee: '34261',
      communeName: 'Saint-Guilhem-le-Désert',
      departement: '34',
      startsOn: '2026-05-04',
      endsOn: '2026-05-29',
      operators: ['orange', 'sfr', 'bouygues', 'free'],
      testNumber: '06 12 34 56 78',
      protocol: 'map-check',
      maxAccuracyM: 50,
      accuracyRule: 'warn',
      agentIds: [agentSG.id, agentSG2.id],
      agents: [agentView(agentSG), agentView(agentSG2)],
      createdBy: reviewer34.id,
      createdAt: '2026-05-04T12:00:00.000Z',
      updatedAt: '2026-05-04T12:00:00.000Z',
    });
    expect(await lastAudit()).toMatchObject({
      action: 'campaign.create',
      targetType: 'campaign',
      targetId: campaign.id,
      actorId: reviewer34.id,
      details: { communeInsee: '34261', agentIds: [agentSG.id, agentSG2.id] },
    });
    expect((await get(reviewer34, `/api/v1/campaigns/${campaign.id}`)).json()).toEqual(campaign);
  });

  it('assigns the agent who organises a campaign in their commune to it, first', async () => {
    const campaign = await created(agentSG2, { ...DRAFT, communeInsee: '34010', name: '  Aniane centre  ', agentIds: [agentSG2.id] });
    expect(campaign).toMatchObject({ name: 'Aniane centre', communeName: 'Aniane', agentIds: [agentSG2.id], createdBy: agentSG2.id });
    const withOthers = await created(agentSG, { ...DRAFT, agentIds: [agentSG2.id] });
    expect(withOthers.agentIds).toEqual([agentSG.id, agentSG2.id]);
  });

  it('lets an admin organise one anywhere', async () => {
    const campaign = await created(admin, { ...DRAFT, communeInsee: '30189' });
    expect(campaign).toMatchObject({ communeName: 'Nîmes', departement: '30', agentIds: [], agents: [] });
  });

  it('refuses an agent outside their communes and a reviewer outside their département (403)', async () => {
    expect(errorOf(await create(agentMtp, DRAFT), 403)).toBe(
      'Vous ne pouvez organiser une campagne que dans vos communes : Saint-Guilhem-le-Désert (34261) n’en fait pas partie',
    );
    expect(errorOf(await create(reviewer30, DRAFT), 403)).toBe('Vous instruisez le département 30, pas le 34 (Saint-Guilhem-le-Désert)');
  });

  it('refuses an unknown commune (400)', async () => {
    expect(errorOf(await create(admin, { ...DRAFT, communeInsee: '34999' }), 400)).toBe(
      'Commune inconnue : « 34999 » n’est le code INSEE d’aucune commune actuelle',
    );
  });

  it.each([
    [{ ...DRAFT, communeInsee: '3426' }, 'Code INSEE invalide (5 caractères, ex. 34172, 2A004)'],
    [{ ...DRAFT, endsOn: undefined }, 'Champ obligatoire manquant : endsOn'],
    [{ ...DRAFT, startsOn: '04/05/2026' }, 'La date doit être au format AAAA-MM-JJ'],
    [{ ...DRAFT, endsOn: '2026-05-01' }, 'La fin de la campagne précède son début'],
    [{ ...DRAFT, endsOn: '2027-06-01' }, 'Une campagne dure au plus 366 jours'],
    [{ ...DRAFT, operators: [] }, 'Choisissez au moins un opérateur à mesurer'],
    [{ ...DRAFT, operators: ['orange', 'orange'] }, 'Un opérateur est cité deux fois'],
    [{ ...DRAFT, operators: ['free', 'lebara'] }, 'Opérateur inconnu : attendu orange, sfr, bouygues, free'],
    [{ ...DRAFT, testNumber: 'appelez-moi' }, 'Numéro de test invalide'],
    [{ ...DRAFT, name: '   ' }, 'Donnez un nom à la campagne'],
    [{ ...DRAFT, commune: '34261' }, 'Champ inconnu : « commune »'],
    [[DRAFT], 'Le corps doit être un objet JSON'],
  ])('refuses %j with a French message (400)', async (payload, message) => {
    expect(errorOf(await create(reviewer34, payload), 400)).toContain(message);
  });

  it('says only what is wrong: a malformed date is not also « too long »', async () => {
    expect(errorOf(await create(reviewer34, { ...DRAFT, startsOn: '04/05/2026' }), 400)).toBe('startsOn : La date doit être au format AAAA-MM-JJ');
  });

  it('names the wrong agent id in agentIds, and nothing of its account (400)', async () => {
    // Unknown, not an agent, an agent elsewhere, disabled: one message (test/security/campaign-agent-id-enumeration.test.ts).
    for (const id of [randomUUID(), reviewer30.id, agentMtp.id, disabledAgent.id]) {
      expect(errorOf(await create(reviewer34, { ...DRAFT, agentIds: [agentSG.id, id] }), 400)).toBe(
        `L’identifiant « ${id} » n’est pas celui d’un agent de la commune Saint-Guilhem-le-Désert (34261).`,
      );
    }
  });

  it('needs the CSRF token with a session', async () => {
    const response = await server.app.inject({ method: 'POST', url: '/api/v1/campaigns', headers: { cookie: reviewer34.headers.cookie! }, payload: DRAFT });
    expect(response.statusCode).toBe(403);
  });
});

describe('who sees which campaign', () => {
  // A world of its own, so that the other tests' campaigns do not blur the lists.
  let world: TestApp;
  const as = (caller: Caller, url: string) => world.app.inject({ method: 'GET', url, headers: caller.headers });
  const make = async (caller: Caller, payload: object) => {
    const response = await world.app.inject({ method: 'POST', url: '/api/v1/campaigns', headers: caller.headers, payload });
    expect(response.statusCode, response.body).toBe(201);
    return (response.json() as CampaignView).id;
  };
  let agent: Caller; // Saint-Guilhem
  let movedAgent: Caller; // Saint-Guilhem; Aniane until the campaigns were made
  let montpellierAgent: Caller;
  let reviewer: Caller; // 34
  let gardReviewer: Caller; // 30
  let administrator: Caller;
  let saintGuilhem: string;
  let aniane: string;
  let montpellier: string;
  let nimes: string;

  beforeAll(async () => {
    world = await openTestApp(tempDir());
    agent = await addUser(world.app, { communes: ['34261'] });
    movedAgent = await addUser(world.app, { communes: ['34261', '34010'] });
    montpellierAgent = await addUser(world.app, { communes: ['34172'] });
    reviewer = await addUser(world.app, { role: 'reviewer', departement: '34' });
    gardReviewer = await addUser(world.app, { role: 'reviewer', departement: '30' });
    administrator = await addUser(world.app, { role: 'admin' });
    saintGuilhem = await make(reviewer, { ...DRAFT, startsOn: '2026-05-01' });
    aniane = await make(reviewer, { ...DRAFT, communeInsee: '34010', startsOn: '2026-06-01', endsOn: '2026-06-30', agentIds: [movedAgent.id] });
    montpellier = await make(montpellierAgent, { ...DRAFT, communeInsee: '34172', startsOn: '2026-04-01' });
    nimes = await make(administrator, { ...DRAFT, communeInsee: '30189', startsOn: '2026-03-01' });
    // This agent no longer records for Aniane, but stays assigned to its campaign.
    const moved = await world.app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${movedAgent.id}`,
      headers: administrator.headers,
      payload: { communes: ['34261'] },
    });
    expect(moved.statusCode, moved.body).toBe(200);
    movedAgent = { ...movedAgent, headers: await signIn(world.app, movedAgent.email) };
  });
  afterAll(async () => {
    await world.close();
  });

  const listed = async (caller: Caller, query = '') => {
    const response = await as(caller, `/api/v1/campaigns${query}`);
    expect(response.statusCode, response.body).toBe(200);
    return (response.json().campaigns as CampaignView[]).map((c) => c.id);
  };

  it('lists all of them for an admin, latest start first, or one département’s', async () => {
    expect(await listed(administrator)).toEqual([aniane, saintGuilhem, montpellier, nimes]);
    expect(await listed(administrator, '?departement=30')).toEqual([nimes]);
  });

  it('lists a reviewer’s département only, and refuses another', async () => {
    expect(await listed(reviewer)).toEqual([aniane, saintGuilhem, montpellier]);
    expect(await listed(gardReviewer)).toEqual([nimes]);
    expect(errorOf(await as(reviewer, '/api/v1/campaigns?departement=30'), 403)).toBe('Vous instruisez le département 34, pas le « 30 »');
  });

  it('lists an agent’s communes’ campaigns and those they are assigned to', async () => {
    expect(await listed(agent)).toEqual([saintGuilhem]);
    expect(await listed(movedAgent)).toEqual([aniane, saintGuilhem]);
    expect(await listed(montpellierAgent)).toEqual([montpellier]);
    expect(await listed(montpellierAgent, '?departement=30')).toEqual([]);
  });

  it('answers 404 for a campaign out of scope, as for an unknown one', async () => {
    expect(errorOf(await as(agent, `/api/v1/campaigns/${aniane}`), 404)).toBe(CAMPAIGN_MESSAGES.notFound);
    expect(errorOf(await as(gardReviewer, `/api/v1/campaigns/${saintGuilhem}`), 404)).toBe(CAMPAIGN_MESSAGES.notFound);
    expect(errorOf(await as(administrator, `/api/v1/campaigns/${randomUUID()}`), 404)).toBe(CAMPAIGN_MESSAGES.notFound);
    expect((await as(movedAgent, `/api/v1/campaigns/${aniane}`)).statusCode).toBe(200);
  });

  it('refuses an unknown parameter', async () => {
    expect(errorOf(await as(administrator, '/api/v1/campaigns?commune=34261'), 400)).toContain('Paramètre inconnu : « commune »');
  });
});

describe('PATCH /api/v1/campaigns/:id', () => {
  it('changes the name, period, operators, test number and agents, and audits it', async () => {
    const campaign = await created(reviewer34, { ...DRAFT, testNumber: '3179' });
    const response = await patch(reviewer34, campaign.id, {
      name: 'Vallée',
      endsOn: '2026-06-15',
      operators: ['free'],
      testNumber: null,
      agentIds: [agentSG2.id, agentSG.id, agentSG.id],
    });
    expect(response.statusCode, response.body).toBe(200);
    const changed: CampaignView = response.json();
    expect(changed).toMatchObject({ name: 'Vallée', startsOn: '2026-05-04', endsOn: '2026-06-15', operators: ['free'], agentIds: [agentSG2.id, agentSG.id] });
    expect(changed).not.toHaveProperty('testNumber');
    expect(changed.agents.map((a) => a.id)).toEqual([agentSG2.id, agentSG.id]);
    expect((await get(reviewer34, `/api/v1/campaigns/${campaign.id}`)).json()).toEqual(changed);
    expect(await lastAudit()).toMatchObject({
      action: 'campaign.update',
      targetId: campaign.id,
      details: { name: 'Vallée', endsOn: '2026-06-15', operators: ['free'], testNumber: null, agentIds: [agentSG2.id, agentSG.id] },
    });
  });

  it('lets the agent who created it change it, not another agent who sees it (403), nor one who does not (404)', async () => {
    const campaign = await created(agentSG, DRAFT);
    expect((await patch(agentSG, campaign.id, { name: 'Mon relevé' })).json()).toMatchObject({ name: 'Mon relevé' });
    expect(errorOf(await patch(agentSG2, campaign.id, { name: 'Le mien' }), 403)).toBe(CAMPAIGN_MESSAGES.notEditable);
    expect(errorOf(await patch(agentMtp, campaign.id, { name: 'Le mien' }), 404)).toBe(CAMPAIGN_MESSAGES.notFound);
    expect(errorOf(await patch(reviewer30, campaign.id, { name: 'Le mien' }), 404)).toBe(CAMPAIGN_MESSAGES.notFound);
    expect((await patch(reviewer34, campaign.id, { name: 'Revue' })).statusCode).toBe(200);
  });

  it.each([
    [{ communeInsee: '34010' }, CAMPAIGN_MESSAGES.communeFixed],
    [{}, 'Rien à modifier'],
    [{ startsOn: '2026-06-01' }, 'La fin de la campagne précède son début'],
    [{ endsOn: '2027-05-29' }, 'Une campagne dure au plus 366 jours'],
    [{ operators: ['orange', 'orange'] }, 'Un opérateur est cité deux fois'],
    [{ createdBy: 'moi' }, 'Champ inconnu : « createdBy »'],
    [{ agentIds: [randomUUID()] }, 'n’est pas celui d’un agent de la commune'],
  ])('refuses %j (400)', async (payload, message) => {
    const campaign = await created(reviewer34, DRAFT);
    expect(errorOf(await patch(reviewer34, campaign.id, payload), 400)).toContain(message);
  });

  it('names a newly assigned agent id that does not record for the commune', async () => {
    const campaign = await created(reviewer34, DRAFT);
    expect(errorOf(await patch(reviewer34, campaign.id, { agentIds: [agentSG.id, agentMtp.id] }), 400)).toBe(
      `L’identifiant « ${agentMtp.id} » n’est pas celui d’un agent de la commune Saint-Guilhem-le-Désert (34261).`,
    );
  });
});

describe('DELETE /api/v1/campaigns/:id', () => {
  it('deletes a campaign no reading carries, and audits it', async () => {
    const campaign = await created(reviewer34, DRAFT);
    const response = await remove(reviewer34, campaign.id);
    expect(response.statusCode, response.body).toBe(204);
    expect((await get(reviewer34, `/api/v1/campaigns/${campaign.id}`)).statusCode).toBe(404);
    expect(await lastAudit()).toMatchObject({ action: 'campaign.delete', targetId: campaign.id, details: { communeInsee: '34261' } });
    expect((await remove(reviewer34, campaign.id)).statusCode).toBe(404);
  });

  it('refuses once a reading carries it (409), keeping it', async () => {
    const campaign = await created(reviewer34, { ...DRAFT, agentIds: [agentSG.id] });
    expect((await postReadings(server.app, [makeReading({ campaignId: campaign.id })], agentSG)).json().accepted).toHaveLength(1);
    expect(errorOf(await remove(reviewer34, campaign.id), 409)).toBe(CAMPAIGN_MESSAGES.inUse);
    expect((await get(reviewer34, `/api/v1/campaigns/${campaign.id}`)).statusCode).toBe(200);
  });

  it('follows the same rule as changes: the creating agent yes, another agent no', async () => {
    const campaign = await created(agentSG, DRAFT);
    expect(errorOf(await remove(agentSG2, campaign.id), 403)).toBe(CAMPAIGN_MESSAGES.notEditable);
    expect(errorOf(await remove(agentMtp, campaign.id), 404)).toBe(CAMPAIGN_MESSAGES.notFound);
    expect((await remove(agentSG, campaign.id)).statusCode).toBe(204);
  });
});

describe('GET /api/v1/campaigns/:id/progress', () => {
  const north = { lat: 43.7365, lon: 3.5494 }; // about 300 m north of makeReading()'s point: another 200 m cell

  it('counts every reading of the campaign, whoever sent it, by operator, technology, cell and track', async () => {
    const campaign = await created(reviewer34, { ...DRAFT, agentIds: [agentSG.id, agentSG2.id] });
    const other = await created(reviewer34, DRAFT);
    const [trackA, trackB] = [randomUUID(), randomUUID()];
    const tagged = { campaignId: campaign.id, communeInsee: '34261' };
    const first = makeReading({ ...tagged, trackId: trackA, recordedAt: '2026-05-04T09:00:00.000+02:00' });
    const readingsSG = [
      first,
      makeReading({ ...tagged, trackId: trackA, operator: 'sfr', technology: '3G', signalDbm: -100 }),
      makeReading({ ...tagged, ...north, operator: 'free', technology: 'none', signalDbm: undefined, recordedAt: '2026-05-04T11:30:00.000+02:00' }),
    ];
    const readingsSG2 = [
      makeReading({ ...tagged, ...north, trackId: trackB, operator: 'free', technology: '4G' }),
      // Sent from Montpellier: still the campaign's.
      makeReading({ ...tagged, ...MONTPELLIER, operator: 'orange' }),
    ];
    expect((await postReadings(server.app, readingsSG, agentSG)).json().accepted).toHaveLength(3);
    expect((await postReadings(server.app, readingsSG2, agentSG2)).json().accepted).toHaveLength(2);
    // Not the campaign's: no campaignId, or another one; a duplicate does not count twice.
    await postReadings(server.app, [makeReading(), makeReading({ campaignId: other.id }), first], agentSG);

    const response = await get(agentSG, `/api/v1/campaigns/${campaign.id}/progress`);
    expect(response.statusCode, response.body).toBe(200);
    const progress: CampaignProgress = response.json();
    const here = cellIdAt(3.5494, 43.7339)!;
    const there = cellIdAt(north.lon, north.lat)!;
    const montpellier = cellIdAt(MONTPELLIER.lon, MONTPELLIER.lat)!;
    expect(new Set([here, there, montpellier]).size).toBe(3);
    expect(progress).toEqual({
      campaignId: campaign.id,
      readings: 5,
      byOperator: { orange: 2, sfr: 1, bouygues: 0, free: 2 },
      byTechnology: { none: 1, '2G': 0, '3G': 1, '4G': 3, '5G': 0 },
      cells: [
        { cellId: here, readings: 2, byOperator: { orange: 1, sfr: 1 } },
        { cellId: there, readings: 2, byOperator: { free: 2 } },
        { cellId: montpellier, readings: 1, byOperator: { orange: 1 } },
      ].sort((a, b) => (a.cellId < b.cellId ? -1 : 1)),
      tracks: 2,
      lastReadingAt: '2026-05-04T11:30:00.000+02:00',
    });
    // Counts only: nobody's account, e-mail or note.
    for (const who of [agentSG, agentSG2]) {
      expect(response.body).not.toContain(who.id);
      expect(response.body).not.toContain(who.email);
    }
    // The other agents of the campaign see the same.
    expect((await get(agentSG2, `/api/v1/campaigns/${campaign.id}/progress`)).json()).toEqual(progress);
    expect((await get(reviewer34, `/api/v1/campaigns/${other.id}/progress`)).json()).toMatchObject({ readings: 1, tracks: 0 });
  });

  it('answers zeros for a campaign with no reading yet', async () => {
    const campaign = await created(reviewer34, DRAFT);
    expect((await get(reviewer34, `/api/v1/campaigns/${campaign.id}/progress`)).json()).toEqual({
      campaignId: campaign.id,
      readings: 0,
      byOperator: { orange: 0, sfr: 0, bouygues: 0, free: 0 },
      byTechnology: { none: 0, '2G': 0, '3G': 0, '4G': 0, '5G': 0 },
      cells: [],
      tracks: 0,
    });
  });

  it('is out of reach (404) of whoever does not see the campaign', async () => {
    const campaign = await created(reviewer34, DRAFT);
    expect(errorOf(await get(agentMtp, `/api/v1/campaigns/${campaign.id}/progress`), 404)).toBe(CAMPAIGN_MESSAGES.notFound);
    expect(errorOf(await get(reviewer30, `/api/v1/campaigns/${campaign.id}/progress`), 404)).toBe(CAMPAIGN_MESSAGES.notFound);
  });
});

describe('GET /api/v1/campaign-agents', () => {
  it('lists the enabled agents recording for the commune, by name, without other roles', async () => {
    const response = await get(reviewer34, '/api/v1/campaign-agents?commune=34261');
    expect(response.statusCode, response.body).toBe(200);
    const agents: { id: string; name: string; email: string }[] = response.json().agents;
    const ids = agents.map((a) => a.id);
    expect(ids).toContain(agentSG.id);
    expect(ids).toContain(agentSG2.id);
    expect(ids).not.toContain(disabledAgent.id);
    expect(ids).not.toContain(agentMtp.id);
    expect(ids).not.toContain(reviewer34.id);
    expect(agents.find((a) => a.id === agentSG.id)).toEqual({ id: agentSG.id, name: expect.any(String), email: agentSG.email });
    expect(agents.map((a) => a.name)).toEqual([...agents.map((a) => a.name)].sort((a, b) => a.localeCompare(b, 'fr')));
    expect((await get(agentSG, '/api/v1/campaign-agents?commune=34261')).json()).toEqual({ agents });
    expect((await get(admin, '/api/v1/campaign-agents?commune=34261')).json()).toEqual({ agents });
    expect((await get(admin, '/api/v1/campaign-agents?commune=30189')).json().agents.map((a: { id: string }) => a.id)).toEqual([agentNimes.id]);
  });

  it('refuses those who may not organise a campaign there (403)', async () => {
    expect(errorOf(await get(agentMtp, '/api/v1/campaign-agents?commune=34261'), 403)).toContain('que dans vos communes');
    expect(errorOf(await get(reviewer30, '/api/v1/campaign-agents?commune=34261'), 403)).toContain('pas le 34');
  });

  it.each([
    ['', CAMPAIGN_MESSAGES.communeMissing],
    ['?commune=34999', 'Commune inconnue : « 34999 »'],
    ['?commune=montpellier', 'Commune inconnue : « montpellier »'],
    ['?commune=34261&role=agent', 'Paramètre inconnu : « role »'],
  ])('refuses %j (400)', async (query, message) => {
    expect(errorOf(await get(admin, `/api/v1/campaign-agents${query}`), 400)).toContain(message);
  });
});
