import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addUser, makeReading, openTestApp, postReadings, useTempDir, type Caller, type TestApp } from './fixtures.ts';

/** Issue 17: a static test's averaged position says how many fixes it averages, kept by both stores. */

const tempDir = useTempDir();
let server: TestApp;
let agent: Caller;

beforeEach(async () => {
  server = await openTestApp(tempDir());
  agent = await addUser(server.app, { role: 'agent', communes: ['34261'] });
});

afterEach(async () => {
  await server.close();
});

describe('a reading whose position averages several fixes', () => {
  it('is stored with positionFixes and read back unchanged', async () => {
    const averaged = makeReading({ positionFixes: 7, accuracyM: 6.5 });
    const single = makeReading();
    const response = await postReadings(server.app, [averaged, single], agent);
    expect(response.json().accepted).toEqual([averaged.id, single.id]);

    const read = await server.app.inject({ method: 'GET', url: '/api/v1/readings', headers: agent.headers });
    const byId = new Map(read.json().features.map((f: { id: string; properties: unknown }) => [f.id, f.properties]));
    expect(byId.get(averaged.id)).toMatchObject({ positionFixes: 7, accuracyM: 6.5 });
    expect(byId.get(single.id)).not.toHaveProperty('positionFixes');
  });

  it('refuses a count that is not a whole number of fixes, in French', async () => {
    const response = await postReadings(server.app, [makeReading({ positionFixes: 2.5 })], agent);
    expect(response.json().rejected[0].errors).toContainEqual({ field: 'positionFixes', message: 'Le nombre de positions moyennées doit être un entier' });
  });
});
