import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createPool, inTransaction } from '../../../src/server/storage/postgres/postgres-db.ts';
import { openPostgresStore } from '../../../src/server/storage/postgres/postgres-store.ts';
import { isStoreBusy } from '../../../src/server/storage/store-busy.ts';
import { addUser, makeReading, openTestApp, postReadings, useTempDir } from '../fixtures.ts';
import { useStores } from './stores.ts';

/**
 * PostgreSQL overloaded or two writers meeting: a deadlock is run again, and whatever still
 * fails because the database is busy (a statement cancelled by statement_timeout behind a
 * lock, no connection free, a deadlock past the attempts) reaches the client as a 503 with
 * Retry-After, which the phone takes as « send again later », never as a 500.
 */

const tempDir = useTempDir();
const { open } = useStores(tempDir);

/** A client connected on its own, outside the store's pool. */
async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}

/** A promise and the function that settles it, to make two transactions meet where the test says. */
function signal(): { promise: Promise<void>; fire: () => void } {
  let fire: () => void = () => undefined;
  const promise = new Promise<void>((resolve) => {
    fire = resolve;
  });
  return { promise, fire };
}

describe('PostgreSQL busy', () => {
  it('answers an upload whose statement timed out behind a lock 503 with Retry-After, and stores it when sent again', async () => {
    const { location } = await open('postgres');
    if (location.kind !== 'postgres') throw new Error('PostgreSQL only');
    const store = await openPostgresStore(location.url, { statementTimeoutMs: 1000 });
    const server = await openTestApp(tempDir(), { store });
    const locker = await connect(location.url);
    try {
      const agent = await addUser(server.app);
      // Another session holds the readings table: the upload's insert waits, then is cancelled.
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE readings IN SHARE MODE');
      const reading = makeReading();
      const busy = await postReadings(server.app, [reading], agent);
      expect(busy.statusCode, busy.body).toBe(503);
      expect(busy.headers['retry-after']).toBe('5');
      expect(busy.json().error).toMatch(/^Le serveur est surchargé : réessayez dans 5 s/);

      await locker.query('COMMIT');
      const again = await postReadings(server.app, [reading], agent);
      expect(again.json()).toMatchObject({ accepted: [reading.id], duplicates: [] });
    } finally {
      await locker.end();
      await server.close();
    }
  });

  it('runs a transaction that lost a deadlock again, so both writers commit', async () => {
    const { location } = await open('postgres');
    if (location.kind !== 'postgres') throw new Error('PostgreSQL only');
    const pool = createPool(location.url, { max: 2 });
    try {
      await pool.query('CREATE TABLE pair (id int PRIMARY KEY, n int NOT NULL)');
      await pool.query('INSERT INTO pair VALUES (1, 0), (2, 0)');
      const aHoldsOne = signal();
      const bHoldsTwo = signal();
      let runs = 0;
      // A takes row 1 then row 2, B row 2 then row 1: PostgreSQL aborts one of them (40P01).
      const writer = (first: number, second: number, mine: ReturnType<typeof signal>, theirs: ReturnType<typeof signal>) =>
        inTransaction(pool, async (client) => {
          runs += 1;
          await client.query('UPDATE pair SET n = n + 1 WHERE id = $1', [first]);
          mine.fire();
          await theirs.promise;
          await client.query('UPDATE pair SET n = n + 1 WHERE id = $1', [second]);
        });
      await Promise.all([writer(1, 2, aHoldsOne, bHoldsTwo), writer(2, 1, bHoldsTwo, aHoldsOne)]);
      expect(runs).toBe(3);
      const { rows } = await pool.query<{ id: number; n: number }>('SELECT id, n FROM pair ORDER BY id');
      expect(rows).toEqual([
        { id: 1, n: 2 },
        { id: 2, n: 2 },
      ]);
    } finally {
      await pool.end();
    }
  });

  it('takes a deadlock PostgreSQL reports, a cancelled statement and an exhausted pool for a busy database', async () => {
    const { location } = await open('postgres');
    if (location.kind !== 'postgres') throw new Error('PostgreSQL only');
    const [a, b] = [await connect(location.url), await connect(location.url)];
    const full = createPool(location.url, { max: 1, connectionTimeoutMs: 200 });
    const impatient = createPool(location.url, { statementTimeoutMs: 200 });
    try {
      await a.query('CREATE TABLE pair (id int PRIMARY KEY, n int NOT NULL)');
      await a.query('INSERT INTO pair VALUES (1, 0), (2, 0)');
      await a.query('BEGIN');
      await b.query('BEGIN');
      await a.query('UPDATE pair SET n = 1 WHERE id = 1');
      await b.query('UPDATE pair SET n = 1 WHERE id = 2');
      const outcomes = await Promise.allSettled([a.query('UPDATE pair SET n = 2 WHERE id = 2'), b.query('UPDATE pair SET n = 2 WHERE id = 1')]);
      const deadlock = outcomes.find((outcome) => outcome.status === 'rejected')?.reason;
      expect(deadlock).toMatchObject({ code: '40P01' });
      expect(isStoreBusy(deadlock)).toBe(true);

      // The survivor still holds both rows: a statement waiting on them is cancelled by statement_timeout.
      const cancelled = await impatient.query('UPDATE pair SET n = 3 WHERE id = 1').catch((error: unknown) => error);
      expect(cancelled).toMatchObject({ code: '57014' });
      expect(isStoreBusy(cancelled)).toBe(true);

      // The pool's one connection is taken and never given back: the next query finds none.
      const taken = await full.connect();
      const noConnection = await full.query('SELECT 1').catch((error: unknown) => error);
      taken.release();
      expect(isStoreBusy(noConnection)).toBe(true);
      expect(isStoreBusy(Object.assign(new Error('duplicate key value violates unique constraint'), { code: '23505' }))).toBe(false);
    } finally {
      await a.query('ROLLBACK').catch(() => undefined);
      await b.query('ROLLBACK').catch(() => undefined);
      await Promise.all([a.end(), b.end(), full.end(), impatient.end()]);
    }
  });
});
