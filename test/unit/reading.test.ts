import { afterEach, describe, expect, it, vi } from 'vitest';
import { canonicalJson, type FieldError, type Reading } from '../../src/domain/reading.ts';
import { createReadingSchema, validateReading } from '../../src/domain/reading-schema.ts';
import { isoWithOffset } from '../../src/domain/time.ts';
import { NOW, fixedNow, makeReading } from './helpers.ts';

const schema = createReadingSchema({ now: fixedNow });
const HOUR = 60 * 60 * 1000;

function errorsOf(input: unknown): FieldError[] {
  const result = validateReading(input, schema);
  if (result.ok) throw new Error(`expected a refusal, got ${JSON.stringify(result.reading)}`);
  return result.errors;
}

function expectAccepted(input: unknown): Reading {
  const result = validateReading(input, schema);
  if (!result.ok) throw new Error(`expected acceptance, got ${JSON.stringify(result.errors)}`);
  return result.reading;
}

/** Refused, with (at least) one error on `field`, whose message matches `message`. */
function expectRefusedOn(input: unknown, field: string, message?: RegExp): void {
  const errors = errorsOf(input);
  const onField = errors.filter((e) => e.field === field);
  expect(onField, `errors: ${JSON.stringify(errors)}`).not.toHaveLength(0);
  if (message) expect(onField.map((e) => e.message).join(' | ')).toMatch(message);
}

function without(key: keyof Reading): Record<string, unknown> {
  const { [key]: _dropped, ...rest } = makeReading();
  return rest;
}

// Accented letters or French words: the agent reads these messages on the phone.
const FRENCH = /[éèêàçôû’']|\b(le|la|les|doit|être|un|une|de|du|des|inconnu|inconnue|champ|manquant|pas|ou)\b/i;

describe('validateReading', () => {
  it('accepts a valid minimal reading and gives it back unchanged', () => {
    const input = makeReading();
    const result = validateReading(input, schema);
    expect(result).toEqual({ ok: true, reading: input });
  });

  it('accepts a reading with every optional field', () => {
    const input = makeReading({
      altitudeM: 42,
      speedMps: 1.5,
      headingDeg: 359.9,
      positionAgeMs: 800,
      signalDbm: -101,
      voice: 'ok',
      sms: 'failed',
      note: 'Devant la mairie',
      connection: { type: 'cellular', effectiveType: '4g', downlinkMbps: 12.5, rttMs: 80 },
    });
    expect(expectAccepted(input)).toEqual(input);
  });

  it('accepts a no-network reading without bars or dBm, and with 0 bars', () => {
    const { signalBars: _bars, ...noSignal } = makeReading({ technology: 'none' });
    expectAccepted(noSignal);
    expectAccepted(makeReading({ technology: 'none', signalBars: 0 }));
  });

  it('with the default clock, accepts a reading recorded now', () => {
    const result = validateReading(makeReading({ recordedAt: isoWithOffset(new Date()) }));
    expect(result.ok).toBe(true);
  });

  it.each([
    ['id', 'identifiant'],
    ['recordedAt', 'date du relevé'],
    ['lat', 'latitude'],
    ['lon', 'longitude'],
    ['accuracyM', 'précision de la position'],
    ['operator', 'opérateur'],
    ['technology', 'réseau affiché'],
    ['setting', 'situation'],
    ['source', 'origine du relevé'],
  ] as const)('refuses a reading without %s, naming that field in French (« %s »)', (field, label) => {
    // The message says what is missing, not that the reading is not an object; the agent
    // reads it on the phone, so the field is named as the form names it.
    expect(errorsOf(without(field))).toEqual([{ field, message: `Champ obligatoire manquant : ${label}` }]);
  });

  it('accepts a position placed by hand (positionSource manual), and readings without one as before', () => {
    expect(expectAccepted(makeReading({ positionSource: 'manual', accuracyM: 80 }))).toMatchObject({ positionSource: 'manual' });
    expect(expectAccepted(makeReading())).not.toHaveProperty('positionSource');
    expectRefusedOn(makeReading({ positionSource: 'gps' as never }), 'positionSource', /Origine de la position inconnue/);
  });

  it('reports every fault at once, including the cross-field ones', () => {
    const { id: _id, signalBars: _bars, ...input } = makeReading({ lat: 91 });
    const fields = errorsOf(input).map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['id', 'lat', 'signalBars']));
  });

  it.each([
    ['lat', 90.0001, /latitude.*≤ 90/i],
    ['lat', -90.0001, /latitude.*≥ -90/i],
    ['lon', 180.0001, /longitude.*≤ 180/i],
    ['lon', -180.0001, /longitude.*≥ -180/i],
    ['lat', Number.NaN, /latitude/i],
    ['lon', Number.POSITIVE_INFINITY, /longitude/i],
    ['lat', '43.6', /latitude/i],
    ['accuracyM', 1000.5, /imprécise.*1000 m/],
    ['accuracyM', -1, /négative/],
    ['note', 'x'.repeat(501), /500 caractères/],
    ['signalBars', 5, /0 à 4/],
    ['signalBars', -1, /0 à 4/],
    ['signalBars', 2.5, /entier/],
    ['signalDbm', -100.5, /entier/],
    ['operator', 'verizon', /Opérateur inconnu/],
    ['technology', '6G', /Technologie inconnue/],
    ['setting', 'underground', /Situation inconnue/],
    ['source', 'robot', /Source inconnue/],
    ['voice', 'maybe', /appel inconnu/i],
  ] as const)('refuses %s = %s', (field, value, message) => {
    expectRefusedOn(makeReading({ [field]: value } as Partial<Reading>), field, message);
  });

  it.each([
    ['lat', 90],
    ['lat', -90],
    ['lon', 180],
    ['lon', -180],
    ['accuracyM', 1000],
    ['accuracyM', 0],
    ['note', 'x'.repeat(500)],
    ['signalBars', 0],
    ['signalBars', 4],
  ] as const)('accepts %s = %s (at the bound)', (field, value) => {
    expectAccepted(makeReading({ [field]: value } as Partial<Reading>));
  });

  it.each([
    ['4G', -141, false],
    ['4G', -140, true],
    ['4G', -43, true],
    ['4G', -42, false],
    ['2G', -114, false],
    ['2G', -113, true],
    ['2G', -51, true],
    ['2G', -50, false],
    ['3G', -122, false],
    ['3G', -121, true],
    ['3G', -25, true],
    ['3G', -24, false],
    ['5G', -157, false],
    ['5G', -156, true],
    ['5G', -31, true],
    ['5G', -30, false],
  ] as const)('%s at %i dBm: plausible = %s', (technology, signalDbm, plausible) => {
    const input = makeReading({ technology, signalDbm });
    if (plausible) expectAccepted(input);
    else expectRefusedOn(input, 'signalDbm', /impossible pour cette technologie/);
  });

  it('refuses a dBm value when there is no network', () => {
    const { signalBars: _bars, ...input } = makeReading({ technology: 'none', signalDbm: -120 });
    expectRefusedOn(input, 'signalDbm', /aucun réseau/);
  });

  it('refuses bars above 0 when there is no network', () => {
    expectRefusedOn(makeReading({ technology: 'none', signalBars: 1 }), 'signalBars', /ne peuvent être que 0/);
  });

  it('refuses a 4G reading with neither bars nor dBm, on signalBars', () => {
    const { signalBars: _bars, ...input } = makeReading({ technology: '4G' });
    expectRefusedOn(input, 'signalBars', /barres ou le signal en dBm/);
  });

  it('accepts a 4G reading with dBm only', () => {
    const { signalBars: _bars, ...input } = makeReading({ technology: '4G', signalDbm: -100 });
    expectAccepted(input);
  });

  describe('recordedAt', () => {
    it('refuses a time without UTC offset', () => {
      expectRefusedOn(makeReading({ recordedAt: '2026-05-04T10:00:00' }), 'recordedAt', /fuseau/);
    });

    it.each(['2026-05-04', 'hier à 10 h', '2026-05-04T25:00:00Z', ''])('refuses %j', (recordedAt) => {
      expectRefusedOn(makeReading({ recordedAt }), 'recordedAt');
    });

    it.each(['2026-05-04T10:00:00Z', '2026-05-04T10:00:00+02:00', '2026-05-04T10:00:00.123-03:30'])('accepts %s', (recordedAt) => {
      expectAccepted(makeReading({ recordedAt }));
    });

    it('refuses a time more than 24 h ahead of the clock', () => {
      const recordedAt = new Date(NOW + 24 * HOUR + 1000).toISOString();
      expectRefusedOn(makeReading({ recordedAt }), 'recordedAt', /24 h dans le futur/);
    });

    it('accepts a time 23 h ahead (a phone clock off by a few hours)', () => {
      expectAccepted(makeReading({ recordedAt: new Date(NOW + 23 * HOUR).toISOString() }));
    });

    it('judges "the future" by the injected clock, not the machine clock', () => {
      const recordedAt = new Date(NOW + 2 * 24 * HOUR).toISOString();
      const laterSchema = createReadingSchema({ now: () => NOW + 3 * 24 * HOUR });
      expect(validateReading(makeReading({ recordedAt }), laterSchema).ok).toBe(true);
      expect(validateReading(makeReading({ recordedAt }), schema).ok).toBe(false);
    });

    it('refuses a time before 2018 and accepts 2018-01-01', () => {
      expectRefusedOn(makeReading({ recordedAt: '2017-12-31T23:59:59Z' }), 'recordedAt', /antérieure à 2018/);
      expectAccepted(makeReading({ recordedAt: '2018-01-01T00:00:00Z' }));
    });
  });

  it.each(['not-a-uuid', '123e4567-e89b-12d3-a456-42661417400', '', '{123e4567-e89b-12d3-a456-426614174000}'])('refuses id %j', (id) => {
    expectRefusedOn(makeReading({ id }), 'id', /UUID/);
  });

  it('refuses an id that is not a string', () => {
    expectRefusedOn({ ...makeReading(), id: 42 }, 'id', /identifiant/);
  });

  it('strips unknown keys instead of refusing them (newer phone, older server)', () => {
    const reading = makeReading();
    const output = expectAccepted({ ...reading, cellId: 12345, futureField: { nested: true } });
    expect(output).toEqual(reading);
    expect(output).not.toHaveProperty('cellId');
    expect(output).not.toHaveProperty('futureField');
  });

  it('names nested fields with a dotted path', () => {
    expectRefusedOn(makeReading({ connection: { rttMs: -1 } }), 'connection.rttMs', /≥ 0/);
  });

  it('refuses something that is not an object, with a field-less French error', () => {
    for (const input of [null, undefined, 'relevé', 42, true]) {
      const errors = errorsOf(input);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toEqual({ field: '', message: 'Un relevé doit être un objet JSON' });
    }
  });

  it('gives every error a field and a non-empty French message', () => {
    const errors = errorsOf({ lat: 'nord', lon: 500, accuracyM: -3, operator: 'x', technology: 'x', signalBars: 9 });
    expect(errors.length).toBeGreaterThanOrEqual(8);
    for (const error of errors) {
      expect(Object.keys(error).sort()).toEqual(['field', 'message']);
      expect(typeof error.field).toBe('string');
      expect(error.message).toMatch(FRENCH);
      // valibot's English defaults ("Invalid type: Expected …") must not leak through.
      expect(error.message).not.toMatch(/Invalid|Expected|Received/);
    }
  });
});

describe('canonicalJson', () => {
  it('does not depend on key order', () => {
    const reading = makeReading({ connection: { type: 'wifi', rttMs: 50 }, signalDbm: -99 });
    const shuffled = Object.fromEntries(Object.entries(reading).reverse()) as Reading;
    shuffled.connection = { rttMs: 50, type: 'wifi' };
    expect(JSON.stringify(shuffled)).not.toBe(JSON.stringify(reading));
    expect(canonicalJson(shuffled)).toBe(canonicalJson(reading));
  });

  it('sorts keys, nested ones too', () => {
    const text = canonicalJson(makeReading({ connection: { type: 'wifi', effectiveType: '4g' } }));
    const parsed = JSON.parse(text) as Record<string, unknown>;
    const keys = Object.keys(parsed);
    expect(keys).toEqual([...keys].sort());
    expect(Object.keys(parsed.connection as object)).toEqual(['effectiveType', 'type']);
  });

  it('drops undefined values', () => {
    const reading = makeReading();
    expect(canonicalJson({ ...reading, note: undefined, voice: undefined })).toBe(canonicalJson(reading));
    expect(canonicalJson({ ...reading, note: undefined })).not.toContain('note');
  });

  it('tells different readings apart', () => {
    const reading = makeReading();
    expect(canonicalJson({ ...reading, signalBars: 2 })).not.toBe(canonicalJson(reading));
  });
});

describe('isoWithOffset', () => {
  const SHAPE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}([+-])(\d{2}):(\d{2})$/;

  it.each([
    new Date('2026-01-15T08:30:00.000Z'), // winter
    new Date('2026-07-15T23:59:59.999Z'), // summer, end of a UTC day
    new Date('2026-03-29T01:30:00.250Z'), // around the European DST change
    new Date('2018-01-01T00:00:00.000Z'),
    new Date(NOW),
  ])('%s: ±HH:MM suffix, same instant', (date) => {
    const text = isoWithOffset(date);
    const match = SHAPE.exec(text);
    expect(match, text).not.toBeNull();
    expect(Date.parse(text)).toBe(date.getTime());
    // The suffix is the device's own offset at that date.
    const [, sign, hours, minutes] = match!;
    const offset = (sign === '-' ? -1 : 1) * (Number(hours) * 60 + Number(minutes));
    expect(offset).toBe(0 - date.getTimezoneOffset());
  });

  describe('in other time zones (getTimezoneOffset stubbed, since TZ cannot change mid-process)', () => {
    afterEach(() => {
      vi.restoreAllMocks();
    });

    it.each([
      // [offset as getTimezoneOffset gives it, instant, expected text]
      [-120, '2026-05-04T08:15:00.000Z', '2026-05-04T10:15:00.000+02:00'], // Paris, summer
      [-60, '2026-01-15T08:15:00.000Z', '2026-01-15T09:15:00.000+01:00'], // Paris, winter
      [-120, '2026-05-04T23:30:00.500Z', '2026-05-05T01:30:00.500+02:00'], // next local day
      [210, '2026-05-04T01:00:00.000Z', '2026-05-03T21:30:00.000-03:30'], // Newfoundland: half-hour, previous day
      [-345, '2026-12-31T20:00:00.007Z', '2027-01-01T01:45:00.007+05:45'], // Nepal: next local year
      [240, '2026-05-04T12:00:00.000Z', '2026-05-04T08:00:00.000-04:00'], // Guadeloupe
      [0, '2026-05-04T12:00:00.000Z', '2026-05-04T12:00:00.000+00:00'],
    ] as const)('offset %i: %s → %s', (timezoneOffset, instant, expected) => {
      vi.spyOn(Date.prototype, 'getTimezoneOffset').mockReturnValue(timezoneOffset);
      const text = isoWithOffset(new Date(instant));
      expect(text).toBe(expected);
      expect(Date.parse(text)).toBe(Date.parse(instant));
    });
  });

  it('produces a recordedAt the schema accepts', () => {
    expectAccepted(makeReading({ recordedAt: isoWithOffset(new Date(NOW - HOUR)) }));
  });
});
