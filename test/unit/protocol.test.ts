import { describe, expect, it } from 'vitest';
import { callOutcome, downloadMbps, pageOutcome, smsOutcome, throughputClass, uploadOutcome } from '../../src/domain/protocol.ts';

const call = (durationS: number, audio?: 'good' | 'poor') => ({ startedAt: '2026-06-01T10:00:00+02:00', durationS, ...(audio && { audio }) });
const sms = (delayS?: number) => ({ startedAt: '2026-06-01T10:00:00+02:00', ...(delayS !== undefined && { delayS }) });

describe('a call test on its protocol’s terms', () => {
  it.each([
    ['map check, held 60 s', { voice: 'ok', callTest: call(60) }, 'success'],
    ['map check, « réussi » after 40 s: not a conforming test', { voice: 'ok', callTest: call(40) }, undefined],
    ['map check, dropped after 20 s', { voice: 'dropped', callTest: call(20) }, 'failure'],
    ['map check, never set up', { voice: 'failed', callTest: call(0) }, 'failure'],
    ['a voice answer without a guided test', { voice: 'ok' }, undefined],
    ['guided but unanswered', { voice: 'not-tested', callTest: call(60) }, undefined],
    ['QoS, held 2 min, audio good', { protocol: 'qos', voice: 'ok', callTest: call(120, 'good') }, 'success'],
    ['QoS, held 2 min, audio poor', { protocol: 'qos', voice: 'ok', callTest: call(120, 'poor') }, 'partial'],
    ['QoS, held 2 min, audio not stated', { protocol: 'qos', voice: 'ok', callTest: call(120) }, 'partial'],
    ['QoS, held only the map check’s minute', { protocol: 'qos', voice: 'ok', callTest: call(60, 'good') }, undefined],
    ['QoS, dropped', { protocol: 'qos', voice: 'dropped', callTest: call(90) }, 'failure'],
  ] as const)('%s', (_, facts, expected) => {
    expect(callOutcome(facts)).toBe(expected);
  });
});

describe('an SMS test on its protocol’s terms', () => {
  it.each([
    ['map check, sent', { sms: 'ok', smsTest: sms() }, 'success'],
    ['map check, not sent', { sms: 'failed', smsTest: sms() }, 'failure'],
    ['QoS, arrived in 10 s', { protocol: 'qos', sms: 'ok', smsTest: sms(10) }, 'success'],
    ['QoS, arrived in 11 s', { protocol: 'qos', sms: 'ok', smsTest: sms(11) }, 'failure'],
    ['QoS, arrival not confirmed', { protocol: 'qos', sms: 'ok', smsTest: sms() }, undefined],
    ['QoS, never left', { protocol: 'qos', sms: 'failed', smsTest: sms() }, 'failure'],
    ['no guided test', { sms: 'ok' }, undefined],
  ] as const)('%s', (_, facts, expected) => {
    expect(smsOutcome(facts)).toBe(expected);
  });
});

describe('the data tests', () => {
  const startedAt = '2026-06-01T10:00:00+02:00';
  it('judges the upload: 1 MB intact in under 30 s', () => {
    expect(uploadOutcome({ startedAt, upload: { bytes: 1_000_000, durationMs: 29_999, intact: true } })).toBe('success');
    expect(uploadOutcome({ startedAt, upload: { bytes: 1_000_000, durationMs: 30_000, intact: true } })).toBe('failure');
    expect(uploadOutcome({ startedAt, upload: { bytes: 1_000_000, durationMs: 2_000, intact: false } })).toBe('failure');
    expect(uploadOutcome({ startedAt, offline: true })).toBeUndefined();
  });
  it('judges the page: everything within 10 s', () => {
    expect(pageOutcome({ startedAt, page: { bytes: 2_000_000, durationMs: 10_000, complete: true } })).toBe('success');
    expect(pageOutcome({ startedAt, page: { bytes: 2_000_000, durationMs: 10_001, complete: true } })).toBe('failure');
    expect(pageOutcome({ startedAt, page: { bytes: 900_000, durationMs: 4_000, complete: false } })).toBe('failure');
  });
  it('classes the download as Arcep does, a bound in the class above it', () => {
    expect(downloadMbps({ startedAt, download: { bytes: 10_000_000, durationMs: 10_000 } })).toBe(8);
    expect([2.99, 3, 7.99, 8, 29.99, 30].map(throughputClass)).toEqual(['<3', '3-8', '3-8', '8-30', '8-30', '>30']);
    expect(downloadMbps({ startedAt, download: { bytes: 0, durationMs: 0 } })).toBeUndefined();
  });
});
