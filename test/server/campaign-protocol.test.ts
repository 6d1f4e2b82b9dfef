import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_FIELD_SETTINGS } from '../../src/domain/field-settings.ts';
import { addUser, openTestApp, useTempDir, type Caller, type TestApp } from './fixtures.ts';

/** Issue 17: a campaign's protocol (the deployment's by default) and its GPS requirement, on both stores. */

const tempDir = useTempDir();
let server: TestApp;
let reviewer: Caller;

const DRAFT = { communeInsee: '34261', startsOn: '2026-05-04', endsOn: '2026-05-29', operators: ['orange', 'sfr'] };

beforeAll(async () => {
  // A deployment whose default is Arcep's QoS protocol (DEFAULT_PROTOCOL=qos).
  server = await openTestApp(tempDir(), { field: { ...DEFAULT_FIELD_SETTINGS, protocol: 'qos' } });
  reviewer = await addUser(server.app, { role: 'reviewer', departement: '34' });
});
afterAll(async () => {
  await server.close();
});

const create = (payload: object) => server.app.inject({ method: 'POST', url: '/api/v1/campaigns', headers: reviewer.headers, payload });
const patch = (id: string, payload: object) => server.app.inject({ method: 'PATCH', url: `/api/v1/campaigns/${id}`, headers: reviewer.headers, payload });

describe('a campaign’s protocol and GPS requirement', () => {
  it('takes the deployment’s protocol, 50 m and a warning when the draft says nothing', async () => {
    const response = await create(DRAFT);
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json()).toMatchObject({ protocol: 'qos', maxAccuracyM: 50, accuracyRule: 'warn' });
    const config = await server.app.inject({ method: 'GET', url: '/api/v1/config' });
    expect(config.json().field).toMatchObject({
      protocol: 'qos',
      dataTest: { enabled: true, downloadMaxBytes: 10_000_000, downloadMaxS: 10, pageBytes: 2_000_000 },
    });
  });

  it('keeps what the draft chose, changes it by a patch, and reads it back from the store', async () => {
    const response = await create({ ...DRAFT, protocol: 'map-check', maxAccuracyM: 30, accuracyRule: 'refuse' });
    expect(response.statusCode, response.body).toBe(201);
    const { id } = response.json();
    expect(response.json()).toMatchObject({ protocol: 'map-check', maxAccuracyM: 30, accuracyRule: 'refuse' });

    const changed = await patch(id, { protocol: 'qos', maxAccuracyM: 20 });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ protocol: 'qos', maxAccuracyM: 20, accuracyRule: 'refuse' });
    expect(await server.store.campaignById(id)).toMatchObject({ protocol: 'qos', maxAccuracyM: 20, accuracyRule: 'refuse' });
    const listed = await server.app.inject({ method: 'GET', url: '/api/v1/campaigns', headers: reviewer.headers });
    expect(listed.json().campaigns.find((campaign: { id: string }) => campaign.id === id)).toMatchObject({ protocol: 'qos', maxAccuracyM: 20 });
  });

  it.each([
    [{ protocol: 'arcep' }, 'Protocole inconnu : attendu map-check (Vérification de carte) ou qos (Qualité de service (Arcep))'],
    [{ maxAccuracyM: 1000 }, 'La précision exigée va de 5 à 200 m'],
    [{ maxAccuracyM: 'cinquante' }, 'La précision exigée doit être un nombre de mètres'],
    [{ accuracyRule: 'ignore' }, 'Règle de précision inconnue : attendu refuse (refuser) ou warn (avertir)'],
  ])('refuses %j in French', async (fields, message) => {
    const response = await create({ ...DRAFT, ...fields });
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json().error).toContain(message);
  });
});
