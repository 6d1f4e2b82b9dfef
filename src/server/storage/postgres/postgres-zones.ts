import type pg from 'pg';
import type { ZoneStore } from '../zone-store.ts';

// Stub: written by the PostgreSQL accounts work.
export function createPostgresZones(_pool: pg.Pool): ZoneStore {
  const missing = async (): Promise<never> => {
    throw new Error('not implemented yet');
  };
  return { createZone: missing, zoneById: missing, listZones: missing, updateZone: missing, moveZone: missing };
}
