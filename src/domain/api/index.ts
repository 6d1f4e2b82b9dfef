import type * as v from 'valibot';
import {
  CampaignAgentsAnswerSchema,
  CampaignAnswerSchema,
  CampaignProgressAnswerSchema,
  CampaignsAnswerSchema,
  SamplingPlanAnswerSchema,
} from './campaigns.ts';
import { CellsAnyAnswerSchema } from './cells.ts';
import { DepartementSummaryAnswerSchema } from './departement-summary.ts';
import { CommuneOutlineAnswerSchema, CommunesAnswerSchema } from './communes.ts';
import { ReadingsAnswerSchema, ReadingsOrClustersAnswerSchema, ReadingUploadAnswerSchema } from './readings.ts';
import { FullReportFeatureSchema, ReportsAnswerSchema, ReportUploadAnswerSchema } from './reports.ts';
import { AuditAnswerSchema, HealthAnswerSchema, ProbeUploadAnswerSchema, QosUploadAnswerSchema } from './service.ts';
import { SessionAnswerSchema } from './session.ts';
import { CreatedTokenAnswerSchema, TokensAnswerSchema } from './tokens.ts';
import { RevokedAnswerSchema, UserAnswerSchema, UsersAnswerSchema } from './users.ts';
import { OpenDataPackageAnswerSchema } from './open-data.ts';
import { DossierAnswerSchema, RemeasureAnswerSchema, SuggestionsAnswerSchema, ZoneAnswerSchema, ZonesAnswerSchema } from './zones.ts';

/**
 * The API's contract, one module per resource: what each route takes (bodies) and answers.
 * Pure domain code: the page, its workers, the service worker and the server all import it,
 * so that a field renamed here fails to compile wherever it is sent or read.
 */
export * from './campaigns.ts';
export * from './cells.ts';
export * from './common.ts';
export * from './communes.ts';
export * from './departement-summary.ts';
export * from './open-data.ts';
export * from './readings.ts';
export * from './reports.ts';
export * from './service.ts';
export * from './session.ts';
export * from './tokens.ts';
export * from './users.ts';
export * from './zones.ts';

/**
 * The schema of each route's successful JSON answer, by `METHOD /route/:param` as fastify
 * names it. The server tests check every such answer against it (test/server/fixtures.ts).
 * Files to download (CSV, GeoJSON) and answers without a body (204) are not listed; the JSON
 * files the page reads (a zone's dossier, the open data's Data Package) are.
 */
export const API_ANSWERS: Readonly<Record<string, v.GenericSchema>> = {
  'GET /api/v1/health': HealthAnswerSchema,
  'POST /api/v1/session': SessionAnswerSchema,
  'GET /api/v1/session': SessionAnswerSchema,
  'POST /api/v1/session/password': SessionAnswerSchema,
  'POST /api/v1/readings': ReadingUploadAnswerSchema,
  'GET /api/v1/readings': ReadingsOrClustersAnswerSchema,
  'GET /api/v1/cells/:cellId/readings': ReadingsAnswerSchema,
  'POST /api/v1/reports': ReportUploadAnswerSchema,
  'GET /api/v1/reports': ReportsAnswerSchema,
  'PATCH /api/v1/reports/:id': FullReportFeatureSchema,
  'GET /api/v1/users': UsersAnswerSchema,
  'POST /api/v1/users': UserAnswerSchema,
  'PATCH /api/v1/users/:id': UserAnswerSchema,
  'DELETE /api/v1/users/:id/sessions': RevokedAnswerSchema,
  'GET /api/v1/tokens': TokensAnswerSchema,
  'POST /api/v1/tokens': CreatedTokenAnswerSchema,
  'GET /api/v1/communes': CommunesAnswerSchema,
  'GET /api/v1/communes/:code/outline': CommuneOutlineAnswerSchema,
  'GET /api/v1/audit': AuditAnswerSchema,
  'GET /api/v1/cells': CellsAnyAnswerSchema,
  'GET /api/v1/zones': ZonesAnswerSchema,
  'POST /api/v1/zones': ZoneAnswerSchema,
  'GET /api/v1/zones/suggestions': SuggestionsAnswerSchema,
  'GET /api/v1/zones/:id': ZoneAnswerSchema,
  'PATCH /api/v1/zones/:id': ZoneAnswerSchema,
  'POST /api/v1/zones/:id/status': ZoneAnswerSchema,
  'POST /api/v1/zones/:id/remeasure': RemeasureAnswerSchema,
  'GET /api/v1/zones/:id/dossier.json': DossierAnswerSchema,
  'GET /api/v1/departements/:code/summary': DepartementSummaryAnswerSchema,
  'GET /api/v1/open-data/datapackage.json': OpenDataPackageAnswerSchema,
  'GET /api/v1/campaigns': CampaignsAnswerSchema,
  'POST /api/v1/campaigns': CampaignAnswerSchema,
  'GET /api/v1/campaigns/:id': CampaignAnswerSchema,
  'PATCH /api/v1/campaigns/:id': CampaignAnswerSchema,
  'GET /api/v1/campaigns/:id/progress': CampaignProgressAnswerSchema,
  'GET /api/v1/campaigns/:id/sampling-plan': SamplingPlanAnswerSchema,
  'GET /api/v1/campaign-agents': CampaignAgentsAnswerSchema,
  'POST /api/v1/probe': ProbeUploadAnswerSchema,
  'POST /api/v1/qos/upload': QosUploadAnswerSchema,
};
