import { describe, expect, it } from 'vitest';
import { operatorRows, readingsBeyondSnapshot, tallyCampaign, type ServerProgress } from '../../src/app/campaigns/campaign-progress.ts';
import type { CampaignProgress } from '../../src/domain/campaign.ts';
import type { Reading } from '../../src/domain/reading.ts';
import { waitingRecord } from '../../src/store/db.ts';
import type { OutboxRecord } from '../../src/store/outbox.ts';
import { makeReading } from './helpers.ts';

const CAMPAIGN = '7d4f5a52-3c1e-4b7a-9a51-0f3b2e6c9d10';
const OTHER_CAMPAIGN = '0c8e7f6d-5b4a-4c3d-8e2f-1a0b9c8d7e6f';
const FETCHED_AT = Date.parse('2026-05-04T10:00:00Z');

function record(state: OutboxRecord['state'], overrides: Partial<Reading> = {}, sentAt?: number): OutboxRecord {
  const reading = makeReading({ campaignId: CAMPAIGN, communeInsee: '34261', ...overrides });
  return { ...waitingRecord(reading, 1), state, ...(sentAt !== undefined && { sentAt }) };
}

function serverFigures(overrides: Partial<CampaignProgress> = {}): ServerProgress {
  return {
    fetchedAt: FETCHED_AT,
    progress: {
      campaignId: CAMPAIGN,
      readings: 3,
      byOperator: { orange: 2, sfr: 1, bouygues: 0, free: 0 },
      byTechnology: { none: 0, '2G': 0, '3G': 1, '4G': 2, '5G': 0 },
      cells: [],
      tracks: 1,
      lastReadingAt: '2026-05-04T09:00:00.000+02:00',
      ...overrides,
    },
  };
}

describe('campaign progress: server figures merged with the device', () => {
  it('adds the readings still waiting on the device, apart from the server’s', () => {
    const tally = tallyCampaign(CAMPAIGN, serverFigures(), [
      record('pending', { operator: 'free', technology: '2G', signalBars: 1 }),
      record('pending', { operator: 'orange' }),
    ]);
    expect(tally.server.readings).toBe(3);
    expect(tally.device.readings).toBe(2);
    expect(tally.total.readings).toBe(5);
    expect(tally.server.byOperator).toEqual({ orange: 2, sfr: 1, bouygues: 0, free: 0 });
    expect(tally.device.byOperator).toEqual({ orange: 1, sfr: 0, bouygues: 0, free: 1 });
    expect(tally.total.byOperator).toEqual({ orange: 3, sfr: 1, bouygues: 0, free: 1 });
    expect(tally.total.byTechnology).toEqual({ none: 0, '2G': 1, '3G': 1, '4G': 3, '5G': 0 });
    expect(tally.serverKnown).toBe(true);
    expect(tally.serverTracks).toBe(1);
  });

  it('never counts twice a reading sent before the figures were asked for', () => {
    const tally = tallyCampaign(CAMPAIGN, serverFigures(), [record('sent', { operator: 'orange' }, FETCHED_AT - 1)]);
    expect(tally.total.readings).toBe(3);
    expect(tally.sentSince).toBe(0);
  });

  it('counts on the server a reading sent after its figures (cached ones, offline): they cannot hold it yet', () => {
    const tally = tallyCampaign(CAMPAIGN, serverFigures(), [record('sent', { operator: 'bouygues' }, FETCHED_AT + 60_000)]);
    expect(tally.server.readings).toBe(4);
    expect(tally.server.byOperator.bouygues).toBe(1);
    expect(tally.device.readings).toBe(0);
    expect(tally.sentSince).toBe(1);
  });

  it('without any server figures, « on the server » is what this device knows it sent', () => {
    const tally = tallyCampaign(CAMPAIGN, undefined, [record('sent', {}, 5), record('pending')]);
    expect(tally.serverKnown).toBe(false);
    expect(tally.server.readings).toBe(1);
    expect(tally.device.readings).toBe(1);
    expect(tally.serverTracks).toBeUndefined();
  });

  it('leaves out other campaigns and readings of no campaign; counts refused ones apart', () => {
    const noCampaign = makeReading();
    const records: OutboxRecord[] = [record('pending', { campaignId: OTHER_CAMPAIGN }), waitingRecord(noCampaign, 1), record('refused')];
    const tally = tallyCampaign(CAMPAIGN, serverFigures(), records);
    expect(tally.total.readings).toBe(3);
    expect(tally.device.readings).toBe(0);
    expect(tally.refused).toBe(1);
  });

  it('takes the latest reading of server and device, comparing instants rather than texts', () => {
    // The server's 09:00+02:00 is 07:00 UTC: 08:30Z is later, though it sorts first as text.
    const later = record('pending', { recordedAt: '2026-05-04T08:30:00.000Z' });
    const earlier = record('pending', { recordedAt: '2026-05-04T06:00:00.000Z' });
    expect(tallyCampaign(CAMPAIGN, serverFigures(), [earlier]).lastReadingAt).toBe('2026-05-04T09:00:00.000+02:00');
    expect(tallyCampaign(CAMPAIGN, serverFigures(), [earlier, later]).lastReadingAt).toBe('2026-05-04T08:30:00.000Z');
    expect(tallyCampaign(CAMPAIGN, undefined, []).lastReadingAt).toBeUndefined();
  });

  it('counts the tracks that still have points waiting on the device', () => {
    const track = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';
    const tally = tallyCampaign(CAMPAIGN, serverFigures(), [record('pending', { trackId: track }), record('pending', { trackId: track }), record('pending')]);
    expect(tally.deviceTracks).toBe(1);
  });

  it('splits the device’s readings by what the figures can hold', () => {
    const beyond = readingsBeyondSnapshot(
      [record('pending'), record('sent', {}, FETCHED_AT + 1), record('sent', {}, FETCHED_AT - 1), record('sent')],
      CAMPAIGN,
      FETCHED_AT,
    );
    expect(beyond.unsent).toHaveLength(1);
    // A sent record without sentAt (older app) is taken as already in the figures.
    expect(beyond.sentSince).toHaveLength(1);
  });
});

describe('campaign progress: one row per operator', () => {
  it('lists every operator of the campaign, measured or not, then others measured anyway', () => {
    const tally = tallyCampaign(CAMPAIGN, serverFigures(), [record('pending', { operator: 'free' })]);
    const rows = operatorRows(tally, ['orange', 'bouygues']);
    expect(rows).toEqual([
      { operator: 'orange', server: 2, device: 0, total: 2, planned: true },
      { operator: 'sfr', server: 1, device: 0, total: 1, planned: false },
      { operator: 'bouygues', server: 0, device: 0, total: 0, planned: true },
      { operator: 'free', server: 0, device: 1, total: 1, planned: false },
    ]);
  });
});
