import type { Campaign } from '../../domain/campaign.ts';
import { getChosenCampaign, setChosenCampaign } from '../../store/campaign-choice.ts';
import { createStore } from '../shell/tiny-store.ts';

/** The campaign readings are recorded for on this device (undefined: none picked). */
export const currentCampaign = createStore<{ loaded: boolean; campaign?: Campaign }>({ loaded: false });

/**
 * localStorage's copy of the campaign picked, kept in step with every campaign shown: the
 * survey screen drawn before IndexedDB answers (App.tsx, issue 19) is drawn for this campaign
 * (its operators, protocol and GPS rule), not for none and then redrawn under the agent's
 * finger. IndexedDB stays the record: what it answers replaces this copy.
 */
const PICKED_LAST_TIME_KEY = 'couverture.campaign-picked';

currentCampaign.subscribe(({ loaded, campaign }) => {
  if (!loaded) return;
  try {
    const kept = JSON.stringify({ campaign: campaign ?? null });
    if (localStorage.getItem(PICKED_LAST_TIME_KEY) !== kept) localStorage.setItem(PICKED_LAST_TIME_KEY, kept);
  } catch {
    // Storage refused (private browsing): the next start waits for IndexedDB, as before.
  }
});

/**
 * Shows the campaign picked last time, from localStorage, until IndexedDB answers; answers
 * whether there was one to show (none picked counts: the copy says so). Nothing kept, or not
 * readable: nothing is shown, the start waits for IndexedDB.
 */
export function showCampaignPickedLastTime(): boolean {
  try {
    const kept = JSON.parse(localStorage.getItem(PICKED_LAST_TIME_KEY) ?? 'null') as { campaign?: unknown } | null;
    if (kept === null || typeof kept !== 'object' || !('campaign' in kept)) return false;
    const { campaign } = kept;
    if (campaign !== null && !looksLikeCampaign(campaign)) return false;
    currentCampaign.set({ loaded: true, campaign: campaign ?? undefined });
    return true;
  } catch {
    return false;
  }
}

/**
 * Shows the campaign IndexedDB holds; the same campaign as already shown (the copy drawn
 * early) is left alone, so that the survey screen is not drawn again for nothing.
 */
export function showCampaign(campaign: Campaign | undefined): void {
  const now = currentCampaign.get();
  if (now.loaded && JSON.stringify(now.campaign) === JSON.stringify(campaign)) return;
  currentCampaign.set({ loaded: true, campaign });
}

/** Enough of a campaign for the survey screen to draw it (the app wrote it; IndexedDB corrects it). */
function looksLikeCampaign(value: unknown): value is Campaign {
  if (typeof value !== 'object' || value === null) return false;
  const campaign = value as Partial<Record<keyof Campaign, unknown>>;
  return (
    typeof campaign.id === 'string' &&
    typeof campaign.name === 'string' &&
    Array.isArray(campaign.operators) &&
    typeof campaign.protocol === 'string' &&
    typeof campaign.maxAccuracyM === 'number' &&
    typeof campaign.accuracyRule === 'string'
  );
}

/**
 * Reads the campaign picked, and answers the step that shows it: the start (main.tsx) shows
 * it in one go with the session, one render of the survey screen for both (issue 19).
 */
export async function readCurrentCampaign(): Promise<() => void> {
  const campaign = await getChosenCampaign();
  return () => showCampaign(campaign);
}

export async function chooseCampaign(campaign: Campaign | undefined): Promise<void> {
  await setChosenCampaign(campaign);
  currentCampaign.set({ loaded: true, campaign });
  // Kept on the device while the network is there: offline, it tells which readings lie in
  // the commune (campaign-scope-source.ts), and the map draws it.
  // Loaded on demand: the start's script, which holds this module, stays without the API's code.
  if (campaign)
    void import('../map/load-commune-outline.ts').then(({ loadCommuneOutline }) => loadCommuneOutline(campaign.communeInsee)).catch(() => undefined);
}

/** The fields a reading takes from the campaign picked. */
export function campaignFields(campaign: Campaign | undefined): { campaignId?: string; communeInsee?: string } {
  return campaign ? { campaignId: campaign.id, communeInsee: campaign.communeInsee } : {};
}
