import type { StartRead } from '../../store/start-read.ts';
import { currentCampaign, readCurrentCampaign } from '../campaigns/current-campaign.ts';
import { readSessionState, showSessionState } from './session-state.ts';

/**
 * Waits for what the first screen waits for, who is signed in and the campaign picked, read in
 * one IndexedDB transaction (`started`: readStart(), asked for by start-first.ts, issue 19), and
 * answers the step that shows both in one go (one render of the first screen). Never fails: if
 * that transaction did, each is read on its own, as the start did before.
 */
export async function readFirstScreen(started: Promise<StartRead>): Promise<() => void> {
  try {
    const { session, campaign } = await started;
    return () => {
      showSessionState(session);
      currentCampaign.set({ loaded: true, campaign });
    };
  } catch {
    const reads = await Promise.allSettled([readSessionState(), readCurrentCampaign()]);
    return () => {
      for (const read of reads) if (read.status === 'fulfilled') read.value();
    };
  }
}
