import type { Campaign } from '../domain/campaign.ts';
import { CAMPAIGN_KEY } from './campaign-choice.ts';
import { withDb } from './db.ts';
import { SESSION_KEY, type StoredSession } from './session.ts';

/** What the first screen waits for: who is signed in and the campaign picked. */
export interface StartRead {
  session: StoredSession | undefined;
  campaign: Campaign | undefined;
}

/**
 * getSession() and getChosenCampaign() in one read-only transaction: the start's one round
 * trip to IndexedDB before the first screen, instead of one per value (issue 19). Answers
 * what those two would have answered.
 */
export async function readStart(): Promise<StartRead> {
  return withDb(async (db) => {
    const tx = db.transaction('meta', 'readonly');
    const [session, campaign] = await Promise.all([tx.store.get(SESSION_KEY), tx.store.get(CAMPAIGN_KEY), tx.done]);
    return { session: session as StoredSession | undefined, campaign: campaign as Campaign | undefined };
  });
}
