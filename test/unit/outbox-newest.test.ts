import { beforeEach, describe, expect, it } from 'vitest';
import { getDb, waitingRecord, type OutboxRecord } from '../../src/store/db.ts';
import { addReading, listReadings, newestMeasured } from '../../src/store/outbox.ts';
import { addReadingsIfAbsent } from '../../src/store/import.ts';
import { recordPoint, startTrack } from '../../src/store/tracks.ts';
import { freshDatabase, makeReading } from './helpers.ts';

beforeEach(freshDatabase);

const ids = (records: readonly { id: string }[]) => records.map((record) => record.id);

/** What the readings list showed before it read a page: every reading, sorted in the page. */
function sortedWhole(records: readonly { id: string; savedAt: number; reading: { recordedAt: string } }[]): string[] {
  const at = (recordedAt: string) => {
    const ms = Date.parse(recordedAt);
    return Number.isNaN(ms) ? -Infinity : ms;
  };
  return [...records]
    .sort((a, b) => at(b.reading.recordedAt) - at(a.reading.recordedAt) || b.savedAt - a.savedAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
    .map((record) => record.id);
}

describe('the readings list’s page (newestMeasured)', () => {
  it('lists the most recently measured first, imported readings among the others, whatever their offset', async () => {
    // An import saves its whole file at once, after the readings recorded by hand.
    await addReading(makeReading({ id: 'recorded-noon', recordedAt: '2026-12-04T12:00:00+01:00' }), 1000);
    await addReading(makeReading({ id: 'recorded-morning', recordedAt: '2026-12-04T09:00:00+01:00' }), 2000);
    await addReadingsIfAbsent(
      [
        makeReading({ id: 'imported-october', recordedAt: '2026-10-14T09:00:00+02:00' }),
        // 10:30 UTC: after the morning's 08:00 UTC, before noon's 11:00 UTC.
        makeReading({ id: 'imported-december', recordedAt: '2026-12-04T10:30:00Z' }),
      ],
      { savedAt: 3000 },
    );

    const { records, more } = await newestMeasured(10);
    expect(ids(records)).toEqual(['recorded-noon', 'imported-december', 'recorded-morning', 'imported-october']);
    expect(more).toBe(false);
  });

  it('reads a page at a time, in the order the whole outbox sorted would give, ties by latest save then id', async () => {
    const db = await getDb();
    const records: OutboxRecord[] = [];
    for (let i = 0; i < 60; i += 1) {
      // Few instants, so that many readings share one; some unreadable, listed last.
      const recordedAt = i % 13 === 0 ? 'pas une date' : `2026-12-0${1 + (i % 3)}T10:00:00Z`;
      records.push(waitingRecord(makeReading({ id: `r-${String((i * 37) % 60).padStart(2, '0')}`, recordedAt }), 100 + (i % 4)));
    }
    for (const record of records) await db.add('outbox', record);
    const expected = sortedWhole(records);

    const first = await newestMeasured(25);
    expect(ids(first.records)).toEqual(expected.slice(0, 25));
    expect(first.more).toBe(true);
    const exactly = await newestMeasured(60);
    expect(ids(exactly.records)).toEqual(expected);
    expect(exactly.more).toBe(false);
    expect((await newestMeasured(0)).records).toEqual([]);
    expect(expected.slice(-5).every((id) => records.find((record) => record.id === id)!.measuredAt === -Infinity)).toBe(true);
  });

  it('holds every reading the other ways of saving write: survey, import, track', async () => {
    await addReading(makeReading({ id: 'saved' }), 1);
    await addReadingsIfAbsent([makeReading({ id: 'imported' })], { savedAt: 2 });
    const track = await startTrack({ id: 'track', recordedBy: undefined, settings: { spacingM: 0, intervalS: 0 }, startedAt: 3 });
    expect((await recordPoint(makeReading({ id: 'point', trackId: track.id }), { savedAt: 4 })).recorded).toBe(true);
    expect(ids((await newestMeasured(10)).records).sort()).toEqual(ids(await listReadings()).sort());
  });
});
