import type { FastifyInstance } from 'fastify';
import {
  type FullReportFeature,
  FullReportFeatureSchema,
  type PublicReportFeature,
  type RejectedItem,
  ReportModerationSchema,
  ReportsAnswerSchema,
  ReportUploadAnswerSchema,
} from '../../domain/api/index.ts';
import { PUBLIC_PRECISION_M, createReportSchema, validateReport, type Report } from '../../domain/report.ts';
import { publicCell, publicHour, publicHourBounds, publicSearchBox } from '../../domain/report-public.ts';
import type { Bbox } from '../../domain/geojson.ts';
import type { Accounts } from '../accounts.ts';
import { actorOf } from '../accounts.ts';
import { requirePrincipal } from '../access/enforce.ts';
import { hiddenReportsVisibleTo, mayModerateReport, seesReportInFull } from '../access/scope.ts';
import type { Communes } from '../communes/communes.ts';
import type { SecuritySettings } from '../config.ts';
import { routeRateLimit } from '../security.ts';
import { badRequest, HttpError } from '../http-errors.ts';
import { answer } from './answer.ts';
import type { ReportPage, StoredReport } from '../storage/report-store.ts';
import type { Store } from '../storage/store.ts';
import { firstIssueMessage, parseBody } from './request-body.ts';
import { cursorRefused, parseBbox, parseLimit, singleValued } from './query.ts';

export const MAX_REPORTS_PER_REQUEST = 50;
/** 50 reports with 300-character notes fit in well under this. */
export const REPORTS_BODY_LIMIT = 64 * 1024;
const MAX_REASON_LENGTH = 300;

type RejectedReport = RejectedItem & { code: 'invalid' };

export interface ReportRoutesOptions {
  store: Store;
  now: () => number;
  communes: Communes;
  accounts: Accounts;
  security: SecuritySettings;
}

/**
 * POST /api/v1/reports (a resident, no account), GET /api/v1/reports (exact for the
 * département's reviewers, coarse for everyone else), PATCH /api/v1/reports/:id (hide or show).
 */
export function registerReportRoutes(app: FastifyInstance, { store, now, communes, accounts, security }: ReportRoutesOptions): void {
  const schema = createReportSchema({ now });

  app.post('/api/v1/reports', { bodyLimit: REPORTS_BODY_LIMIT, config: routeRateLimit(security.rateLimits.reports) }, async (request) => {
    const body = request.body;
    const shape = `envoyez {"reports": [ … ]} avec 1 à ${MAX_REPORTS_PER_REQUEST} signalements`;
    if (body === undefined || body === null) throw badRequest(`Le corps de la requête est vide : ${shape}.`);
    if (typeof body !== 'object' || Array.isArray(body) || !('reports' in body) || !Array.isArray(body.reports)) {
      throw badRequest(`Le corps doit être un objet JSON avec un tableau « reports » : ${shape}.`);
    }
    const items: unknown[] = body.reports;
    if (items.length === 0) throw badRequest(`« reports » est vide : ${shape}.`);
    if (items.length > MAX_REPORTS_PER_REQUEST) throw new HttpError(413, `Trop de signalements dans une requête (${items.length}) : ${shape}.`);

    const valid: Report[] = [];
    const rejected: RejectedReport[] = [];
    items.forEach((item, index) => {
      const result = validateReport(item, schema);
      if (result.ok) valid.push(result.report);
      else rejected.push({ id: idOf(item), index, code: 'invalid', errors: result.errors });
    });
    if (valid.length > 0) {
      await store.ingestReports(
        valid.map((report) => {
          const place = communes.locate(report.lat, report.lon);
          return {
            report,
            commune: place?.commune ?? null,
            departement: place?.departement ?? null,
            placement: place?.placement ?? null,
            ...(place && { placedWith: place.placedWith }),
          };
        }),
        { receivedAt: new Date(now()).toISOString() },
      );
    }
    // Whether a report was stored, collapsed into a repeat or already there (a retry) is not
    // said: the answer would tell a prober where a report lies (issue 14). Every valid
    // report is the server's now; `duplicates` stays, always empty, for clients that read it.
    return answer(ReportUploadAnswerSchema, { accepted: valid.map((r) => r.id), duplicates: [], rejected });
  });

  app.get('/api/v1/reports', { config: routeRateLimit(security.rateLimits.publicReads) }, async (request, reply) => {
    const user = request.principal?.user;
    const params = singleValued(request.query, ['bbox', 'limit', 'cursor']);
    const bbox: Bbox | undefined = params.bbox === undefined ? undefined : parseBbox(params.bbox);
    const limit = params.limit === undefined ? 1000 : parseLimit(params.limit, 1000, 5000);
    const cursor = params.cursor;

    // The store searches a box of exact positions holding every report whose cell's centre
    // lies in the one asked for; each report is then kept by the position this caller sees
    // (the coarse one, mostly), and what is not kept leaves no trace in the page: so neither
    // a small box nor a box's edge moved metre by metre tells where a report exactly is.
    const searched = bbox && publicSearchBox(bbox);
    const featureOf = (stored: StoredReport) => (seesReportInFull(user, stored) ? fullFeature(stored) : publicFeature(stored, communes));
    const inBox = (stored: StoredReport) => {
      const feature = featureOf(stored);
      if (!feature || !bbox) return feature !== undefined;
      const [lon, lat] = feature.geometry.coordinates;
      return lon >= bbox.minLon && lon <= bbox.maxLon && lat >= bbox.minLat && lat <= bbox.maxLat;
    };
    let page: ReportPage;
    try {
      const hidden = hiddenReportsVisibleTo(user);
      page = await store.queryReports({
        limit,
        keep: inBox,
        ...(searched && { bbox: searched }),
        ...(cursor && { cursor }),
        ...(hidden && { hiddenVisibleIn: hidden }),
      });
    } catch (error) {
      throw cursorRefused(error, cursor);
    }

    // Every report of the page was kept by `inBox`, so each has a feature.
    const features = page.reports.map(featureOf).filter((feature) => feature !== undefined);
    const collection = answer(ReportsAnswerSchema, {
      type: 'FeatureCollection',
      features,
      ...(page.nextCursor && { nextCursor: page.nextCursor }),
    });
    return reply.type('application/geo+json').send(collection);
  });

  app.patch<{ Params: { id: string } }>('/api/v1/reports/:id', async (request) => {
    const user = requirePrincipal(request).user;
    const { hidden, reason } = parseBody(request.body, ReportModerationSchema, {
      notObject: 'Envoyez {"hidden": true, "reason": "…"}',
      message: firstIssueMessage,
    });
    const why = reason?.trim() ?? '';
    if (hidden && why === '') throw badRequest('Dites pourquoi vous masquez ce signalement (« reason »)');
    if (why.length > MAX_REASON_LENGTH) throw badRequest(`La raison dépasse ${MAX_REASON_LENGTH} caractères`);

    const stored = await store.reportById(request.params.id);
    if (!stored) throw new HttpError(404, 'Aucun signalement ne porte cet identifiant');
    if (!mayModerateReport(user, stored)) throw new HttpError(403, 'Ce signalement est hors de votre département');
    await store.setReportHidden(request.params.id, hidden, hidden ? why : null);
    await accounts.audit(actorOf(user), hidden ? 'report.hide' : 'report.show', 'report', request.params.id, { reason: why || null });
    const moderated = await store.reportById(request.params.id);
    if (!moderated) throw new HttpError(404, 'Aucun signalement ne porte cet identifiant');
    return answer(FullReportFeatureSchema, fullFeature(moderated));
  });
}

function fullFeature(stored: StoredReport): FullReportFeature {
  const { report } = stored;
  return {
    type: 'Feature',
    id: report.id,
    geometry: { type: 'Point', coordinates: [report.lon, report.lat] },
    properties: {
      ...report,
      commune: stored.commune,
      departement: stored.departement,
      placement: stored.placement,
      receivedAt: stored.receivedAt,
      hidden: stored.hidden,
      hiddenReason: stored.hiddenReason,
      repeats: stored.repeats,
    },
  };
}

/**
 * Hidden reports are never public (undefined). Everything shown is a function of the cell and
 * the hour: the commune too is the cell centre's, not the one the exact position was placed in,
 * which near a boundary would tell on which side of it the report lies.
 */
function publicFeature(stored: StoredReport, communes: Communes): PublicReportFeature | undefined {
  if (stored.hidden) return undefined;
  const { report } = stored;
  const [lon, lat] = coarsen(report.lat, report.lon);
  const hour = publicHourBounds(publicHour(Date.parse(report.reportedAt))).fromMs;
  return {
    type: 'Feature',
    id: report.id,
    geometry: { type: 'Point', coordinates: [lon, lat] },
    properties: {
      id: report.id,
      reportedAt: new Date(hour).toISOString(),
      operator: report.operator,
      problem: report.problem,
      setting: report.setting,
      commune: communes.locate(lat, lon)?.commune ?? null,
      repeats: stored.repeats,
      precisionM: PUBLIC_PRECISION_M,
    },
  };
}

/**
 * The centre of the ~200 m × 200 m public cell the point falls in (report-public.ts). Every
 * point of a cell gives the same answer, so averaging many answers reveals nothing finer.
 * Answers [lon, lat].
 */
export function coarsen(lat: number, lon: number): [number, number] {
  return publicCell(lat, lon).centre;
}

function idOf(item: unknown): string | null {
  if (typeof item !== 'object' || item === null || !('id' in item)) return null;
  return typeof item.id === 'string' ? item.id : null;
}
