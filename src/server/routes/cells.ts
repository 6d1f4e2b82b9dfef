import type { FastifyInstance } from 'fastify';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { readingFeature } from '../../domain/geojson.ts';
import { cellCentre } from '../../domain/grid/cell-geometry.ts';
import { parseCellId, type CellRef } from '../../domain/grid/cell-id.ts';
import { requirePrincipal } from '../access/enforce.ts';
import { gridCountsResidentReports, gridScope, readingScope } from '../access/scope.ts';
import type { Communes } from '../communes/communes.ts';
import type { GridSettings } from '../config.ts';
import { peopleInCells } from '../grid/cell-people.ts';
import { declaredInCells, declaredProperties } from '../grid/declared-coverage.ts';
import { apiCellFeature, judgeStoredCells, MAX_CELLS_PER_REQUEST, verdictOptions } from '../grid/coverage.ts';
import { cellRange, type CellRange } from '../../domain/grid/cell-range.ts';
import { tileRange, type CellTile } from '../../domain/grid/cell-tiles.ts';
import { cellsAnswerKey, cellsQueryKey } from '../grid/cells-answer-key.ts';
import { createAnswerCache, DEFAULT_ANSWER_CACHE_BYTES, type AnswerOrigin, type AnswerParts } from '../cache/answer-cache.ts';
import { createAnswerWarmer, type BuildAnswer, type KeptQuery, type WarmPass } from '../cache/answer-warmer.ts';
import { createStoredAnswers } from '../cache/stored-answers.ts';
import { FORMAT_SAMPLE_TILE, formatSampleReads, type CellsAnswerReads } from '../cache/answer-format-sample.ts';
import { tilesWithData, type ReadingKinds } from '../grid/tiles-with-data.ts';
import { cellsTileQuery, DEFAULT_FILTERS, operatorFilters, type CoverageFilters } from '../../domain/grid/coverage-query.ts';
import { OPERATORS } from '../../domain/operators.ts';
import { SETTINGS } from '../../domain/reading.ts';
import { TECHNOLOGIES } from '../../domain/signal.ts';
import { compactCells } from '../../domain/grid/compact-cells.ts';
import { compactJudgedCell } from '../../domain/grid/compact-judged-cell.ts';
import type { CompactCellAnswer } from '../../domain/api/cells.ts';
import { CELLS_STALE_SECONDS } from '../../domain/grid/cells-staleness.ts';
import type { GridScope } from '../storage/grid-store.ts';
import type { ReadingPage } from '../storage/reading-store.ts';
import type { Store } from '../storage/store.ts';
import { GRID_PARAMS, parseCellsView, type CellsView, type GridView } from './grid-params.ts';
import { pickEncoding } from '../answer-compression.ts';
import { badRequest } from '../http-errors.ts';
import { revalidated, sendCachedAnswer } from '../http-validators.ts';
import { cursorRefused, parseLimit, singleValued } from './query.ts';

export interface CellRoutesOptions {
  store: Store;
  communes: Communes;
  grid: GridSettings;
  /** Bound of the built answers kept (cache/answer-cache.ts); default DEFAULT_ANSWER_CACHE_BYTES. */
  answerCacheBytes?: number;
  /**
   * How old (seconds since its build began) a kept answer for an older version may be and still
   * be served at once while the current version's is built in the background; 0 builds every
   * new version in the request. Default {@link DEFAULT_CELLS_STALE_SECONDS}.
   */
  staleSeconds?: number;
  /** The clock the stale answers' age is read from (the app's). */
  now?: () => number;
  /** The answers rebuilt in the background after new data. */
  warm?: CellsWarmOptions;
}

/** Which answers are rebuilt in the background after new data, and when (cache/answer-warmer.ts). */
export interface CellsWarmOptions {
  /** Minutes after its last request a query's answer is still rebuilt; 0 never. Default {@link DEFAULT_CELLS_WARM_MINUTES}. */
  minutes?: number;
  /** Quiet time after new data before the rebuilds, ms (answer-warmer.ts's default: 1,500). */
  quietMs?: number;
  /** Told after each background pass of rebuilds (tests, bench); each is also logged. */
  onPass?: (pass: WarmPass) => void;
  /**
   * Once the server listens, keep built the page's answer of every tile holding data at every
   * map resolution, for the admin and each département's reviewers (grid/tiles-with-data.ts),
   * then each operator's, technology's and setting's view of the 1 km tiles
   * ({@link OPERATOR_VIEW_RESOLUTION_M}, {@link keptTileViews}), and
   * rebuild those whose tile changed after new data; each kept answer is also kept in the
   * database (cache/stored-answers.ts), where a restarted or another process loads it instead
   * of building it. Default false (the tests' apps); the server's own start turns it on
   * (main.ts, `CELLS_WARM_AT_START`).
   */
  atStart?: boolean;
}

/**
 * The page's view of a tile with these filters, as the page asks it (src/domain/grid/coverage-query.ts's
 * `cellsTileQuery`, read by the request's own parser): the query the warmer keeps is the page's.
 */
export function pageTileView(tile: CellTile, filters: CoverageFilters = DEFAULT_FILTERS): CellsView {
  const { format: _compact, ...params } = Object.fromEntries(new URLSearchParams(cellsTileQuery(filters, tile)));
  return parseCellsView(params);
}

/**
 * The resolution whose tiles are also kept for each operator alone, each technology alone and
 * each setting alone: a département's view, where a filter nobody kept costs seconds to build
 * (docs/performance.md, « Cold département view at 1 km »).
 */
export const OPERATOR_VIEW_RESOLUTION_M = 1000;

/** Every technology and setting the page's filters offer. */
const EVERY_KIND: ReadingKinds = { technologies: new Set(TECHNOLOGIES), settings: new Set(SETTINGS) };

/**
 * The page's views of a tile the warmer may keep: the default one, then, at
 * {@link OPERATOR_VIEW_RESOLUTION_M}, each operator's, then each technology's and each
 * setting's among `kinds` (those of the tile's readings: a view of a technology the tile has
 * no reading of is left to its request, a cheap build), each in the page's order.
 */
export function keptTileViews(tile: CellTile, kinds: ReadingKinds = EVERY_KIND): CellsView[] {
  if (tile.resolutionM !== OPERATOR_VIEW_RESOLUTION_M) return [pageTileView(tile)];
  return [
    pageTileView(tile),
    ...OPERATORS.map((operator) => pageTileView(tile, operatorFilters(operator))),
    ...TECHNOLOGIES.filter((technology) => kinds.technologies.has(technology)).map((technology) => pageTileView(tile, { ...DEFAULT_FILTERS, technology })),
    ...SETTINGS.filter((setting) => kinds.settings.has(setting)).map((setting) => pageTileView(tile, { ...DEFAULT_FILTERS, setting })),
  ];
}

/** Kept tiles' answers fill at most this share of the answers' cache: the rest is for what people ask. */
const KEPT_SHARE_OF_CACHE = 0.5;

/** A reviewer who looked at a view within the quarter of an hour finds it rebuilt after new data. */
export const DEFAULT_CELLS_WARM_MINUTES = 15;

/** Cells per slice of a compact answer made at a time (~2.5 MB of text at 1 km). */
const COMPACT_SLICE = 1_000;

/** Cells whose place is remembered (routes/cells.ts's placeAtCentre); about 30 MB at most. */
const PLACES_KEPT = 200_000;

/** A reviewer who needs the very latest reloads a few seconds later; one who waits a minute never sees older. */
export const DEFAULT_CELLS_STALE_SECONDS = CELLS_STALE_SECONDS;

/** `format`: `geojson` (default, docs/api.md) or `compact` (the page's: src/domain/api/cells.ts). */
export function parseCellsFormat(format: string | undefined): 'geojson' | 'compact' {
  if (format === undefined || format === 'geojson') return 'geojson';
  if (format === 'compact') return 'compact';
  throw badRequest(`format=« ${format} » : attendu geojson (par défaut) ou compact.`);
}

/**
 * Whether the request's Cache-Control refuses a stored answer without validation (`no-cache`,
 * `max-age=0`: RFC 9111 §5.2.1): what a page sends after its own change, or `fetch` with
 * `cache: 'no-cache'`; such a request never gets an answer for older data.
 */
export function asksForLatest(cacheControl: string | undefined): boolean {
  if (!cacheControl) return false;
  return cacheControl.split(',').some((directive) => /^\s*(no-cache|max-age\s*=\s*0+)\s*$/i.test(directive));
}

const DEFAULT_PAGE_SIZE = 1000;
const MAX_PAGE_SIZE = 5000;

export function tooManyCells(view: Pick<GridView, 'resolutionM'>, cells: number): string {
  const km2 = Math.round((cells * view.resolutionM * view.resolutionM) / 1e6);
  return (
    `Zone trop grande pour des mailles de ${view.resolutionM} m (${Math.round(cells)} mailles, environ ${km2} km² ; ` +
    `au plus ${MAX_CELLS_PER_REQUEST}) : réduisez la bbox ou demandez une maille plus grande (resolution=1000, 2000, 5000 ou 10000).`
  );
}

/**
 * GET /api/v1/cells (the coverage grid as GeoJSON, or compact) and GET
 * /api/v1/cells/:cellId/readings. A built grid answer is kept (cache/answer-cache.ts) under a
 * key made of the store's grid version, the normalised query and the caller's scope, and its
 * ETag is a digest of that key: a repeat view answers 304 without reading anything but the
 * version, and anyone else of the same scope asking the same gets the kept bytes. A view is a
 * box (`bbox`: the cells touching it) or a tile of the grid (`tile`: exactly its cells,
 * src/domain/grid/cell-tiles.ts), whose version is the tile's own (`gridTileVersions`), so
 * that data elsewhere leaves its answer and ETag as they are; both go through the same path.
 *
 * After new data, the first request of a query would wait for a cold build (seconds for a
 * département): instead, if the same query of the same scope was answered for an older version
 * less than `staleSeconds` ago, that answer goes out at once under its own ETag (so the browser
 * asks again next time), marked `Cache-Status: …; detail=stale-while-rebuilding`, and one build
 * of the current version starts in the background (one per query at a time; a failure is
 * logged, and the next request tries again). A request whose Cache-Control says `no-cache` or
 * `max-age=0` is always answered from the current version.
 *
 * Besides, each query answered is kept warm for `warm.minutes` (cache/answer-warmer.ts): a few
 * seconds after new data its answer is rebuilt in the background, so that the next view finds
 * it built. With `warm.atStart`, the page's answer of every tile holding data is kept built
 * from the start for the admin and each département's reviewers, and rebuilt only where its
 * tile's version changed. What still costs a cold build is another query nobody of that scope
 * asked lately, or any such query after a start.
 */
export function registerCellRoutes(
  app: FastifyInstance,
  { store, communes, grid, answerCacheBytes, staleSeconds = DEFAULT_CELLS_STALE_SECONDS, now = Date.now, warm = {} }: CellRoutesOptions,
): void {
  const options = verdictOptions(grid);
  const departementOf = (code: string) => communes.get(code)?.departement;

  /**
   * The commune and département a cell is named after on the reviewers' screens: the ones its
   * centre lies in, as readings are placed (the département alone on a server without commune data).
   */
  type Place = { commune: { code: string; name: string } | null; departement: { code: string; name: string } | null };
  // A cell's place depends on the process's commune data alone (fixed until the next start):
  // located once, not at each build (a département at 1 km is ~10,000 point-in-polygon tests).
  const places = new Map<string, Place>();
  const placeAtCentre = (cell: string, ref: CellRef): Place => {
    let place = places.get(cell);
    if (!place) {
      if (places.size >= PLACES_KEPT) places.clear();
      place = locateCentre(ref);
      places.set(cell, place);
    }
    return place;
  };
  const locateCentre = (ref: CellRef): Place => {
    const [lon, lat] = cellCentre(ref);
    const place = communes.locate(lat, lon);
    const found = place?.commune ? communes.get(place.commune) : undefined;
    const departementName = place ? communes.departementName(place.departement) : undefined;
    return {
      commune: found ? { code: found.code, name: found.name } : null,
      departement: place && departementName ? { code: place.departement, name: departementName } : null,
    };
  };

  const cache = createAnswerCache(answerCacheBytes);
  const storedAnswers = createStoredAnswers({
    store,
    settings: options,
    // The sample's page view goes through the very path of every tile's answer, its reads aside.
    sampleAnswer: () => compactText(pageTileView(FORMAT_SAMPLE_TILE), tileRange(FORMAT_SAMPLE_TILE), { kind: 'all' }, true, formatSampleReads()),
    now,
    onError: (error) => app.log.error({ err: error }, 'keeping a cells answer in the database failed'),
  });
  const warmer = createAnswerWarmer<CellTile>({
    cache,
    version: () => store.gridVersion(),
    areaVersions: (tiles) => storedAnswers.tileVersions(tiles),
    keyOf: cellsAnswerKey,
    keptBytes: (answerCacheBytes ?? DEFAULT_ANSWER_CACHE_BYTES) * KEPT_SHARE_OF_CACHE,
    keepMs: (warm.minutes ?? DEFAULT_CELLS_WARM_MINUTES) * 60_000,
    ...(warm.quietMs !== undefined && { quietMs: warm.quietMs }),
    now,
    onError: (error) => app.log.error({ err: error }, 'rebuilding the cells answers after new data failed'),
    onPass: (pass) => {
      app.log.info(
        `cellules : ${pass.checked} réponses vérifiées, ${pass.rebuilt} reconstruites${pass.failed > 0 ? `, ${pass.failed} en échec` : ''} (version ${pass.version}, ${Math.round(pass.ms)} ms, ${Math.round(cache.bytes / 1e6)} Mo gardés)`,
      );
      warm.onPass?.(pass);
    },
  });
  app.addHook('onClose', () => warmer.close());
  if (warm.atStart) {
    // Listening never waits for the tiles: the warmer reads them at its first pass, after its quiet time.
    app.addHook('onListen', async () => {
      warmer.keep(keptTileQueries);
    });
  }

  let tilesLogged = -1;
  /** The queries of the warmer's last list: the only ones whose answers a request keeps in the database too (a bounded set). */
  let keptQueries = new Set<string>();
  /**
   * The page's views of every tile holding data (keptTileViews), for each scope that sees it:
   * what the warmer keeps built (read at each of its passes), every default view before the
   * first operator's, so that a start's pass makes the page's first views first.
   */
  async function keptTileQueries(): Promise<KeptQuery<CellTile>[]> {
    const tiles = await tilesWithData(store);
    if (tiles.length !== tilesLogged) app.log.info(`cellules : ${tiles.length} tuiles avec des données à garder construites`);
    tilesLogged = tiles.length;
    const byRank: KeptQuery<CellTile>[][] = [];
    for (const { tile, scope, kinds } of tiles) {
      keptTileViews(tile, kinds).forEach((view, rank) => {
        // Reviewers and admins count residents' reports (access/scope.ts's gridCountsResidentReports).
        const query = cellsQueryKey('compact', view, scope, true);
        const build = storedAnswers.keptOrBuilt(query, answerBuild('compact', view, tileRange(tile), scope, true));
        (byRank[rank] ??= []).push({ query, build, area: tile, encodings: ['br'] });
      });
    }
    const queries = byRank.flat();
    keptQueries = new Set(queries.map(({ query }) => query));
    await storedAnswers.keepOnly(keptQueries);
    return queries;
  }

  /**
   * A request's build: a view the warmer keeps loads its answer from the database when kept
   * there for its version and keeps what it builds; another of the page's views of a tile only
   * loads (kept by another process, or before the warmer's list changed); anything else builds.
   */
  function requestBuild(
    format: 'geojson' | 'compact',
    view: CellsView,
    range: CellRange,
    scope: GridScope,
    residentReports: boolean,
    query: string,
  ): BuildAnswer {
    const build = answerBuild(format, view, range, scope, residentReports);
    if (keptQueries.has(query)) return storedAnswers.keptOrBuilt(query, build);
    const pageView =
      view.tile && format === 'compact' && residentReports && keptTileViews(view.tile).some((kept) => cellsQueryKey(format, kept, scope, true) === query);
    return pageView ? storedAnswers.loadedOrBuilt(query, build) : build;
  }

  /** The judged cells of the view (touching its box, or its tile's), in the grid's order, with their people and declared coverage. */
  async function judgedCells(view: CellsView, range: CellRange, scope: GridScope, residentReports: boolean, reads: CellsAnswerReads) {
    // Yields between the phases: a build in the background lets requests through between them.
    const judged = await judgeStoredCells(
      reads,
      {
        range,
        scope,
        withoutReports: !residentReports,
        filter: view.filter,
        ...(view.fromMonth && { fromMonth: view.fromMonth }),
        ...(view.toMonth && { toMonth: view.toMonth }),
      },
      options,
      view.bbox,
    );
    await yieldToEventLoop();
    const refs = judged.map((cell) => cell.ref);
    const [people, declared] = await Promise.all([peopleInCells(reads, refs), declaredInCells(reads, refs, view.filter)]);
    await yieldToEventLoop();
    return { judged, people, declared };
  }

  /** The GeoJSON answer's text: each cell's square and properties, in the grid's order. */
  async function geojsonText(view: CellsView, range: CellRange, scope: GridScope, residentReports: boolean): Promise<string> {
    const { judged, people, declared } = await judgedCells(view, range, scope, residentReports, store);
    const features = judged.map((cell, i) => {
      const feature = apiCellFeature(cell, options);
      const { inhabitants = null, households = null } = people[i] ?? {};
      const declaredNow = declaredProperties(declared[i], feature.properties.operators);
      const properties = { ...feature.properties, ...placeAtCentre(cell.cell, cell.ref), inhabitants, households, ...declaredNow };
      return { type: 'Feature', id: properties.cellId, geometry: feature.geometry, properties };
    });
    await yieldToEventLoop();
    return JSON.stringify({ type: 'FeatureCollection', features });
  }

  /**
   * The compact answer's text, the same as `JSON.stringify(compactCells(…))` of the GeoJSON
   * answer's properties, made cell by cell without what it leaves out (compact-judged-cell.ts),
   * a slice of cells at a time (the event loop turns between slices).
   */
  async function compactText(view: CellsView, range: CellRange, scope: GridScope, residentReports: boolean, reads: CellsAnswerReads = store): Promise<string> {
    const { judged, people, declared } = await judgedCells(view, range, scope, residentReports, reads);
    const pieces = [`{"format":"compact","resolutionM":${JSON.stringify(view.resolutionM)},"cells":[`];
    for (let start = 0; start < judged.length; start += COMPACT_SLICE) {
      const slice: CompactCellAnswer[] = [];
      for (let i = start; i < Math.min(judged.length, start + COMPACT_SLICE); i += 1) {
        const judgedCell = judged[i]!;
        const { cell, operators } = compactJudgedCell(judgedCell, options);
        const { inhabitants = null, households = null } = people[i] ?? {};
        const declaredNow = declaredProperties(declared[i], operators);
        slice.push({ ...cell, ...placeAtCentre(judgedCell.cell, judgedCell.ref), inhabitants, households, ...declaredNow, operators });
      }
      const text = JSON.stringify(slice);
      pieces.push(start === 0 ? text.slice(1, -1) : `,${text.slice(1, -1)}`);
      await yieldToEventLoop();
    }
    pieces.push(']}');
    return pieces.join('');
  }

  /** How to build the answer of a view, in a format, for a scope, from the store as it is when called. */
  function answerBuild(format: 'geojson' | 'compact', view: CellsView, range: CellRange, scope: GridScope, residentReports: boolean): BuildAnswer {
    if (format === 'compact') return async () => ({ type: 'application/json; charset=utf-8', body: await compactText(view, range, scope, residentReports) });
    return async () => ({ type: 'application/geo+json', body: await geojsonText(view, range, scope, residentReports) });
  }

  /**
   * Builds `key` once this request's answer has gone: SQLite's reads run on the event loop,
   * and begun at once they would hold the stale answer back for as long as the build. Counted
   * as building from now, so that no other request starts one meanwhile.
   */
  function rebuildLater(key: string, build: () => Promise<AnswerParts>, origin: AnswerOrigin): void {
    const afterThisAnswer = async () => {
      await new Promise((resolve) => setImmediate(resolve));
      return build();
    };
    cache.get(key, afterThisAnswer, origin).catch((error: unknown) => app.log.error({ err: error }, 'building the cells answer in the background failed'));
  }

  app.get('/api/v1/cells', async (request, reply) => {
    const query = singleValued(request.query, [...GRID_PARAMS, 'tile', 'format']);
    const format = parseCellsFormat(query.format);
    const view = parseCellsView(query);
    const range = view.tile ? tileRange(view.tile) : cellRange(view.bbox, view.resolutionM);
    const empty = () => {
      if (format === 'compact') return reply.send(compactCells(view.resolutionM, []));
      return reply.type('application/geo+json').send({ type: 'FeatureCollection', features: [] });
    };
    if (!range) return empty();
    if (range.cells > MAX_CELLS_PER_REQUEST) throw badRequest(tooManyCells(view, range.cells));
    const { user } = requirePrincipal(request);
    const scope = gridScope(user, departementOf);
    if (scope.kind === 'departements' && scope.departements.length === 0) return empty();
    const residentReports = gridCountsResidentReports(user);

    // Read before building: a commit after this read bumps the version, so the answer kept
    // under it may be newer than it, never older (storage/grid-version.ts). A tile's changes
    // only with what lies in it.
    const version = view.tile ? (await storedAnswers.tileVersions([view.tile]))[0]! : await store.gridVersion();
    const queryKey = cellsQueryKey(format, view, scope, residentReports);
    const key = cellsAnswerKey(version, queryKey);
    reply.header('x-grid-version-served', version);
    const build = requestBuild(format, view, range, scope, residentReports, queryKey);
    // Before the 304: a page revalidating its answer is still looking at it.
    warmer.asked(queryKey, build, pickEncoding(request.headers['accept-encoding']), view.tile);
    if (revalidated(request, reply, key)) return reply;
    const origin = { query: queryKey, version, builtAt: now() };

    const stale = staleSeconds > 0 && !asksForLatest(request.headers['cache-control']) && !cache.has(key) ? cache.newest(queryKey) : undefined;
    if (stale && origin.builtAt - stale.builtAt < staleSeconds * 1000) {
      if (!cache.building(queryKey)) rebuildLater(key, () => build(version), origin);
      reply.header('x-grid-version-served', stale.version).header('cache-status', 'couverture; hit; detail=stale-while-rebuilding');
      if (revalidated(request, reply, stale.key)) return reply;
      return sendCachedAnswer(request, reply, cache, stale.key, stale.answer);
    }
    const answer = await cache.get(key, () => build(version), origin);
    return sendCachedAnswer(request, reply, cache, key, answer);
  });

  app.get<{ Params: { cellId: string } }>('/api/v1/cells/:cellId/readings', async (request, reply) => {
    const cell = parseCellId(request.params.cellId);
    if (!cell || cell.resolutionM % 200 !== 0) {
      throw badRequest(
        `Maille inconnue : « ${request.params.cellId} » ; attendu un identifiant INSPIRE de maille de 200 m ou d’un multiple (ex. CRS3035RES200mN2029800E4252000).`,
      );
    }
    const raw = singleValued(request.query, ['limit', 'cursor']);
    const params = { limit: raw.limit === undefined ? DEFAULT_PAGE_SIZE : parseLimit(raw.limit, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE), cursor: raw.cursor };
    let page: ReadingPage;
    try {
      page = await store.readingsInCells({
        cells: [cell],
        limit: params.limit,
        scope: readingScope(requirePrincipal(request).user),
        ...(params.cursor !== undefined && { cursor: params.cursor }),
      });
    } catch (error) {
      throw cursorRefused(error, params.cursor);
    }
    return reply.type('application/geo+json').send({
      type: 'FeatureCollection',
      features: page.readings.map((reading, i) => {
        const feature = readingFeature(reading);
        return { ...feature, properties: { ...feature.properties, ...page.places[i]! } };
      }),
      ...(page.nextCursor !== undefined && { nextCursor: page.nextCursor }),
    });
  });
}
