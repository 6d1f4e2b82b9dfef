import { afterEach, describe, expect, it, vi } from 'vitest';
import { cellsAppOver } from './cells-app.ts';
import { NOW, useTestApps, postReadings, useTempDir, type Caller, type TestApp } from './fixtures.ts';
import { AROUND, CELL_A, levelReading, pointIn, surveyThreeCells } from './grid-helpers.ts';

/**
 * GET /api/v1/cells after new data, with the answers rebuilt in the background (routes/cells.ts,
 * cache/answer-warmer.ts): a query asked within the window has its answer built for the new
 * data shortly after it lands, without any request, so that the next view is fresh and costs a
 * lookup; a query asked longer ago is left to its next request. The tests wait for the warmer's
 * pass to be reported (a view in between would start the request's own build), never sleep. On
 * both stores.
 */

const tempDir = useTempDir();
const openApp = useTestApps(tempDir);
let server: TestApp | undefined;
afterEach(() => {
  vi.restoreAllMocks();
});

const URL_AROUND = `/api/v1/cells?bbox=${AROUND}`;
const MINUTE = 60_000;

async function warmApp() {
  const clock = { now: NOW };
  const warming = await cellsAppOver(openApp, { staleSeconds: 60, now: () => clock.now });
  server = warming;
  const { agent, reviewer } = await surveyThreeCells(server.app);
  const view = (url = URL_AROUND, caller: Caller = reviewer, headers: Record<string, string> = {}) =>
    server!.app.inject({ method: 'GET', url, headers: { ...caller.headers, ...headers } });
  const addReading = async () =>
    expect((await postReadings(server!.app, [levelReading('PC', { operator: 'free', ...pointIn(CELL_A, 0.2, 0.2) })], agent)).statusCode).toBe(200);
  return { store: server.store, clock, view, addReading, nextPass: warming.nextPass };
}

type Cells = { features: { properties: { cellId: string; readings: number } }[] };
const readingsInA = (body: Cells) => body.features.find((f) => f.properties.cellId.endsWith(`N${CELL_A.north}E${CELL_A.east}`))?.properties.readings;

describe('GET /api/v1/cells answers rebuilt after new data', () => {
  it('rebuilds a viewed answer in the background: the next view is the new answer, fresh, built before it was asked', async () => {
    const { store, view, addReading, nextPass } = await warmApp();
    const first = await view();
    expect(first.statusCode).toBe(200);
    expect(readingsInA(first.json())).toBe(4);

    await addReading();
    const pass = await nextPass(0);
    expect(pass).toMatchObject({ rebuilt: 1, failed: 0 });

    const groups = vi.spyOn(store, 'gridGroups');
    const after = await view();
    expect(after.statusCode).toBe(200);
    expect(after.headers['cache-status']).toBeUndefined();
    expect(after.headers.etag).not.toBe(first.headers.etag);
    expect(after.headers['x-grid-version-served']).toBe(pass.version);
    expect(readingsInA(after.json())).toBe(5);
    expect(groups).not.toHaveBeenCalled();
  });

  it('rebuilds only the queries asked within the window, and each of them once', async () => {
    const { store, clock, view, addReading, nextPass } = await warmApp();
    const atOneKm = `${URL_AROUND}&resolution=1000`;
    await view(atOneKm);
    clock.now += 16 * MINUTE;
    await view();
    await view();

    await addReading();
    expect(await nextPass(0)).toMatchObject({ rebuilt: 1, failed: 0 });
    const groups = vi.spyOn(store, 'gridGroups');
    expect(readingsInA((await view()).json())).toBe(5);
    expect(groups).not.toHaveBeenCalled();
    // Asked 16 minutes ago: built by its own request (no stale answer that old either).
    const coarse = await view(atOneKm);
    expect(coarse.statusCode).toBe(200);
    expect(coarse.headers['cache-status']).toBeUndefined();
    expect(groups).toHaveBeenCalled();
  });

  it('keeps the answer of a page that revalidates it (304) warm, however long ago it was built', async () => {
    const { store, clock, view, addReading, nextPass } = await warmApp();
    const first = await view();
    clock.now += 16 * MINUTE;
    expect((await view(URL_AROUND, undefined, { 'if-none-match': first.headers.etag as string })).statusCode).toBe(304);

    await addReading();
    expect(await nextPass(0)).toMatchObject({ rebuilt: 1, failed: 0 });
    const groups = vi.spyOn(store, 'gridGroups');
    const after = await view(URL_AROUND, undefined, { 'if-none-match': first.headers.etag as string });
    expect(after.statusCode).toBe(200);
    expect(readingsInA(after.json())).toBe(5);
    expect(groups).not.toHaveBeenCalled();
  });

  it('keeps rebuilding after each new data, and tries a failed rebuild again at a later pass', async () => {
    const { store, view, addReading, nextPass } = await warmApp();
    await view();
    await addReading();
    await nextPass(0);
    const groups = vi.spyOn(store, 'gridGroups').mockRejectedValueOnce(new Error('base occupée'));
    await addReading();
    expect(await nextPass(1)).toMatchObject({ rebuilt: 0, failed: 1 });
    expect(await nextPass(2)).toMatchObject({ rebuilt: 1, failed: 0 });
    groups.mockClear();
    const fresh = await view();
    expect(fresh.headers['cache-status']).toBeUndefined();
    expect(readingsInA(fresh.json())).toBe(6);
    expect(groups).not.toHaveBeenCalled();
    // The retry waits the warmer's 5 s after a failure.
  }, 20_000);
});
