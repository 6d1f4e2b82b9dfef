import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_FIELD_SETTINGS } from '../../src/domain/field-settings.ts';

/**
 * GET /api/v1/config has one reader in the page (src/app/shell/server-config.ts): the field
 * settings and the base maps used to fetch it each their own way. Asked together they share one
 * request; without an answer each falls back on what it kept.
 */
const CONFIG = { field: { ...DEFAULT_FIELD_SETTINGS, protocol: 'qos' as const }, tileSources: { sources: [], defaultSourceId: 'osm' } };

function serverAnswering(status: number) {
  const kept = new Map<string, string>();
  vi.stubGlobal('navigator', { onLine: true });
  vi.stubGlobal('localStorage', { getItem: (key: string) => kept.get(key) ?? null, setItem: (key: string, value: string) => kept.set(key, value) });
  const fetch = vi.fn(async () => (status === 200 ? Response.json(CONFIG) : new Response('{}', { status })));
  vi.stubGlobal('fetch', fetch);
  return fetch;
}

describe('the server configuration, read once', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.resetModules();
  });

  it('shares one request between readers asking together, and asks again later', async () => {
    const fetch = serverAnswering(200);
    const { askServerConfig } = await import('../../src/app/shell/server-config.ts');
    const { fieldSettings } = await import('../../src/app/shell/field-settings.ts');
    const [field, config] = await Promise.all([fieldSettings(), askServerConfig()]);
    expect(field.protocol).toBe('qos');
    expect(config?.tileSources?.defaultSourceId).toBe('osm');
    expect(fetch).toHaveBeenCalledTimes(1);
    await askServerConfig();
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it('answers nothing on a refusal, and the field settings fall back on the defaults', async () => {
    serverAnswering(503);
    const { askServerConfig } = await import('../../src/app/shell/server-config.ts');
    const { fieldSettings } = await import('../../src/app/shell/field-settings.ts');
    expect(await askServerConfig()).toBeUndefined();
    expect(await fieldSettings()).toEqual(DEFAULT_FIELD_SETTINGS);
  });
});
