import type { FastifyInstance } from 'fastify';
import type { DepartementSummaryAnswer } from '../../domain/api/index.ts';
import { requirePrincipal } from '../access/enforce.ts';
import { campaignScope, zoneDepartement } from '../access/scope.ts';
import type { Communes } from '../communes/communes.ts';
import type { GridSettings } from '../config.ts';
import { verdictOptions } from '../grid/coverage.ts';
import { departementSummary, departementSummaryCsv } from '../grid/departement-summary.ts';
import { badRequest } from '../http-errors.ts';
import type { Store } from '../storage/store.ts';
import { csvFileName, csvFormatQuery } from './csv-format.ts';
import { departementQuery } from './query.ts';

export interface DepartementSummaryRoutesOptions {
  store: Store;
  communes: Communes;
  grid: GridSettings;
  now: () => number;
  /** ZONE_QUOTA_PER_YEAR: zones the équipe projet may propose a year; undefined when none is set. */
  zoneQuotaPerYear: number | undefined;
}

/** The table is the whole département's: a parameter can only be a typo. */
function refuseParameters(raw: Record<string, string | string[]>, accepted: string): void {
  const [name] = Object.keys(raw);
  if (name !== undefined) throw badRequest(`Paramètre inconnu : « ${name} » ; ${accepted}.`);
}

/** YYYY-MM-DD in Paris: the day the équipe projet reads the table on (en-CA writes ISO dates). */
const PARIS_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' });

type Request = Parameters<typeof requirePrincipal>[0] & { params: { code: string } };

/**
 * GET /api/v1/departements/:code/summary and …/summary.csv: the équipe projet's table. A
 * reviewer reads their own département's (another's: 403, as the zones), an admin any
 * (route-access.ts keeps agents out); the code is checked before anything is read.
 */
export function registerDepartementSummaryRoutes(
  app: FastifyInstance,
  { store, communes, grid, now, zoneQuotaPerYear }: DepartementSummaryRoutesOptions,
): void {
  const verdicts = verdictOptions(grid);

  const summaryFor = async (request: Request) => {
    const user = requirePrincipal(request).user;
    const code = request.params.code;
    departementQuery({ departement: code });
    const departement = zoneDepartement(user, code, true).departement!;
    if (!communes.departementName(departement)) throw badRequest(`Département inconnu : « ${code} » n’est le code d’aucun département (ex. 34, 2A, 971).`);
    return departementSummary(store, communes, {
      departement,
      today: PARIS_DAY.format(new Date(now())),
      quotaPerYear: zoneQuotaPerYear,
      campaignScope: campaignScope(user),
      verdicts,
    });
  };

  app.get<{ Params: { code: string } }>('/api/v1/departements/:code/summary', async (request) => {
    refuseParameters(request.query as Record<string, string | string[]>, 'cette adresse n’en prend aucun');
    return (await summaryFor(request)) satisfies DepartementSummaryAnswer;
  });

  app.get<{ Params: { code: string } }>('/api/v1/departements/:code/summary.csv', async (request, reply) => {
    const { dialect, rest } = csvFormatQuery(request.query as Record<string, string | string[]>);
    refuseParameters(rest, 'seul format=tableur est accepté');
    const summary = await summaryFor(request);
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${csvFileName(`tableau-departement-${summary.departement}`, dialect)}"`)
      .send(departementSummaryCsv(summary, dialect));
  });
}
