import type { Campaign } from '../domain/campaign.ts';
import { withDb } from './db.ts';

/**
 * The campaign the agent picked on this device, kept whole so that the survey knows its
 * commune, operators and test number offline.
 */
export const CAMPAIGN_KEY = 'campaign';

export async function getChosenCampaign(): Promise<Campaign | undefined> {
  return (await withDb((db) => db.get('meta', CAMPAIGN_KEY))) as Campaign | undefined;
}

export async function setChosenCampaign(campaign: Campaign | undefined): Promise<void> {
  return withDb(async (db) => {
    if (campaign) await db.put('meta', campaign, CAMPAIGN_KEY);
    else await db.delete('meta', CAMPAIGN_KEY);
  });
}
