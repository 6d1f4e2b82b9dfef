import { describe, expect, it } from 'vitest';
import { isRealCalendarDate } from '../../src/domain/reading.ts';
import { createReadingSchema, validateReading } from '../../src/domain/reading-schema.ts';
import { createReportSchema, validateReport, type Report } from '../../src/domain/report.ts';
import { fixedNow, makeReading } from './helpers.ts';

// Edges of wire format v1 that a hand-written client gets wrong: each must be refused with
// one message that says what to fix, never accepted as something else.
const readingSchema = createReadingSchema({ now: fixedNow });
const reportSchema = createReportSchema({ now: fixedNow });
const errorsOf = (input: unknown) => {
  const result = validateReading(input, readingSchema);
  return result.ok ? [] : result.errors;
};

describe('reading edges', () => {
  it.each([
    ['2026-02-30T10:00:00Z', 'Cette date n’existe pas dans le calendrier'],
    ['2026-04-31T10:00:00+02:00', 'Cette date n’existe pas dans le calendrier'],
    ['2026-05-04T25:15:00+02:00', 'La date doit être au format ISO 8601 avec fuseau (ex. 2026-05-04T10:15:00+02:00)'],
    ['2026-13-01T10:00:00Z', 'La date doit être au format ISO 8601 avec fuseau (ex. 2026-05-04T10:15:00+02:00)'],
  ])('refuses the impossible date %s with exactly one message', (recordedAt, message) => {
    expect(errorsOf(makeReading({ recordedAt }))).toEqual([{ field: 'recordedAt', message }]);
  });

  it('accepts 29 February of a leap year', () => {
    expect(errorsOf(makeReading({ recordedAt: '2024-02-29T10:00:00+01:00' }))).toEqual([]);
  });

  it('refuses an upper-case id, so that one reading never has two spellings', () => {
    const id = crypto.randomUUID().toUpperCase();
    expect(errorsOf(makeReading({ id }))).toEqual([{ field: 'id', message: 'L’identifiant doit être écrit en minuscules' }]);
  });

  it.each([[[]], [null], ['text'], [42]])('refuses %j as a reading with one message', (input) => {
    expect(errorsOf(input)).toEqual([{ field: '', message: 'Un relevé doit être un objet JSON' }]);
  });

  it('accepts the evidence a phone measures itself and says where it comes from', () => {
    const reading = makeReading({
      voice: 'dropped',
      sms: 'ok',
      connection: { available: false },
      probe: {
        startedAt: '2026-05-04T10:15:01+02:00',
        durationMs: 2300,
        result: 'reachable',
        latencyMs: 84,
        latencySamples: 3,
        downloadKbps: 2400,
        uploadKbps: 800,
      },
      callTest: { startedAt: '2026-05-04T10:16:00+02:00', durationS: 41 },
      smsTest: { startedAt: '2026-05-04T10:18:00+02:00' },
      trackId: crypto.randomUUID(),
      campaignId: crypto.randomUUID(),
      communeInsee: '2A004',
      extra: { format: 'tower-collector', mcc: 208, mnc: 1, cellId: 123456789 },
    });
    expect(errorsOf(reading)).toEqual([]);
  });

  it.each([
    [
      { probe: { startedAt: '2026-05-04T10:15:01+02:00', durationMs: 10, result: 'maybe' } },
      'probe.result',
      'probe.result inconnu : attendu reachable, unreachable, device-offline',
    ],
    [{ probe: { durationMs: 10, result: 'reachable' } }, 'probe.startedAt', 'Champ obligatoire manquant : mesure du réseau (probe.startedAt)'],
    [
      { callTest: { startedAt: '2026-05-04T10:16:00+02:00' }, voice: 'ok' },
      'callTest.durationS',
      'Champ obligatoire manquant : test d’appel guidé (callTest.durationS)',
    ],
    [
      { callTest: { startedAt: '2026-05-04T10:16:00+02:00', durationS: 60 } },
      'voice',
      'Un test d’appel doit dire comment il s’est passé (test d’appel : ok, failed ou dropped)',
    ],
    [
      { smsTest: { startedAt: '2026-05-04T10:16:00+02:00' }, sms: 'not-tested' },
      'sms',
      'Un test de SMS doit dire comment il s’est passé (test SMS : ok ou failed)',
    ],
    [{ communeInsee: '3417' }, 'communeInsee', 'communeInsee doit être un code INSEE à 5 caractères (ex. 34172, 2A004)'],
    [{ trackId: 'not-a-uuid' }, 'trackId', 'L’identifiant doit être un UUID'],
    [{ extra: { nested: { deep: 1 } } }, 'extra.nested', 'Une valeur de extra doit être un texte ou un nombre'],
    [{ extra: { 'bad key': 1 } }, 'extra.bad key', 'Les clés de extra sont des noms courts (lettres, chiffres, _)'],
    [{ extra: Object.fromEntries(Array.from({ length: 41 }, (_, i) => [`k${i}`, i])) }, 'extra', 'extra a plus de 40 clés'],
  ])('refuses malformed evidence %j with a message naming the field', (fields, field, message) => {
    expect(errorsOf({ ...makeReading(), ...fields })).toContainEqual({ field, message });
  });

  it('refuses an array where connection must be an object', () => {
    expect(errorsOf({ ...makeReading(), connection: [] })).toEqual([{ field: 'connection', message: 'connection doit être un objet JSON' }]);
  });

  it('says in French what is wrong inside connection', () => {
    expect(errorsOf({ ...makeReading(), connection: { type: 5, rttMs: -1 } })).toEqual([
      { field: 'connection.type', message: 'connection.type doit être un texte' },
      { field: 'connection.rttMs', message: 'connection.rttMs doit être ≥ 0' },
    ]);
  });
});

describe('calendar check', () => {
  it.each([
    ['2026-01-31T00:00:00Z', true],
    ['2026-02-28T00:00:00Z', true],
    ['2026-02-29T00:00:00Z', false],
    ['2028-02-29T00:00:00Z', true],
    ['2026-06-31T00:00:00Z', false],
    ['2026-00-10T00:00:00Z', false],
    ['not a date', false],
  ])('%s is a real day: %s', (iso, real) => {
    expect(isRealCalendarDate(iso)).toBe(real);
  });
});

describe('resident report', () => {
  const report = (overrides: Partial<Report> = {}): Report => ({
    id: crypto.randomUUID(),
    reportedAt: '2026-05-04T10:15:00+02:00',
    lat: 43.7339,
    lon: 3.5494,
    accuracyM: 30,
    positionSource: 'gps',
    operator: 'sfr',
    problem: 'no-calls',
    setting: 'indoor',
    ...overrides,
  });

  it('accepts a report made in a few taps', () => {
    expect(validateReport(report(), reportSchema)).toMatchObject({ ok: true });
  });

  it('accepts a pin placed on the map without an accuracy', () => {
    const { accuracyM: _, ...pinned } = report({ positionSource: 'map' });
    expect(validateReport(pinned, reportSchema)).toMatchObject({ ok: true });
  });

  it('drops keys it does not know, such as a device identifier', () => {
    const result = validateReport({ ...report(), deviceId: 'abc', ip: '10.0.0.1' }, reportSchema);
    expect(result.ok && Object.keys(result.report)).not.toContain('deviceId');
  });

  it.each([
    [{ problem: 'bad-weather' }, 'problem', 'Problème inconnu : attendu no-signal, no-calls, no-data, slow-data'],
    [{ setting: 'vehicle' }, 'setting', 'Situation inconnue : attendu outdoor, indoor'],
    [{ note: 'x'.repeat(301) }, 'note', 'La note dépasse 300 caractères'],
    [{ reportedAt: '2026-05-06T12:00:01Z' }, 'reportedAt', 'La date est plus de 24 h dans le futur : vérifiez l’horloge du téléphone'],
  ] as const)('refuses %j on %s', (overrides, field, message) => {
    expect(validateReport(report(overrides as Partial<Report>), reportSchema)).toEqual({ ok: false, errors: [{ field, message }] });
  });

  it('refuses an array as a report', () => {
    expect(validateReport([report()], reportSchema)).toEqual({ ok: false, errors: [{ field: '', message: 'Un signalement doit être un objet JSON' }] });
  });
});
