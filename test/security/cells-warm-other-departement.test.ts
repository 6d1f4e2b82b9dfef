import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { cellsAppOver, type CellsApp } from '../server/cells-app.ts';
import { makeReading, NIMES, openTestApp, postReadings, SAINT_GUILHEM, useTempDir, type Caller } from '../server/fixtures.ts';
import { BOTH_DEPARTEMENTS as BOTH, departementsIn, surveyTwoDepartements } from './two-departements-cells.ts';

/**
 * Attack: after new data, GET /api/v1/cells rebuilds in the background the answers people
 * asked for recently (routes/cells.ts, cache/answer-warmer.ts). Were a rebuilt answer kept under
 * a key without its asker's scope, or built by another asker's build, a Gard reviewer (or an
 * agent, whose grid counts no residents' reports) viewing the box an Hérault reviewer viewed
 * would be handed the Hérault cells, fresh and without a build of their own. Each query the
 * warmer keeps is the request's own key without the version, scope and reports flag included,
 * rebuilt by that request's own build: each caller gets their own rebuilt answer.
 */

const tempDir = useTempDir();
let server: CellsApp;
let agent: Caller;
let herault: Caller;
let gard: Caller;

beforeAll(async () => {
  server = await cellsAppOver((options) => openTestApp(tempDir(), options), { staleSeconds: 60 });
  ({ agent, herault, gard } = await surveyTwoDepartements(server.app));
});
afterAll(() => server.close());

describe('cells answers rebuilt after new data, across scopes', () => {
  for (const format of ['geojson', 'compact'] as const) {
    it(`rebuilds each caller's own ${format} answer: never the Hérault's for a Gard reviewer or an agent`, async () => {
      const url = `${BOTH}&format=${format}`;
      const get = (caller: Caller) => server.app.inject({ method: 'GET', url, headers: caller.headers });
      const before = new Map<Caller, string>();
      for (const caller of [herault, gard, agent]) before.set(caller, (await get(caller)).body);
      expect(departementsIn(JSON.parse(before.get(herault)!))).toEqual(['34']);
      expect(departementsIn(JSON.parse(before.get(gard)!))).toEqual(['30']);

      const seen = server.passes.length;
      expect(
        (await postReadings(server.app, [makeReading({ ...SAINT_GUILHEM, operator: 'bouygues' }), makeReading({ ...NIMES, operator: 'bouygues' })], agent))
          .statusCode,
      ).toBe(200);
      await server.rebuiltSince(seen, 3);

      const groups = vi.spyOn(server.store, 'gridGroups');
      const answers = new Map<Caller, { etag: string; body: string }>();
      for (const caller of [herault, gard, agent]) {
        const answer = await get(caller);
        expect(answer.statusCode).toBe(200);
        expect(answer.headers['cache-status']).toBeUndefined();
        expect(answer.body).not.toBe(before.get(caller));
        answers.set(caller, { etag: answer.headers.etag as string, body: answer.body });
      }
      // All three rebuilt in the background, none built by its request.
      expect(groups).not.toHaveBeenCalled();
      groups.mockRestore();
      expect(departementsIn(JSON.parse(answers.get(herault)!.body))).toEqual(['34']);
      expect(departementsIn(JSON.parse(answers.get(gard)!.body))).toEqual(['30']);
      expect(new Set([...answers.values()].map((answer) => answer.etag)).size).toBe(3);
    });
  }
});
