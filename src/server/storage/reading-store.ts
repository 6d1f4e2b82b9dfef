import type { Bbox } from '../../domain/geojson.ts';
import type { CellRef } from '../../domain/grid/cell-id.ts';
import type { Operator } from '../../domain/operators.ts';
import type { ClusterAccumulator } from '../../domain/reading-clusters.ts';
import type { Reading } from '../../domain/reading.ts';
import type { Technology } from '../../domain/signal.ts';
import type { PlaceMethod } from '../communes/communes.ts';

/** What became of one reading handed to `ingest`. */
export type IngestOutcome = 'accepted' | 'duplicate' | 'conflict';

export interface IngestResult {
  /**
   * One per reading handed in, in the same order. The id lists below cannot say which of two
   * readings sharing an id within one call was the conflicting one; this can.
   */
  outcomes: IngestOutcome[];
  /** Stored by this call. */
  accepted: string[];
  /** Already stored with the same content: a retry, harmless. */
  duplicates: string[];
  /** Already stored with other content: nothing was overwritten. */
  conflicts: string[];
}

/**
 * Who sent a reading and where it lies, decided by the server (never taken from the body).
 * Stored beside the reading when it is first accepted; a duplicate keeps the first one's.
 */
export interface ReadingPlacement {
  /** The account that sent it; null for readings stored before accounts existed. */
  accountId: string | null;
  /** INSEE code of the commune the reading lies in, when the server could tell. */
  commune: string | null;
  departement: string | null;
  /** Sent by an agent from outside the communes they record for. */
  outsideCommunes: boolean;
  /** How the point was placed (communes.ts); null or absent: not by its position. */
  placement?: PlaceMethod | null;
  /** The commune data import it was placed with (PlaceStore.referenceGeneration); absent: never placed, so placed at the next start. */
  placedWith?: number;
}

/** placed_with of a row never placed by its position: placed again at the next start. */
export const NEVER_PLACED = -1;

export const UNPLACED: ReadingPlacement = { accountId: null, commune: null, departement: null, outsideCommunes: false };

/** Which readings a person may read back (decided by src/server/access/scope.ts). */
export type ReadingScope =
  | { kind: 'all' }
  | { kind: 'departement'; departement: string }
  /** The agent's own readings, plus every reading lying in one of their communes. */
  | { kind: 'agent'; accountId: string; communes: readonly string[] };

/** Which readings a query is about; every part is optional and they all apply. */
export interface ReadingFilter {
  bbox?: Bbox;
  /** ISO 8601: only readings recorded at or after this instant. */
  since?: string;
  /** Only readings of these operators (absent: any). */
  operators?: readonly Operator[];
  /** Only readings of these technologies (absent: any). */
  technologies?: readonly Technology[];
  /** Absent: every reading (the store's own callers: health check, tests, tools). */
  scope?: ReadingScope;
}

export interface ReadingQuery extends ReadingFilter {
  limit: number;
  /** Opaque cursor from a previous page's `nextCursor`. */
  cursor?: string;
}

/** Readings aggregated for a map zoomed out (zoom below CLUSTER_BELOW_ZOOM): all of them, no paging. */
export interface ReadingClusterQuery extends ReadingFilter {
  zoom: number;
}

/** One cluster, exactly as ClusterAccumulator (src/domain/reading-clusters.ts) makes it. */
export type ReadingClusterFeature = ReturnType<ClusterAccumulator['features']>[number];

export interface ReadingPage {
  readings: Reading[];
  /** Where each reading of `readings` lies, same order. */
  places: (Pick<ReadingPlacement, 'commune' | 'outsideCommunes'> & { placement: PlaceMethod | null })[];
  /** Present when more readings match. */
  nextCursor?: string;
}

/** Readings lying in grid cells (any resolution that is a multiple of 200 m), paged like {@link ReadingQuery}. */
export interface CellReadingQuery {
  cells: readonly CellRef[];
  limit: number;
  cursor?: string;
  scope?: ReadingScope;
}

export interface ReadingAttribution {
  accountId: string | null;
  source: string;
}

/**
 * What the routes need from storage for readings. Async so that a networked store
 * (PostgreSQL) fits the same shape as the embedded SQLite one.
 */
export interface ReadingStore {
  /**
   * Stores valid readings idempotently by id; all of one call commit in one transaction.
   * `placements[i]` goes with `readings[i]` (absent: UNPLACED).
   */
  ingest(readings: Reading[], placements?: readonly ReadingPlacement[]): Promise<IngestResult>;
  /** Rejects with InvalidCursorError when the cursor was not made by this store. */
  query(query: ReadingQuery): Promise<ReadingPage>;
  /**
   * The matching readings grouped in the squares of clusterSquare() at `query.zoom`, as
   * ClusterAccumulator would group them; a store may aggregate them where they lie.
   */
  clusters(query: ReadingClusterQuery): Promise<ReadingClusterFeature[]>;
  /** The readings whose 200 m cell lies in one of `cells`, oldest received first. */
  readingsInCells(query: CellReadingQuery): Promise<ReadingPage>;
  /** INSEE codes (sorted) of the communes the readings in these cells were placed in, whoever's scope. */
  communesInCells(cells: readonly CellRef[]): Promise<string[]>;
  /** Who a stored reading is attributed to; undefined when no reading has this id. */
  attribution(readingId: string): Promise<ReadingAttribution | undefined>;
  close(): Promise<void>;
}

export class InvalidCursorError extends Error {}
