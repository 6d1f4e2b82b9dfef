import { expect, it } from 'vitest';
import { monthOf, monthRecorded } from '../../src/server/storage/grid-batch.ts';
import { seededRandom } from '../support/seeded-random.ts';

/** A reading's grid month read from its date-time's text when it is in UTC: the same month as through a Date, whatever the form. */
it('gives the UTC month of any date-time, in UTC or with an offset', () => {
  const forms = [
    '2026-03-31T23:59:59.999Z',
    '2026-03-31T23:30:00Z',
    '2026-04-01T00:00:00.000Z',
    '2026-04-01T01:30:00.000+02:00',
    '2026-03-31T22:30:00-03:00',
    '2026-12-31T23:00:00.000-01:00',
    '2026-05-04T10:15:00.000+02:00',
  ];
  const next = seededRandom(3);
  for (let i = 0; i < 500; i += 1) {
    const at = new Date(Date.UTC(2020, 0, 1) + Math.floor(next() * 10 * 365 * 86_400_000));
    forms.push(at.toISOString(), at.toISOString().replace('.000Z', 'Z'));
  }
  for (const form of forms) expect(monthRecorded(form), form).toBe(monthOf(Date.parse(form)));
});
