import { afterEach, describe, expect, it } from 'vitest';
import { addUser, openTestApp, useTempDir, type TestApp } from './fixtures.ts';

const tempDir = useTempDir();
let server: TestApp;

afterEach(async () => {
  await server.close();
});

describe('?departement= on the zone and campaign lists (found by the API fuzz)', () => {
  const LISTS = ['/api/v1/zones', '/api/v1/zones.csv', '/api/v1/zones.geojson', '/api/v1/campaigns'];

  it('is refused with a French 400 quoting it when it is no département code, for a reviewer as for an admin', async () => {
    server = await openTestApp(tempDir());
    const reviewer = await addUser(server.app, { role: 'reviewer', departement: '34' });
    const admin = await addUser(server.app, { role: 'admin' });
    for (const url of LISTS) {
      for (const caller of [reviewer, admin]) {
        const response = await server.app.inject({ method: 'GET', url: `${url}?departement=undefined`, headers: caller.headers });
        expect(response.statusCode, `${url} ${response.body}`).toBe(400);
        expect(response.json()).toEqual({ error: 'departement=« undefined » : attendu un code de département (ex. 34, 2A, 971).' });
      }
    }
    const created = await server.app.inject({
      method: 'POST',
      url: '/api/v1/zones?departement=3%204',
      headers: admin.headers,
      payload: { name: 'Vallée', cells: ['CRS3035RES200mN2290000E3782000'], need: 'habitations' },
    });
    expect(created.statusCode).toBe(400);
    expect(created.json().error).toContain('departement=« 3 4 »');
  });

  it('still answers a code: the reviewer’s own, another one refused, any for an admin', async () => {
    server = await openTestApp(tempDir());
    const reviewer = await addUser(server.app, { role: 'reviewer', departement: '34' });
    const admin = await addUser(server.app, { role: 'admin' });
    for (const url of LISTS) {
      expect((await server.app.inject({ method: 'GET', url: `${url}?departement=34`, headers: reviewer.headers })).statusCode, url).toBe(200);
      expect((await server.app.inject({ method: 'GET', url: `${url}?departement=30`, headers: reviewer.headers })).statusCode, url).toBe(403);
      expect((await server.app.inject({ method: 'GET', url: `${url}?departement=2A`, headers: admin.headers })).statusCode, url).toBe(200);
      expect((await server.app.inject({ method: 'GET', url: `${url}?departement=971`, headers: admin.headers })).statusCode, url).toBe(200);
    }
  });
});
