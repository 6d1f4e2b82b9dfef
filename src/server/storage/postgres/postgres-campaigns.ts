import type pg from 'pg';
import type { CampaignStore } from '../campaign-store.ts';

// Stub: written by the PostgreSQL accounts work.
export function createPostgresCampaigns(_pool: pg.Pool): CampaignStore {
  const missing = async (): Promise<never> => {
    throw new Error('not implemented yet');
  };
  return {
    createCampaign: missing,
    campaignById: missing,
    listCampaigns: missing,
    updateCampaign: missing,
    deleteCampaign: missing,
    campaignTally: missing,
  };
}
