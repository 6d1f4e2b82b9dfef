import type { FastifyInstance } from 'fastify';
import * as v from 'valibot';
import { readingFeature, type FeatureCollection, type ReadingProperties } from '../../domain/geojson.ts';
import { ReadingsAnswerSchema, ReadingUploadAnswerSchema, type ReadingWarning, type RejectedItem } from '../../domain/api/index.ts';
import { MAX_READINGS_PER_REQUEST } from '../../domain/api/readings.ts';
import type { Reading } from '../../domain/reading.ts';
import { createReadingSchema, validateReading } from '../../domain/reading-schema.ts';
import { requirePrincipal } from '../access/enforce.ts';
import { placeReading, readingScope } from '../access/scope.ts';
import type { Communes, PlaceMethod } from '../communes/communes.ts';
import { isOneOf } from '../../domain/one-of.ts';
import { OPERATORS } from '../../domain/operators.ts';
import { CLUSTER_BELOW_ZOOM } from '../../domain/reading-clusters.ts';
import { TECHNOLOGIES } from '../../domain/signal.ts';
import {
  type IngestResult,
  type ReadingClusterQuery,
  type ReadingFilter,
  type ReadingPage,
  type ReadingPlacement,
  type ReadingQuery,
  type ReadingScope,
  type ReadingStore,
} from '../storage/reading-store.ts';
import { CAMPAIGN_LINK_DROPPED, campaignLinks } from '../campaigns/reading-links.ts';
import type { CampaignStore } from '../storage/campaign-store.ts';
import { badRequest, HttpError } from '../http-errors.ts';
import { answer } from './answer.ts';
import { DEFAULT_UPLOAD_ADMISSION, uploadTurns, type UploadAdmission } from './upload-admission.ts';
import { cursorRefused, parseBbox, parseLimit, singleValued } from './query.ts';

export { MAX_READINGS_PER_REQUEST };
export const DEFAULT_PAGE_SIZE = 1000;
export const MAX_PAGE_SIZE = 5000;

const CONFLICT_MESSAGE = "Un autre relevé porte déjà cet identifiant ; rien n'a été écrasé";
const RESIDENT_MESSAGE = 'Les signalements d’habitants passent par /api/v1/reports';

/** The server always says why: `code` is never left out. */
type RejectedReading = RejectedItem & { code: 'invalid' | 'conflict' };

export interface ReadingRoutesOptions {
  store: ReadingStore & Pick<CampaignStore, 'campaignById'>;
  /** The clock that bounds `recordedAt` ("not more than a day in the future"). */
  now: () => number;
  communes: Communes;
  /** Uploads stored at once by this process, and the longest wait for a turn (default DEFAULT_UPLOAD_ADMISSION). */
  admission?: UploadAdmission;
}

/**
 * POST /api/v1/readings (upload a batch) and GET /api/v1/readings (read them back as GeoJSON:
 * points, paged; or, for a map zoomed out below CLUSTER_BELOW_ZOOM, clusters of a whole box).
 */
export function registerReadingRoutes(app: FastifyInstance, { store, now, communes, admission = DEFAULT_UPLOAD_ADMISSION }: ReadingRoutesOptions): void {
  const schema = createReadingSchema({ now });
  const turns = uploadTurns(admission);

  app.post('/api/v1/readings', async (request) => {
    const batch = readBatch(request.body);
    const { user } = requirePrincipal(request);

    // Judging and storing the batch wait their turn (upload-admission.ts): past the wait, a 503
    // and nothing stored. Only the body's parsing comes before, so a slow sender holds no turn.
    return turns.run(async () => {
      // Each reading is judged alone: one bad reading must never hold back the others.
      const valid: { index: number; reading: Reading; place: ReadingPlacement }[] = [];
      const rejected: RejectedReading[] = [];
      batch.items.forEach((item, index) => {
        const result = validateReading(item, schema);
        if (!result.ok) {
          rejected.push({ id: idOf(item), index, code: 'invalid', errors: result.errors });
        } else if (result.reading.source === 'resident') {
          rejected.push({ id: result.reading.id, index, code: 'invalid', errors: [{ field: 'source', message: RESIDENT_MESSAGE }] });
        } else {
          // Attribution is the server's: who sent it and where it lies never come from the
          // body. Its source ("agent" or "import", from the phone's own import of Android logs
          // or a script's) is what the sender says it measured.
          const reading: Reading = result.reading;
          const place = placeReading(user, communes.locate(reading.lat, reading.lon), (code) => communes.get(code)?.departement);
          valid.push({ index, reading, place });
        }
      });

      const links = await campaignLinks(
        valid.map(({ reading }) => reading),
        user,
        store,
      );
      const stored: IngestResult =
        valid.length > 0
          ? await store.ingest(
              links.map(({ reading }) => reading),
              valid.map(({ place }) => place),
            )
          : { outcomes: [], accepted: [], duplicates: [], conflicts: [] };
      // A resend stored under the other campaign choice (the sender's view of the campaign
      // changed in between) is that reading again: a duplicate, not a conflict. Writes nothing.
      const retried = valid.flatMap(({ reading, place }, i) => {
        const link = links[i];
        return stored.outcomes[i] === 'conflict' && link?.otherChoice ? [{ i, id: reading.id, place, link, otherChoice: link.otherChoice }] : [];
      });
      if (retried.length > 0) {
        const again = await store.ingest(
          retried.map(({ otherChoice }) => otherChoice),
          retried.map(({ place }) => place),
        );
        retried.forEach(({ i, id, link, otherChoice }, k) => {
          if (again.outcomes[k] !== 'duplicate') return;
          stored.outcomes[i] = 'duplicate';
          stored.duplicates.push(id);
          links[i] = { reading: otherChoice, dropped: !link.dropped };
        });
      }
      stored.outcomes.forEach((outcome, i) => {
        if (outcome !== 'conflict') return;
        const { index, reading } = valid[i]!;
        rejected.push({ id: reading.id, index, code: 'conflict', errors: [{ field: 'id', message: CONFLICT_MESSAGE }] });
      });
      rejected.sort((a, b) => a.index - b.index);

      const outsideCommunes = valid.filter(({ place }, i) => place.outsideCommunes && stored.outcomes[i] === 'accepted').map(({ reading }) => reading.id);
      const warnings: ReadingWarning[] = valid.flatMap(({ index, reading }, i) =>
        links[i]?.dropped && stored.outcomes[i] !== 'conflict' ? [{ id: reading.id, index, field: 'campaignId' as const, message: CAMPAIGN_LINK_DROPPED }] : [],
      );
      return answer(ReadingUploadAnswerSchema, { accepted: stored.accepted, duplicates: stored.duplicates, rejected, outsideCommunes, warnings });
    });
  });

  app.get('/api/v1/readings', async (request, reply) => {
    const params: QueryParams = singleValued(request.query, QUERY_PARAMS);
    const parsed = parseQuery(params, readingScope(requirePrincipal(request).user));
    if (parsed.clusters) {
      const clustered = { type: 'FeatureCollection', clustered: true, features: await store.clusters(parsed.clusters) };
      return reply.type('application/geo+json').send(clustered);
    }
    const query = parsed.points;

    let page: ReadingPage;
    try {
      page = await store.query(query);
    } catch (error) {
      throw cursorRefused(error, query.cursor);
    }

    const collection: FeatureCollection<ScopedReadingProperties> & { nextCursor?: string } = {
      type: 'FeatureCollection',
      features: page.readings.map((reading, i) => {
        const feature = readingFeature(reading);
        const { commune, outsideCommunes, placement } = page.places[i]!;
        return { ...feature, properties: { ...feature.properties, commune, outsideCommunes, placement } };
      }),
    };
    if (page.nextCursor !== undefined) {
      // RFC 7946 §6.1 allows foreign members; the Link header serves generic HTTP clients.
      collection.nextCursor = page.nextCursor;
      const next = new URLSearchParams({ ...params, cursor: page.nextCursor });
      reply.header('link', `</api/v1/readings?${next}>; rel="next"`);
    }
    return reply.type('application/geo+json').send(answer(ReadingsAnswerSchema, collection));
  });
}

/** What GET /api/v1/readings says of each reading: never who sent it. */
type ScopedReadingProperties = ReadingProperties & { commune: string | null; outsideCommunes: boolean; placement: PlaceMethod | null };

/** The batch's items, each to be judged alone; the batch as a whole is refused only when its shape is wrong. */
function readBatch(body: unknown): { items: unknown[] } {
  const shape = 'envoyez {"readings": [ … ]} avec 1 à 500 relevés';
  if (body === undefined || body === null) throw badRequest(`Le corps de la requête est vide : ${shape}.`);
  if (typeof body !== 'object' || Array.isArray(body)) throw badRequest(`Le corps doit être un objet JSON : ${shape}.`);
  if (!('readings' in body)) throw badRequest(`Le champ « readings » manque : ${shape}.`);
  const { readings } = body;
  if (!Array.isArray(readings)) throw badRequest(`« readings » doit être un tableau de relevés : ${shape}.`);
  if (readings.length === 0) throw badRequest('« readings » est vide : envoyez au moins 1 relevé (500 au plus).');
  if (readings.length > MAX_READINGS_PER_REQUEST) {
    throw new HttpError(413, `Trop de relevés dans une requête (${readings.length}) : envoyez-les par lots de ${MAX_READINGS_PER_REQUEST} au plus.`);
  }
  return { items: readings };
}

function idOf(item: unknown): string | null {
  if (typeof item !== 'object' || item === null || !('id' in item)) return null;
  return typeof item.id === 'string' ? item.id : null;
}

const QUERY_PARAMS = ['bbox', 'since', 'limit', 'cursor', 'zoom', 'operator', 'technology'] as const;
type QueryParams = Partial<Record<(typeof QUERY_PARAMS)[number], string>>;

/** Map zoom levels a client may say it shows (Leaflet's usual range and a little more). */
export const MAX_MAP_ZOOM = 22;

/** Either a page of points, or (zoom below CLUSTER_BELOW_ZOOM) every matching reading in clusters. */
type ParsedQuery = { points: ReadingQuery; clusters?: undefined } | { clusters: ReadingClusterQuery };

function parseQuery({ bbox, since, limit, cursor, zoom, operator, technology }: QueryParams, scope: ReadingScope): ParsedQuery {
  const filter: ReadingFilter = {
    scope,
    ...(bbox !== undefined && { bbox: parseBbox(bbox) }),
    ...(since !== undefined && { since: parseSince(since) }),
    ...(operator !== undefined && { operators: parseList('operator', operator, OPERATORS, 'opérateur inconnu') }),
    ...(technology !== undefined && { technologies: parseList('technology', technology, TECHNOLOGIES, 'technologie inconnue') }),
  };
  const mapZoom = zoom === undefined ? undefined : parseZoom(zoom);
  if (mapZoom !== undefined && mapZoom < CLUSTER_BELOW_ZOOM) {
    const paging = [limit !== undefined && 'limit', cursor !== undefined && 'cursor'].filter(Boolean);
    if (paging.length > 0) {
      throw badRequest(
        `${paging.join(' et ')} : sans objet sous le zoom ${CLUSTER_BELOW_ZOOM} (zoom=${mapZoom}), où la réponse groupe en une fois tous les relevés de la zone ; ` +
          'retirez-les, ou demandez les points avec zoom ≥ 13.',
      );
    }
    return { clusters: { ...filter, zoom: mapZoom } };
  }
  return {
    points: {
      ...filter,
      limit: limit === undefined ? DEFAULT_PAGE_SIZE : parseLimit(limit, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE),
      ...(cursor !== undefined && { cursor }),
    },
  };
}

function parseZoom(text: string): number {
  if (!/^\d{1,2}$/.test(text) || Number(text) > MAX_MAP_ZOOM) {
    throw badRequest(`zoom=« ${text} » : attendu le niveau de zoom de la carte, un entier de 0 à ${MAX_MAP_ZOOM}.`);
  }
  return Number(text);
}

/** A comma-separated list of known values (`operator=orange,sfr`), without repeats. */
function parseList<T extends string>(name: string, text: string, allowed: readonly T[], unknown: string): T[] {
  const values = text.split(',').map((value) => value.trim());
  const expected = `attendu une ou plusieurs valeurs parmi ${allowed.join(', ')}, séparées par des virgules`;
  if (values.some((value) => value === '')) throw badRequest(`${name}=« ${text} » : valeur vide ; ${expected}.`);
  const known = values.filter((value) => isOneOf(allowed, value));
  const wrong = values.filter((value) => !isOneOf(allowed, value));
  if (wrong.length > 0) throw badRequest(`${name}=« ${text} » : ${unknown} « ${wrong.join(' », « ')} » ; ${expected}.`);
  return [...new Set(known)];
}

const IsoDateOrTimestamp = v.union([v.pipe(v.string(), v.isoDate()), v.pipe(v.string(), v.isoTimestamp())]);

function parseSince(text: string): string {
  if (!v.is(IsoDateOrTimestamp, text) || Number.isNaN(Date.parse(text))) {
    throw badRequest(
      `since=« ${text} » : attendu une date ISO 8601, jour (2026-05-04) ou instant avec fuseau (2026-05-04T10:15:00Z) ; ` +
        'dans l’URL, écrivez le « + » d’un fuseau %2B.',
    );
  }
  return text;
}
