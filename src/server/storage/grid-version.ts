import type { CellTile } from '../../domain/grid/cell-tiles.ts';
import type { ReplaceCounts } from './place-store.ts';
import type { Store } from './store.ts';

/**
 * The versions of what GET /api/v1/cells answers from: the grid rows (readings, visible
 * reports), the declared coverage, the population and the communes' placements. A built answer
 * is cached and validated (ETag) under the version read BEFORE it was built, and a version
 * changes only once the transaction that may change those rows has committed (or with it): so
 * an answer is never older than the version it is kept under (a build may see a newer commit
 * than its version, never an older one).
 *
 * Two kinds: the store-wide {@link GridVersionStore.gridVersion}, changed by every such write,
 * and one version per tile ({@link GridVersionStore.gridTileVersions}, grid-unit-versions.ts),
 * changed only by writes in the tile's 10 km cells, or by writes that change every tile.
 *
 * Which store methods change what is decided here, for all of them at once, rather than by a
 * bump call in each writer: {@link GRID_EFFECT} classifies every method of the Store, so that
 * a method added later does not compile until someone says whether it changes the grid, and
 * where.
 */

export interface GridVersionStore {
  /** The version of everything a cells' answer is built from; changes after every commit that may change it. */
  gridVersion(): Promise<string>;
  /**
   * One version per tile (src/domain/grid/cell-tiles.ts), in the order asked: it changes after
   * every commit that may change what any of the tile's cells answer, and never names two
   * different states of them. Read BEFORE building a tile's answer, like {@link gridVersion}.
   */
  gridTileVersions(tiles: readonly CellTile[]): Promise<string[]>;
}

/** What a store implements itself; {@link withGridVersion} adds the versions. */
export type StoreWithoutVersions = Omit<Store, keyof GridVersionStore>;

/**
 * Whether a store method may change what GET /api/v1/cells answers, and where:
 * - 'changes-grid-locally': only the cells of the readings and reports it writes (it counts a
 *   change in their 10 km cells inside its transaction: grid-unit-versions.ts);
 * - 'changes-grid-everywhere': any cell (it changes every tile's version once committed).
 */
export type GridEffect = 'changes-grid-locally' | 'changes-grid-everywhere' | 'leaves-grid';
export type GridChange = Exclude<GridEffect, 'leaves-grid'>;

type StoreMethod = keyof StoreWithoutVersions;

const GRID_EFFECT: Record<StoreMethod, GridEffect> = {
  // Readings, reports and what the cells carry beside them.
  ingest: 'changes-grid-locally',
  ingestReports: 'changes-grid-locally',
  setReportHidden: 'changes-grid-locally',
  // Whole départements or the whole country at once.
  replaceDeclaredCoverage: 'changes-grid-everywhere',
  importPopulation: 'changes-grid-everywhere',
  replaceCommuneShapes: 'changes-grid-everywhere',
  placeAgain: 'changes-grid-everywhere',
  rebuildGrid: 'changes-grid-everywhere',
  // Points of interest are not in the cells' answer, but a new import is rare: cheaper to be sure.
  importPointsOfInterest: 'changes-grid-everywhere',
  // Reads.
  gridGroups: 'leaves-grid',
  gridReports: 'leaves-grid',
  query: 'leaves-grid',
  clusters: 'leaves-grid',
  readingsInCells: 'leaves-grid',
  communesInCells: 'leaves-grid',
  attribution: 'leaves-grid',
  queryReports: 'leaves-grid',
  reportById: 'leaves-grid',
  declaredEditions: 'leaves-grid',
  declaredCells: 'leaves-grid',
  populationIn: 'leaves-grid',
  pointsOfInterestIn: 'leaves-grid',
  communeShapes: 'leaves-grid',
  communeOutlinePieces: 'leaves-grid',
  communeLoads: 'leaves-grid',
  referenceGeneration: 'leaves-grid',
  departementsInCells: 'leaves-grid',
  // Accounts, sessions, zones, campaigns, rate counters: none is in a cell's answer (the
  // caller's scope is part of the cache key, not of the version).
  apiTokenByHash: 'leaves-grid',
  apiTokenById: 'leaves-grid',
  appendAudit: 'leaves-grid',
  createApiToken: 'leaves-grid',
  createSession: 'leaves-grid',
  createUser: 'leaves-grid',
  deleteApiToken: 'leaves-grid',
  deleteExpiredSessions: 'leaves-grid',
  deleteSession: 'leaves-grid',
  deleteUserApiTokens: 'leaves-grid',
  deleteUserSessions: 'leaves-grid',
  listApiTokens: 'leaves-grid',
  listAudit: 'leaves-grid',
  listUsers: 'leaves-grid',
  sessionByTokenHash: 'leaves-grid',
  touchApiToken: 'leaves-grid',
  touchSession: 'leaves-grid',
  updateUser: 'leaves-grid',
  userByEmail: 'leaves-grid',
  userById: 'leaves-grid',
  campaignById: 'leaves-grid',
  campaignTally: 'leaves-grid',
  createCampaign: 'leaves-grid',
  deleteCampaign: 'leaves-grid',
  listCampaigns: 'leaves-grid',
  updateCampaign: 'leaves-grid',
  clearHits: 'leaves-grid',
  countHit: 'leaves-grid',
  deleteEndedCounters: 'leaves-grid',
  peekHits: 'leaves-grid',
  serverSecret: 'leaves-grid',
  // The kept answers are what the grid answered, not what it answers from.
  keptAnswersGeneration: 'leaves-grid',
  keepAnswer: 'leaves-grid',
  keptAnswers: 'leaves-grid',
  forgetKeptAnswers: 'leaves-grid',
  keptAnswerQueries: 'leaves-grid',
  dropKeptAnswers: 'leaves-grid',
  createZone: 'leaves-grid',
  listZones: 'leaves-grid',
  moveZone: 'leaves-grid',
  updateZone: 'leaves-grid',
  zoneById: 'leaves-grid',
  close: 'leaves-grid',
};

/** Where a store keeps its versions: sqlite/sqlite-grid-version.ts, postgres/postgres-grid-version.ts. */
export interface GridVersionSource {
  /** The current store-wide version, an opaque token fit for an ETag (letters, digits, `.`, `-`). */
  read(): Promise<string>;
  /**
   * Called after a grid-changing method's transaction has committed (or failed: a spare bump is
   * harmless): changes the store-wide version, and every tile's too after a change everywhere.
   */
  bump(change: GridChange): Promise<void>;
  /** Each tile's version (grid-unit-versions.ts); a source without it gives every tile the store-wide version. */
  readTiles?(tiles: readonly CellTile[]): Promise<string[]>;
}

/** The methods that change the grid, of either kind (tests go through each). */
export const GRID_CHANGING_METHODS: readonly StoreMethod[] = (Object.keys(GRID_EFFECT) as StoreMethod[]).filter((name) => GRID_EFFECT[name] !== 'leaves-grid');

/** How long an owed bump waits before it is tried again, and how many times. */
const OWED_BUMP_RETRY_MS = 1000;
const OWED_BUMP_RETRIES = 30;

/**
 * `store` with `gridVersion()` and `gridTileVersions()`, each grid-changing method bumping the
 * version once it has settled. A bump that fails after the method committed (the database busy, its pool full)
 * does not turn the stored change into an error: the phone would send its readings again for
 * nothing. The bump is owed instead: tried again in the background, and settled before this
 * process reads the version, so that no answer is kept under a version older than what it saw
 * (the read fails, as busy, if the bump still cannot be made).
 */
export function withGridVersion(store: StoreWithoutVersions, source: GridVersionSource): Store {
  // The bump owed, if any (one everywhere also stands for a local one), and how many have
  // failed: a bump that succeeds settles what is owed only if none failed while it ran (it may
  // have been made before the failed one's commit).
  let owed: GridChange | undefined;
  let failures = 0;
  let retries = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  const bump = async (change: GridChange, forgetKept = change === 'changes-grid-everywhere') => {
    const failuresBefore = failures;
    try {
      await source.bump(change);
      // Part of the bump: answers kept in the database (kept-answer-store.ts) outlive this
      // process's versions, so a change everywhere must reach them too, or be owed.
      if (forgetKept) await store.forgetKeptAnswers();
      if (failures === failuresBefore && (owed === change || change === 'changes-grid-everywhere')) owed = undefined;
      retries = 0;
    } catch (error) {
      failures += 1;
      if (owed !== 'changes-grid-everywhere') owed = change;
      throw error;
    }
  };
  const settleOwed = async () => {
    if (owed) await bump(owed);
  };
  const retryLater = () => {
    if (retryTimer !== undefined || retries >= OWED_BUMP_RETRIES) return;
    retries += 1;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      settleOwed().catch(retryLater);
    }, OWED_BUMP_RETRY_MS);
    retryTimer.unref?.();
  };
  const wrapped: Record<string, unknown> = { ...store };
  for (const name of GRID_CHANGING_METHODS) {
    const method = store[name] as (...args: unknown[]) => Promise<unknown>;
    const change = GRID_EFFECT[name] as GridChange;
    wrapped[name] = async (...args: unknown[]) => {
      let result: unknown;
      try {
        result = await method(...args);
        return result;
      } finally {
        // The caller hears of the method's own outcome (its result, a busy database's 503, a
        // refusal), never of the bump's. Every start places again (app.ts): when that placed
        // nothing, the answers kept in the database stay (kept-answer-store.ts).
        const placedNothing = name === 'placeAgain' && (result as ReplaceCounts | undefined)?.readings === 0 && (result as ReplaceCounts).reports === 0;
        await bump(change, change === 'changes-grid-everywhere' && !placedNothing).catch(retryLater);
      }
    };
  }
  wrapped.gridVersion = async () => {
    await settleOwed();
    return source.read();
  };
  wrapped.gridTileVersions = async (tiles: readonly CellTile[]) => {
    await settleOwed();
    if (source.readTiles) return source.readTiles(tiles);
    const version = await source.read();
    return tiles.map(() => version);
  };
  return wrapped as unknown as Store;
}
