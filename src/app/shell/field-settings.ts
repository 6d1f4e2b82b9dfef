import { DEFAULT_FIELD_SETTINGS, type FieldSettings } from '../../domain/field-settings.ts';
import { askServerConfig } from './server-config.ts';

const CACHE_KEY = 'couverture.field-settings';

let loading: Promise<FieldSettings> | undefined;

/**
 * How this deployment wants the phone to measure (probe budget, track spacing), from GET
 * /api/v1/config; remembered for offline starts, the defaults before the first contact.
 */
export function fieldSettings(): Promise<FieldSettings> {
  loading ??= fetchSettings();
  return loading;
}

async function fetchSettings(): Promise<FieldSettings> {
  // Offline (certain when the browser says so) the request could only fail: the settings kept
  // last time, without a request through the service worker while the first screen starts.
  if (typeof navigator !== 'undefined' && !navigator.onLine) return cachedSettings();
  const field = (await askServerConfig())?.field;
  if (!field) return cachedSettings();
  try {
    localStorage.setItem(CACHE_KEY, JSON.stringify(field));
  } catch {
    // Storage full: the settings still apply now, only not at an offline start.
  }
  return field;
}

function cachedSettings(): FieldSettings {
  try {
    const cached = localStorage.getItem(CACHE_KEY);
    if (cached) return { ...DEFAULT_FIELD_SETTINGS, ...(JSON.parse(cached) as Partial<FieldSettings>) };
  } catch {
    // Unreadable cache: the defaults will do until the server is reached.
  }
  return DEFAULT_FIELD_SETTINGS;
}
