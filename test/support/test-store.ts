import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { openStore, type StoreLocation } from '../../src/server/storage/open-store.ts';
import type { Store } from '../../src/server/storage/store.ts';

/**
 * The store the server tests run on. The `server` project runs them on SQLite; the
 * `server-postgres` project (vitest.config.ts) runs the same files again with
 * COUVERTURE_TEST_STORE=postgres, each store in a fresh schema of the database at
 * COUVERTURE_TEST_POSTGRES_URL (.ci/run starts one).
 */
export type TestStoreKind = 'sqlite' | 'postgres';
export const TEST_STORE_KIND: TestStoreKind = process.env.COUVERTURE_TEST_STORE === 'postgres' ? 'postgres' : 'sqlite';

export interface TestStore {
  store: Store;
  /** Where it is, for another process or a second store on the same data. */
  location: StoreLocation;
  /** Closes the store and removes its data (the PostgreSQL schema; SQLite files go with their directory). */
  dispose(): Promise<void>;
}

let files = 0;

export function testPostgresUrl(): string {
  const url = process.env.COUVERTURE_TEST_POSTGRES_URL;
  if (!url) throw new Error('COUVERTURE_TEST_POSTGRES_URL must name a PostgreSQL database the tests may create schemas in');
  return url;
}

/** A new empty location: a SQLite file in `dir`, or a new schema (its URL sets search_path to it). */
export async function newTestLocation(dir: string, kind: TestStoreKind = TEST_STORE_KIND): Promise<{ location: StoreLocation; drop(): Promise<void> }> {
  if (kind === 'sqlite') return { location: { kind: 'sqlite', file: join(dir, `couverture-${++files}.sqlite`) }, drop: async () => undefined };
  const base = testPostgresUrl();
  const schema = `t_${randomUUID().replaceAll('-', '')}`;
  await withClient(base, (client) => client.query(`CREATE SCHEMA ${schema}`));
  const url = new URL(base);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    location: { kind: 'postgres', url: url.toString() },
    drop: () => withClient(base, (client) => client.query(`DROP SCHEMA ${schema} CASCADE`)).then(() => undefined),
  };
}

/** A fresh, empty, migrated store of the kind the tests run on. */
export async function openTestStore(dir: string, kind: TestStoreKind = TEST_STORE_KIND): Promise<TestStore> {
  const { location, drop } = await newTestLocation(dir, kind);
  const store = await openStore(location);
  let disposed = false;
  return {
    store,
    location,
    async dispose() {
      if (disposed) return;
      disposed = true;
      await store.close();
      await drop();
    },
  };
}

export async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Every row of these tables as stored, whichever the store: to check what the database itself holds. */
export async function tableRows(location: StoreLocation, tables: readonly string[]): Promise<Record<string, unknown[]>> {
  const rows: Record<string, unknown[]> = {};
  if (location.kind === 'postgres') {
    await withClient(location.url, async (client) => {
      for (const table of tables) rows[table] = (await client.query(`SELECT * FROM ${table}`)).rows;
    });
    return rows;
  }
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(location.file, { readonly: true, fileMustExist: true });
  try {
    for (const table of tables) rows[table] = db.prepare(`SELECT * FROM ${table}`).all();
  } finally {
    db.close();
  }
  return rows;
}
