import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { isCalendarDay, lastStartDay, periodProblem } from '../../src/domain/campaign.ts';
import { CampaignDraftSchema } from '../../src/domain/campaign-schema.ts';

/** The period rules of src/domain/campaign.ts (the server's side: test/security/campaign-impossible-dates.test.ts). */

describe('isCalendarDay', () => {
  it.each(['2026-05-04', '2028-02-29', '2000-02-29', '0001-01-01', '9999-12-31', '2026-12-31'])('takes %s', (day) => {
    expect(isCalendarDay(day)).toBe(true);
  });
  it.each(['2026-02-30', '2027-02-29', '1900-02-29', '2026-04-31', '2026-13-01', '2026-00-10', '2026-05-00', '2026-5-4', '26-05-04', ' 2026-05-04'])(
    'refuses %s',
    (day) => {
      expect(isCalendarDay(day)).toBe(false);
    },
  );
});

describe('periodProblem', () => {
  const today = '2026-05-04';
  it('takes a period from 2000 to five years ahead, up to 366 days', () => {
    expect(periodProblem('2026-05-04', '2026-05-29', today)).toBeUndefined();
    expect(periodProblem('2000-01-01', '2000-12-31', today)).toBeUndefined();
    expect(periodProblem('2031-05-04', '2032-05-04', today)).toBeUndefined();
  });
  it('names the field at fault', () => {
    expect(periodProblem('1999-12-31', '2000-01-02', today)).toEqual({ field: 'startsOn', message: 'Une campagne se tient au plus tôt le 2000-01-01' });
    expect(periodProblem('2031-05-05', '2031-05-06', today)?.field).toBe('startsOn');
    expect(periodProblem('2026-05-04', '2026-05-03', today)?.field).toBe('endsOn');
    expect(periodProblem('2026-05-04', '2027-05-06', today)).toEqual({ field: 'endsOn', message: 'Une campagne dure au plus 366 jours' });
  });
  it('counts five years from a 29 February to the 28th', () => {
    expect(lastStartDay('2028-02-29')).toBe('2033-02-28');
    expect(lastStartDay('2026-12-31')).toBe('2031-12-31');
  });
});

describe('the draft’s dates', () => {
  const draft = { communeInsee: '34261', startsOn: '2026-05-04', endsOn: '2026-05-29', operators: ['orange'] };
  it('say which day does not exist, quoting it', () => {
    const result = v.safeParse(CampaignDraftSchema, { ...draft, endsOn: '2026-02-30' });
    expect(result.success).toBe(false);
    expect(result.issues?.[0]?.message).toBe('« 2026-02-30 » n’est pas un jour du calendrier');
  });
});
