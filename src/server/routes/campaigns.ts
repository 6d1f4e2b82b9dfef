import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import * as v from 'valibot';
import { CampaignAgentsAnswerSchema, CampaignAnswerSchema, CampaignProgressAnswerSchema, CampaignsAnswerSchema } from '../../domain/api/index.ts';
import type { CommuneRef } from '../../domain/account.ts';
import { defaultCampaignName, MAX_CAMPAIGN_AGENTS, periodProblem, type Campaign, type CampaignAgent, type CampaignView } from '../../domain/campaign.ts';
import { CampaignDraftSchema, CampaignPatchSchema } from '../../domain/campaign-schema.ts';
import type { Protocol } from '../../domain/protocol.ts';
import { INSEE_CODE_PATTERN } from '../../domain/reading.ts';
import { actorOf, type Accounts } from '../accounts.ts';
import { requirePrincipal } from '../access/enforce.ts';
import { campaignScope, mayEditCampaign, mayOrganiseCampaignIn, seesCampaign, zoneDepartement } from '../access/scope.ts';
import { campaignProgress } from '../campaigns/progress.ts';
import type { Communes } from '../communes/communes.ts';
import type { User } from '../storage/account-store.ts';
import type { CampaignChanges } from '../storage/campaign-store.ts';
import type { Store } from '../storage/store.ts';
import { badRequest, HttpError } from '../http-errors.ts';
import { answer } from './answer.ts';
import { departementQuery, singleValued } from './query.ts';
import { issuesMessage, objectBody, parseBody } from './request-body.ts';

export interface CampaignRoutesOptions {
  store: Store;
  communes: Communes;
  accounts: Accounts;
  now: () => number;
  /** A campaign created without a protocol follows the deployment's (DEFAULT_PROTOCOL). */
  defaultProtocol: Protocol;
}

const DRAFT_FIELDS = ['name', 'communeInsee', 'startsOn', 'endsOn', 'operators', 'testNumber', 'protocol', 'maxAccuracyM', 'accuracyRule', 'agentIds'] as const;
const PATCH_FIELDS = ['name', 'startsOn', 'endsOn', 'operators', 'testNumber', 'protocol', 'maxAccuracyM', 'accuracyRule', 'agentIds'] as const;

export const CAMPAIGN_MESSAGES = {
  // An id out of the caller's scope gets the same answer as an unknown one: it says nothing of other communes.
  notFound: 'Aucune campagne ne porte cet identifiant',
  notEditable: 'Seuls l’agent qui a créé cette campagne, les instructeurs de son département et les administrateurs peuvent la modifier',
  inUse: 'Des relevés portent déjà cette campagne : elle ne peut plus être supprimée (changez plutôt ses dates pour la clore)',
  communeFixed: 'La commune d’une campagne ne se change pas : créez une autre campagne',
  communeMissing: 'Précisez la commune : ?commune=34172 (code INSEE)',
} as const;

const DRAFT_SHAPE =
  '{"communeInsee": "34261", "startsOn": "2026-05-04", "endsOn": "2026-05-29", "operators": ["orange", …], "name"?, "testNumber"?, "protocol"?, "maxAccuracyM"?, "accuracyRule"?, "agentIds"?}';
const PATCH_SHAPE =
  '{"name"?, "startsOn"?, "endsOn"?, "operators"?, "testNumber"? (null pour l’enlever), "protocol"?, "maxAccuracyM"?, "accuracyRule"?, "agentIds"?}';

/**
 * The draft's own messages, leaving out the period checks when a field is already wrong: with
 * a malformed date, the schema's « au plus 366 jours » check also fires, and would only confuse.
 */
function draftMessage(issues: readonly v.BaseIssue<unknown>[]): string {
  const own = issues.filter((issue) => issue.type !== 'partial_check');
  return issuesMessage(own.length > 0 ? own : issues);
}

/** The period's problem as a 400, the field first (as the schema's messages are). */
function refuseBadPeriod(startsOn: string, endsOn: string, now: number): void {
  const problem = periodProblem(startsOn, endsOn, new Date(now).toISOString().slice(0, 10));
  if (problem) throw badRequest(`${problem.field} : ${problem.message}`);
}

function refusalIn(user: User, commune: CommuneRef): string {
  if (user.role === 'agent') return `Vous ne pouvez organiser une campagne que dans vos communes : ${commune.name} (${commune.code}) n’en fait pas partie`;
  return `Vous instruisez le département ${user.departement ?? '?'}, pas le ${commune.departement} (${commune.name})`;
}

/** Survey campaigns: CRUD within the caller's scope, their progress, the agents one may assign. */
export function registerCampaignRoutes(app: FastifyInstance, { store, communes, accounts, now, defaultProtocol }: CampaignRoutesOptions): void {
  const iso = () => new Date(now()).toISOString();

  /** The campaign with its agents' names, as the screens show it. */
  async function view(campaign: Campaign, known = new Map<string, CampaignAgent | null>()): Promise<CampaignView> {
    const agents: CampaignAgent[] = [];
    for (const id of campaign.agentIds) {
      if (!known.has(id)) {
        const user = await store.userById(id);
        known.set(id, user ? { id: user.id, name: user.name, email: user.email } : null);
      }
      const agent = known.get(id);
      if (agent) agents.push(agent);
    }
    return { ...campaign, agents };
  }

  /** The campaign if the caller may see it; else HttpError 404. */
  async function campaignFor(id: string, user: User): Promise<Campaign> {
    const campaign = await store.campaignById(id);
    if (!campaign || !seesCampaign(user, campaign)) throw new HttpError(404, CAMPAIGN_MESSAGES.notFound);
    return campaign;
  }

  /**
   * The first problem with the agents newly assigned to a campaign in `commune`: each must be
   * an enabled agent account recording for that commune. Those already assigned stay, even if
   * their communes changed since. Whatever else the id is (unknown, a reviewer, disabled, an
   * agent elsewhere), the message says only that: it must not tell who holds an id.
   */
  async function refuseWrongAgents(ids: readonly string[], commune: CommuneRef, alreadyAssigned: readonly string[] = []): Promise<void> {
    if (ids.length > MAX_CAMPAIGN_AGENTS) throw badRequest(`Au plus ${MAX_CAMPAIGN_AGENTS} agents par campagne`);
    for (const id of ids) {
      if (alreadyAssigned.includes(id)) continue;
      const user = await store.userById(id);
      if (user?.role !== 'agent' || user.disabled || !user.communes.includes(commune.code)) {
        throw badRequest(`L’identifiant « ${id} » n’est pas celui d’un agent de la commune ${commune.name} (${commune.code}).`);
      }
    }
  }

  app.get('/api/v1/campaigns', async (request) => {
    const user = requirePrincipal(request).user;
    const query = departementQuery(request.query);
    const filter = zoneDepartement(user, query.departement, false);
    const list = await store.listCampaigns({ scope: campaignScope(user), ...(filter.departement !== undefined && { departement: filter.departement }) });
    const known = new Map<string, CampaignAgent | null>();
    const campaigns: CampaignView[] = [];
    for (const campaign of list) campaigns.push(await view(campaign, known));
    return answer(CampaignsAnswerSchema, { campaigns });
  });

  app.post('/api/v1/campaigns', async (request, reply) => {
    const user = requirePrincipal(request).user;
    const draft = parseBody(request.body, CampaignDraftSchema, {
      notObject: `Le corps doit être un objet JSON : ${DRAFT_SHAPE}`,
      accepted: DRAFT_FIELDS,
      message: draftMessage,
    });
    refuseBadPeriod(draft.startsOn, draft.endsOn, now());
    const commune = communes.get(draft.communeInsee);
    if (!commune) throw badRequest(`Commune inconnue : « ${draft.communeInsee} » n’est le code INSEE d’aucune commune actuelle`);
    if (!mayOrganiseCampaignIn(user, commune)) throw new HttpError(403, refusalIn(user, commune));

    // An agent who organises a campaign takes part in it.
    const agentIds = [...new Set(user.role === 'agent' ? [user.id, ...draft.agentIds] : draft.agentIds)];
    await refuseWrongAgents(agentIds, commune);

    const at = iso();
    const campaign: Campaign = {
      id: randomUUID(),
      name: draft.name ?? defaultCampaignName(commune.name),
      communeInsee: commune.code,
      communeName: commune.name,
      departement: commune.departement,
      startsOn: draft.startsOn,
      endsOn: draft.endsOn,
      operators: draft.operators,
      ...(draft.testNumber !== undefined && { testNumber: draft.testNumber }),
      protocol: draft.protocol ?? defaultProtocol,
      maxAccuracyM: draft.maxAccuracyM,
      accuracyRule: draft.accuracyRule,
      agentIds,
      createdBy: user.id,
      createdAt: at,
      updatedAt: at,
    };
    await store.createCampaign(campaign);
    await accounts.audit(actorOf(user), 'campaign.create', 'campaign', campaign.id, {
      name: campaign.name,
      communeInsee: campaign.communeInsee,
      startsOn: campaign.startsOn,
      endsOn: campaign.endsOn,
      operators: campaign.operators,
      protocol: campaign.protocol,
      maxAccuracyM: campaign.maxAccuracyM,
      accuracyRule: campaign.accuracyRule,
      agentIds,
    });
    return reply.code(201).send(answer(CampaignAnswerSchema, await view(campaign)));
  });

  app.get<{ Params: { id: string } }>('/api/v1/campaigns/:id', async (request) =>
    answer(CampaignAnswerSchema, await view(await campaignFor(request.params.id, requirePrincipal(request).user))),
  );

  app.patch<{ Params: { id: string } }>('/api/v1/campaigns/:id', async (request) => {
    const user = requirePrincipal(request).user;
    // The commune is refused by its own message, before the list of accepted fields.
    if ('communeInsee' in objectBody(request.body, `Le corps doit être un objet JSON : ${PATCH_SHAPE}`)) throw badRequest(CAMPAIGN_MESSAGES.communeFixed);
    const patch = parseBody(request.body, CampaignPatchSchema, { notObject: `Le corps doit être un objet JSON : ${PATCH_SHAPE}`, accepted: PATCH_FIELDS });
    const campaign = await campaignFor(request.params.id, user);
    if (!mayEditCampaign(user, campaign)) throw new HttpError(403, CAMPAIGN_MESSAGES.notEditable);

    refuseBadPeriod(patch.startsOn ?? campaign.startsOn, patch.endsOn ?? campaign.endsOn, now());
    const changes: CampaignChanges = { updatedAt: iso() };
    for (const key of ['name', 'startsOn', 'endsOn', 'operators', 'testNumber', 'protocol', 'maxAccuracyM', 'accuracyRule'] as const) {
      if (patch[key] !== undefined) Object.assign(changes, { [key]: patch[key] });
    }
    if (patch.agentIds !== undefined) {
      const agentIds = [...new Set(patch.agentIds)];
      const commune = communes.get(campaign.communeInsee) ?? { code: campaign.communeInsee, name: campaign.communeName, departement: campaign.departement };
      await refuseWrongAgents(agentIds, commune, campaign.agentIds);
      changes.agentIds = agentIds;
    }
    const updated = await store.updateCampaign(campaign.id, changes);
    if (!updated) throw new HttpError(404, CAMPAIGN_MESSAGES.notFound);
    const { updatedAt: _, ...shown } = changes;
    await accounts.audit(actorOf(user), 'campaign.update', 'campaign', campaign.id, shown);
    return answer(CampaignAnswerSchema, await view(updated));
  });

  app.delete<{ Params: { id: string } }>('/api/v1/campaigns/:id', async (request, reply) => {
    const user = requirePrincipal(request).user;
    const campaign = await campaignFor(request.params.id, user);
    if (!mayEditCampaign(user, campaign)) throw new HttpError(403, CAMPAIGN_MESSAGES.notEditable);
    const outcome = await store.deleteCampaign(campaign.id);
    if (outcome === 'in-use') throw new HttpError(409, CAMPAIGN_MESSAGES.inUse);
    if (outcome === 'missing') throw new HttpError(404, CAMPAIGN_MESSAGES.notFound);
    await accounts.audit(actorOf(user), 'campaign.delete', 'campaign', campaign.id, { name: campaign.name, communeInsee: campaign.communeInsee });
    return reply.code(204).send();
  });

  app.get<{ Params: { id: string } }>('/api/v1/campaigns/:id/progress', async (request) => {
    const campaign = await campaignFor(request.params.id, requirePrincipal(request).user);
    return answer(CampaignProgressAnswerSchema, campaignProgress(campaign.id, await store.campaignTally(campaign.id)));
  });

  app.get('/api/v1/campaign-agents', async (request) => {
    const user = requirePrincipal(request).user;
    const query = singleValued(request.query, ['commune']);
    if (query.commune === undefined) throw badRequest(CAMPAIGN_MESSAGES.communeMissing);
    const commune = INSEE_CODE_PATTERN.test(query.commune) ? communes.get(query.commune) : undefined;
    if (!commune) throw badRequest(`Commune inconnue : « ${query.commune} » ; attendu le code INSEE d’une commune actuelle (ex. 34172)`);
    if (!mayOrganiseCampaignIn(user, commune)) throw new HttpError(403, refusalIn(user, commune));
    const agents: CampaignAgent[] = (await accounts.listUsers())
      .filter((account) => account.role === 'agent' && !account.disabled && account.communes.includes(commune.code))
      .map(({ id, name, email }) => ({ id, name, email }))
      .sort((a, b) => a.name.localeCompare(b.name, 'fr') || a.email.localeCompare(b.email));
    return answer(CampaignAgentsAnswerSchema, { agents });
  });
}
