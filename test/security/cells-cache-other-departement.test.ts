import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApp, useTempDir, type Caller, type TestApp } from '../server/fixtures.ts';
import { BOTH_DEPARTEMENTS as BOTH, departementsIn, surveyTwoDepartements } from './two-departements-cells.ts';

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

beforeAll(async () => {
  server = await openTestApp(tempDir());
  ({ herault, gard } = await surveyTwoDepartements(server.app));
});
afterAll(() => server.close());

describe('the cells cache across départements', () => {
  for (const format of ['geojson', 'compact'] as const) {
    it(`never serves the Hérault's kept ${format} answer, nor a 304 on its ETag, to a Gard reviewer`, async () => {
      const url = `${BOTH}&format=${format}`;
      const heraultAnswer = await server.app.inject({ method: 'GET', url, headers: herault.headers });
      expect(heraultAnswer.statusCode).toBe(200);
      expect(departementsIn(heraultAnswer.json())).toEqual(['34']);

      const gardAnswer = await server.app.inject({ method: 'GET', url, headers: gard.headers });
      expect(gardAnswer.statusCode).toBe(200);
      expect(departementsIn(gardAnswer.json())).toEqual(['30']);
      expect(gardAnswer.headers.etag).not.toBe(heraultAnswer.headers.etag);

      const replayed = await server.app.inject({ method: 'GET', url, headers: { ...gard.headers, 'if-none-match': heraultAnswer.headers.etag as string } });
      expect(replayed.statusCode).toBe(200);
      expect(departementsIn(replayed.json())).toEqual(['30']);
    });
  }
});
