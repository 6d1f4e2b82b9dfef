import { afterEach, describe, expect, it } from 'vitest';
import { PUBLIC_PRECISION_M } from '../../src/domain/report.ts';
import { publicCell } from '../../src/domain/report-public.ts';
import { coarsen } from '../../src/server/routes/reports.ts';
import { addUser, makeReport, NIMES, openTestApp, postReports, RELAXED_SECURITY, useTempDir, type TestApp } from './fixtures.ts';

const tempDir = useTempDir();
let server: TestApp;

async function open(options: Parameters<typeof openTestApp>[1] = {}): Promise<TestApp> {
  server = await openTestApp(tempDir(), options);
  return server;
}

afterEach(async () => {
  await server.close();
});

async function storedReports() {
  return (await server.store.queryReports({ limit: 1000, hiddenVisibleIn: 'all' })).reports;
}

function get(url: string, headers: Record<string, string> = {}) {
  return server.app.inject({ method: 'GET', url, headers });
}

describe('POST /api/v1/reports (residents, no account)', () => {
  it('stores valid reports without account, IP or device id, and rejects bad ones alone', async () => {
    const { app } = await open();
    const good = makeReport({ note: 'Rien devant la mairie' });
    const bad = { ...makeReport(), problem: 'no-wifi' };
    const response = await postReports(app, [good, bad, 3], { 'user-agent': 'Mozilla/5.0 (Android 14; Pixel 8)' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      accepted: [good.id],
      duplicates: [],
      rejected: [
        { id: bad.id, index: 1, code: 'invalid', errors: [{ field: 'problem', message: expect.stringContaining('Problème inconnu') }] },
        { id: null, index: 2, code: 'invalid', errors: [{ field: '', message: 'Un signalement doit être un objet JSON' }] },
      ],
    });
    const [stored] = await storedReports();
    expect(stored).toMatchObject({ report: good, commune: '34261', departement: '34', hidden: false, repeats: 0 });
    expect(JSON.stringify(stored)).not.toMatch(/127\.0\.0\.1|Pixel/);
  });

  it('ignores any cookie: a report is anonymous, and needs no CSRF token', async () => {
    const { app } = await open();
    const agent = await addUser(app);
    const response = await postReports(app, [makeReport()], { cookie: agent.headers.cookie! });
    expect(response.statusCode).toBe(200);
    expect(response.json().accepted).toHaveLength(1);
  });

  it('answers a resent report (same id) as accepted, and stores it once', async () => {
    const { app } = await open();
    const report = makeReport();
    await postReports(app, [report]);
    expect((await postReports(app, [report])).json()).toEqual({ accepted: [report.id], duplicates: [], rejected: [] });
    expect(await storedReports()).toMatchObject([{ report, repeats: 0 }]);
  });

  describe('repeats, for the reviewers’ counts', () => {
    // The public cell of makeReport()'s position, and points inside it and just across its edges.
    const cell = publicCell(43.7339, 3.5494);
    const inside = (fLat: number, fLon: number) => ({
      lat: cell.bounds.minLat + (cell.bounds.maxLat - cell.bounds.minLat) * fLat,
      lon: cell.bounds.minLon + (cell.bounds.maxLon - cell.bounds.minLon) * fLon,
    });
    const beyondEast = { lat: inside(0.5, 0).lat, lon: cell.bounds.maxLon + 0.00002 }; // ~1.6 m east of the edge
    const beyondNorth = { lat: cell.bounds.maxLat + 0.00002, lon: inside(0, 0.5).lon };

    it('collapses the same report made again in the same public cell and hour, wherever in them, and counts it', async () => {
      const { app } = await open();
      const first = makeReport({ reportedAt: '2026-05-04T10:00:00Z', ...inside(0.01, 0.01) });
      const farCorner = makeReport({ reportedAt: '2026-05-04T10:59:59.999Z', ...inside(0.99, 0.99) }); // ~270 m away, 1 h later
      const middle = makeReport({ reportedAt: '2026-05-04T10:30:00Z', ...inside(0.5, 0.5) });
      const response = await postReports(app, [first, farCorner, middle]);
      expect(response.json()).toEqual({ accepted: [first.id, farCorner.id, middle.id], duplicates: [], rejected: [] });
      expect(await storedReports()).toMatchObject([{ report: first, repeats: 2 }]);
    });

    it('does not collapse across a cell’s edge, an hour’s end, or another operator, problem or setting', async () => {
      const { app } = await open();
      const first = makeReport({ reportedAt: '2026-05-04T10:59:00Z', ...inside(0.5, 0.999) });
      const others = [
        makeReport({ reportedAt: '2026-05-04T10:59:00Z', ...beyondEast }), // a few metres from first, in the next cell
        makeReport({ reportedAt: '2026-05-04T10:59:00Z', ...beyondNorth }),
        makeReport({ reportedAt: '2026-05-04T11:00:00Z', ...inside(0.5, 0.999) }), // a minute later, the next hour
        makeReport({ reportedAt: '2026-05-04T10:59:00Z', ...inside(0.5, 0.999), operator: 'orange' }),
        makeReport({ reportedAt: '2026-05-04T10:59:00Z', ...inside(0.5, 0.999), problem: 'slow-data' }),
        makeReport({ reportedAt: '2026-05-04T10:59:00Z', ...inside(0.5, 0.999), setting: 'indoor' }),
      ];
      const response = await postReports(app, [first, ...others]);
      expect(response.json().accepted).toEqual([first, ...others].map((r) => r.id));
      const stored = await storedReports();
      expect(stored.map((r) => r.report.id)).toEqual([first, ...others].map((r) => r.id));
      expect(stored.every((r) => r.repeats === 0)).toBe(true);
    });

    it('counts a repeat sent across requests, a retry of a stored id not at all, and a hidden report swallows none', async () => {
      const { app } = await open();
      const first = makeReport({ reportedAt: '2026-05-04T10:10:00Z' });
      await postReports(app, [first]);
      const repeat = makeReport({ reportedAt: '2026-05-04T10:20:00Z', ...inside(0.9, 0.1) });
      expect((await postReports(app, [repeat, first])).json()).toEqual({ accepted: [repeat.id, first.id], duplicates: [], rejected: [] });
      expect(await storedReports()).toMatchObject([{ report: first, repeats: 1 }]);

      const reviewer = await addUser(app, { role: 'reviewer', departement: '34' });
      const hide = await app.inject({
        method: 'PATCH',
        url: `/api/v1/reports/${first.id}`,
        headers: reviewer.headers,
        payload: { hidden: true, reason: 'doublon' },
      });
      expect(hide.statusCode).toBe(200);
      const afterHiding = makeReport({ reportedAt: '2026-05-04T10:30:00Z' });
      await postReports(app, [afterHiding]);
      expect((await storedReports()).map((r) => [r.report.id, r.repeats])).toEqual([
        [first.id, 1],
        [afterHiding.id, 0],
      ]);
    });
  });

  describe('abuse', () => {
    it('limits a burst from one client with 429, Retry-After and a French message', async () => {
      const { app } = await open({ security: { ...RELAXED_SECURITY, rateLimits: { ...RELAXED_SECURITY.rateLimits, reports: { max: 3, windowS: 600 } } } });
      const statuses: number[] = [];
      let last: Awaited<ReturnType<typeof postReports>> | undefined;
      for (let i = 0; i < 5; i += 1) {
        last = await postReports(app, [makeReport({ lat: 43.7 + i / 100 })]);
        statuses.push(last.statusCode);
      }
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0);
      expect(last!.json()).toEqual({ error: expect.stringMatching(/^Trop de requêtes : réessayez dans \d+ s$/) });
      expect(await storedReports()).toHaveLength(3);
    });

    it('counts clients apart (by the address the trusted proxy gives)', async () => {
      const { app } = await open({
        security: { ...RELAXED_SECURITY, trustProxy: true, rateLimits: { ...RELAXED_SECURITY.rateLimits, reports: { max: 1, windowS: 600 } } },
      });
      const from = (ip: string) => postReports(app, [makeReport({ lat: 43 + Math.random() })], { 'x-forwarded-for': ip });
      expect((await from('198.51.100.1')).statusCode).toBe(200);
      expect((await from('198.51.100.1')).statusCode).toBe(429);
      expect((await from('198.51.100.2')).statusCode).toBe(200);
    });

    const json = { 'content-type': 'application/json' };
    it('says the route’s own limit to a body over 64 KiB, not the server’s 1 MiB', async () => {
      const { app } = await open();
      const payload = JSON.stringify({ reports: [makeReport()], padding: 'x'.repeat(70_000) });
      const response = await app.inject({ method: 'POST', url: '/api/v1/reports', headers: json, payload });
      expect(response.statusCode).toBe(413);
      expect(response.json()).toEqual({ error: 'Requête trop volumineuse (plus de 64 Kio) : envoyez moins de données à la fois, en lots plus petits.' });
    });

    it.each([
      { name: 'a body over 64 KiB', status: 413, payload: JSON.stringify({ reports: [makeReport()], padding: 'x'.repeat(70_000) }) },
      { name: '51 reports', status: 413, payload: JSON.stringify({ reports: Array.from({ length: 51 }, () => makeReport()) }) },
      { name: 'malformed JSON', status: 400, payload: '{"reports": [' },
      { name: 'no reports field', status: 400, payload: '{"report": []}' },
      { name: 'reports not an array', status: 400, payload: '{"reports": {}}' },
      { name: 'an empty list', status: 400, payload: '{"reports": []}' },
      { name: 'a bare array', status: 400, payload: JSON.stringify([makeReport()]) },
    ])('$name → $status, nothing stored', async ({ status, payload }) => {
      const { app } = await open();
      const response = await app.inject({ method: 'POST', url: '/api/v1/reports', headers: json, payload });
      expect(response.statusCode).toBe(status);
      expect(response.json()).toEqual({ error: expect.any(String) });
      expect(response.body).not.toMatch(/at .*\.ts|SQL|sqlite/i);
      expect(await storedReports()).toEqual([]);
    });

    it('refuses a note over 300 characters, for that report alone', async () => {
      const { app } = await open();
      const long = makeReport({ note: 'x'.repeat(301) });
      const response = await postReports(app, [long]);
      expect(response.json().rejected[0].errors).toEqual([{ field: 'note', message: 'La note dépasse 300 caractères' }]);
    });
  });
});

describe('GET /api/v1/reports', () => {
  async function seed() {
    const report34 = makeReport({ lat: 43.73391, lon: 3.54937, note: 'Chez moi, 3 rue des Oliviers' });
    const report30 = makeReport({ ...NIMES, note: 'Au stade' });
    await postReports(server.app, [report34, report30]);
    return { report34, report30 };
  }

  it('gives everyone else positions snapped to a 200 m grid, the hour, no note', async () => {
    const { app } = await open();
    const { report34 } = await seed();
    const agent = await addUser(app);
    for (const headers of [{}, agent.headers]) {
      const response = await get('/api/v1/reports', headers);
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toMatch(/^application\/geo\+json/);
      const feature = response.json().features.find((f: { id: string }) => f.id === report34.id);
      expect(feature).toEqual({
        type: 'Feature',
        id: report34.id,
        geometry: { type: 'Point', coordinates: coarsen(report34.lat, report34.lon) },
        properties: {
          id: report34.id,
          reportedAt: '2026-05-04T08:00:00.000Z',
          operator: 'sfr',
          problem: 'no-signal',
          setting: 'outdoor',
          commune: '34261',
          repeats: 0,
          precisionM: 200,
        },
      });
      expect(response.body).not.toContain('Oliviers');
      expect(response.body).not.toContain('43.73391');
    }
  });

  it('gives the département’s reviewers exact positions and notes; others’ reports stay coarse', async () => {
    const { app } = await open();
    const { report34, report30 } = await seed();
    const reviewer = await addUser(app, { role: 'reviewer', departement: '34' });
    const features = (await get('/api/v1/reports', reviewer.headers)).json().features;
    const mine = features.find((f: { id: string }) => f.id === report34.id);
    expect(mine.geometry.coordinates).toEqual([report34.lon, report34.lat]);
    expect(mine.properties).toMatchObject({ note: 'Chez moi, 3 rue des Oliviers', accuracyM: 15, hidden: false, departement: '34' });
    const theirs = features.find((f: { id: string }) => f.id === report30.id);
    expect(theirs.properties.note).toBeUndefined();
    expect(theirs.geometry.coordinates).toEqual(coarsen(report30.lat, report30.lon));
  });

  it('gives an admin everything exactly', async () => {
    const { app } = await open();
    const { report30 } = await seed();
    const admin = await addUser(app, { role: 'admin' });
    const feature = (await get('/api/v1/reports', admin.headers)).json().features.find((f: { id: string }) => f.id === report30.id);
    expect(feature.properties.note).toBe('Au stade');
  });

  it('filters a bbox on the coarse positions, so a tiny box cannot find an exact one', async () => {
    const { app } = await open();
    const { report34 } = await seed();
    const exact = `${report34.lon - 1e-5},${report34.lat - 1e-5},${report34.lon + 1e-5},${report34.lat + 1e-5}`;
    expect((await get(`/api/v1/reports?bbox=${exact}`)).json().features).toEqual([]);
    const [lon, lat] = coarsen(report34.lat, report34.lon);
    const aroundCentre = `${lon - 1e-5},${lat - 1e-5},${lon + 1e-5},${lat + 1e-5}`;
    expect((await get(`/api/v1/reports?bbox=${aroundCentre}`)).json().features.map((f: { id: string }) => f.id)).toEqual([report34.id]);
    const reviewer = await addUser(app, { role: 'reviewer', departement: '34' });
    expect((await get(`/api/v1/reports?bbox=${exact}`, reviewer.headers)).json().features).toHaveLength(1);
  });

  it.each(['bbox=1,2,3', 'limit=0', 'foo=1', 'cursor=abc'])('answers 400 to %s', async (query) => {
    await open();
    expect((await get(`/api/v1/reports?${query}`)).statusCode).toBe(400);
  });
});

describe('PATCH /api/v1/reports/:id (hide as spam)', () => {
  it('lets the département’s reviewer hide a report, which then counts nowhere, audit-logged', async () => {
    const { app } = await open();
    const spam = makeReport({ note: 'PUBLICITÉ' });
    await postReports(app, [spam]);
    const reviewer = await addUser(app, { role: 'reviewer', departement: '34' });
    const admin = await addUser(app, { role: 'admin' });
    const response = await app.inject({
      method: 'PATCH',
      url: `/api/v1/reports/${spam.id}`,
      headers: reviewer.headers,
      payload: { hidden: true, reason: 'publicité' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json().properties).toMatchObject({ hidden: true, hiddenReason: 'publicité' });

    expect((await get('/api/v1/reports')).json().features).toEqual([]);
    const agent = await addUser(app);
    expect((await get('/api/v1/reports', agent.headers)).json().features).toEqual([]);
    const reviewed = (await get('/api/v1/reports', reviewer.headers)).json().features;
    expect(reviewed.map((f: { properties: { hidden: boolean } }) => f.properties.hidden)).toEqual([true]);
    // A hidden report swallows no new one: the same report made again is stored.
    const again = makeReport();
    expect((await postReports(app, [again])).json().accepted).toEqual([again.id]);

    const audit = (await get('/api/v1/audit', admin.headers)).json().entries;
    expect(audit.find((e: { action: string }) => e.action === 'report.hide')).toMatchObject({
      actorId: reviewer.id,
      action: 'report.hide',
      targetType: 'report',
      targetId: spam.id,
      details: { reason: 'publicité' },
    });
  });

  it('refuses a reviewer of another département (403) and asks a reason to hide (400)', async () => {
    const { app } = await open();
    const report = makeReport();
    await postReports(app, [report]);
    const reviewer30 = await addUser(app, { role: 'reviewer', departement: '30' });
    const reviewer34 = await addUser(app, { role: 'reviewer', departement: '34' });
    const patch = (headers: Record<string, string>, payload: unknown) =>
      app.inject({ method: 'PATCH', url: `/api/v1/reports/${report.id}`, headers, payload: payload as object });
    expect((await patch(reviewer30.headers, { hidden: true, reason: 'spam' })).statusCode).toBe(403);
    expect((await patch(reviewer34.headers, { hidden: true })).statusCode).toBe(400);
    expect((await patch(reviewer34.headers, { hidden: 'oui', reason: 'x' })).statusCode).toBe(400);
    expect((await storedReports())[0]?.hidden).toBe(false);
    const unknown = await app.inject({
      method: 'PATCH',
      url: '/api/v1/reports/00000000-0000-4000-8000-000000000000',
      headers: reviewer34.headers,
      payload: { hidden: true, reason: 'x' },
    });
    expect(unknown.statusCode).toBe(404);
  });
});

describe('coarsen', () => {
  it('gives every point of a cell the cell’s centre, at most ~200 m away', () => {
    const [lon, lat] = coarsen(43.7339, 3.5494);
    for (const [dLat, dLon] of [
      [0, 0],
      [0.0004, 0.0004],
      [-0.0003, 0.0002],
    ]) {
      const p = coarsen(43.7339 + dLat!, 3.5494 + dLon!);
      const metres = Math.hypot((p[1] - 43.7339 - dLat!) * 111_320, (p[0] - 3.5494 - dLon!) * 111_320 * Math.cos((43.73 * Math.PI) / 180));
      expect(metres).toBeLessThanOrEqual(PUBLIC_PRECISION_M);
    }
    expect(coarsen(lat, lon)).toEqual([lon, lat]);
  });
});
