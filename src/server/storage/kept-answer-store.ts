/**
 * Built answers kept in the database (cache/stored-answers.ts): the map's tiles as the warmer or
 * a request built them, brotli-compressed, so that a restarted process, or another process of
 * the same database, loads a tile's answer instead of building it again. One row per query
 * (its key without the data version: routes/cells.ts's `cellsQueryKey`, which holds the
 * caller's scope): a newer build of a query replaces the older, never beside it.
 *
 * Beside the rows, a generation: bumped (and the rows of older generations dropped) after
 * every write that changes every tile (grid-version.ts's 'changes-grid-everywhere', in this
 * process or another), since the tiles' own change counters say nothing of those. A row is
 * only as current as the generation read BEFORE its build.
 *
 * A row whose query the warmer no longer keeps (its tile lost its data, or an older server's key)
 * is never served, its tile's version having moved on for good: cache/stored-answers.ts's
 * `keepOnly` drops it, instead of keeping it until the next change everywhere.
 */
export interface StoredAnswer {
  /** The query it answers (routes/cells.ts's `cellsQueryKey`): scope included. */
  query: string;
  /** The version it was built from, in the terms its reader chose (cache/stored-answers.ts): compared for equality only. */
  version: string;
  /** The generation read before its build ({@link KeptAnswerStore.keptAnswersGeneration}). */
  generation: number;
  /** Content-Type of the answer. */
  type: string;
  /** UTF-8 bytes of its text. */
  textBytes: number;
  /** The text, brotli-compressed. */
  brotli: Buffer;
  /** When its build began (epoch ms): a newer row of the query is never replaced by an older build. */
  builtAt: number;
}

export interface KeptAnswerStore {
  /** The current generation (0 until the first change everywhere). */
  keptAnswersGeneration(): Promise<number>;
  /**
   * Keeps `answer` as its query's row, replacing an older build's; a build that began before
   * the kept row's is dropped (a slow build for an older version ending last), and so is one
   * for the version the row holds already (another process built the same answer).
   */
  keepAnswer(answer: StoredAnswer): Promise<void>;
  /** The rows of these queries, in no particular order (absent: none kept). */
  keptAnswers(queries: readonly string[]): Promise<StoredAnswer[]>;
  /** After a change everywhere: the next generation, the older generations' rows dropped. */
  forgetKeptAnswers(): Promise<void>;
  /** The queries that have a row, in no particular order. */
  keptAnswerQueries(): Promise<string[]>;
  /** Drops the rows of these queries (those absent: nothing). */
  dropKeptAnswers(queries: readonly string[]): Promise<void>;
}
