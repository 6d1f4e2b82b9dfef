import {
  CampaignAnswerSchema,
  CampaignProgressAnswerSchema,
  CampaignsAnswerSchema,
  NoContentSchema,
  type CampaignAnswer,
  type CampaignProgressAnswer,
} from '../../domain/api/index.ts';
import type { CampaignDraft, CampaignPatch } from '../../domain/campaign-schema.ts';
import { api } from '../shell/api.ts';

/** The campaign routes (docs/api.md), answers parsed by the contract (src/domain/api/campaigns.ts). Errors come as ApiError with the server's French message. */

const campaignPath = (id: string) => `/api/v1/campaigns/${encodeURIComponent(id)}`;
const withSignal = (signal?: AbortSignal) => (signal ? { signal } : {});

export function listCampaigns(signal?: AbortSignal): Promise<CampaignAnswer[]> {
  return api('/api/v1/campaigns', CampaignsAnswerSchema, withSignal(signal)).then(({ campaigns }) => campaigns);
}

export function getCampaign(id: string, signal?: AbortSignal): Promise<CampaignAnswer> {
  return api(campaignPath(id), CampaignAnswerSchema, withSignal(signal));
}

export function createCampaign(draft: CampaignDraft): Promise<CampaignAnswer> {
  return api('/api/v1/campaigns', CampaignAnswerSchema, { method: 'POST', body: draft });
}

export function editCampaign(id: string, patch: CampaignPatch): Promise<CampaignAnswer> {
  return api(campaignPath(id), CampaignAnswerSchema, { method: 'PATCH', body: patch });
}

export function deleteCampaign(id: string): Promise<void> {
  return api(campaignPath(id), NoContentSchema, { method: 'DELETE' });
}

export function getCampaignProgress(id: string, signal?: AbortSignal): Promise<CampaignProgressAnswer> {
  return api(`${campaignPath(id)}/progress`, CampaignProgressAnswerSchema, withSignal(signal));
}

/** GET: the agents who may be assigned to a campaign in this commune (CampaignAgentsAnswerSchema). */
export const campaignAgentsPath = (communeInsee: string) => `/api/v1/campaign-agents?${new URLSearchParams({ commune: communeInsee })}`;
