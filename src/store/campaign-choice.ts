import type { Campaign } from '../domain/campaign.ts';
import { getDb } from './db.ts';

/**
 * The campaign the agent picked on this device, kept whole so that the survey knows its
 * commune, operators and test number offline.
 */
const KEY = 'campaign';

export async function getChosenCampaign(): Promise<Campaign | undefined> {
  return (await (await getDb()).get('meta', KEY)) as Campaign | undefined;
}

export async function setChosenCampaign(campaign: Campaign | undefined): Promise<void> {
  const db = await getDb();
  if (campaign) await db.put('meta', campaign, KEY);
  else await db.delete('meta', KEY);
}
