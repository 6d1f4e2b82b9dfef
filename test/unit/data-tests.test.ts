import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { describeCallTest, describeDataTest, describeSmsTest } from '../../src/app/evidence/describe-evidence.ts';
import { dataTestCostBytes, formatMegabytes, runDataTests, type DataTestDeps } from '../../src/app/evidence/data-tests.ts';
import { typedArrival } from '../../src/app/survey/SmsTest.tsx';
import { DEFAULT_FIELD_SETTINGS } from '../../src/domain/field-settings.ts';
import { UPLOAD_TEST_BYTES } from '../../src/domain/protocol.ts';
import { qosPageAssetBytes, qosPageHtml } from '../../src/domain/qos-page.ts';
import { validateReading } from '../../src/domain/reading-schema.ts';
import { makeReading } from './helpers.ts';

/** The QoS data tests on the phone's side (src/app/evidence/data-tests.ts), against a fake server whose time moves 100 ms per request. */

const SETTINGS = { ...DEFAULT_FIELD_SETTINGS.dataTest, downloadMaxBytes: 300_000, pageBytes: 200_000 };

function fakeDeps({ online = true, corrupt = false } = {}): DataTestDeps {
  let now = Date.parse('2026-05-04T10:00:00Z');
  const sizes = qosPageAssetBytes(SETTINGS.pageBytes);
  const respond = async (url: string, init?: RequestInit): Promise<Response> => {
    now += 100;
    const path = new URL(url, 'http://x').pathname;
    if (path === '/api/v1/qos/upload') {
      const body = Buffer.from(init!.body as Uint8Array);
      if (corrupt) body[0] = (body[0]! + 1) % 256;
      return Response.json({ receivedBytes: body.length, sha256: createHash('sha256').update(body).digest('hex') });
    }
    if (path === '/api/v1/qos/download') return new Response(new Uint8Array(Number(new URL(url, 'http://x').searchParams.get('bytes'))));
    if (path === '/api/v1/qos/page') return new Response(qosPageHtml(SETTINGS.pageBytes, 't'), { headers: { 'content-type': 'text/html' } });
    const name = path.split('/').pop()!;
    return new Response(new Uint8Array(sizes[name]!));
  };
  return {
    fetch: (input, init) => respond(String(input), init),
    clock: { now: () => now, setTimeout: () => 0, clearTimeout: () => undefined },
    online: () => online,
    csrfToken: () => 'csrf',
    sha256: async (bytes) => createHash('sha256').update(bytes).digest('hex'),
    randomBytes: (length) => new Uint8Array(randomBytes(length)),
  };
}

describe('runDataTests', () => {
  it('uploads a megabyte intact, downloads the budget and loads the whole page, timing each', async () => {
    const test = await runDataTests(SETTINGS, fakeDeps());
    expect(test.upload).toEqual({ bytes: UPLOAD_TEST_BYTES, durationMs: 100, intact: true });
    expect(test.download).toEqual({ bytes: SETTINGS.downloadMaxBytes, durationMs: 100 });
    expect(test.page?.complete).toBe(true);
    expect(Math.abs(test.page!.bytes - SETTINGS.pageBytes)).toBeLessThan(SETTINGS.pageBytes * 0.02);
    // What the phone stores passes the wire format, and says so in French.
    expect(validateReading({ ...makeReading(), protocol: 'qos', dataTest: test }).ok).toBe(true);
    expect(describeDataTest(test)).toMatch(/^Tests de données : envoi intact en 0,1 s — réussi · ↓ 24,0 Mbit\/s \(8 à 30 Mbit\/s\) · page complète en /);
  });

  it('says « not intact » when the server’s digest differs from what was sent', async () => {
    expect((await runDataTests(SETTINGS, fakeDeps({ corrupt: true }))).upload?.intact).toBe(false);
  });

  it('attempts nothing offline, and says « appareil hors ligne »', async () => {
    const test = await runDataTests(SETTINGS, fakeDeps({ online: false }));
    expect(test).toEqual({ startedAt: expect.any(String), offline: true });
    expect(describeDataTest(test)).toBe('Tests de données : appareil hors ligne, rien n’a été tenté');
  });

  it('states its cost to the data plan: the upload, the download budget and the page', () => {
    expect(formatMegabytes(dataTestCostBytes(DEFAULT_FIELD_SETTINGS.dataTest))).toBe('environ 13 Mo');
  });
});

describe('the guided tests under QoS, in words', () => {
  it('calls a held call with poor audio partial, and one under 2 minutes non-conforming', () => {
    const held = { protocol: 'qos', voice: 'ok', callTest: { startedAt: '', durationS: 120, audio: 'poor' } } as const;
    expect(describeCallTest(held)).toBe('Test d’appel guidé (QoS) : réussi après 2 min, son dégradé — partiel');
    expect(describeCallTest({ ...held, callTest: { ...held.callTest, audio: 'good' } })).toBe(
      'Test d’appel guidé (QoS) : réussi après 2 min, son compréhensible — réussi',
    );
    expect(describeCallTest({ ...held, callTest: { startedAt: '', durationS: 61, audio: 'good' } })).toMatch(/non conforme au protocole/);
    expect(describeCallTest({ voice: 'ok', callTest: { startedAt: '', durationS: 60 } })).toBe('Test d’appel guidé : réussi après 1 min');
  });

  it('gives the SMS’s delay and its outcome against 10 s', () => {
    expect(describeSmsTest({ protocol: 'qos', sms: 'ok', smsTest: { startedAt: '', delayS: 7.4 } })).toBe('Test SMS guidé (QoS) : reçu en 7,4 s — réussi');
    expect(describeSmsTest({ protocol: 'qos', sms: 'ok', smsTest: { startedAt: '', delayS: 12 } })).toBe('Test SMS guidé (QoS) : reçu en 12,0 s — échec');
  });

  it('reads the arrival time typed from the second phone, after the sending only', () => {
    const sentAt = new Date(2026, 4, 4, 14, 32, 5, 400).getTime();
    expect(typedArrival('14:32:09', sentAt)).toBe(new Date(2026, 4, 4, 14, 32, 9).getTime());
    expect(typedArrival('14:32:05', sentAt)).toBe(sentAt);
    expect(typedArrival('14:31:59', sentAt)).toBeUndefined();
    expect(typedArrival('bientôt', sentAt)).toBeUndefined();
  });
});
