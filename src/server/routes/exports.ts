import type { FastifyInstance } from 'fastify';
import { formatCellId, parseCellId } from '../../domain/grid/cell-id.ts';
import { requirePrincipal } from '../access/enforce.ts';
import { readingScope, seesCampaign, zoneDepartement } from '../access/scope.ts';
import { arcepQosCsv, arcepQosTableSchema, isQosEvidence, type ArcepQosRow } from '../grid/arcep-qos.ts';
import { HttpError, badRequest } from '../http-errors.ts';
import type { User } from '../storage/account-store.ts';
import type { ReadingPage, ReadingScope } from '../storage/reading-store.ts';
import type { Store } from '../storage/store.ts';
import { CAMPAIGN_MESSAGES } from './campaigns.ts';
import { departementQuery, singleValued } from './query.ts';
import { zoneInScope } from './zones.ts';

export interface ExportRoutesOptions {
  store: Store;
}

/** Readings read at a time. */
const PAGE = 5000;

export const EXPORT_MESSAGES = {
  oneScope: 'Précisez une et une seule étendue : ?campaign=ID (une campagne), ?zone=ID (une zone) ou ?departement=34 (un département).',
  departementForReviewers:
    'L’export d’un département est réservé à ses instructeurs et aux administrateurs : demandez ?campaign=ID pour une campagne que vous voyez.',
} as const;

/**
 * GET /api/v1/exports/arcep-qos.csv?campaign=ID | ?zone=ID | ?departement=34 and its Table
 * Schema. Scoped as the readings are: a campaign, whoever sees it (GET /api/v1/campaigns/:id),
 * and of its readings those the caller may read back (GET /api/v1/readings: an agent, their
 * own and their communes'); a zone, its département's reviewers (as its readings.csv); a
 * département, its reviewers and admins. Residents' readings are left out (signals, not tests).
 */
export function registerExportRoutes(app: FastifyInstance, { store }: ExportRoutesOptions): void {
  app.get('/api/v1/exports/arcep-qos.schema.json', async () => arcepQosTableSchema());

  app.get('/api/v1/exports/arcep-qos.csv', async (request, reply) => {
    const user = requirePrincipal(request).user;
    const raw = request.query as Record<string, string | string[]>;
    const { campaign, zone, departement: _ } = singleValued(raw, ['campaign', 'zone', 'departement']);
    const { departement } = departementQuery(Object.fromEntries(Object.entries(raw).filter(([name]) => name === 'departement')));
    if ([campaign, zone, departement].filter((value) => value !== undefined).length !== 1) throw badRequest(EXPORT_MESSAGES.oneScope);
    let name: string;
    let rows: ArcepQosRow[];
    if (campaign !== undefined) {
      name = `campagne-${campaign}`;
      rows = await campaignRows(store, campaign, user);
    } else if (zone !== undefined) {
      const found = await zoneInScope(store, zone, user);
      name = `zone-${found.id}`;
      rows = await pages((cursor) =>
        store.readingsInCells({
          cells: found.cells.map((id) => parseCellId(id)!),
          limit: PAGE,
          scope: { kind: 'departement', departement: found.departement },
          ...cursorOf(cursor),
        }),
      );
    } else {
      if (user.role === 'agent') throw new HttpError(403, EXPORT_MESSAGES.departementForReviewers);
      const scope = zoneDepartement(user, departement, true).departement!;
      name = `departement-${scope}`;
      rows = await pages((cursor) => store.query({ limit: PAGE, scope: { kind: 'departement', departement: scope }, ...cursorOf(cursor) }));
    }
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="arcep-qos-${name}.csv"`).send(arcepQosCsv(rows));
  });
}

async function campaignRows(store: Store, id: string, user: User): Promise<ArcepQosRow[]> {
  const campaign = await store.campaignById(id);
  if (!campaign || !seesCampaign(user, campaign)) throw new HttpError(404, CAMPAIGN_MESSAGES.notFound);
  const cells = new Map(
    (await store.campaignTally(campaign.id)).groups.flatMap((group) => (group.cell ? [[formatCellId(group.cell), group.cell] as const] : [])),
  );
  if (cells.size === 0) return [];
  const scope: ReadingScope = readingScope(user);
  const rows = await pages((cursor) => store.readingsInCells({ cells: [...cells.values()], limit: PAGE, scope, ...cursorOf(cursor) }));
  return rows.filter(({ reading }) => reading.campaignId === campaign.id);
}

const cursorOf = (cursor: string | undefined) => (cursor === undefined ? {} : { cursor });

/** Every page of a paged read, as export rows (residents' readings left out). */
async function pages(read: (cursor: string | undefined) => Promise<ReadingPage>): Promise<ArcepQosRow[]> {
  const rows: ArcepQosRow[] = [];
  let cursor: string | undefined;
  do {
    const page = await read(cursor);
    page.readings.forEach((reading, i) => {
      if (isQosEvidence(reading)) rows.push({ reading, commune: page.places[i]?.commune ?? null });
    });
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return rows;
}
