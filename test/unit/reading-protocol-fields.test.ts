import { describe, expect, it } from 'vitest';
import { callOutcome, smsOutcome, uploadOutcome } from '../../src/domain/protocol.ts';
import type { Reading } from '../../src/domain/reading.ts';
import { createReadingSchema, validateReading } from '../../src/domain/reading-schema.ts';
import { fixedNow, makeReading } from './helpers.ts';

/** The fields issue 17 adds to a reading: protocol, the call's audio, the SMS's delay, the data tests. */

const schema = createReadingSchema({ now: fixedNow });
const STARTED = '2026-05-04T10:16:00+02:00';

function accepted(fields: Record<string, unknown>): Reading {
  const result = validateReading({ ...makeReading(), ...fields }, schema);
  if (!result.ok) throw new Error(`expected acceptance, got ${JSON.stringify(result.errors)}`);
  return result.reading;
}

function refusal(fields: Record<string, unknown>): { field: string; message: string }[] {
  const result = validateReading({ ...makeReading(), ...fields }, schema);
  if (result.ok) throw new Error(`expected a refusal, got ${JSON.stringify(result.reading)}`);
  return result.errors;
}

describe('a reading under a protocol', () => {
  it('keeps a reading without any of the new fields (old phones, imports)', () => {
    const reading = accepted({});
    expect(reading).not.toHaveProperty('protocol');
    expect(reading).not.toHaveProperty('dataTest');
  });

  it('keeps a QoS reading with every figure, which protocol.ts then judges', () => {
    const reading = accepted({
      protocol: 'qos',
      voice: 'ok',
      callTest: { startedAt: STARTED, durationS: 121, audio: 'poor' },
      sms: 'ok',
      smsTest: { startedAt: STARTED, receivedAt: '2026-05-04T10:16:07+02:00', delayS: 7 },
      dataTest: {
        startedAt: STARTED,
        upload: { bytes: 1_000_000, durationMs: 2400, intact: true },
        download: { bytes: 10_000_000, durationMs: 8000 },
        page: { bytes: 2_000_000, durationMs: 3100, complete: true },
      },
    });
    expect(callOutcome(reading)).toBe('partial');
    expect(smsOutcome(reading)).toBe('success');
    expect(uploadOutcome(reading.dataTest)).toBe('success');
  });

  it('keeps a data test the phone could not run offline', () => {
    expect(accepted({ protocol: 'qos', dataTest: { startedAt: STARTED, offline: true } }).dataTest).toEqual({ startedAt: STARTED, offline: true });
  });

  it.each([
    [{ protocol: 'arcep' }, 'protocol', 'Protocole inconnu : attendu map-check, qos'],
    [{ voice: 'ok', callTest: { startedAt: STARTED, durationS: 120, audio: 'bad' } }, 'callTest.audio', 'callTest.audio inconnu : attendu good, poor'],
    [{ sms: 'ok', smsTest: { startedAt: STARTED, delayS: -1 } }, 'smsTest.delayS', 'smsTest.delayS doit être ≥ 0'],
    [{ sms: 'failed', smsTest: { startedAt: STARTED, delayS: 3 } }, 'smsTest.delayS', 'Un SMS en échec n’a pas de délai d’arrivée'],
    [
      { sms: 'ok', smsTest: { startedAt: STARTED, receivedAt: 'tout à l’heure' } },
      'smsTest.receivedAt',
      'smsTest.receivedAt doit être au format ISO 8601 avec fuseau',
    ],
    [{ dataTest: [] }, 'dataTest', 'dataTest doit être un objet JSON'],
    [{ dataTest: { offline: true } }, 'dataTest.startedAt', 'Champ obligatoire manquant : tests de données (dataTest.startedAt)'],
    [
      { dataTest: { startedAt: STARTED, upload: { bytes: 1_000_000, durationMs: 900 } } },
      'dataTest.upload.intact',
      'Champ obligatoire manquant : tests de données (dataTest.upload.intact)',
    ],
    [{ dataTest: { startedAt: STARTED, download: { bytes: 1.5, durationMs: 900 } } }, 'dataTest.download.bytes', 'dataTest.download.bytes doit être un entier'],
    [
      { dataTest: { startedAt: STARTED, page: { bytes: 10, durationMs: -4, complete: true } } },
      'dataTest.page.durationMs',
      'dataTest.page.durationMs doit être ≥ 0',
    ],
    [
      { dataTest: { startedAt: STARTED, page: { bytes: 10, durationMs: 4, complete: 'oui' } } },
      'dataTest.page.complete',
      'dataTest.page.complete doit être vrai ou faux',
    ],
    [
      { dataTest: { startedAt: STARTED, offline: true, download: { bytes: 10, durationMs: 4 } } },
      'dataTest',
      'Un test de données hors ligne n’a pas de mesures : l’appareil n’a rien tenté',
    ],
  ])('refuses %j on %s in French', (fields, field, message) => {
    expect(refusal(fields)).toContainEqual({ field, message });
  });
});
