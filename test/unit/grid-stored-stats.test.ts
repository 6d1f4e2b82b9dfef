import fc from 'fast-check';
import { expect, it } from 'vitest';
import { addToStats, emptyStats, type StatsInput } from '../../src/domain/grid/group-stats.ts';
import { fromStoredStats, storedStatsJson, toStoredStats } from '../../src/domain/grid/stored-stats.ts';

/** A grid row's statistics go into the database as a positional array and come back equal. */

const arbInput: fc.Arbitrary<{ input: StatsInput; contributor: string }> = fc.record({
  input: fc.record(
    {
      recordedAt: fc.constantFrom('2026-03-31T23:30:00.000Z', '2026-04-15T10:00:00.000+02:00', 'not a date'),
      technology: fc.constantFrom('4G', '3G', '5G', '2G', 'none'),
      signalDbm: fc.integer({ min: -160, max: -20 }),
      signalBars: fc.integer({ min: 0, max: 4 }),
      voice: fc.constantFrom('ok', 'failed', 'dropped', 'not-tested'),
      sms: fc.constantFrom('ok', 'failed', 'not-tested'),
      protocol: fc.constantFrom('map-check', 'qos'),
      callTest: fc.record({ startedAt: fc.constant('2026-04-15T10:00:00.000Z'), durationS: fc.integer({ min: 1, max: 200 }) }),
    },
    { requiredKeys: ['recordedAt', 'technology'] },
  ) as fc.Arbitrary<StatsInput>,
  contributor: fc.constantFrom('a1', 'a2', 'agent-59', '2f0c…'),
});

it('reads back what it stored, for any group of readings', () => {
  fc.assert(
    fc.property(fc.array(arbInput, { maxLength: 12 }), (inputs) => {
      const stats = emptyStats();
      for (const { input, contributor } of inputs) addToStats(stats, input, contributor);
      const copy = structuredClone(stats);
      expect(fromStoredStats(JSON.parse(storedStatsJson(stats)))).toEqual(stats);
      expect(stats).toEqual(copy);
    }),
    { seed: 19 },
  );
});

it('reads a row stored before, as the object itself', () => {
  const stats = addToStats(emptyStats(), { recordedAt: '2026-04-15T10:00:00.000Z', technology: '4G', signalDbm: -95, voice: 'ok' }, 'a1');
  expect(fromStoredStats(JSON.parse(JSON.stringify(stats)))).toEqual(stats);
});

it('stores a one-reading group in under half the bytes of the object', () => {
  const stats = addToStats(emptyStats(), { recordedAt: '2026-04-15T10:00:00.000Z', technology: '4G', signalDbm: -95, voice: 'ok' }, 'agent-12');
  expect(storedStatsJson(stats).length).toBeLessThan(JSON.stringify(stats).length / 2);
  expect(toStoredStats(stats)).toEqual(['agent-12', 0, -95, 0, 2, Date.parse('2026-04-15T10:00:00.000Z')]);
});
