import { beforeEach, describe, expect, it } from 'vitest';
import { outboxState, pruneSentReadings, refreshOutbox, watchRecords } from '../../src/app/sync/outbox-state.ts';
import { addReading, applyServerVerdicts, listReadings, pruneSentBefore } from '../../src/store/outbox.ts';
import { DEFAULT_SENT_RETENTION_DAYS, readSentRetentionDays, sentBefore, writeSentRetentionDays } from '../../src/store/sent-retention.ts';
import { freshDatabase, makeReading } from './helpers.ts';

const DAY = 24 * 3600 * 1000;
const NOW = Date.parse('2026-12-04T12:00:00Z');

let closeList: (() => void) | undefined;

beforeEach(async () => {
  closeList?.();
  closeList = undefined;
  await freshDatabase();
  outboxState.set({ loaded: false, records: [], recordsLoaded: false, counts: { pending: 0, refused: 0 }, reports: [] });
});

/** One reading in each state, saved 100 days ago; the sent ones acknowledged `sentDaysAgo`. */
async function device(...sentDaysAgo: number[]) {
  const longAgo = NOW - 100 * DAY;
  const pending = await addReading(makeReading(), longAgo);
  const refused = await addReading(makeReading(), longAgo);
  await applyServerVerdicts({ stored: [], refused: [{ id: refused.id, code: 'invalid', errors: [] }] }, longAgo);
  const sent: string[] = [];
  for (const days of sentDaysAgo) {
    const { id } = await addReading(makeReading(), longAgo);
    await applyServerVerdicts({ stored: [id], refused: [] }, NOW - days * DAY);
    sent.push(id);
  }
  return { pending: pending.id, refused: refused.id, sent };
}

describe('pruneSentBefore', () => {
  it('deletes only readings acknowledged before the instant, never a waiting or refused one', async () => {
    const { pending, refused, sent } = await device(45, 31, 29, 1);
    const pruned = await pruneSentBefore(NOW - 30 * DAY);
    expect(pruned.sort()).toEqual([sent[0], sent[1]].sort());
    expect((await listReadings()).map(({ id }) => id).sort()).toEqual([pending, refused, sent[2], sent[3]].sort());
  });

  it('walks only the readings saved before the instant: one saved after it cannot have been acknowledged before', async () => {
    const recent = await addReading(makeReading(), NOW - DAY);
    // A clock set back between the save and the acknowledgement: kept, never a loss.
    await applyServerVerdicts({ stored: [recent.id], refused: [] }, NOW - 40 * DAY);
    const { sent } = await device(45);
    expect(await pruneSentBefore(NOW - 30 * DAY)).toEqual([sent[0]]);
    expect((await listReadings()).map(({ id }) => id)).toContain(recent.id);
  });
});

describe('the device’s retention of sent readings', () => {
  it('is 30 days unless set, and 0 keeps them for good', async () => {
    expect(await readSentRetentionDays()).toBe(DEFAULT_SENT_RETENTION_DAYS);
    expect(DEFAULT_SENT_RETENTION_DAYS).toBe(30);
    await writeSentRetentionDays(7);
    expect(await readSentRetentionDays()).toBe(7);
    expect(sentBefore(0, NOW)).toBeUndefined();
    await expect(writeSentRetentionDays(-1)).rejects.toThrow('Durée de conservation invalide');
  });

  it('prunes by the setting and takes the pruned readings off the page’s list', async () => {
    const { pending, refused, sent } = await device(400, 45, 10);
    closeList = watchRecords();
    await refreshOutbox();
    expect(await pruneSentReadings(NOW)).toBe(2);
    expect(
      outboxState
        .get()
        .records.map(({ id }) => id)
        .sort(),
    ).toEqual([pending, refused, sent[2]].sort());

    await writeSentRetentionDays(0);
    expect(await pruneSentReadings(NOW + 1000 * DAY)).toBe(0);
    await writeSentRetentionDays(7);
    expect(await pruneSentReadings(NOW)).toBe(1);
    expect(
      outboxState
        .get()
        .records.map(({ id }) => id)
        .sort(),
    ).toEqual([pending, refused].sort());
  });
});
