import type { LightMyRequestResponse } from 'fastify';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { addUser, NOW, useTestApps, postReadings, useTempDir, type Caller, type TestApp } from './fixtures.ts';
import { AROUND, CELL_A, CELL_B, CELL_C, levelReading, pointIn } from './grid-helpers.ts';

/**
 * GET /api/v1/cells after new data: the first request of a query answers the answer kept for
 * the previous version at once (its own ETag), marked stale, while one build of the current
 * version runs in the background; the next requests after that build get the new answer. Only
 * an answer built less than `cellsStaleSeconds` ago is served so; a request with
 * `Cache-Control: no-cache` never gets one. On both stores.
 */

const tempDir = useTempDir();
const openApp = useTestApps(tempDir);
let server: TestApp | undefined;
afterEach(() => {
  vi.restoreAllMocks();
});

const URL_AROUND = `/api/v1/cells?bbox=${AROUND}`;
const STALE = 'couverture; hit; detail=stale-while-rebuilding';

/** An app whose clock the test moves, with stale answers up to 60 s, and three surveyed cells. */
async function surveyedApp() {
  const clock = { now: NOW };
  server = await openApp({ cellsStaleSeconds: 60, now: () => clock.now });
  const agent = await addUser(server.app);
  const reviewer = await addUser(server.app, { role: 'reviewer', departement: '34' });
  const readings = [CELL_A, CELL_B, CELL_C].flatMap((cell) =>
    ['orange', 'sfr', 'bouygues', 'free'].map((operator) => levelReading('BC', { operator: operator as 'orange', ...pointIn(cell, 0.5, 0.5) })),
  );
  expect((await postReadings(server.app, readings, agent)).statusCode).toBe(200);
  const view = (caller: Caller = reviewer, headers: Record<string, string> = {}) =>
    server!.app.inject({ method: 'GET', url: URL_AROUND, headers: { ...caller.headers, ...headers } });
  const addReading = async () =>
    expect((await postReadings(server!.app, [levelReading('PC', { operator: 'free', ...pointIn(CELL_A, 0.2, 0.2) })], agent)).statusCode).toBe(200);
  return { app: server.app, store: server.store, clock, agent, reviewer, view, addReading };
}

const readingsInA = (body: { features: { properties: { cellId: string; readings: number } }[] }) =>
  body.features.find((f) => f.properties.cellId.endsWith(`N${CELL_A.north}E${CELL_A.east}`))?.properties.readings;

/** Views until the ETag is no longer `etag` (the background build has landed); the answer then. */
async function viewUntilNew(view: () => Promise<LightMyRequestResponse>, etag: string): Promise<LightMyRequestResponse> {
  return vi.waitFor(
    async () => {
      const response = await view();
      expect(response.statusCode).toBe(200);
      expect(response.headers.etag).not.toBe(etag);
      return response;
    },
    { timeout: 10_000, interval: 20 },
  );
}

describe('GET /api/v1/cells after new data', () => {
  it('answers the previous answer at once under its ETag, then the new one once built in the background', async () => {
    const { view, addReading, clock } = await surveyedApp();
    const first = await view();
    expect(first.statusCode).toBe(200);
    expect(first.headers['cache-status']).toBeUndefined();
    const etag = first.headers.etag as string;
    const servedBefore = first.headers['x-grid-version-served'];
    expect(readingsInA(first.json())).toBe(4);

    await addReading();
    clock.now += 30_000;
    const stale = await view();
    expect(stale.statusCode).toBe(200);
    expect(stale.headers.etag).toBe(etag);
    expect(stale.headers['cache-status']).toBe(STALE);
    expect(stale.headers['x-grid-version-served']).toBe(servedBefore);
    expect(stale.body).toBe(first.body);

    const fresh = await viewUntilNew(view, etag);
    expect(fresh.headers['cache-status']).toBeUndefined();
    expect(fresh.headers['x-grid-version-served']).not.toBe(servedBefore);
    expect(readingsInA(fresh.json())).toBe(5);
  });

  it('answers 304 to the browser holding the previous answer while the new one builds, 200 once built', async () => {
    const { view, addReading } = await surveyedApp();
    const etag = (await view()).headers.etag as string;
    await addReading();
    const revalidation = await view(undefined, { 'if-none-match': etag });
    expect(revalidation.statusCode).toBe(304);
    expect(revalidation.headers['cache-status']).toBe(STALE);
    const fresh = await viewUntilNew(() => view(undefined, { 'if-none-match': etag }), etag);
    expect(readingsInA(fresh.json())).toBe(5);
  });

  it('never serves an answer built longer ago than the limit: builds the new one in the request', async () => {
    const { view, addReading, clock } = await surveyedApp();
    const etag = (await view()).headers.etag as string;
    await addReading();
    clock.now += 60_000;
    const after = await view();
    expect(after.statusCode).toBe(200);
    expect(after.headers.etag).not.toBe(etag);
    expect(after.headers['cache-status']).toBeUndefined();
    expect(readingsInA(after.json())).toBe(5);
  });

  it('never serves an older answer to a request that says no-cache or max-age=0, nor with the limit at 0', async () => {
    const { view, addReading } = await surveyedApp();
    const etag = (await view()).headers.etag as string;
    await addReading();
    for (const cacheControl of ['no-cache', 'max-age=0']) {
      const after = await view(undefined, { 'cache-control': cacheControl });
      expect(after.headers.etag).not.toBe(etag);
      expect(after.headers['cache-status']).toBeUndefined();
      expect(readingsInA(after.json())).toBe(5);
    }

    await server!.close();
    server = await openApp({ cellsStaleSeconds: 0 });
    const agent = await addUser(server.app);
    const reviewer = await addUser(server.app, { role: 'reviewer', departement: '34' });
    const reading = (fx: number) => levelReading('BC', { operator: 'orange', ...pointIn(CELL_A, fx, 0.5) });
    expect((await postReadings(server.app, [reading(0.5)], agent)).statusCode).toBe(200);
    const before = await server.app.inject({ method: 'GET', url: URL_AROUND, headers: reviewer.headers });
    expect((await postReadings(server.app, [reading(0.3)], agent)).statusCode).toBe(200);
    const disabled = await server.app.inject({ method: 'GET', url: URL_AROUND, headers: reviewer.headers });
    expect(disabled.headers.etag).not.toBe(before.headers.etag);
    expect(readingsInA(disabled.json())).toBe(2);
  });

  it('starts one background build for requests that arrive together, and none while it runs', async () => {
    const { view, addReading, store } = await surveyedApp();
    const groups = vi.spyOn(store, 'gridGroups');
    const etag = (await view()).headers.etag as string;
    const readsPerBuild = groups.mock.calls.length;
    expect(readsPerBuild).toBeGreaterThan(0);
    groups.mockClear();

    await addReading();
    const together = await Promise.all([view(), view(), view()]);
    // Each is the previous answer, or (a version read slowed down until the build landed) the new one.
    expect(together.some((response) => response.headers['cache-status'] === STALE)).toBe(true);
    const newEtags = new Set(together.map((response) => response.headers.etag).filter((tag) => tag !== etag));
    expect(newEtags.size).toBeLessThanOrEqual(1);
    const fresh = await viewUntilNew(view, etag);
    expect(readingsInA(fresh.json())).toBe(5);
    expect(groups).toHaveBeenCalledTimes(readsPerBuild);
  });

  it('survives a background build that fails: still the previous answer, and the next request builds again', async () => {
    const { view, addReading, store } = await surveyedApp();
    const etag = (await view()).headers.etag as string;
    await addReading();
    const groups = vi.spyOn(store, 'gridGroups').mockRejectedValueOnce(new Error('base occupée'));
    const stale = await view();
    expect(stale.headers.etag).toBe(etag);
    expect(stale.headers['cache-status']).toBe(STALE);
    const fresh = await viewUntilNew(view, etag);
    expect(readingsInA(fresh.json())).toBe(5);
    expect(groups.mock.calls.length).toBeGreaterThan(1);
  });
});
