import { describe, expect, it } from 'vitest';
import { campaignStage, compareCampaignsForTable, zoneCountsByStatus, zonesByDeadline, zonesProposedIn } from '../../src/domain/departement-summary.ts';
import { withDeadline, type ZoneFollowUpFields } from '../../src/domain/zone-follow-up.ts';
import type { ZoneStatus } from '../../src/domain/zone.ts';

const move = (to: ZoneStatus, at: string) => ({ to, at });
const followed = (name: string, fields: Partial<ZoneFollowUpFields>) => ({ name, followUp: withDeadline({ servicedPlot: false, ...fields }) });

describe('the équipe projet’s table, pure parts', () => {
  it('counts zones at every step, zero where none', () => {
    expect(zoneCountsByStatus([{ status: 'retenue' }, { status: 'retenue' }, { status: 'ecartee' }])).toEqual({
      'a-etudier': 0,
      retenue: 2,
      transmise: 0,
      arretee: 0,
      couverte: 0,
      ecartee: 1,
    });
  });

  it('counts a zone proposed in a year once, when it was moved to « Transmise » that year, whatever became of it', () => {
    const zones = [
      {
        history: [
          move('a-etudier', '2026-01-03T09:00:00Z'),
          move('retenue', '2026-02-01T09:00:00Z'),
          move('transmise', '2026-03-01T09:00:00Z'),
          move('arretee', '2026-04-01T09:00:00Z'),
        ],
      },
      {
        history: [
          move('transmise', '2026-03-01T09:00:00Z'),
          move('retenue', '2026-03-02T09:00:00Z'),
          move('transmise', '2026-03-09T09:00:00Z'),
          move('ecartee', '2026-03-20T09:00:00Z'),
        ],
      },
      { history: [move('transmise', '2025-12-31T23:00:00Z')] },
      { history: [move('retenue', '2026-05-01T09:00:00Z')] },
    ];
    expect(zonesProposedIn(2026, zones)).toBe(2);
    expect(zonesProposedIn(2025, zones)).toBe(1);
  });

  it('lists the zones waiting for their site, the longest overdue first, then the nearest deadline; none without a date or once in service', () => {
    const lines = zonesByDeadline(
      [
        followed('Plus tard', { arreteDate: '2026-01-10' }),
        followed('Sans arrêté', {}),
        followed('En service', { arreteDate: '2023-01-10', inServiceDate: '2024-06-01' }),
        followed('Très en retard', { arreteDate: '2023-02-01' }),
        followed('En retard', { arreteDate: '2024-03-01' }),
        followed('Bientôt', { arreteDate: '2025-06-01', servicedPlot: true }),
      ],
      '2026-05-04',
    );
    expect(lines.map((line) => [line.zone.name, line.deadline, line.monthsLeft, line.overdue])).toEqual([
      ['Très en retard', '2025-02-01', -15, true],
      ['En retard', '2026-03-01', -2, true],
      ['Bientôt', '2026-06-01', 0, false],
      ['Plus tard', '2028-01-10', 20, false],
    ]);
  });

  it('places a campaign before, during (both ends included) or after its period, and lists running ones first', () => {
    const spring = { name: 'Printemps', startsOn: '2026-04-01', endsOn: '2026-05-04' };
    expect(campaignStage(spring, '2026-03-31')).toBe('a-venir');
    expect(campaignStage(spring, '2026-04-01')).toBe('en-cours');
    expect(campaignStage(spring, '2026-05-04')).toBe('en-cours');
    expect(campaignStage(spring, '2026-05-05')).toBe('terminee');

    const campaigns = [
      { name: 'Ancienne', startsOn: '2025-01-01', endsOn: '2025-02-01' },
      { name: 'Récente', startsOn: '2026-01-01', endsOn: '2026-02-01' },
      { name: 'Été', startsOn: '2026-07-01', endsOn: '2026-07-31' },
      spring,
    ];
    expect(campaigns.sort(compareCampaignsForTable('2026-05-04')).map((c) => c.name)).toEqual(['Printemps', 'Été', 'Récente', 'Ancienne']);
  });
});
