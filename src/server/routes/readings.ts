import type { FastifyInstance } from 'fastify';
import * as v from 'valibot';
import { readingFeature, type Bbox, type FeatureCollection, type ReadingProperties } from '../../domain/geojson.ts';
import { createReadingSchema, validateReading, type FieldError, type Reading } from '../../domain/reading.ts';
import { InvalidCursorError, type IngestResult, type ReadingPage, type ReadingQuery, type ReadingStore } from '../storage/reading-store.ts';

export const MAX_READINGS_PER_REQUEST = 500;
export const DEFAULT_PAGE_SIZE = 1000;
export const MAX_PAGE_SIZE = 5000;

const CONFLICT_MESSAGE = "Un autre relevé porte déjà cet identifiant ; rien n'a été écrasé";

interface RejectedReading {
  /** The id the item carried, when it had a string one: the phone finds its reading by it. */
  id: string | null;
  /** Position in the request's `readings`, for items whose id is missing or repeated. */
  index: number;
  code: 'invalid' | 'conflict';
  errors: FieldError[];
}

interface UploadResponse {
  accepted: string[];
  duplicates: string[];
  rejected: RejectedReading[];
}

export interface ReadingRoutesOptions {
  store: ReadingStore;
  /** The clock that bounds `recordedAt` ("not more than a day in the future"). */
  now: () => number;
}

/** POST /api/v1/readings (upload a batch) and GET /api/v1/readings (read them back as GeoJSON). */
export function registerReadingRoutes(app: FastifyInstance, { store, now }: ReadingRoutesOptions): void {
  const schema = createReadingSchema({ now });

  app.post('/api/v1/readings', async (request, reply) => {
    const batch = readBatch(request.body);
    if ('error' in batch) return reply.code(batch.status).send({ error: batch.error });

    // Each reading is judged alone: one bad reading must never hold back the others.
    const valid: { index: number; reading: Reading }[] = [];
    const rejected: RejectedReading[] = [];
    batch.items.forEach((item, index) => {
      const result = validateReading(item, schema);
      if (result.ok) valid.push({ index, reading: result.reading });
      else rejected.push({ id: idOf(item), index, code: 'invalid', errors: result.errors });
    });

    const stored: IngestResult =
      valid.length > 0 ? await store.ingest(valid.map(({ reading }) => reading)) : { outcomes: [], accepted: [], duplicates: [], conflicts: [] };
    stored.outcomes.forEach((outcome, i) => {
      if (outcome !== 'conflict') return;
      const { index, reading } = valid[i]!;
      rejected.push({ id: reading.id, index, code: 'conflict', errors: [{ field: 'id', message: CONFLICT_MESSAGE }] });
    });
    rejected.sort((a, b) => a.index - b.index);

    const response: UploadResponse = { accepted: stored.accepted, duplicates: stored.duplicates, rejected };
    return response;
  });

  app.get('/api/v1/readings', async (request, reply) => {
    let params: QueryParams;
    let query: ReadingQuery;
    try {
      params = singleValued(request.query as Record<string, string | string[]>);
      query = parseQuery(params);
    } catch (error) {
      if (error instanceof QueryError) return reply.code(400).send({ error: error.message });
      throw error;
    }

    let page: ReadingPage;
    try {
      page = await store.query(query);
    } catch (error) {
      if (!(error instanceof InvalidCursorError)) throw error;
      return reply
        .code(400)
        .send({ error: `cursor=« ${query.cursor} » n’est pas un curseur de ce serveur : reprenez tel quel le nextCursor de la page précédente.` });
    }

    const collection: FeatureCollection<ReadingProperties> & { nextCursor?: string } = {
      type: 'FeatureCollection',
      features: page.readings.map(readingFeature),
    };
    if (page.nextCursor !== undefined) {
      // RFC 7946 §6.1 allows foreign members; the Link header serves generic HTTP clients.
      collection.nextCursor = page.nextCursor;
      const next = new URLSearchParams({ ...params, cursor: page.nextCursor });
      reply.header('link', `</api/v1/readings?${next}>; rel="next"`);
    }
    return reply.type('application/geo+json').send(collection);
  });
}

type Batch = { items: unknown[] } | { status: 400 | 413; error: string };

function readBatch(body: unknown): Batch {
  const shape = 'envoyez {"readings": [ … ]} avec 1 à 500 relevés';
  if (body === undefined || body === null) return { status: 400, error: `Le corps de la requête est vide : ${shape}.` };
  if (typeof body !== 'object' || Array.isArray(body)) return { status: 400, error: `Le corps doit être un objet JSON : ${shape}.` };
  if (!('readings' in body)) return { status: 400, error: `Le champ « readings » manque : ${shape}.` };
  const { readings } = body;
  if (!Array.isArray(readings)) return { status: 400, error: `« readings » doit être un tableau de relevés : ${shape}.` };
  if (readings.length === 0) return { status: 400, error: '« readings » est vide : envoyez au moins 1 relevé (500 au plus).' };
  if (readings.length > MAX_READINGS_PER_REQUEST) {
    return {
      status: 413,
      error: `Trop de relevés dans une requête (${readings.length}) : envoyez-les par lots de ${MAX_READINGS_PER_REQUEST} au plus.`,
    };
  }
  return { items: readings };
}

function idOf(item: unknown): string | null {
  if (typeof item !== 'object' || item === null || !('id' in item)) return null;
  return typeof item.id === 'string' ? item.id : null;
}

/** A query parameter the client must fix; its message says how. */
class QueryError extends Error {}

const QUERY_PARAMS = ['bbox', 'since', 'limit', 'cursor'] as const;
type QueryParams = Partial<Record<(typeof QUERY_PARAMS)[number], string>>;

/** Unknown or repeated parameters are refused: a typo like `sinse=` must not quietly return everything. */
function singleValued(raw: Record<string, string | string[]>): QueryParams {
  const params: QueryParams = {};
  for (const [name, value] of Object.entries(raw)) {
    if (!(QUERY_PARAMS as readonly string[]).includes(name)) {
      throw new QueryError(`Paramètre inconnu : « ${name} ». Paramètres acceptés : ${QUERY_PARAMS.join(', ')}.`);
    }
    if (Array.isArray(value)) throw new QueryError(`Le paramètre ${name} est donné ${value.length} fois : donnez-le une seule fois.`);
    params[name as keyof QueryParams] = value;
  }
  return params;
}

function parseQuery({ bbox, since, limit, cursor }: QueryParams): ReadingQuery {
  return {
    limit: limit === undefined ? DEFAULT_PAGE_SIZE : parseLimit(limit),
    ...(bbox !== undefined && { bbox: parseBbox(bbox) }),
    ...(since !== undefined && { since: parseSince(since) }),
    ...(cursor !== undefined && { cursor }),
  };
}

function parseLimit(text: string): number {
  const limit = Number(text);
  if (!/^\d+$/.test(text) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new QueryError(`limit=« ${text} » : attendu un entier de 1 à ${MAX_PAGE_SIZE} (${DEFAULT_PAGE_SIZE} par défaut).`);
  }
  return limit;
}

const DECIMAL = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;

function parseBbox(text: string): Bbox {
  const parts = text.split(',').map((part) => part.trim());
  const numbers = parts.map((part) => (DECIMAL.test(part) ? Number(part) : Number.NaN));
  const fail = (why: string) => new QueryError(`bbox=« ${text} » : ${why}.`);
  if (numbers.length !== 4 || !numbers.every(Number.isFinite)) {
    throw fail('attendu quatre nombres minLon,minLat,maxLon,maxLat en degrés décimaux, séparés par des virgules (ex. bbox=3.2,43.4,4.1,43.9)');
  }
  const [minLon, minLat, maxLon, maxLat] = numbers as [number, number, number, number];
  if ([minLon, maxLon].some((lon) => lon < -180 || lon > 180)) throw fail('les longitudes vont de -180 à 180 (ordre : minLon,minLat,maxLon,maxLat)');
  if ([minLat, maxLat].some((lat) => lat < -90 || lat > 90)) throw fail('les latitudes vont de -90 à 90 (ordre : minLon,minLat,maxLon,maxLat)');
  if (minLat > maxLat) throw fail('minLat dépasse maxLat (ordre : minLon,minLat,maxLon,maxLat)');
  if (minLon > maxLon) throw fail('minLon dépasse maxLon ; une zone à cheval sur l’antiméridien se demande en deux requêtes');
  return { minLon, minLat, maxLon, maxLat };
}

const IsoDateOrTimestamp = v.union([v.pipe(v.string(), v.isoDate()), v.pipe(v.string(), v.isoTimestamp())]);

function parseSince(text: string): string {
  if (!v.is(IsoDateOrTimestamp, text) || Number.isNaN(Date.parse(text))) {
    throw new QueryError(
      `since=« ${text} » : attendu une date ISO 8601, jour (2026-05-04) ou instant avec fuseau (2026-05-04T10:15:00Z) ; ` +
        'dans l’URL, écrivez le « + » d’un fuseau %2B.',
    );
  }
  return text;
}
