import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/server/storage/store.ts';
import type { UploadAdmission } from '../../src/server/routes/upload-admission.ts';
import { openTestStore, type TestStore } from '../support/test-store.ts';
import { addUser, makeReading, openTestApp, postReadings, useTempDir, type TestApp } from './fixtures.ts';

/**
 * Upload turns (src/server/routes/upload-admission.ts): a process stores a few uploads at once,
 * and one that would wait too long for its turn is answered 503 with Retry-After at once,
 * nothing of it stored, instead of hanging past the phone's 30 s timeout. Here the store's
 * ingest is held open by the test, so that « busy » is a state the test sets, not a race.
 */

const tempDir = useTempDir();
const opened: { server?: TestApp; store?: TestStore } = {};

afterEach(async () => {
  await opened.server?.close();
  await opened.store?.dispose();
});

/** The real store of the kind under test, its ingest held until `release()` (every call, once `hold()` was called). */
async function heldApp(admission: UploadAdmission) {
  const real = await openTestStore(tempDir());
  opened.store = real;
  let release: () => void = () => undefined;
  let held: Promise<void> = Promise.resolve();
  let entered: () => void = () => undefined;
  let inside = Promise.resolve();
  const store: Store = {
    ...real.store,
    async ingest(readings, placements) {
      entered();
      await held;
      return real.store.ingest(readings, placements);
    },
    // The test closes the real store itself (dispose).
    close: async () => undefined,
  };
  const server = await openTestApp(tempDir(), { store, uploadAdmission: admission });
  opened.server = server;
  return {
    server,
    /** From now on, ingest waits for release(); resolves `inside` when an upload reaches it. */
    hold() {
      held = new Promise((resolve) => {
        release = resolve;
      });
      inside = new Promise((resolve) => {
        entered = resolve;
      });
    },
    reachedIngest: () => inside,
    release: () => release(),
    storedIds: async () => (await real.store.query({ limit: 5000 })).readings.map((r) => r.id).sort(),
  };
}

describe('POST /api/v1/readings when the process is busy storing others', () => {
  it('answers 503 with Retry-After at once, in French, and stores nothing of that batch', async () => {
    const { server, hold, reachedIngest, release, storedIds } = await heldApp({ atOnce: 1, maxWaitMs: 0 });
    const agent = await addUser(server.app);
    // One upload through, so the process knows how long a turn takes.
    const first = makeReading();
    expect((await postReadings(server.app, [first], agent)).statusCode).toBe(200);

    hold();
    const holding = makeReading();
    const inTurn = postReadings(server.app, [holding], agent);
    await reachedIngest();
    const refused = makeReading();
    const busy = await postReadings(server.app, [refused], agent);
    expect(busy.statusCode).toBe(503);
    expect(Number(busy.headers['retry-after'])).toBeGreaterThanOrEqual(5);
    expect(busy.json().error).toMatch(/^Le serveur reçoit trop de relevés à la fois : ce lot n’a pas été enregistré, .*réessayez dans \d+ s/);

    release();
    expect((await inTurn).statusCode).toBe(200);
    expect(await storedIds()).toEqual([first.id, holding.id].sort());
    // Sent again later, as the phone does, it is stored like any other.
    const again = await postReadings(server.app, [refused], agent);
    expect(again.json()).toMatchObject({ accepted: [refused.id], duplicates: [] });
  });

  it('lets an upload wait its turn when the wait is short, then stores it', async () => {
    const { server, hold, reachedIngest, release, storedIds } = await heldApp({ atOnce: 1, maxWaitMs: 60_000 });
    const agent = await addUser(server.app);
    hold();
    const a = makeReading();
    const b = makeReading();
    const first = postReadings(server.app, [a], agent);
    await reachedIngest();
    const second = postReadings(server.app, [b], agent);
    release();
    const answers = await Promise.all([first, second]);
    expect(answers.map((answer) => answer.statusCode)).toEqual([200, 200]);
    expect(await storedIds()).toEqual([a.id, b.id].sort());
  });
});
