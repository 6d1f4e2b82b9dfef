import { afterEach, describe, expect, it } from 'vitest';
import type { Zone, ZoneHistoryEntry } from '../../src/domain/zone.ts';
import type { UserChanges, UserRecord } from '../../src/server/storage/account-store.ts';
import type { ZoneChanges } from '../../src/server/storage/zone-store.ts';
import { openTestStore, type TestStore } from '../support/test-store.ts';
import { useTempDir } from './fixtures.ts';

/**
 * Both stores' updates when a change names no column (updatedAt left out: only a caller
 * that bypasses the types can do it). The SQLite store used to guard only updateZone; the
 * PostgreSQL store wrote `UPDATE … SET  WHERE …` and failed on both.
 */

const tempDir = useTempDir();
let opened: TestStore | undefined;

afterEach(async () => {
  await opened?.dispose();
  opened = undefined;
});

const AT = '2026-03-01T10:00:00.000Z';

const zone: Omit<Zone, 'history' | 'followUp'> = {
  id: 'zone-1',
  departement: '34',
  name: 'Hameau des Bois',
  cells: ['CRS3035RES200mN2029800E4252000'],
  need: 'habitations',
  communes: ['34261'],
  status: 'a-etudier',
  createdAt: AT,
  updatedAt: AT,
};
const first: ZoneHistoryEntry = { at: AT, by: { id: 'reviewer-1', name: 'Rémi' }, from: null, to: 'a-etudier', reason: 'Zone créée' };

const user: UserRecord = {
  id: 'user-1',
  email: 'agent@example.fr',
  name: 'Agnès',
  passwordHash: 'scrypt$hash',
  role: 'agent',
  communes: ['34261'],
  departement: null,
  disabled: false,
  mustChangePassword: false,
  createdAt: AT,
  updatedAt: AT,
};

describe('updates that set nothing', () => {
  it('updateZone answers the zone unchanged, and undefined for an unknown zone', async () => {
    opened = await openTestStore(tempDir());
    const { store } = opened;
    await store.createZone(zone, first);
    const nothing = {} as ZoneChanges;
    expect(await store.updateZone(zone.id, nothing)).toEqual({ ...zone, history: [first], followUp: { servicedPlot: false, deadline: null } });
    expect(await store.updateZone('zone-absente', nothing)).toBeUndefined();
  });

  it('updateUser answers the account unchanged, and undefined for an unknown account', async () => {
    opened = await openTestStore(tempDir());
    const { store } = opened;
    await store.createUser(user);
    const nothing = {} as UserChanges;
    expect(await store.updateUser(user.id, nothing)).toEqual(user);
    expect(await store.updateUser('compte-absent', nothing)).toBeUndefined();
  });
});
