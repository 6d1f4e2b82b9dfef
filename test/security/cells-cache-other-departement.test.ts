import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, makeReading, NIMES, openTestApp, postReadings, SAINT_GUILHEM, useTempDir, type Caller, type TestApp } from '../server/fixtures.ts';

/**
 * Attack: GET /api/v1/cells keeps built answers (src/server/cache/answer-cache.ts) and answers
 * 304 from an ETag known before building. Were the key (or the ETag) only the data version and
 * the query, a Gard reviewer asking right after an Hérault reviewer for the same box would get
 * the Hérault cells from the cache, or a 304 telling their browser to show the Hérault answer
 * it was handed. The key and the ETag now include the caller's scope: each scope builds its
 * own answer, and another scope's ETag is never matched. Compact format alike.
 */

const tempDir = useTempDir();
let server: TestApp;
let herault: Caller;
let gard: Caller;

// Saint-Guilhem (34) to Nîmes (30), at 1 km.
const BOTH = '/api/v1/cells?bbox=3.4,43.6,4.5,43.9&resolution=1000';

beforeAll(async () => {
  server = await openTestApp(tempDir());
  const agent = await addUser(server.app);
  herault = await addUser(server.app, { role: 'reviewer', departement: '34' });
  gard = await addUser(server.app, { role: 'reviewer', departement: '30' });
  const readings = [SAINT_GUILHEM, NIMES].flatMap((place) =>
    ['orange', 'sfr', 'free'].map((operator) => makeReading({ ...place, operator: operator as 'orange' })),
  );
  expect((await postReadings(server.app, readings, agent)).statusCode).toBe(200);
});
afterAll(() => server.close());

const communesIn = (cells: { commune: { code: string } | null }[]) => [...new Set(cells.map((cell) => cell.commune?.code.slice(0, 2)))];

describe('the cells cache across départements', () => {
  for (const format of ['geojson', 'compact'] as const) {
    it(`never serves the Hérault's kept ${format} answer, nor a 304 on its ETag, to a Gard reviewer`, async () => {
      const url = `${BOTH}&format=${format}`;
      const cellsOf = (body: { features?: { properties: { commune: { code: string } | null } }[]; cells?: { commune: { code: string } | null }[] }) =>
        body.cells ?? body.features!.map((f) => f.properties);
      const heraultAnswer = await server.app.inject({ method: 'GET', url, headers: herault.headers });
      expect(heraultAnswer.statusCode).toBe(200);
      expect(communesIn(cellsOf(heraultAnswer.json()))).toEqual(['34']);

      const gardAnswer = await server.app.inject({ method: 'GET', url, headers: gard.headers });
      expect(gardAnswer.statusCode).toBe(200);
      expect(communesIn(cellsOf(gardAnswer.json()))).toEqual(['30']);
      expect(gardAnswer.headers.etag).not.toBe(heraultAnswer.headers.etag);

      const replayed = await server.app.inject({ method: 'GET', url, headers: { ...gard.headers, 'if-none-match': heraultAnswer.headers.etag as string } });
      expect(replayed.statusCode).toBe(200);
      expect(communesIn(cellsOf(replayed.json()))).toEqual(['30']);
    });
  }
});
