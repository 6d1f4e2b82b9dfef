import type { SessionInfo } from '../../domain/account.ts';
import type { Campaign } from '../../domain/campaign.ts';

/**
 * Which buttons the page offers; the server enforces the same rules (docs/api.md):
 * admins everywhere, reviewers in their département; agents create in their communes and
 * change only the campaigns they created.
 */

type User = SessionInfo['user'];

export function canCreateCampaigns(user: User): boolean {
  if (user.role === 'admin') return true;
  if (user.role === 'reviewer') return Boolean(user.departement);
  return user.communes.length > 0;
}

export function canManageCampaign(user: User, campaign: Pick<Campaign, 'departement' | 'createdBy'>): boolean {
  if (user.role === 'admin') return true;
  if (user.role === 'reviewer') return user.departement !== undefined && user.departement === campaign.departement;
  return campaign.createdBy === user.id;
}
