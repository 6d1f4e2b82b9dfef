import type { CommuneRef } from '../../domain/account.ts';
import type { Campaign } from '../../domain/campaign.ts';
import type { Zone } from '../../domain/zone.ts';
import type { User } from '../storage/account-store.ts';
import type { CampaignScope } from '../storage/campaign-store.ts';
import type { GridScope } from '../storage/grid-store.ts';
import type { ReadingPlacement, ReadingScope } from '../storage/reading-store.ts';
import type { ReportQuery, StoredReport } from '../storage/report-store.ts';
import type { Place } from '../communes/communes.ts';
import { badRequest, HttpError } from '../http-errors.ts';

/**
 * Who may see or change which data, beyond the route table: the rules that depend on the
 * data itself. Agents work in their communes, reviewers in their département, admins
 * everywhere.
 */

/** Readings a person may read back: an agent, their own and their communes'; a reviewer, their département's. */
export function readingScope(user: User): ReadingScope {
  switch (user.role) {
    case 'admin':
      return { kind: 'all' };
    case 'reviewer':
      return { kind: 'departement', departement: user.departement ?? '' };
    case 'agent':
      return { kind: 'agent', accountId: user.id, communes: user.communes };
  }
}

/**
 * Where a reading sent by `user` is filed. When the point cannot be placed (no commune data,
 * or at sea), an agent's reading goes to their communes' département if they have only one.
 */
export function placeReading(user: User, place: Place | null, departementOf: (commune: string) => string | undefined): ReadingPlacement {
  if (place) {
    return { accountId: user.id, ...place, outsideCommunes: user.role === 'agent' && place.commune !== null && !user.communes.includes(place.commune) };
  }
  const departements = new Set(user.communes.map(departementOf));
  const departement = user.role === 'agent' && departements.size === 1 ? ([...departements][0] ?? null) : null;
  return { accountId: user.id, commune: null, departement, outsideCommunes: false };
}

/** Exact position, note and hidden state of a report: its département's reviewers and admins only. */
export function seesReportInFull(user: User | undefined, report: Pick<StoredReport, 'departement'>): boolean {
  if (!user) return false;
  return user.role === 'admin' || (user.role === 'reviewer' && report.departement !== null && report.departement === user.departement);
}

/** May hide or show a report: the same people. */
export const mayModerateReport = seesReportInFull;

/** Which hidden reports a person sees (marked hidden); everyone else sees none. */
export function hiddenReportsVisibleTo(user: User | undefined): ReportQuery['hiddenVisibleIn'] {
  if (user?.role === 'admin') return 'all';
  if (user?.role === 'reviewer' && user.departement) return { departement: user.departement };
  return undefined;
}

/** A person manages their own API tokens; an admin manages anyone's. */
export function mayManageTokensOf(user: User, ownerId: string): boolean {
  return user.role === 'admin' || user.id === ownerId;
}

/**
 * Grid cells a person may see: an admin, all; a reviewer, their département's readings; an
 * agent, the readings of their communes' département(s) (a map of coverage around them).
 */
export function gridScope(user: User, departementOf: (commune: string) => string | undefined): GridScope {
  switch (user.role) {
    case 'admin':
      return { kind: 'all' };
    case 'reviewer':
      return { kind: 'departements', departements: user.departement ? [user.departement] : [] };
    case 'agent': {
      const departements = new Set<string>();
      for (const commune of user.communes) {
        const departement = departementOf(commune);
        if (departement) departements.add(departement);
      }
      return { kind: 'departements', departements: [...departements].sort() };
    }
  }
}

/**
 * Whether the grid a person sees counts residents' reports. Reviewers and admins see the
 * reports of their scope in full anyway; an agent sees only the public reports (their ~200 m
 * public cell and hour), and a count per INSPIRE cell — another 200 m grid — laid over the
 * public one would narrow a report down to the two cells' overlap (issue 14).
 */
export function gridCountsResidentReports(user: User): boolean {
  return user.role !== 'agent';
}

/** A zone is its département's reviewers' (and admins'). */
export function mayManageZone(user: User, zone: Pick<Zone, 'departement'>): boolean {
  return user.role === 'admin' || (user.role === 'reviewer' && user.departement === zone.departement);
}

/**
 * The département whose zones a request is about: a reviewer's own (asking for another is
 * refused: HttpError 403), an admin's `?departement=` (undefined: every département, when
 * `required` is false; HttpError 400 when it is).
 */
export function zoneDepartement(user: User, requested: string | undefined, required: boolean): { departement: string | undefined } {
  if (user.role === 'reviewer') {
    if (requested !== undefined && requested !== user.departement) {
      throw new HttpError(403, `Vous instruisez le département ${user.departement ?? '?'}, pas le « ${requested} »`);
    }
    return { departement: user.departement ?? undefined };
  }
  if (required && requested === undefined) {
    throw badRequest('Précisez le département de la zone : ?departement=34 (un administrateur n’en a pas)');
  }
  return { departement: requested };
}

/**
 * Campaigns a person sees: an agent, those they are assigned to and those in their communes;
 * a reviewer, their département's; an admin, all.
 */
export function campaignScope(user: User): CampaignScope {
  // The same people as the readings a campaign gathers: one rule, two stores' vocabularies.
  return readingScope(user);
}

/** One campaign, by the same rule as {@link campaignScope}. */
export function seesCampaign(user: User, campaign: Pick<Campaign, 'departement' | 'communeInsee' | 'agentIds'>): boolean {
  switch (user.role) {
    case 'admin':
      return true;
    case 'reviewer':
      return user.departement === campaign.departement;
    case 'agent':
      return campaign.agentIds.includes(user.id) || user.communes.includes(campaign.communeInsee);
  }
}

/**
 * Who may organise a campaign in a commune (and list its agents to assign): its
 * département's reviewers, admins, and the agents of that commune.
 */
export function mayOrganiseCampaignIn(user: User, commune: CommuneRef): boolean {
  switch (user.role) {
    case 'admin':
      return true;
    case 'reviewer':
      return user.departement === commune.departement;
    case 'agent':
      return user.communes.includes(commune.code);
  }
}

/** Change or delete a campaign: its département's reviewers, admins, and the agent who created it. */
export function mayEditCampaign(user: User, campaign: Pick<Campaign, 'departement' | 'communeInsee' | 'agentIds' | 'createdBy'>): boolean {
  if (user.role === 'agent') return campaign.createdBy === user.id && seesCampaign(user, campaign);
  return seesCampaign(user, campaign);
}
