import { describe, expect, it } from 'vitest';
import { addMonths, compareByDeadline, deadlineText, monthsLeft, withDeadline, zoneDeadline } from '../../src/domain/zone-follow-up.ts';

describe('the deadline after an arrêté', () => {
  it('is 24 months after it, 12 with a serviced plot, the day clamped to the month’s end', () => {
    expect(zoneDeadline({ arreteDate: '2026-12-04', servicedPlot: false })).toBe('2028-12-04');
    expect(zoneDeadline({ arreteDate: '2026-12-04', servicedPlot: true })).toBe('2027-12-04');
    expect(zoneDeadline({ servicedPlot: true })).toBeNull();
    expect(addMonths('2028-02-29', 12)).toBe('2029-02-28');
    expect(addMonths('2025-08-31', 6)).toBe('2026-02-28');
    expect(addMonths('2025-11-15', 2)).toBe('2026-01-15');
  });

  it('counts whole months left, then months overdue', () => {
    expect(monthsLeft('2028-12-04', '2026-12-04')).toBe(24);
    expect(monthsLeft('2028-12-04', '2026-12-05')).toBe(23);
    expect(monthsLeft('2026-12-04', '2026-11-20')).toBe(0);
    expect(monthsLeft('2026-12-04', '2026-12-05')).toBe(-1);
    expect(monthsLeft('2026-12-04', '2027-03-04')).toBe(-3);
    expect(monthsLeft('2026-12-04', '2027-03-03')).toBe(-2);
  });

  it('says it the way the screens and the dossier print it', () => {
    const followUp = withDeadline({ arreteDate: '2026-12-04', servicedPlot: false });
    expect(deadlineText(followUp, '2026-12-05')).toBe('échéance dans 23 mois (le 4 décembre 2028)');
    expect(deadlineText(followUp, '2029-02-10')).toBe('échéance dépassée de 2 mois (le 4 décembre 2028)');
    expect(deadlineText({ ...followUp, inServiceDate: '2027-05-02' }, '2029-02-10')).toBe('site en service depuis le 2 mai 2027');
    expect(deadlineText(withDeadline({ servicedPlot: false }), '2026-12-05')).toBeNull();
  });

  it('sorts overdue zones first, then by the nearest deadline, then those without one', () => {
    const zone = (name: string, arreteDate?: string, inServiceDate?: string) => ({
      name,
      followUp: withDeadline({ servicedPlot: false, ...(arreteDate && { arreteDate }), ...(inServiceDate && { inServiceDate }) }),
    });
    const zones = [
      zone('Sans arrêté'),
      zone('Loin', '2026-06-01'),
      zone('En service', '2020-01-01', '2021-01-01'),
      zone('En retard', '2023-01-01'),
      zone('Proche', '2025-01-01'),
    ];
    expect(zones.sort(compareByDeadline('2026-05-04')).map((z) => z.name)).toEqual(['En retard', 'Proche', 'Loin', 'En service', 'Sans arrêté']);
  });
});
