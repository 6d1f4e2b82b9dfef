import { createHash } from 'node:crypto';
import type { CellTile } from '../../domain/grid/cell-tiles.ts';
import { compressAnswer } from '../answer-compression.ts';
import { POSTGRES_SCHEMA_VERSION } from '../storage/postgres/postgres-migrations.ts';
import { SCHEMA_VERSION } from '../storage/sqlite/sqlite-migrations.ts';
import type { Store } from '../storage/store.ts';
import type { AnswerParts } from './answer-cache.ts';
import type { BuildAnswer } from './answer-warmer.ts';

/**
 * Tile answers kept in the database (storage/kept-answer-store.ts), so that a restarted process,
 * or another process of the same database, loads a tile's answer instead of building it: the
 * answers' cache (answer-cache.ts) lives in one process's memory and starts empty.
 *
 * For that, a tile's answer is kept under a version that means the same in every process and
 * after a restart ({@link StoredAnswers.tileVersions}), where the store's own tile versions
 * change at each start (storage/grid-version.ts: SQLite draws a token at open, PostgreSQL bumps
 * its everywhere part at each process's start), since they stand for the process's settings too:
 * - the sum of the tile's 10 km change counters, kept in the database and only growing
 *   (storage/grid-unit-versions.ts: the part after the last `.` of `gridTileVersions`);
 * - the kept answers' generation, bumped with every change everywhere, by any process;
 * - a digest of what a process brings besides the data: its verdict settings, the commune
 *   import it placed with, the schemas, and the answers' format: the text this process's code
 *   writes for a fixed sample of rows ({@link StoredAnswersOptions.sampleAnswer},
 *   answer-format-sample.ts), so that answers kept by a server whose code writes them otherwise
 *   are never served, without anyone bumping a number.
 * The ETag, a digest of the key (http-validators.ts), is thus the same after a restart, and a
 * browser's repeat view is a 304 from the first request on.
 */

export interface StoredAnswers {
  /** The tiles' versions, in order, as answers are kept under (see above): read before a build, like the store's. */
  tileVersions(tiles: readonly CellTile[]): Promise<string[]>;
  /**
   * `build`, kept: the answer kept in the database for `query` at the version the build is
   * called for, loaded instead of built if there is one; else built, compressed and kept there
   * (a failure to keep it is reported through `onError`, the answer still given).
   */
  keptOrBuilt(query: string, build: BuildAnswer): BuildAnswer;
  /** As {@link keptOrBuilt}, but what it builds is not kept in the database (a query outside the bounded set kept there). */
  loadedOrBuilt(query: string, build: BuildAnswer): BuildAnswer;
  /**
   * The queries kept now (the warmer's list, read at each of its passes): the rows of others are
   * dropped, at the first call every row the list does not hold (tiles whose data went while no
   * process ran, views an older server kept), then those of the queries that left the list since
   * (a tile whose last reading or report went, for a scope). Such a row is never served, since
   * its tile's version has moved on, or its query is asked by nobody; it would only be kept
   * until the next change everywhere. A failure is reported through `onError`, never thrown.
   */
  keepOnly(queries: ReadonlySet<string>): Promise<void>;
}

export interface StoredAnswersOptions {
  store: Store;
  /** What the process's answers depend on besides the data and the code (verdict thresholds…), as JSON. */
  settings: unknown;
  /**
   * The answer of answer-format-sample.ts's tile over its fixed rows, built by the same code as
   * every kept answer: read once, at the first version asked; its text stands for the format.
   */
  sampleAnswer(): Promise<string>;
  now(): number;
  onError(error: unknown): void;
}

export function createStoredAnswers({ store, settings, sampleAnswer, now, onError }: StoredAnswersOptions): StoredAnswers {
  let fingerprint: Promise<string> | undefined;
  /** The queries of the last {@link StoredAnswers.keepOnly}. */
  let listed: ReadonlySet<string> | undefined;
  /**
   * Read once: the communes a process places with are those of its start, and its code does not
   * change. A failed read (a busy store) is read again at the next call, not kept as the answer.
   */
  const processPart = () =>
    (fingerprint ??= Promise.all([store.referenceGeneration(), sampleAnswer()]).then(
      ([communes, format]) =>
        createHash('sha256')
          .update(JSON.stringify({ format, sqlite: SCHEMA_VERSION, postgres: POSTGRES_SCHEMA_VERSION, communes, settings }))
          .digest('hex')
          .slice(0, 12),
      (error: unknown) => {
        fingerprint = undefined;
        throw error;
      },
    ));

  return {
    async tileVersions(tiles) {
      // The tiles' counters first: their read settles a change everywhere still owed, generation included.
      const versions = await store.gridTileVersions(tiles);
      const [generation, process] = await Promise.all([store.keptAnswersGeneration(), processPart()]);
      return versions.map((version) => `${process}-${generation}-${version.slice(version.lastIndexOf('.') + 1)}`);
    },

    keptOrBuilt: (query, build) => storedOrBuilt(query, build, true),
    loadedOrBuilt: (query, build) => storedOrBuilt(query, build, false),

    async keepOnly(queries) {
      const previous = listed;
      listed = queries;
      try {
        const candidates = previous ? [...previous] : await store.keptAnswerQueries();
        await store.dropKeptAnswers(candidates.filter((query) => !queries.has(query)));
      } catch (error) {
        onError(error);
      }
    },
  };

  function storedOrBuilt(query: string, build: BuildAnswer, keepBuilt: boolean): BuildAnswer {
    return async (version): Promise<AnswerParts> => {
      const [kept] = await store.keptAnswers([query]);
      if (kept && kept.version === version) return { type: kept.type, textBytes: kept.textBytes, brotli: kept.brotli };
      const builtAt = now();
      const built = await build(version);
      if (built.body === undefined || !keepBuilt) return built;
      const brotli = built.brotli ?? (await compressAnswer(built.body, 'br'));
      try {
        await store.keepAnswer({
          query,
          version,
          generation: generationOf(version),
          type: built.type,
          textBytes: Buffer.byteLength(built.body),
          brotli,
          builtAt,
        });
      } catch (error) {
        onError(error);
      }
      return { ...built, brotli };
    };
  }
}

/** The generation a version of {@link StoredAnswers.tileVersions} was read at (its middle part). */
function generationOf(version: string): number {
  return Number(version.split('-')[1]);
}
