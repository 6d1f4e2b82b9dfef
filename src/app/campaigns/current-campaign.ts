import type { Campaign } from '../../domain/campaign.ts';
import { getChosenCampaign, setChosenCampaign } from '../../store/campaign-choice.ts';
import { createStore } from '../shell/tiny-store.ts';

/** The campaign readings are recorded for on this device (undefined: none picked). */
export const currentCampaign = createStore<{ loaded: boolean; campaign?: Campaign }>({ loaded: false });

/**
 * Reads the campaign picked, and answers the step that shows it: the start (main.tsx) shows
 * it in one go with the session, one render of the survey screen for both (issue 19).
 */
export async function readCurrentCampaign(): Promise<() => void> {
  const campaign = await getChosenCampaign();
  return () => currentCampaign.set({ loaded: true, campaign });
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
