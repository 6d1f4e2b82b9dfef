import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeReading, openTestApp, postReadings, SAINT_GUILHEM, useTempDir, type Caller, type TestApp } from '../server/fixtures.ts';
import { BOTH_DEPARTEMENTS as BOTH, departementsIn, surveyTwoDepartements } from './two-departements-cells.ts';

/**
 * Attack: after new data, GET /api/v1/cells answers at once the answer kept for the same query
 * at an older version (routes/cells.ts, stale while the new one builds). Were that lookup keyed
 * by the query alone, a Gard reviewer asking right after a reading lands for the box an Hérault
 * reviewer viewed before would be handed the Hérault cells, or a 304 on the Hérault ETag; an
 * agent would get a reviewer's cells counting residents' reports. The stale lookup's key holds
 * the scope and the reports flag exactly as the answer's key does: each of them builds its own.
 */

const tempDir = useTempDir();
let server: TestApp;
let agent: Caller;
let herault: Caller;
let gard: Caller;

beforeAll(async () => {
  server = await openTestApp(tempDir(), { cellsStaleSeconds: 60 });
  ({ agent, herault, gard } = await surveyTwoDepartements(server.app));
});
afterAll(() => server.close());

describe('stale cells answers across scopes', () => {
  for (const format of ['geojson', 'compact'] as const) {
    it(`never hands the Hérault's previous ${format} answer, nor a 304 on its ETag, to a Gard reviewer or an agent after new data`, async () => {
      const url = `${BOTH}&format=${format}`;
      const get = (caller: Caller, headers: Record<string, string> = {}) =>
        server.app.inject({ method: 'GET', url, headers: { ...caller.headers, ...headers } });
      const heraultAnswer = await get(herault);
      expect(heraultAnswer.statusCode).toBe(200);
      expect(departementsIn(heraultAnswer.json())).toEqual(['34']);
      const heraultEtag = heraultAnswer.headers.etag as string;

      expect((await postReadings(server.app, [makeReading({ ...SAINT_GUILHEM, operator: 'bouygues' })], agent)).statusCode).toBe(200);

      for (const caller of [gard, agent]) {
        const answer = await get(caller, { 'if-none-match': heraultEtag });
        expect(answer.statusCode).toBe(200);
        expect(answer.headers.etag).not.toBe(heraultEtag);
        expect(answer.headers['cache-status']).toBeUndefined();
        expect(answer.body).not.toBe(heraultAnswer.body);
      }
      expect(departementsIn((await get(gard)).json())).toEqual(['30']);
      // The Hérault reviewer alone is handed its own previous answer.
      const stale = await get(herault);
      expect(stale.headers['cache-status']).toContain('stale');
      expect(stale.headers.etag).toBe(heraultEtag);
    });
  }
});
