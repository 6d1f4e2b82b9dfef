import { beforeEach, describe, expect, it } from 'vitest';
import type { Reading } from '../../src/domain/reading.ts';
import { distanceM } from '../../src/domain/geo.ts';
import { closeDb } from '../../src/store/db.ts';
import { getReading, listReadings } from '../../src/store/outbox.ts';
import { activeTrack, endTrack, getTrack, listTracks, recordPoint, startTrack, type NewTrack } from '../../src/store/tracks.ts';
import { AGENT_ID, freshDatabase, makeReading } from './helpers.ts';

beforeEach(freshDatabase);

const START = Date.parse('2026-05-04T08:00:00Z');
const ORIGIN = { lat: 43.7339, lon: 3.5494 };
const M_PER_DEG_LAT = 111_195;
const CAMPAIGN_ID = '0d6c1f4e-8a57-4b8e-9f0a-3c2b1a0e9d8c';

function newTrack(overrides: Partial<NewTrack> = {}): NewTrack {
  return {
    id: crypto.randomUUID(),
    recordedBy: AGENT_ID,
    campaignId: CAMPAIGN_ID,
    communeInsee: '34261',
    settings: { spacingM: 100, intervalS: 30 },
    startedAt: START,
    ...overrides,
  };
}

/** A point `north` metres from ORIGIN, recorded `seconds` after START from a fix 300 ms old. */
function point(trackId: string, north: number, seconds: number, overrides: Partial<Reading> = {}): Reading {
  return makeReading({
    trackId,
    campaignId: CAMPAIGN_ID,
    communeInsee: '34261',
    recordedAt: new Date(START + seconds * 1000).toISOString(),
    lat: ORIGIN.lat + north / M_PER_DEG_LAT,
    lon: ORIGIN.lon,
    accuracyM: 8,
    positionAgeMs: 300,
    ...overrides,
  });
}

describe('startTrack / activeTrack / endTrack / listTracks', () => {
  it('starts an active, empty track with the settings and campaign it was started with', async () => {
    const track = await startTrack(newTrack({ settings: { spacingM: 250, intervalS: 60 } }));
    expect(track).toMatchObject({
      state: 'active',
      startedAt: START,
      recordedBy: AGENT_ID,
      campaignId: CAMPAIGN_ID,
      communeInsee: '34261',
      spacingM: 250,
      intervalS: 60,
      pointCount: 0,
      distanceM: 0,
    });
    expect(track.lastPoint).toBeUndefined();
    expect(await activeTrack(AGENT_ID)).toEqual(track);
  });

  it('gives back the running track instead of starting a second one for the same account', async () => {
    const first = await startTrack(newTrack());
    const again = await startTrack(newTrack({ startedAt: START + 5_000 }));
    expect(again.id).toBe(first.id);
    expect(await listTracks()).toHaveLength(1);
  });

  it('keeps each account to its own track on a shared phone', async () => {
    const mine = await startTrack(newTrack());
    const theirs = await startTrack(newTrack({ recordedBy: 'user-agent-2' }));
    expect(theirs.id).not.toBe(mine.id);
    expect((await activeTrack(AGENT_ID))?.id).toBe(mine.id);
    expect((await activeTrack('user-agent-2'))?.id).toBe(theirs.id);
    expect(await activeTrack('user-agent-3')).toBeUndefined();
  });

  it('ends a track once, then none is active and a new one can start', async () => {
    const track = await startTrack(newTrack());
    const ended = await endTrack(track.id, START + 600_000);
    expect(ended).toMatchObject({ state: 'ended', endedAt: START + 600_000 });
    expect(await endTrack(track.id, START + 900_000)).toEqual(ended);
    expect(await activeTrack(AGENT_ID)).toBeUndefined();
    const next = await startTrack(newTrack({ startedAt: START + 1_000_000 }));
    expect(next.id).not.toBe(track.id);
    expect((await listTracks()).map((t) => t.id)).toEqual([next.id, track.id]);
  });

  it('never ends a track before it started, whatever the clock says', async () => {
    const track = await startTrack(newTrack());
    expect((await endTrack(track.id, START - 60_000))?.endedAt).toBe(START);
  });
});

describe('recordPoint', () => {
  it('stores the point as a pending reading of the track’s account and moves the track on, together', async () => {
    const track = await startTrack(newTrack());
    const first = point(track.id, 0, 1);
    const result = await recordPoint(first, { savedAt: START + 1_500 });
    expect(result.recorded).toBe(true);
    expect(await getReading(first.id)).toEqual({
      id: first.id,
      reading: first,
      state: 'pending',
      savedAt: START + 1_500,
      measuredAt: Date.parse(first.recordedAt),
      recordedBy: AGENT_ID,
    });

    const second = point(track.id, 150, 20);
    await recordPoint(second, { savedAt: START + 20_500 });
    const stored = await getTrack(track.id);
    expect(stored).toMatchObject({ pointCount: 2, lastPoint: { lat: second.lat, lon: second.lon, at: START + 20_000 } });
    expect(stored!.distanceM).toBeCloseTo(distanceM(first, second), 6);
    expect(stored!.distanceM).toBeCloseTo(150, 0);
  });

  it('keeps a reading held for its evidence', async () => {
    const track = await startTrack(newTrack());
    const reading = point(track.id, 0, 1);
    await recordPoint(reading, { savedAt: START + 1_000, heldUntil: START + 31_000 });
    expect((await getReading(reading.id))?.heldUntil).toBe(START + 31_000);
  });

  it('stores nothing when the rule says no point is due, and says why', async () => {
    const track = await startTrack(newTrack());
    await recordPoint(point(track.id, 0, 1), { savedAt: START + 1_000 });
    const tooSoon = await recordPoint(point(track.id, 40, 10), { savedAt: START + 10_000 });
    const blurred = await recordPoint(point(track.id, 3000, 60, { accuracyM: 1200 }), { savedAt: START + 60_000 });
    expect(tooSoon).toMatchObject({ recorded: false, reason: 'too-soon' });
    expect(blurred).toMatchObject({ recorded: false, reason: 'inaccurate' });
    expect(await listReadings()).toHaveLength(1);
    expect((await getTrack(track.id))?.pointCount).toBe(1);
  });

  it('records one point when two fixes race for the same spacing (two tabs, or a fix during a save)', async () => {
    const track = await startTrack(newTrack());
    await recordPoint(point(track.id, 0, 1), { savedAt: START + 1_000 });
    // Both are 150 m from the stored last point; the second is only 20 m past the first.
    const results = await Promise.all([
      recordPoint(point(track.id, 150, 12), { savedAt: START + 12_000 }),
      recordPoint(point(track.id, 170, 13), { savedAt: START + 13_000 }),
    ]);
    expect(results.map((r) => r.recorded)).toEqual([true, false]);
    expect(await listReadings()).toHaveLength(2);
    expect((await getTrack(track.id))?.pointCount).toBe(2);
  });

  it('changes nothing, in either store, when the reading’s id is already stored', async () => {
    const track = await startTrack(newTrack());
    const first = point(track.id, 0, 1);
    await recordPoint(first, { savedAt: START + 1_000 });
    const before = await getTrack(track.id);
    // Far and late enough to be due: only the id clash can stop it.
    await expect(recordPoint({ ...point(track.id, 500, 40), id: first.id }, { savedAt: START + 40_000 })).rejects.toMatchObject({ name: 'ConstraintError' });
    expect(await getTrack(track.id)).toEqual(before);
    expect((await getReading(first.id))?.reading).toEqual(first);
  });

  it('refuses points for an ended or unknown track, and a reading without trackId', async () => {
    const track = await startTrack(newTrack());
    await endTrack(track.id, START + 5_000);
    expect(await recordPoint(point(track.id, 0, 10), { savedAt: START + 10_000 })).toMatchObject({ recorded: false, reason: 'ended' });
    expect(await recordPoint(point(crypto.randomUUID(), 0, 10), { savedAt: START + 10_000 })).toMatchObject({
      recorded: false,
      reason: 'ended',
      track: undefined,
    });
    await expect(recordPoint(makeReading(), { savedAt: START })).rejects.toThrow(/trackId/);
    expect(await listReadings()).toEqual([]);
  });

  it('after a reload, the track resumes with exactly the points the outbox holds', async () => {
    const track = await startTrack(newTrack());
    const walked = [0, 150, 300, 450];
    for (const [i, north] of walked.entries()) await recordPoint(point(track.id, north, 1 + i * 10), { savedAt: START + i * 10_000 });
    await closeDb();

    const resumed = await activeTrack(AGENT_ID);
    const points = (await listReadings()).filter((r) => r.reading.trackId === track.id);
    expect(resumed?.pointCount).toBe(points.length);
    expect(resumed?.pointCount).toBe(4);
    expect(resumed?.distanceM).toBeCloseTo(450, 0);
    // The fix the page sees again after the reload is not a new point.
    const again = await recordPoint(point(track.id, 450, 31, { positionAgeMs: 0 }), { savedAt: START + 31_000 });
    expect(again).toMatchObject({ recorded: false, reason: 'stale' });
    expect((await recordPoint(point(track.id, 600, 40), { savedAt: START + 40_000 })).recorded).toBe(true);
    expect((await getTrack(track.id))?.pointCount).toBe(5);
  });
});
