import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { formatDistance, formatDuration } from '../../src/app/track/format-track.ts';
import { keepScreenAwake, type WakeLockStatus } from '../../src/app/track/wake-lock.ts';

describe('track figures', () => {
  it('writes distances in kilometres, French style', () => {
    expect(formatDistance(0)).toBe('0,00 km');
    expect(formatDistance(449.6)).toBe('0,45 km');
    expect(formatDistance(12_345)).toBe('12,35 km');
  });

  it('writes durations in the largest two units', () => {
    expect(formatDuration(45_900)).toBe('45 s');
    expect(formatDuration(12 * 60_000 + 3_000)).toBe('12 min 03 s');
    expect(formatDuration(3_600_000 + 5 * 60_000 + 59_000)).toBe('1 h 05 min');
    expect(formatDuration(-10)).toBe('0 s');
  });
});

/** A lock the test releases as the browser would when the page is hidden. */
class FakeSentinel extends EventTarget {
  released = false;
  release = vi.fn(async () => {
    this.released = true;
    this.dispatchEvent(new Event('release'));
  });
}

describe('keepScreenAwake', () => {
  let doc: EventTarget & { visibilityState: DocumentVisibilityState };
  let sentinels: FakeSentinel[];
  let request: ReturnType<typeof vi.fn>;
  let statuses: WakeLockStatus[];

  const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

  beforeEach(() => {
    doc = Object.assign(new EventTarget(), { visibilityState: 'visible' as DocumentVisibilityState });
    sentinels = [];
    request = vi.fn(async () => {
      const sentinel = new FakeSentinel();
      sentinels.push(sentinel);
      return sentinel;
    });
    statuses = [];
    vi.stubGlobal('document', doc);
    vi.stubGlobal('navigator', { wakeLock: { request } });
  });

  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('holds the lock, asks again when the page comes back into view, and lets go at the end', async () => {
    const release = keepScreenAwake((status) => statuses.push(status));
    await settle();
    expect(request).toHaveBeenCalledWith('screen');
    expect(statuses.at(-1)).toBe('held');

    // Hidden: the browser releases the lock by itself.
    doc.visibilityState = 'hidden';
    await sentinels[0]!.release();
    doc.dispatchEvent(new Event('visibilitychange'));
    await settle();
    expect(statuses.at(-1)).toBe('waiting');
    expect(request).toHaveBeenCalledTimes(1);

    doc.visibilityState = 'visible';
    doc.dispatchEvent(new Event('visibilitychange'));
    await settle();
    expect(request).toHaveBeenCalledTimes(2);
    expect(statuses.at(-1)).toBe('held');

    release();
    expect(sentinels[1]!.release).toHaveBeenCalled();
    expect(statuses.at(-1)).toBe('off');
    // Back in view after the end: nothing asked any more.
    doc.dispatchEvent(new Event('visibilitychange'));
    await settle();
    expect(request).toHaveBeenCalledTimes(2);
  });

  it('does not ask twice while holding the lock', async () => {
    keepScreenAwake((status) => statuses.push(status));
    await settle();
    doc.dispatchEvent(new Event('visibilitychange'));
    await settle();
    expect(request).toHaveBeenCalledTimes(1);
  });

  it('says the screen may sleep when the browser refuses the lock', async () => {
    request.mockRejectedValueOnce(new DOMException('Refusé', 'NotAllowedError'));
    keepScreenAwake((status) => statuses.push(status));
    await settle();
    expect(statuses).toEqual(['waiting', 'unavailable']);
  });

  it('says the screen may sleep when the browser has no Screen Wake Lock', () => {
    vi.stubGlobal('navigator', {});
    const release = keepScreenAwake((status) => statuses.push(status));
    expect(statuses).toEqual(['unavailable']);
    release();
    expect(statuses).toEqual(['unavailable', 'off']);
  });

  it('gives back a lock granted after the track ended', async () => {
    let grant!: (sentinel: FakeSentinel) => void;
    request.mockImplementationOnce(() => new Promise((resolve) => (grant = resolve)));
    const release = keepScreenAwake((status) => statuses.push(status));
    release();
    const late = new FakeSentinel();
    grant(late);
    await settle();
    expect(late.release).toHaveBeenCalled();
    expect(statuses.at(-1)).toBe('off');
  });
});
