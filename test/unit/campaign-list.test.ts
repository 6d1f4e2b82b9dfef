import { describe, expect, it } from 'vitest';
import { canManageCampaign } from '../../src/app/campaigns/campaign-access.ts';
import { addDays, campaignPhase, formatPeriod, localDay, sortCampaigns } from '../../src/app/campaigns/campaign-calendar.ts';
import { sessionInfo } from './helpers.ts';

const period = (name: string, startsOn: string, endsOn: string) => ({ name, startsOn, endsOn });

describe('campaign list', () => {
  it('puts running campaigns first (ending soonest), then those to come, then finished ones', () => {
    const today = '2026-05-10';
    const sorted = sortCampaigns(
      [
        period('finie en avril', '2026-04-01', '2026-04-20'),
        period('à venir en juin', '2026-06-01', '2026-06-30'),
        period('en cours, finit fin mai', '2026-05-01', '2026-05-31'),
        period('finie début mai', '2026-05-01', '2026-05-09'),
        period('en cours, finit aujourd’hui', '2026-05-10', '2026-05-10'),
        period('à venir demain', '2026-05-11', '2026-05-20'),
      ],
      today,
    );
    expect(sorted.map((c) => c.name)).toEqual([
      'en cours, finit aujourd’hui',
      'en cours, finit fin mai',
      'à venir demain',
      'à venir en juin',
      'finie début mai',
      'finie en avril',
    ]);
    expect(campaignPhase(period('x', '2026-05-10', '2026-05-10'), today)).toBe('current');
  });

  it('reads days as calendar days, whatever the time zone', () => {
    expect(localDay(new Date(2026, 4, 4, 23, 59))).toBe('2026-05-04');
    expect(addDays('2026-12-30', 3)).toBe('2027-01-02');
    expect(formatPeriod('2026-05-04', '2026-06-18')).toBe('du 4 mai au 18 juin 2026');
    expect(formatPeriod('2026-12-20', '2027-01-05')).toBe('du 20 décembre 2026 au 5 janvier 2027');
    expect(formatPeriod('2026-05-04', '2026-05-04')).toBe('le 4 mai 2026');
  });

  it('offers « Modifier » as the server allows it: agents only on their own campaigns', () => {
    const campaign = { departement: '34', createdBy: 'reviewer-1' };
    const agent = sessionInfo().user;
    expect(canManageCampaign(agent, campaign)).toBe(false);
    expect(canManageCampaign(agent, { ...campaign, createdBy: agent.id })).toBe(true);
    const reviewer = { ...agent, role: 'reviewer' as const, communes: [], departement: '34' };
    expect(canManageCampaign(reviewer, campaign)).toBe(true);
    expect(canManageCampaign({ ...reviewer, departement: '30' }, campaign)).toBe(false);
  });
});
