import type { Campaign } from '../../domain/campaign.ts';
import type { CellRef } from '../../domain/grid/cell-id.ts';
import type { Operator } from '../../domain/operators.ts';
import type { Technology } from '../../domain/signal.ts';

/** What a campaign's change may touch (its commune and creator never change). */
export type CampaignChanges = Partial<
  Pick<Campaign, 'name' | 'startsOn' | 'endsOn' | 'operators' | 'protocol' | 'maxAccuracyM' | 'accuracyRule' | 'agentIds'>
> & {
  /** null removes the test number. */
  testNumber?: string | null;
  updatedAt: string;
};

/** Which campaigns a list holds (decided by src/server/access/scope.ts). */
export type CampaignScope =
  | { kind: 'all' }
  | { kind: 'departement'; departement: string }
  /** Those the agent is assigned to, and every campaign in one of their communes. */
  | { kind: 'agent'; accountId: string; communes: readonly string[] };

export interface CampaignListQuery {
  scope: CampaignScope;
  /** Only this département's (a filter within the scope). */
  departement?: string;
}

/** The readings of a campaign counted per 200 m cell × operator × technology. */
export interface CampaignReadingGroup {
  /** null for readings outside EPSG:3035's area (overseas). */
  cell: CellRef | null;
  operator: Operator;
  technology: Technology;
  readings: number;
}

/** Every reading carrying a campaign's id, whoever sent it: counts only, never who. */
export interface CampaignTally {
  groups: CampaignReadingGroup[];
  /** Distinct `trackId`s among them. */
  tracks: number;
  /** The latest `recordedAt` (as the phone wrote it), when there is a reading. */
  lastReadingAt?: string;
}

export type CampaignDeletion = 'deleted' | 'missing' | 'in-use';

/** Survey campaigns, and what the readings tagged with one add up to. */
export interface CampaignStore {
  createCampaign(campaign: Campaign): Promise<void>;
  campaignById(id: string): Promise<Campaign | undefined>;
  /** Latest start first. */
  listCampaigns(query: CampaignListQuery): Promise<Campaign[]>;
  /** Answers the campaign as changed, undefined when there is none with this id. */
  updateCampaign(id: string, changes: CampaignChanges): Promise<Campaign | undefined>;
  /** Deletes it unless some stored reading carries its id ('in-use': nothing deleted). */
  deleteCampaign(id: string): Promise<CampaignDeletion>;
  /** Counts the readings whose body carries `campaignId` = id (a campaign stored or not). */
  campaignTally(id: string): Promise<CampaignTally>;
}
