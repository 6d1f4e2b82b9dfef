import { beforeEach, describe, expect, it } from 'vitest';
import { cacheCampaign, cacheCampaignList, cacheProgress, forgetCachedCampaign, loadCachedCampaigns } from '../../src/app/campaigns/campaign-cache.ts';
import type { CampaignProgress, CampaignView } from '../../src/domain/campaign.ts';
import { freshDatabase } from './helpers.ts';

function campaign(id: string, name = `Campagne ${id}`): CampaignView {
  return {
    id,
    name,
    communeInsee: '34261',
    communeName: 'Saint-Guilhem-le-Désert',
    departement: '34',
    startsOn: '2026-05-04',
    endsOn: '2026-05-29',
    operators: ['orange'],
    protocol: 'map-check',
    maxAccuracyM: 50,
    accuracyRule: 'warn',
    agentIds: [],
    agents: [],
    createdBy: 'reviewer-1',
    createdAt: '2026-05-01T08:00:00.000Z',
    updatedAt: '2026-05-01T08:00:00.000Z',
  };
}

function progress(campaignId: string, readings: number): CampaignProgress {
  return {
    campaignId,
    readings,
    byOperator: { orange: readings, sfr: 0, bouygues: 0, free: 0 },
    byTechnology: { none: 0, '2G': 0, '3G': 0, '4G': readings, '5G': 0 },
    cells: [],
    tracks: 0,
  };
}

beforeEach(freshDatabase);

describe('campaign cache (IndexedDB meta)', () => {
  it('keeps each account’s list apart, with the time it was fetched', async () => {
    await cacheCampaignList('agent-1', [campaign('a')], 1_000);
    await cacheCampaignList('agent-2', [campaign('b')], 2_000);
    expect((await loadCachedCampaigns('agent-1'))?.campaigns.map((c) => c.id)).toEqual(['a']);
    expect((await loadCachedCampaigns('agent-2'))?.savedAt).toBe(2_000);
    expect(await loadCachedCampaigns('agent-3')).toBeUndefined();
  });

  it('keeps figures for listed campaigns only, the newest ones, and drops them with their campaign', async () => {
    await cacheCampaignList('agent-1', [campaign('a'), campaign('b')], 1_000);
    await cacheProgress('agent-1', { progress: progress('a', 5), fetchedAt: 2_000 });
    await cacheProgress('agent-1', { progress: progress('a', 3), fetchedAt: 1_500 });
    await cacheProgress('agent-1', { progress: progress('z', 9), fetchedAt: 2_000 });
    let cached = await loadCachedCampaigns('agent-1');
    expect(cached?.progress.a).toEqual({ progress: progress('a', 5), fetchedAt: 2_000 });
    expect(cached?.progress.z).toBeUndefined();

    await cacheCampaignList('agent-1', [campaign('b')], 3_000);
    cached = await loadCachedCampaigns('agent-1');
    expect(cached?.progress).toEqual({});
  });

  it('replaces one campaign in place and forgets a deleted one', async () => {
    await cacheCampaignList('agent-1', [campaign('a'), campaign('b')], 1_000);
    await cacheProgress('agent-1', { progress: progress('b', 1), fetchedAt: 2_000 });
    await cacheCampaign('agent-1', campaign('a', 'Renommée'));
    await cacheCampaign('agent-1', campaign('c'));
    let cached = await loadCachedCampaigns('agent-1');
    expect(cached?.campaigns.map((c) => [c.id, c.name])).toEqual([
      ['b', 'Campagne b'],
      ['a', 'Renommée'],
      ['c', 'Campagne c'],
    ]);
    expect(cached?.savedAt).toBe(1_000);

    await forgetCachedCampaign('agent-1', 'b');
    cached = await loadCachedCampaigns('agent-1');
    expect(cached?.campaigns.map((c) => c.id)).toEqual(['a', 'c']);
    expect(cached?.progress.b).toBeUndefined();
  });
});
