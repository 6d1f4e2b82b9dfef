import { IDBDatabase } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Campaign } from '../../src/domain/campaign.ts';
import { getChosenCampaign, setChosenCampaign } from '../../src/store/campaign-choice.ts';
import { getDb } from '../../src/store/db.ts';
import { getSession, saveSession } from '../../src/store/session.ts';
import { readStart } from '../../src/store/start-read.ts';
import { NOW, freshDatabase, sessionInfo } from './helpers.ts';

/**
 * Issue 19, the repeat visit: the first screen waits for who is signed in and the campaign
 * picked; the start reads both in one IndexedDB transaction, one round trip instead of two.
 */

const CAMPAIGN: Campaign = {
  id: 'campagne-1',
  name: 'Printemps 2026',
  communeInsee: '34261',
  communeName: 'Saint-Guilhem-le-Désert',
  departement: '34',
  startsOn: '2026-05-01',
  endsOn: '2026-05-31',
  operators: ['orange', 'sfr'],
  protocol: 'map-check',
  maxAccuracyM: 50,
  accuracyRule: 'warn',
  agentIds: ['user-agent-1'],
  createdBy: 'user-reviewer-1',
  createdAt: '2026-04-01T08:00:00.000Z',
  updatedAt: '2026-04-01T08:00:00.000Z',
};

beforeEach(async () => {
  await freshDatabase();
  // As at start: the database is open before the read (start-first.ts asks for both at once).
  await getDb();
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('readStart', () => {
  it('answers what getSession and getChosenCampaign answer, in one transaction', async () => {
    await saveSession(sessionInfo(), NOW);
    await setChosenCampaign(CAMPAIGN);
    const expected = { session: await getSession(), campaign: await getChosenCampaign() };
    expect(expected.session?.info.user.role).toBe('agent');
    expect(expected.campaign?.id).toBe('campagne-1');

    const transaction = vi.spyOn(IDBDatabase.prototype, 'transaction');
    const read = await readStart();
    expect(transaction).toHaveBeenCalledTimes(1);
    expect(read).toEqual(expected);
  });

  it('answers undefined for each when nobody is signed in and no campaign is picked', async () => {
    const transaction = vi.spyOn(IDBDatabase.prototype, 'transaction');
    expect(await readStart()).toEqual({ session: undefined, campaign: undefined });
    expect(transaction).toHaveBeenCalledTimes(1);
  });
});
