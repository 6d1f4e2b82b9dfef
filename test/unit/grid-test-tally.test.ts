import { describe, expect, it } from 'vitest';
import { addToStats, cloneStats, emptyStats, mergeStats } from '../../src/domain/grid/group-stats.ts';
import { operatorFigures } from '../../src/domain/grid/operator-figures.ts';
import { emptyTally, tallyTests, type ProtocolTallies } from '../../src/domain/grid/test-tally.ts';
import type { ProtocolFacts } from '../../src/domain/protocol.ts';
import { makeReading } from './helpers.ts';

const started = '2026-05-04T10:00:00.000+02:00';
const call = (durationS: number, voice: ProtocolFacts['voice'], extra: Partial<ProtocolFacts> = {}): ProtocolFacts => ({
  voice,
  callTest: { startedAt: started, durationS },
  ...extra,
});

describe('tallyTests: conforming tests per protocol, judged by src/domain/protocol.ts', () => {
  it('counts a map-check call held a minute, not one hung up before, nor a voice picked by hand', () => {
    const tallies: ProtocolTallies = {};
    expect(tallyTests(tallies, call(60, 'ok'))).toBe(true);
    expect(tallyTests(tallies, call(45, 'ok'))).toBe(false); // hung up early: no test
    expect(tallyTests(tallies, { voice: 'ok' })).toBe(false); // no guided test
    expect(tallyTests(tallies, call(12, 'dropped'))).toBe(true); // a drop is a failure whatever its duration
    expect(tallies).toEqual({ 'map-check': { ...emptyTally(), call: { success: 1, partial: 0, failure: 1 } } });
  });

  it('counts QoS calls, SMS, upload, page and download classes apart from the map check', () => {
    const tallies: ProtocolTallies = {};
    tallyTests(tallies, call(120, 'ok', { protocol: 'qos', callTest: { startedAt: started, durationS: 120, audio: 'good' } }));
    tallyTests(tallies, call(120, 'ok', { protocol: 'qos', callTest: { startedAt: started, durationS: 120, audio: 'poor' } }));
    tallyTests(tallies, { protocol: 'qos', sms: 'ok', smsTest: { startedAt: started, delayS: 4 } });
    tallyTests(tallies, { protocol: 'qos', sms: 'ok', smsTest: { startedAt: started, delayS: 25 } });
    tallyTests(tallies, {
      protocol: 'qos',
      dataTest: {
        startedAt: started,
        upload: { bytes: 1_000_000, durationMs: 4000, intact: true },
        download: { bytes: 10_000_000, durationMs: 8000 }, // 10 Mbit/s
        page: { bytes: 2_000_000, durationMs: 12_000, complete: true },
      },
    });
    tallyTests(tallies, { protocol: 'qos', dataTest: { startedAt: started, offline: true } });
    tallyTests(tallies, call(60, 'ok'));
    expect(Object.keys(tallies)).toEqual(['map-check', 'qos']);
    expect(tallies.qos).toEqual({
      call: { success: 1, partial: 1, failure: 0 },
      sms: { success: 1, failure: 1 },
      upload: { success: 1, failure: 0 },
      page: { success: 0, failure: 1 },
      download: { '<3': 0, '3-8': 0, '8-30': 1, '>30': 0 },
      offline: 1,
    });
  });

  it('merges exactly, whatever the order, and leaves statistics without tests as they were', () => {
    const readings = [
      makeReading({ voice: 'ok', callTest: { startedAt: started, durationS: 61 } }),
      makeReading({ voice: 'failed', callTest: { startedAt: started, durationS: 3 } }),
      makeReading({}),
    ];
    const all = emptyStats();
    for (const reading of readings) addToStats(all, reading, 'a');
    const first = addToStats(emptyStats(), readings[0]!, 'a');
    const rest = emptyStats();
    for (const reading of readings.slice(1)) addToStats(rest, reading, 'a');
    expect(JSON.stringify(mergeStats(rest, first))).toBe(JSON.stringify(all));
    expect(cloneStats(all)).toEqual(all);
    expect(addToStats(emptyStats(), makeReading({}), 'a')).not.toHaveProperty('tests');
    // A row stored before tests were counted merges as having none.
    const stored = addToStats(emptyStats(), makeReading({}), 'a');
    expect(mergeStats(stored, all).tests).toEqual(all.tests);
  });
});

describe('operatorFigures', () => {
  it('gives the call success rate with its interval, and the shares of covering and PC readings', () => {
    const stats = emptyStats();
    for (let i = 0; i < 40; i += 1) {
      const ok = i < 33;
      addToStats(stats, makeReading({ signalBars: ok ? 3 : 0, voice: ok ? 'ok' : 'failed', callTest: { startedAt: started, durationS: ok ? 60 : 20 } }), 'a');
    }
    const figures = operatorFigures(stats);
    expect(figures.coverage).toMatchObject({ successes: 33, trials: 40 });
    expect(figures.coverageSide).toBe('above');
    expect(figures.noCoverage).toMatchObject({ successes: 7, trials: 40 });
    const [mapCheck] = figures.protocols;
    expect(mapCheck).toMatchObject({ protocol: 'map-check', calls: { successes: 33, trials: 40, rate: 0.825 }, callSide: 'below' });
    // 33/40 at 95 %: Wilson 68–91 %.
    expect(mapCheck!.calls!.low).toBeCloseTo(0.6805, 3);
    expect(mapCheck!.calls!.high).toBeCloseTo(0.9125, 3);
  });
});
