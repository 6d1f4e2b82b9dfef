import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { addUser, makeReading, NIMES, openTestApp, postReadings, signIn, useTempDir, type Caller, type TestApp } from '../server/fixtures.ts';
import { tableRows } from '../support/test-store.ts';

/**
 * Attack: any account could send readings carrying the id of a campaign it cannot see (another
 * commune's, another département's), padding that campaign's progress and blocking its deletion
 * (409 once a reading carries it). The reading is still kept (nothing is lost, the phone counts
 * it as sent), but its link is dropped: stored without `campaignId`, listed in the answer's
 * `warnings`. "Sees" is GET /api/v1/campaigns/:id's rule; an unknown id is treated the same.
 */

const tempDir = useTempDir();
let server: TestApp;
let reviewer: Caller; // Hérault
let gardAgent: Caller; // Nîmes: sees no Hérault campaign
let assigned: Caller; // Aniane and Saint-Guilhem, assigned to the Saint-Guilhem campaign
let campaignId: string;

beforeAll(async () => {
  server = await openTestApp(tempDir());
  const { app } = server;
  reviewer = await addUser(app, { role: 'reviewer', departement: '34' });
  gardAgent = await addUser(app, { communes: ['30189'] });
  assigned = await addUser(app, { communes: ['34010', '34261'] });
  const created = await app.inject({
    method: 'POST',
    url: '/api/v1/campaigns',
    headers: reviewer.headers,
    payload: { communeInsee: '34261', startsOn: '2026-05-04', endsOn: '2026-05-29', operators: ['orange'], agentIds: [assigned.id] },
  });
  expect(created.statusCode, created.body).toBe(201);
  campaignId = created.json().id;
});
afterAll(async () => {
  await server.close();
});

const progress = async () =>
  (await server.app.inject({ method: 'GET', url: `/api/v1/campaigns/${campaignId}/progress`, headers: reviewer.headers })).json().readings;
const storedCampaignOf = async (id: string) => {
  const { readings } = await tableRows(server.location, ['readings']);
  const row = (readings as { id: string; campaign_id: string | null; body: string }[]).find((r) => r.id === id)!;
  return { column: row.campaign_id, body: (typeof row.body === 'string' ? JSON.parse(row.body) : row.body).campaignId };
};

it('keeps a reading tagged with a campaign its sender cannot see, without the link, and says so', async () => {
  const foreign = makeReading({ ...NIMES, campaignId, communeInsee: '34261' });
  const unknown = makeReading({ ...NIMES, campaignId: randomUUID() });
  const plain = makeReading(NIMES);
  const response = await postReadings(server.app, [foreign, plain, unknown], gardAgent);
  expect(response.statusCode, response.body).toBe(200);
  const answer = response.json();
  expect(answer).toMatchObject({ accepted: [foreign.id, plain.id, unknown.id], duplicates: [], rejected: [] });
  expect(answer.warnings).toEqual([
    { id: foreign.id, index: 0, field: 'campaignId', message: expect.stringMatching(/^Relevé gardé sans campagne : /) },
    { id: unknown.id, index: 2, field: 'campaignId', message: expect.stringMatching(/^Relevé gardé sans campagne : /) },
  ]);
  expect(await storedCampaignOf(foreign.id)).toEqual({ column: null, body: undefined });
  expect(await storedCampaignOf(unknown.id)).toEqual({ column: null, body: undefined });
  expect(await progress()).toBe(0);

  // The phone did not get the answer and sends them again: duplicates, still warned, never a conflict.
  const again = (await postReadings(server.app, [foreign, unknown], gardAgent)).json();
  expect(again).toMatchObject({ accepted: [], duplicates: [foreign.id, unknown.id], rejected: [] });
  expect(again.warnings.map((w: { id: string }) => w.id)).toEqual([foreign.id, unknown.id]);
});

it('links the readings of those who see the campaign, and a resend stays a duplicate once they no longer do', async () => {
  const linked = makeReading({ campaignId, communeInsee: '34261' });
  const first = (await postReadings(server.app, [linked], assigned)).json();
  expect(first).toMatchObject({ accepted: [linked.id], warnings: [] });
  expect(await storedCampaignOf(linked.id)).toEqual({ column: campaignId, body: campaignId });
  expect(await progress()).toBe(1);

  // Taken off the campaign and out of Saint-Guilhem, the agent no longer sees it; their phone resends the reading it recorded for it.
  const unassigned = await server.app.inject({ method: 'PATCH', url: `/api/v1/campaigns/${campaignId}`, headers: reviewer.headers, payload: { agentIds: [] } });
  expect(unassigned.statusCode, unassigned.body).toBe(200);
  const admin = await addUser(server.app, { role: 'admin' });
  const moved = await server.app.inject({ method: 'PATCH', url: `/api/v1/users/${assigned.id}`, headers: admin.headers, payload: { communes: ['34010'] } });
  expect(moved.statusCode, moved.body).toBe(200);
  // A change of communes may end the account's sessions: the agent signs in again.
  const headers = await signIn(server.app, assigned.email);
  expect((await server.app.inject({ method: 'GET', url: `/api/v1/campaigns/${campaignId}`, headers })).statusCode).toBe(404);
  const resent = (await postReadings(server.app, [linked], { headers })).json();
  expect(resent).toMatchObject({ accepted: [], duplicates: [linked.id], rejected: [], warnings: [] });
  expect(await progress()).toBe(1);
});

it('lets the campaign be deleted when only foreign readings named it', async () => {
  const created = await server.app.inject({
    method: 'POST',
    url: '/api/v1/campaigns',
    headers: reviewer.headers,
    payload: { communeInsee: '34172', startsOn: '2026-05-04', endsOn: '2026-05-29', operators: ['sfr'] },
  });
  const target = created.json().id as string;
  const sent = (await postReadings(server.app, [makeReading({ ...NIMES, campaignId: target })], gardAgent)).json();
  expect(sent.accepted).toHaveLength(1);
  expect(sent.warnings).toHaveLength(1);
  const deleted = await server.app.inject({ method: 'DELETE', url: `/api/v1/campaigns/${target}`, headers: reviewer.headers });
  expect(deleted.statusCode, deleted.body).toBe(204);
});
