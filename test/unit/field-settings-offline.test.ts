import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_FIELD_SETTINGS } from '../../src/domain/field-settings.ts';

/**
 * Issue 19, repeat visit offline: the field settings come from what the last contact kept,
 * without a request that could only fail (one less fetch through the service worker while the
 * first screen starts); with network they are asked for as before.
 */
const KEPT = { ...DEFAULT_FIELD_SETTINGS, protocol: 'qos' as const };

function deviceWith({ onLine }: { onLine: boolean }) {
  const kept = new Map([['couverture.field-settings', JSON.stringify(KEPT)]]);
  vi.stubGlobal('navigator', { onLine });
  vi.stubGlobal('localStorage', {
    getItem: (key: string) => kept.get(key) ?? null,
    setItem: (key: string, value: string) => kept.set(key, value),
  });
  const fetch = vi.fn(async () => Response.json({ field: { ...DEFAULT_FIELD_SETTINGS, protocol: 'map-check' } }));
  vi.stubGlobal('fetch', fetch);
  return fetch;
}

describe('field settings at start', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.resetModules();
  });

  it('offline: the settings kept last time, and no request', async () => {
    const fetch = deviceWith({ onLine: false });
    const { fieldSettings } = await import('../../src/app/shell/field-settings.ts');
    expect(await fieldSettings()).toEqual(KEPT);
    expect(fetch).not.toHaveBeenCalled();
  });

  it('online: asked for, and kept for the next offline start', async () => {
    const fetch = deviceWith({ onLine: true });
    const { fieldSettings } = await import('../../src/app/shell/field-settings.ts');
    expect((await fieldSettings()).protocol).toBe('map-check');
    expect(fetch).toHaveBeenCalledTimes(1);
  });
});
