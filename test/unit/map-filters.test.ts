import { describe, expect, it } from 'vitest';
import { OPERATORS } from '../../src/domain/operators.ts';
import { isShown, serverReadingsUrl, toggleFilter } from '../../src/app/map/map-filters.ts';
import { popupLines } from '../../src/app/map/reading-popup.ts';
import { readingLevel } from '../../src/domain/level.ts';
import { makeReading } from './helpers.ts';

describe('the map’s filters and popups', () => {
  it('unticks one operator out of all, and ticking it back means all again', () => {
    const withoutSfr = toggleFilter([], OPERATORS, 'sfr');
    expect(withoutSfr).toEqual(['orange', 'bouygues', 'free']);
    expect(isShown(withoutSfr, 'sfr')).toBe(false);
    expect(toggleFilter(withoutSfr, OPERATORS, 'sfr')).toEqual([]);
  });

  it('asks the server for the view, its zoom and the filters', () => {
    const url = new URL(
      serverReadingsUrl({ minLon: -200, minLat: 43.1, maxLon: 3.9, maxLat: 44 }, 9.6, { operators: ['orange', 'free'], technologies: ['4G'] }, 2000),
      'http://x',
    );
    expect(url.searchParams.get('bbox')).toBe('-180.00000,43.10000,3.90000,44.00000');
    expect(url.searchParams.get('zoom')).toBe('9');
    expect(url.searchParams.get('operator')).toBe('orange,free');
    expect(url.searchParams.get('technology')).toBe('4G');
    expect(url.searchParams.has('limit')).toBe(false);
    const points = new URL(serverReadingsUrl({ minLon: 3, minLat: 43, maxLon: 4, maxLat: 44 }, 14, { operators: [], technologies: [] }, 10), 'http://x');
    expect(points.searchParams.has('operator')).toBe(false);
    expect(points.searchParams.get('limit')).toBe('10');
  });

  it('shows the call test, the probe’s figures and the source', () => {
    const reading = makeReading({
      voice: 'dropped',
      callTest: { startedAt: '2026-05-04T10:00:00Z', durationS: 60 },
      source: 'import',
      probe: { startedAt: '2026-05-04T10:00:00Z', durationMs: 4000, result: 'reachable', latencyMs: 84.4, downloadKbps: 12_500, uploadKbps: 900 },
      note: '<img src=x onerror=alert(1)>',
    });
    const lines = popupLines({ ...reading, level: readingLevel(reading) }, false);
    expect(lines).toContain('Test d’appel : Appel coupé');
    expect(lines).toContain('Sonde : Serveur joignable · 84 ms · ↓ 12,5 Mbit/s · ↑ 0,9 Mbit/s');
    expect(lines).toContain('Importé d’un journal Android');
    expect(lines.at(-1)).toBe('« <img src=x onerror=alert(1)> »');
  });
});
