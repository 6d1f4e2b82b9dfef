import { describe, expect, it } from 'vitest';
import { FIRST_RETRY_MS, MAX_RETRY_MS, nextTryDelay, retryAfterMs, retryDelay, worthRetrying } from '../../src/sync/backoff.ts';

const top = () => 1; // the ceiling itself
const bottom = () => 0; // half the ceiling

describe('retryDelay', () => {
  it('is 0 before any failure', () => {
    expect(retryDelay(0, top)).toBe(0);
    expect(retryDelay(0, bottom)).toBe(0);
    expect(retryDelay(-3, top)).toBe(0);
  });

  it('starts at 5 s and doubles with each failure in a row', () => {
    expect(FIRST_RETRY_MS).toBe(5_000);
    expect([1, 2, 3, 4, 5, 6].map((n) => retryDelay(n, top))).toEqual([5_000, 10_000, 20_000, 40_000, 80_000, 160_000]);
  });

  it('is capped at 5 minutes', () => {
    expect(MAX_RETRY_MS).toBe(300_000);
    expect(retryDelay(7, top)).toBe(300_000); // 320 s uncapped
    expect(retryDelay(50, top)).toBe(300_000);
    expect(retryDelay(5_000, top)).toBe(300_000); // 2 ** 4999 is Infinity: still capped
    expect(retryDelay(5_000, bottom)).toBe(150_000);
  });

  it.each([1, 2, 3, 6, 7, 30])('after %i failures, jitter keeps the delay within [50 %%, 100 %%] of the ceiling', (failures) => {
    const ceiling = retryDelay(failures, top);
    expect(retryDelay(failures, bottom)).toBe(ceiling / 2);
    expect(retryDelay(failures, () => 0.5)).toBe(Math.round(ceiling * 0.75));
    for (let i = 0; i < 200; i++) {
      const delay = retryDelay(failures);
      expect(delay).toBeGreaterThanOrEqual(ceiling / 2);
      expect(delay).toBeLessThanOrEqual(ceiling);
    }
  });

  it('spreads delays out (different random draws give different delays)', () => {
    expect(retryDelay(3, () => 0.1)).not.toBe(retryDelay(3, () => 0.9));
  });

  it('returns whole milliseconds', () => {
    expect(Number.isInteger(retryDelay(1, () => 0.123456))).toBe(true);
  });
});

describe('worthRetrying', () => {
  it('retries after a fault while readings wait', () => {
    expect(worthRetrying({ sent: 0, refused: 0, pending: 2, error: 'Pas de réseau' })).toBe(true);
  });

  it('does not retry when nothing waits or nothing failed', () => {
    expect(worthRetrying({ sent: 2, refused: 0, pending: 0 })).toBe(false);
    expect(worthRetrying({ sent: 0, refused: 0, pending: 0, error: 'x' })).toBe(false);
    expect(worthRetrying({ sent: 0, refused: 0, pending: 3 })).toBe(false);
  });

  it('stops retrying while the readings wait for a sign-in', () => {
    expect(worthRetrying({ sent: 0, refused: 0, pending: 3, error: 'Session expirée', authRequired: true })).toBe(false);
    expect(worthRetrying({ sent: 0, refused: 0, pending: 3, error: 'Session expirée', authRequired: true, reports: { sent: 1, refused: 0, pending: 0 } })).toBe(
      false,
    );
  });

  it('still retries for residents’ reports that failed, sign-in or not', () => {
    expect(
      worthRetrying({
        sent: 0,
        refused: 0,
        pending: 3,
        error: 'Session expirée',
        authRequired: true,
        reports: { sent: 0, refused: 0, pending: 1, error: '429' },
      }),
    ).toBe(true);
    expect(worthRetrying({ sent: 0, refused: 0, pending: 0, reports: { sent: 0, refused: 0, pending: 2, error: 'Pas de réseau' } })).toBe(true);
  });
});

describe('a busy server’s Retry-After', () => {
  const now = Date.parse('2026-12-05T10:00:00Z');

  it('reads seconds and HTTP dates, within [1 s, 5 min]', () => {
    expect(retryAfterMs('5', now)).toBe(5_000);
    expect(retryAfterMs(' 30 ', now)).toBe(30_000);
    expect(retryAfterMs('Sat, 05 Dec 2026 10:00:20 GMT', now)).toBe(20_000);
    expect(retryAfterMs('0', now)).toBe(1_000);
    expect(retryAfterMs('86400', now)).toBe(MAX_RETRY_MS);
    expect(retryAfterMs('Sat, 05 Dec 2026 09:00:00 GMT', now)).toBe(1_000);
  });

  it('ignores what it cannot read', () => {
    for (const header of [null, '', 'bientôt', '-5', '1.5']) expect(retryAfterMs(header, now)).toBeUndefined();
  });

  it('is what the next try waits for, spread over half as long again, instead of a backoff grown to minutes', () => {
    expect(nextTryDelay(9, 5_000, bottom)).toBe(5_000);
    expect(nextTryDelay(9, 5_000, top)).toBe(7_500);
    expect(nextTryDelay(9, undefined, top)).toBe(retryDelay(9, top));
    expect(nextTryDelay(1, MAX_RETRY_MS, top)).toBe(MAX_RETRY_MS);
  });
});
