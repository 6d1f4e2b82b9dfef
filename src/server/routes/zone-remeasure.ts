import type { FastifyInstance } from 'fastify';
import * as v from 'valibot';
import { CampaignAnswerSchema, ErrorAnswerSchema, RemeasureAnswerSchema } from '../../domain/api/index.ts';
import { MAX_CAMPAIGN_NAME_LENGTH } from '../../domain/campaign.ts';
import { cellCentre } from '../../domain/grid/cell-geometry.ts';
import { parseCellId } from '../../domain/grid/cell-id.ts';
import { OPERATORS } from '../../domain/operators.ts';
import type { Zone } from '../../domain/zone.ts';
import { requirePrincipal } from '../access/enforce.ts';
import type { Communes } from '../communes/communes.ts';
import { badRequest, HttpError } from '../http-errors.ts';
import type { Store } from '../storage/store.ts';
import { storedFollowUp } from '../storage/zone-store.ts';
import { answer } from './answer.ts';
import { objectBody } from './request-body.ts';
import { zoneAnswer, zoneInScope } from './zones.ts';

export interface RemeasureRouteOptions {
  store: Store;
  communes: Communes;
  now: () => number;
}

const SHAPE = '{"startsOn": "AAAA-MM-JJ", "endsOn": "AAAA-MM-JJ", "operators"?: ["orange", …], "agentIds"?: [ … ], "name"?, "testNumber"?}';

/**
 * The commune a zone's re-measurement campaign is organised in. A campaign covers one commune
 * (campaign.ts); a zone may straddle several: the one holding most of its cells' centres
 * (of its département; ties to the smaller INSEE code), else the first of the zone's communes.
 */
export function remeasureCommune(zone: Zone, communes: Communes): string | undefined {
  const counts = new Map<string, number>();
  for (const id of zone.cells) {
    const ref = parseCellId(id);
    if (!ref) continue;
    const [lon, lat] = cellCentre(ref);
    const code = communes.locate(lat, lon)?.commune;
    if (code && communes.get(code)?.departement === zone.departement) counts.set(code, (counts.get(code) ?? 0) + 1);
  }
  const ranked = [...counts].sort(([a, m], [b, n]) => n - m || (a < b ? -1 : 1));
  return ranked[0]?.[0] ?? zone.communes[0];
}

/**
 * POST /api/v1/zones/:id/remeasure (« Mesurer à nouveau »): a survey campaign over the zone,
 * made by POST /api/v1/campaigns itself (same checks, scope, agents and audit, as the caller),
 * then remembered in the zone's follow-up. The dossier compares its readings with those up to
 * the arrêté (zone-documents.ts).
 */
export function registerRemeasureRoute(app: FastifyInstance, { store, communes }: RemeasureRouteOptions): void {
  app.post<{ Params: { id: string } }>('/api/v1/zones/:id/remeasure', async (request, reply) => {
    const user = requirePrincipal(request).user;
    const body = objectBody(request.body, `Le corps doit être un objet JSON : ${SHAPE}`);
    if ('communeInsee' in body) throw badRequest('La commune d’une nouvelle mesure est celle de la zone : retirez « communeInsee ».');
    const zone = await zoneInScope(store, request.params.id, user);
    if (zone.status !== 'arretee' && zone.status !== 'couverte') {
      throw new HttpError(409, 'On mesure à nouveau une zone arrêtée ou couverte, pour comparer avec les mesures d’avant l’arrêté.');
    }
    const commune = remeasureCommune(zone, communes);
    if (commune === undefined) throw badRequest('Aucune commune connue ne contient les mailles de cette zone : impossible d’y organiser une campagne.');

    const draft = {
      name: `Mesurer à nouveau : ${zone.name}`.slice(0, MAX_CAMPAIGN_NAME_LENGTH),
      operators: [...OPERATORS],
      ...body,
      communeInsee: commune,
    };
    const made = await app.inject({
      method: 'POST',
      url: '/api/v1/campaigns',
      payload: draft,
      headers: {
        ...(request.headers.cookie !== undefined && { cookie: request.headers.cookie }),
        ...(request.headers.authorization !== undefined && { authorization: request.headers.authorization }),
        ...(typeof request.headers['x-csrf-token'] === 'string' && { 'x-csrf-token': request.headers['x-csrf-token'] }),
      },
    });
    if (made.statusCode !== 201) {
      const refused = v.safeParse(ErrorAnswerSchema, made.json());
      throw new HttpError(made.statusCode, refused.success ? refused.output.error : 'La campagne n’a pas pu être créée.');
    }
    const campaign = v.parse(CampaignAnswerSchema, made.json());
    const updated = await store.updateZone(zone.id, {
      followUp: { ...storedFollowUp(zone.followUp), remeasureCampaignId: campaign.id },
      updatedAt: campaign.createdAt,
    });
    if (!updated) throw new HttpError(404, 'Aucune zone ne porte cet identifiant');
    return reply.code(201).send(answer(RemeasureAnswerSchema, { zone: await zoneAnswer(store, updated), campaign }));
  });
}
