export interface TileConfig {
  url: string;
  attribution: string;
  maxZoom: number;
}

const CACHE_KEY = 'couverture.tile-config';

/** The deployment's base map (GET /api/v1/config), remembered for offline starts. */
export async function loadTileConfig(): Promise<TileConfig | undefined> {
  try {
    const response = await fetch('/api/v1/config', { cache: 'no-store' });
    if (!response.ok) throw new Error(String(response.status));
    const { tiles } = (await response.json()) as { tiles: TileConfig };
    localStorage.setItem(CACHE_KEY, JSON.stringify(tiles));
    return tiles;
  } catch {
    const cached = localStorage.getItem(CACHE_KEY);
    return cached ? (JSON.parse(cached) as TileConfig) : undefined;
  }
}
