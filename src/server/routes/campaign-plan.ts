import type { FastifyInstance } from 'fastify';
import type { SamplingPlanAnswer } from '../../domain/api/index.ts';
import { requirePrincipal } from '../access/enforce.ts';
import { gridScope, seesCampaign } from '../access/scope.ts';
import type { Communes } from '../communes/communes.ts';
import type { GridSettings } from '../config.ts';
import { campaignPlan, campaignPlanCsv } from '../grid/campaign-plan.ts';
import { verdictOptions } from '../grid/coverage.ts';
import { HttpError } from '../http-errors.ts';
import type { Store } from '../storage/store.ts';
import { CAMPAIGN_MESSAGES } from './campaigns.ts';
import { csvFileName, csvFormatQuery } from './csv-format.ts';
import { singleValued } from './query.ts';

export interface CampaignPlanRoutesOptions {
  store: Store;
  communes: Communes;
  grid: GridSettings;
}

/**
 * GET /api/v1/campaigns/:id/sampling-plan and …/sampling-plan.csv: whoever sees the campaign
 * (as GET /api/v1/campaigns/:id), judged on the grid they may see (as GET /api/v1/cells).
 */
export function registerCampaignPlanRoutes(app: FastifyInstance, { store, communes, grid }: CampaignPlanRoutesOptions): void {
  const options = verdictOptions(grid);
  const departementOf = (code: string) => communes.get(code)?.departement;

  const planFor = async (id: string, request: Parameters<typeof requirePrincipal>[0]) => {
    const user = requirePrincipal(request).user;
    const campaign = await store.campaignById(id);
    if (!campaign || !seesCampaign(user, campaign)) throw new HttpError(404, CAMPAIGN_MESSAGES.notFound);
    return campaignPlan(store, campaign, gridScope(user, departementOf), options);
  };

  app.get<{ Params: { id: string } }>('/api/v1/campaigns/:id/sampling-plan', async (request) => {
    return (await planFor(request.params.id, request)) satisfies SamplingPlanAnswer;
  });

  app.get<{ Params: { id: string } }>('/api/v1/campaigns/:id/sampling-plan.csv', async (request, reply) => {
    const { dialect, rest } = csvFormatQuery(request.query as Record<string, string | string[]>);
    singleValued(rest, ['format']);
    const plan = await planFor(request.params.id, request);
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${csvFileName(`plan-echantillonnage-${plan.campaignId}`, dialect)}"`)
      .send(campaignPlanCsv(plan, dialect));
  });
}
