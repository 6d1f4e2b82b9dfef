import { describe, expect, it } from 'vitest';
import { readingFeature } from '../../src/domain/geojson.ts';
import { readingBars, readingLevel, type Level } from '../../src/domain/level.ts';
import type { Reading } from '../../src/domain/reading.ts';
import { BAR_THRESHOLDS_DBM, barsFromDbm, type Bars, type RadioTechnology } from '../../src/domain/signal.ts';
import { makeReading } from './helpers.ts';

type LevelInput = Pick<Reading, 'technology' | 'signalDbm' | 'signalBars' | 'voice'> & Partial<Pick<Reading, 'sms'>>;

// Thresholds copied from shared/DOMAIN.md, not from signal.ts, so that a change to the code
// that departs from the documented rule fails here.
const DOCUMENTED_BOUNDS: Record<RadioTechnology, [number, number, number, number]> = {
  '4G': [-128, -118, -108, -98],
  '5G': [-110, -90, -80, -65],
  '3G': [-115, -105, -95, -85],
  '2G': [-109, -103, -97, -89],
};
const LEVEL_OF_BARS: Record<Bars, Level> = { 0: 'PC', 1: 'CL', 2: 'CL', 3: 'BC', 4: 'TBC' };
const RADIOS = Object.keys(DOCUMENTED_BOUNDS) as RadioTechnology[];

/** At each bound the level it earns, just below it the level of one bar fewer. */
const dbmCases: [RadioTechnology, number, Bars, Level][] = RADIOS.flatMap((technology) =>
  DOCUMENTED_BOUNDS[technology].flatMap((bound, i): [RadioTechnology, number, Bars, Level][] => {
    const atBound = (i + 1) as Bars;
    const below = i as Bars;
    return [
      [technology, bound, atBound, LEVEL_OF_BARS[atBound]],
      [technology, bound - 1, below, LEVEL_OF_BARS[below]],
    ];
  }),
);

describe('barsFromDbm', () => {
  it('uses the thresholds documented in DOMAIN.md', () => {
    expect(BAR_THRESHOLDS_DBM).toEqual(DOCUMENTED_BOUNDS);
  });

  it.each(dbmCases)('%s at %i dBm → %i bars', (technology, dbm, bars) => {
    expect(barsFromDbm(technology, dbm)).toBe(bars);
  });

  it.each(RADIOS)('%s: far above the top bound is 4 bars, far below the bottom one is 0', (technology) => {
    expect(barsFromDbm(technology, -30)).toBe(4);
    expect(barsFromDbm(technology, -150)).toBe(0);
  });
});

describe('readingLevel', () => {
  const table: [string, LevelInput, Level][] = [
    // Bars read off the screen.
    ['4G, 0 bars', { technology: '4G', signalBars: 0 }, 'PC'],
    ['4G, 1 bar', { technology: '4G', signalBars: 1 }, 'CL'],
    ['4G, 2 bars', { technology: '4G', signalBars: 2 }, 'CL'],
    ['4G, 3 bars', { technology: '4G', signalBars: 3 }, 'BC'],
    ['4G, 4 bars', { technology: '4G', signalBars: 4 }, 'TBC'],
    ['2G, 4 bars', { technology: '2G', signalBars: 4 }, 'TBC'],
    // No service at all.
    ['no network', { technology: 'none' }, 'PC'],
    ['no network, 0 bars', { technology: 'none', signalBars: 0 }, 'PC'],
    ['no network, even if bars were (wrongly) given', { technology: 'none', signalBars: 4 }, 'PC'],
    ['no network, call ok', { technology: 'none', voice: 'ok' }, 'PC'],
    // The measured value wins over the bars.
    ['4G, 4 bars but −120 dBm (1 bar)', { technology: '4G', signalBars: 4, signalDbm: -120 }, 'CL'],
    ['4G, 0 bars but −90 dBm (4 bars)', { technology: '4G', signalBars: 0, signalDbm: -90 }, 'TBC'],
    ['5G, 1 bar but −75 dBm (3 bars)', { technology: '5G', signalBars: 1, signalDbm: -75 }, 'BC'],
    ['3G, 3 bars but −130 dBm (0 bars)', { technology: '3G', signalBars: 3, signalDbm: -130 }, 'PC'],
    // A failed or dropped call caps TBC and BC at CL...
    ['4 bars, call failed', { technology: '4G', signalBars: 4, voice: 'failed' }, 'CL'],
    ['4 bars, call dropped', { technology: '4G', signalBars: 4, voice: 'dropped' }, 'CL'],
    ['3 bars, call failed', { technology: '4G', signalBars: 3, voice: 'failed' }, 'CL'],
    ['3 bars, call dropped', { technology: '4G', signalBars: 3, voice: 'dropped' }, 'CL'],
    ['−80 dBm 4G, call failed', { technology: '4G', signalDbm: -80, voice: 'failed' }, 'CL'],
    // ...but does not raise or lower CL and PC.
    ['2 bars, call failed', { technology: '4G', signalBars: 2, voice: 'failed' }, 'CL'],
    ['1 bar, call dropped', { technology: '4G', signalBars: 1, voice: 'dropped' }, 'CL'],
    ['0 bars, call failed', { technology: '4G', signalBars: 0, voice: 'failed' }, 'PC'],
    ['no network, call dropped', { technology: 'none', voice: 'dropped' }, 'PC'],
    // A successful or untested call changes nothing.
    ['4 bars, call ok', { technology: '4G', signalBars: 4, voice: 'ok' }, 'TBC'],
    ['3 bars, call ok', { technology: '4G', signalBars: 3, voice: 'ok' }, 'BC'],
    ['1 bar, call ok', { technology: '4G', signalBars: 1, voice: 'ok' }, 'CL'],
    ['0 bars, call ok', { technology: '4G', signalBars: 0, voice: 'ok' }, 'PC'],
    ['4 bars, call not tested', { technology: '4G', signalBars: 4, voice: 'not-tested' }, 'TBC'],
    ['3 bars, call not tested', { technology: '4G', signalBars: 3, voice: 'not-tested' }, 'BC'],
    ['0 bars, call not tested', { technology: '4G', signalBars: 0, voice: 'not-tested' }, 'PC'],
    // A failed SMS test caps like a failed call (TBC and BC mean calls and SMS work)...
    ['4 bars, SMS failed', { technology: '4G', signalBars: 4, sms: 'failed' }, 'CL'],
    ['3 bars, SMS failed, call ok', { technology: '4G', signalBars: 3, voice: 'ok', sms: 'failed' }, 'CL'],
    ['0 bars, SMS failed', { technology: '4G', signalBars: 0, sms: 'failed' }, 'PC'],
    // ...and a sent SMS changes nothing.
    ['4 bars, SMS ok', { technology: '4G', signalBars: 4, sms: 'ok' }, 'TBC'],
    ['1 bar, SMS ok', { technology: '4G', signalBars: 1, sms: 'ok' }, 'CL'],
  ];

  it.each(table.map(([label, input, level]) => [label, level, input] as const))('%s → %s', (_label, level, input) => {
    expect(readingLevel(input)).toBe(level);
  });

  it.each(dbmCases)('%s at %i dBm (%i bars) → %s', (technology, dbm, _bars, level) => {
    expect(readingLevel({ technology, signalDbm: dbm })).toBe(level);
  });

  it.each(dbmCases)('%s at %i dBm with 4 bars on screen still → %s (dBm wins)', (technology, dbm, _bars, level) => {
    expect(readingLevel({ technology, signalDbm: dbm, signalBars: 4 })).toBe(level);
    expect(readingLevel({ technology, signalDbm: dbm, signalBars: 0 })).toBe(level);
  });

  it('a reading with neither bars nor dBm has no bars, and counts as no coverage', () => {
    expect(readingBars({ technology: '4G' })).toBeNull();
    expect(readingLevel({ technology: '4G' })).toBe('PC');
  });
});

describe('readingFeature', () => {
  it('is a GeoJSON point in lon, lat order carrying the reading and its level', () => {
    const reading = makeReading({ lat: 43.6, lon: 3.9, signalBars: 4, voice: 'failed' });
    const feature = readingFeature(reading);
    expect(feature).toEqual({
      type: 'Feature',
      id: reading.id,
      geometry: { type: 'Point', coordinates: [3.9, 43.6] },
      properties: { ...reading, level: 'CL' },
    });
    // The reading itself is not modified.
    expect(reading).not.toHaveProperty('level');
  });
});
