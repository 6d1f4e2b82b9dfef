import { barsFromDbm, type Bars } from './signal.ts';
import type { Reading } from './reading.ts';

/** Arcep's four voice/SMS coverage levels, best first. */
export const LEVELS = ['TBC', 'BC', 'CL', 'PC'] as const;
export type Level = (typeof LEVELS)[number];

export const LEVEL_LABELS: Record<Level, string> = {
  TBC: 'Très bonne couverture',
  BC: 'Bonne couverture',
  CL: 'Couverture limitée',
  PC: 'Pas de couverture',
};

export const LEVEL_COLOURS: Record<Level, string> = {
  TBC: '#1a7f37',
  BC: '#7cb342',
  CL: '#f29900',
  PC: '#c62828',
};

const LEVEL_BY_BARS: Record<Bars, Level> = { 4: 'TBC', 3: 'BC', 2: 'CL', 1: 'CL', 0: 'PC' };

type LevelInput = Pick<Reading, 'technology' | 'signalDbm' | 'signalBars' | 'voice'> & Partial<Pick<Reading, 'sms'>>;

/**
 * The bars a reading stands for. A measured dBm wins over bars read off the screen, since
 * handsets differ in how they draw bars. Null when the reading carries neither.
 */
export function readingBars(reading: LevelInput): Bars | null {
  if (reading.technology === 'none') return 0;
  if (reading.signalDbm !== undefined) return barsFromDbm(reading.technology, reading.signalDbm);
  if (reading.signalBars !== undefined) return reading.signalBars as Bars;
  return null;
}

/**
 * A reading's coverage level (rule in docs/coverage-rules.md): 4 bars → TBC, 3 → BC,
 * 1–2 → CL, 0 or no service → PC; a failed or dropped call test, or a failed SMS test,
 * caps the level at CL (TBC and BC mean that calls and SMS work).
 * Whether the reading was indoors is kept beside the level, not folded into it.
 */
export function readingLevel(reading: LevelInput): Level {
  const bars = readingBars(reading) ?? 0;
  const level = LEVEL_BY_BARS[bars];
  const testFailed = reading.voice === 'failed' || reading.voice === 'dropped' || reading.sms === 'failed';
  if (testFailed && (level === 'TBC' || level === 'BC')) return 'CL';
  return level;
}
