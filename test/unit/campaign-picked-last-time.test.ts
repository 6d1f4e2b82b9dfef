import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Campaign } from '../../src/domain/campaign.ts';
import { freshDatabase } from './helpers.ts';

/** localStorage as a page has it: the copy of the campaign picked lives there. */
const storage = new Map<string, string>();
vi.stubGlobal('localStorage', {
  getItem: (key: string) => storage.get(key) ?? null,
  setItem: (key: string, value: string) => void storage.set(key, String(value)),
  removeItem: (key: string) => void storage.delete(key),
});

const CAMPAIGN: Campaign = {
  id: 'campagne-1',
  name: 'Vallée de l’Hérault',
  communeInsee: '34261',
  communeName: 'Saint-Guilhem-le-Désert',
  departement: '34',
  startsOn: '2026-05-04',
  endsOn: '2026-05-29',
  operators: ['orange', 'sfr'],
  testNumber: '0612345678',
  protocol: 'qos',
  maxAccuracyM: 30,
  accuracyRule: 'refuse',
  agentIds: ['agent-1'],
  createdBy: 'reviewer-1',
  createdAt: '2026-05-01T08:00:00.000Z',
  updatedAt: '2026-05-01T08:00:00.000Z',
};

/** current-campaign.ts as a page starting now loads it: nothing shown until asked. */
async function startPage() {
  vi.resetModules();
  return import('../../src/app/campaigns/current-campaign.ts');
}

beforeEach(async () => {
  storage.clear();
  await freshDatabase();
});

// The survey is drawn before IndexedDB answers, for the campaign picked last time (issue 19).
describe('the campaign picked last time, kept to draw the survey at start', () => {
  it('is the campaign last shown, whole, in the next page', async () => {
    (await startPage()).showCampaign(CAMPAIGN);

    const next = await startPage();
    expect(next.currentCampaign.get()).toEqual({ loaded: false });
    expect(next.showCampaignPickedLastTime()).toBe(true);
    expect(next.currentCampaign.get()).toEqual({ loaded: true, campaign: CAMPAIGN });
  });

  it('says « none picked » when none was: the survey is drawn without a campaign', async () => {
    const first = await startPage();
    first.showCampaign(CAMPAIGN);
    first.showCampaign(undefined);

    const next = await startPage();
    expect(next.showCampaignPickedLastTime()).toBe(true);
    expect(next.currentCampaign.get()).toEqual({ loaded: true, campaign: undefined });
  });

  it('is nothing when never kept, unreadable or not a campaign: the start waits for IndexedDB', async () => {
    for (const kept of [undefined, '{pas du JSON', 'null', '{}', JSON.stringify({ campaign: { id: 'sans le reste' } }), JSON.stringify({ campaign: 'orange' })]) {
      storage.clear();
      if (kept !== undefined) storage.set('couverture.campaign-picked', kept);
      const page = await startPage();
      expect(page.showCampaignPickedLastTime(), String(kept)).toBe(false);
      expect(page.currentCampaign.get(), String(kept)).toEqual({ loaded: false });
    }
  });

  it('gives way to what IndexedDB answers, and draws nothing again when it answers the same', async () => {
    (await startPage()).showCampaign(CAMPAIGN);
    const page = await startPage();
    page.showCampaignPickedLastTime();
    const shown = vi.fn();
    page.currentCampaign.subscribe(shown);

    page.showCampaign(structuredClone(CAMPAIGN));
    expect(shown).not.toHaveBeenCalled();

    page.showCampaign(undefined);
    expect(shown).toHaveBeenCalledTimes(1);
    expect(page.currentCampaign.get()).toEqual({ loaded: true, campaign: undefined });
    expect(JSON.parse(storage.get('couverture.campaign-picked') ?? 'null')).toEqual({ campaign: null });
  });
});
