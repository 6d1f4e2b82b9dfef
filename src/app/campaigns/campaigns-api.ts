import type { CampaignAgent, CampaignDraft, CampaignPatch, CampaignProgress, CampaignView } from '../../domain/campaign.ts';
import { api } from '../shell/api.ts';

/** The campaign routes (docs/api.md). Errors come as ApiError with the server's French message. */

const campaignPath = (id: string) => `/api/v1/campaigns/${encodeURIComponent(id)}`;
const withSignal = (signal?: AbortSignal) => (signal ? { signal } : {});

export function listCampaigns(signal?: AbortSignal): Promise<CampaignView[]> {
  return api<{ campaigns: CampaignView[] }>('/api/v1/campaigns', withSignal(signal)).then(({ campaigns }) => campaigns);
}

export function getCampaign(id: string, signal?: AbortSignal): Promise<CampaignView> {
  return api<CampaignView>(campaignPath(id), withSignal(signal));
}

export function createCampaign(draft: CampaignDraft): Promise<CampaignView> {
  return api<CampaignView>('/api/v1/campaigns', { method: 'POST', body: draft });
}

export function editCampaign(id: string, patch: CampaignPatch): Promise<CampaignView> {
  return api<CampaignView>(campaignPath(id), { method: 'PATCH', body: patch });
}

export function deleteCampaign(id: string): Promise<void> {
  return api<void>(campaignPath(id), { method: 'DELETE' });
}

export function getCampaignProgress(id: string, signal?: AbortSignal): Promise<CampaignProgress> {
  return api<CampaignProgress>(`${campaignPath(id)}/progress`, withSignal(signal));
}

/** The agents who may be assigned to a campaign in this commune. */
export function listCampaignAgents(communeInsee: string, signal?: AbortSignal): Promise<CampaignAgent[]> {
  return api<{ agents: CampaignAgent[] }>(`/api/v1/campaign-agents?${new URLSearchParams({ commune: communeInsee })}`, withSignal(signal)).then(({ agents }) => agents);
}
