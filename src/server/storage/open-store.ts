import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { GridRollUpOptions } from './grid-roll-up.ts';
import { openPostgresStore } from './postgres/postgres-store.ts';
import { openSqliteStore } from './sqlite/sqlite-store.ts';
import type { Store } from './store.ts';

/** Where the server keeps its data: DATABASE_URL when set, else a SQLite file in DATA_DIR. */
export type StoreLocation = { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };

export function storeLocation(dataDir: string, databaseUrl: string | undefined): StoreLocation {
  return databaseUrl ? { kind: 'postgres', url: databaseUrl } : { kind: 'sqlite', file: join(dataDir, 'couverture.sqlite') };
}

/** How to name the location to a person: the file, or the database without its password. */
export function describeStoreLocation(location: StoreLocation): string {
  if (location.kind === 'sqlite') return location.file;
  const url = new URL(location.url);
  if (url.password) url.password = '***';
  return url.toString();
}

/** Opens the store, running its pending migrations first. */
export async function openStore(location: StoreLocation, { gridRollUp }: { gridRollUp?: GridRollUpOptions } = {}): Promise<Store> {
  if (location.kind === 'postgres') return openPostgresStore(location.url, { gridRollUp });
  mkdirSync(join(location.file, '..'), { recursive: true });
  return openSqliteStore(location.file, { gridRollUp });
}
