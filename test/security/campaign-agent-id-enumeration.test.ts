import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { addUser, openTestApp, useTempDir, type Caller, type TestApp } from '../server/fixtures.ts';

/**
 * Attack: an agent creating or changing a campaign with someone else's account id in
 * `agentIds` got back that account's name, e-mail and role (« X (x@…) n’est pas un agent
 * communal », « Le compte de X est désactivé »…), so any account could learn who holds an id
 * and what it may do. Every refused id now gets one message that names nothing but the id and
 * the commune, whatever the account is (unknown, reviewer, admin, disabled, agent elsewhere).
 */

const tempDir = useTempDir();
let server: TestApp;
let agent: Caller;
const others: Record<string, Caller> = {};

beforeAll(async () => {
  server = await openTestApp(tempDir());
  const { app } = server;
  agent = await addUser(app, { communes: ['34261'] });
  others.reviewer = await addUser(app, { role: 'reviewer', departement: '30', email: 'chef.gard@example.fr' });
  others.admin = await addUser(app, { role: 'admin', email: 'admin.secret@example.fr' });
  others.elsewhere = await addUser(app, { communes: ['34172'], email: 'mairie.montpellier@example.fr' });
  others.disabled = await addUser(app, { communes: ['34261'], email: 'ancien.agent@example.fr' });
  const disabled = await app.inject({
    method: 'PATCH',
    url: `/api/v1/users/${others.disabled.id}`,
    headers: others.admin.headers,
    payload: { disabled: true },
  });
  expect(disabled.statusCode, disabled.body).toBe(200);
});
afterAll(async () => {
  await server.close();
});

const DRAFT = { communeInsee: '34261', startsOn: '2026-05-04', endsOn: '2026-05-29', operators: ['orange'] };
const expected = (id: string) => `L’identifiant « ${id} » n’est pas celui d’un agent de la commune Saint-Guilhem-le-Désert (34261).`;

it('answers the same message for any id that is not an agent of the commune, on creation and change', async () => {
  const created = await server.app.inject({ method: 'POST', url: '/api/v1/campaigns', headers: agent.headers, payload: DRAFT });
  expect(created.statusCode, created.body).toBe(201);
  const campaignId = created.json().id as string;

  const ids = [...Object.values(others).map((caller) => caller.id), randomUUID()];
  for (const id of ids) {
    const post = await server.app.inject({ method: 'POST', url: '/api/v1/campaigns', headers: agent.headers, payload: { ...DRAFT, agentIds: [id] } });
    const patch = await server.app.inject({
      method: 'PATCH',
      url: `/api/v1/campaigns/${campaignId}`,
      headers: agent.headers,
      payload: { agentIds: [agent.id, id] },
    });
    for (const response of [post, patch]) {
      expect(response.statusCode, response.body).toBe(400);
      expect(response.json()).toEqual({ error: expected(id) });
      for (const secret of ['@example.fr', 'Personne', 'agent communal', 'désactivé', 'reviewer', 'admin']) expect(response.body).not.toContain(secret);
    }
  }
});
