/**
 * A base map the deployment offers (GET /api/v1/config → `tileSources`). Which ones, and
 * which is the default, are the deployment's choice (README, "Configuration").
 */
export interface TileSource {
  /** Stable key, e.g. "plan-ign", "osm"; pre-downloaded areas remember it. */
  id: string;
  /** Shown in the map's source picker, in French. */
  label: string;
  /** XYZ template with {z}, {x}, {y} (a WMTS KVP URL written as such a template). */
  url: string;
  /** HTML shown in the map corner; the provider's terms require it. */
  attribution: string;
  minZoom: number;
  maxZoom: number;
  /**
   * Whether the provider's terms allow downloading areas ahead of use (« Préparer hors
   * ligne »). OpenStreetMap's tile policy does not: browse-time caching only.
   */
  allowsPrefetch: boolean;
  /** Typical size of one tile (bytes), for the download estimate shown before it starts. */
  averageTileBytes: number;
}

/** The `tileSources` part of GET /api/v1/config. */
export interface TileSourcesConfig {
  sources: TileSource[];
  /** Id of the source maps open with. */
  defaultSourceId: string;
}
