import type { FieldSettings } from '../../domain/field-settings.ts';
import type { TileSourcesConfig } from '../../domain/tile-source.ts';

/** GET /api/v1/config's answer (src/server/routes/config.ts); a field an older server does not send is missing. */
export interface ServerConfig {
  /** The default base map in the shape versions before `tileSources` read. */
  tiles?: { url: string; attribution: string; maxZoom: number };
  tileSources?: TileSourcesConfig;
  field?: FieldSettings;
}

let asking: Promise<ServerConfig | undefined> | undefined;

/**
 * The deployment's settings as the server says them now, or undefined without an answer
 * (offline, an error): each reader then falls back on what it kept. Readers asking at the same
 * time share one request. A plain fetch rather than api(): the survey's first screen reads it,
 * and the contract's parser would not fit its script budget.
 */
export function askServerConfig(): Promise<ServerConfig | undefined> {
  asking ??= fetchConfig().finally(() => {
    asking = undefined;
  });
  return asking;
}

async function fetchConfig(): Promise<ServerConfig | undefined> {
  try {
    const response = await fetch('/api/v1/config', { cache: 'no-store' });
    return response.ok ? ((await response.json()) as ServerConfig) : undefined;
  } catch {
    return undefined;
  }
}
