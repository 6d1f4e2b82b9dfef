import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import * as v from 'valibot';
import type { CommuneRef } from '../../domain/account.ts';
import {
  CampaignDraftSchema,
  CampaignPatchSchema,
  defaultCampaignName,
  MAX_CAMPAIGN_AGENTS,
  periodProblem,
  type Campaign,
  type CampaignAgent,
  type CampaignView,
} from '../../domain/campaign.ts';
import { INSEE_CODE_PATTERN } from '../../domain/reading.ts';
import { actorOf, type Accounts } from '../accounts.ts';
import { campaignScope, mayEditCampaign, mayOrganiseCampaignIn, seesCampaign, zoneDepartement } from '../access/scope.ts';
import { campaignProgress } from '../campaigns/progress.ts';
import type { Communes } from '../communes/communes.ts';
import type { User } from '../storage/account-store.ts';
import type { CampaignChanges } from '../storage/campaign-store.ts';
import type { Store } from '../storage/store.ts';
import { parsed } from './cells.ts';
import { departementQuery, singleValued } from './query.ts';
import { issuesMessage } from './zones.ts';

export interface CampaignRoutesOptions {
  store: Store;
  communes: Communes;
  accounts: Accounts;
  now: () => number;
}

const DRAFT_FIELDS = ['name', 'communeInsee', 'startsOn', 'endsOn', 'operators', 'testNumber', 'agentIds'] as const;
const PATCH_FIELDS = ['name', 'startsOn', 'endsOn', 'operators', 'testNumber', 'agentIds'] as const;

export const CAMPAIGN_MESSAGES = {
  // An id out of the caller's scope gets the same answer as an unknown one: it says nothing of other communes.
  notFound: 'Aucune campagne ne porte cet identifiant',
  notEditable: 'Seuls l’agent qui a créé cette campagne, les instructeurs de son département et les administrateurs peuvent la modifier',
  inUse: 'Des relevés portent déjà cette campagne : elle ne peut plus être supprimée (changez plutôt ses dates pour la clore)',
  communeFixed: 'La commune d’une campagne ne se change pas : créez une autre campagne',
  communeMissing: 'Précisez la commune : ?commune=34172 (code INSEE)',
} as const;

/** The body as an object with only the accepted fields, or the 400 message. */
function bodyWith(body: unknown, accepted: readonly string[], shape: string): Record<string, unknown> | string {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return `Le corps doit être un objet JSON : ${shape}`;
  if (accepted === PATCH_FIELDS && 'communeInsee' in body) return CAMPAIGN_MESSAGES.communeFixed;
  const unknown = Object.keys(body).filter((key) => !accepted.includes(key));
  if (unknown.length > 0) return `Champ inconnu : ${unknown.map((k) => `« ${k} »`).join(', ')}. Champs acceptés : ${accepted.join(', ')}.`;
  return body as Record<string, unknown>;
}

const DRAFT_SHAPE = '{"communeInsee": "34261", "startsOn": "2026-05-04", "endsOn": "2026-05-29", "operators": ["orange", …], "name"?, "testNumber"?, "agentIds"?}';

/**
 * The draft's own messages, leaving out the period checks when a field is already wrong: with
 * a malformed date, the schema's « au plus 366 jours » check also fires, and would only confuse.
 */
function draftMessage(issues: readonly v.BaseIssue<unknown>[]): string {
  const own = issues.filter((issue) => issue.type !== 'partial_check');
  return issuesMessage(own.length > 0 ? own : issues);
}

/** The period's problem as the 400's message, the field first (as the schema's messages are). */
function periodMessage(startsOn: string, endsOn: string, now: number): string | undefined {
  const problem = periodProblem(startsOn, endsOn, new Date(now).toISOString().slice(0, 10));
  return problem && `${problem.field} : ${problem.message}`;
}

function refusalIn(user: User, commune: CommuneRef): string {
  if (user.role === 'agent') return `Vous ne pouvez organiser une campagne que dans vos communes : ${commune.name} (${commune.code}) n’en fait pas partie`;
  return `Vous instruisez le département ${user.departement ?? '?'}, pas le ${commune.departement} (${commune.name})`;
}

/** Survey campaigns: CRUD within the caller's scope, their progress, the agents one may assign. */
export function registerCampaignRoutes(app: FastifyInstance, { store, communes, accounts, now }: CampaignRoutesOptions): void {
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

  /** The campaign if the caller may see it; else the 404 has been sent. */
  async function campaignFor(id: string, user: User, reply: FastifyReply): Promise<Campaign | undefined> {
    const campaign = await store.campaignById(id);
    if (!campaign || !seesCampaign(user, campaign)) {
      void reply.code(404).send({ error: CAMPAIGN_MESSAGES.notFound });
      return undefined;
    }
    return campaign;
  }

  /**
   * The first problem with the agents newly assigned to a campaign in `commune`: each must be
   * an enabled agent account recording for that commune. Those already assigned stay, even if
   * their communes changed since. Whatever else the id is (unknown, a reviewer, disabled, an
   * agent elsewhere), the message says only that: it must not tell who holds an id.
   */
  async function agentsProblem(ids: readonly string[], commune: CommuneRef, alreadyAssigned: readonly string[] = []): Promise<string | undefined> {
    if (ids.length > MAX_CAMPAIGN_AGENTS) return `Au plus ${MAX_CAMPAIGN_AGENTS} agents par campagne`;
    for (const id of ids) {
      if (alreadyAssigned.includes(id)) continue;
      const user = await store.userById(id);
      if (!user || user.role !== 'agent' || user.disabled || !user.communes.includes(commune.code)) {
        return `L’identifiant « ${id} » n’est pas celui d’un agent de la commune ${commune.name} (${commune.code}).`;
      }
    }
    return undefined;
  }

  app.get('/api/v1/campaigns', async (request, reply) => {
    const user = request.principal!.user;
    const query = parsed(reply, () => departementQuery(request.query as Record<string, string | string[]>));
    if (!query) return reply;
    const filter = zoneDepartement(user, query.departement, false);
    if ('error' in filter) return reply.code(filter.status).send({ error: filter.error });
    const list = await store.listCampaigns({ scope: campaignScope(user), ...(filter.departement !== undefined && { departement: filter.departement }) });
    const known = new Map<string, CampaignAgent | null>();
    const campaigns: CampaignView[] = [];
    for (const campaign of list) campaigns.push(await view(campaign, known));
    return { campaigns };
  });

  app.post('/api/v1/campaigns', async (request, reply) => {
    const user = request.principal!.user;
    const body = bodyWith(request.body, DRAFT_FIELDS, DRAFT_SHAPE);
    if (typeof body === 'string') return reply.code(400).send({ error: body });
    const result = v.safeParse(CampaignDraftSchema, body);
    if (!result.success) return reply.code(400).send({ error: draftMessage(result.issues) });
    const draft = result.output;
    const period = periodMessage(draft.startsOn, draft.endsOn, now());
    if (period) return reply.code(400).send({ error: period });
    const commune = communes.get(draft.communeInsee);
    if (!commune) return reply.code(400).send({ error: `Commune inconnue : « ${draft.communeInsee} » n’est le code INSEE d’aucune commune actuelle` });
    if (!mayOrganiseCampaignIn(user, commune)) return reply.code(403).send({ error: refusalIn(user, commune) });

    // An agent who organises a campaign takes part in it.
    const agentIds = [...new Set(user.role === 'agent' ? [user.id, ...draft.agentIds] : draft.agentIds)];
    const problem = await agentsProblem(agentIds, commune);
    if (problem) return reply.code(400).send({ error: problem });

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
      agentIds,
    });
    return reply.code(201).send(await view(campaign));
  });

  app.get<{ Params: { id: string } }>('/api/v1/campaigns/:id', async (request, reply) => {
    const campaign = await campaignFor(request.params.id, request.principal!.user, reply);
    return campaign ? view(campaign) : reply;
  });

  app.patch<{ Params: { id: string } }>('/api/v1/campaigns/:id', async (request, reply) => {
    const user = request.principal!.user;
    const body = bodyWith(request.body, PATCH_FIELDS, '{"name"?, "startsOn"?, "endsOn"?, "operators"?, "testNumber"? (null pour l’enlever), "agentIds"?}');
    if (typeof body === 'string') return reply.code(400).send({ error: body });
    const result = v.safeParse(CampaignPatchSchema, body);
    if (!result.success) return reply.code(400).send({ error: issuesMessage(result.issues) });
    const patch = result.output;
    const campaign = await campaignFor(request.params.id, user, reply);
    if (!campaign) return reply;
    if (!mayEditCampaign(user, campaign)) return reply.code(403).send({ error: CAMPAIGN_MESSAGES.notEditable });

    const period = periodMessage(patch.startsOn ?? campaign.startsOn, patch.endsOn ?? campaign.endsOn, now());
    if (period) return reply.code(400).send({ error: period });
    const changes: CampaignChanges = { updatedAt: iso() };
    for (const key of ['name', 'startsOn', 'endsOn', 'operators', 'testNumber'] as const) {
      if (patch[key] !== undefined) Object.assign(changes, { [key]: patch[key] });
    }
    if (patch.agentIds !== undefined) {
      const agentIds = [...new Set(patch.agentIds)];
      const commune = communes.get(campaign.communeInsee) ?? { code: campaign.communeInsee, name: campaign.communeName, departement: campaign.departement };
      const problem = await agentsProblem(agentIds, commune, campaign.agentIds);
      if (problem) return reply.code(400).send({ error: problem });
      changes.agentIds = agentIds;
    }
    const updated = await store.updateCampaign(campaign.id, changes);
    if (!updated) return reply.code(404).send({ error: CAMPAIGN_MESSAGES.notFound });
    const { updatedAt: _, ...shown } = changes;
    await accounts.audit(actorOf(user), 'campaign.update', 'campaign', campaign.id, shown);
    return view(updated);
  });

  app.delete<{ Params: { id: string } }>('/api/v1/campaigns/:id', async (request, reply) => {
    const user = request.principal!.user;
    const campaign = await campaignFor(request.params.id, user, reply);
    if (!campaign) return reply;
    if (!mayEditCampaign(user, campaign)) return reply.code(403).send({ error: CAMPAIGN_MESSAGES.notEditable });
    const outcome = await store.deleteCampaign(campaign.id);
    if (outcome === 'in-use') return reply.code(409).send({ error: CAMPAIGN_MESSAGES.inUse });
    if (outcome === 'missing') return reply.code(404).send({ error: CAMPAIGN_MESSAGES.notFound });
    await accounts.audit(actorOf(user), 'campaign.delete', 'campaign', campaign.id, { name: campaign.name, communeInsee: campaign.communeInsee });
    return reply.code(204).send();
  });

  app.get<{ Params: { id: string } }>('/api/v1/campaigns/:id/progress', async (request, reply) => {
    const campaign = await campaignFor(request.params.id, request.principal!.user, reply);
    if (!campaign) return reply;
    return campaignProgress(campaign.id, await store.campaignTally(campaign.id));
  });

  app.get('/api/v1/campaign-agents', async (request, reply) => {
    const user = request.principal!.user;
    const query = parsed(reply, () => singleValued(request.query as Record<string, string | string[]>, ['commune']));
    if (!query) return reply;
    if (query.commune === undefined) return reply.code(400).send({ error: CAMPAIGN_MESSAGES.communeMissing });
    const commune = INSEE_CODE_PATTERN.test(query.commune) ? communes.get(query.commune) : undefined;
    if (!commune) return reply.code(400).send({ error: `Commune inconnue : « ${query.commune} » ; attendu le code INSEE d’une commune actuelle (ex. 34172)` });
    if (!mayOrganiseCampaignIn(user, commune)) return reply.code(403).send({ error: refusalIn(user, commune) });
    const agents: CampaignAgent[] = (await accounts.listUsers())
      .filter((account) => account.role === 'agent' && !account.disabled && account.communes.includes(commune.code))
      .map(({ id, name, email }) => ({ id, name, email }))
      .sort((a, b) => a.name.localeCompare(b.name, 'fr') || a.email.localeCompare(b.email));
    return { agents };
  });
}
