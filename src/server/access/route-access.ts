import type { Role } from '../../domain/account.ts';

/**
 * EVERY API route's access rule, in one table. One hook (enforce.ts) applies it before any
 * handler runs; a route missing from this table makes the server refuse to start, and the
 * access-control matrix test (test/server/access-matrix.test.ts) is generated from it.
 *
 * - `public`: anyone, no account. Credentials are still read where `credentials` is 'read'
 *   (e.g. a reviewer sees exact positions of reports).
 * - `signed-in`: any account, by session cookie or API token; else 401.
 * - `session`: a browser session cookie only (an API token gets 401).
 * - a list of roles: signed in (else 401) with one of these roles (else 403).
 * - `csrf`: a state-changing request authenticated by the session cookie must carry the
 *   session's X-CSRF-Token, else 403. Requests with an API token need none.
 * - `credentials: 'ignored'`: the cookie and Authorization header are not even looked at
 *   (a resident's report is anonymous whoever sends it).
 * - `provisional: 'allowed'`: open to a session whose password an admin set and which must
 *   replace it first (sign in, who am I, sign out, change it). Every other route answers such
 *   a session 403, or treats it as anonymous where the route is public.
 *
 * Finer rules that depend on the data (own communes, own département, own tokens) are in
 * scope.ts, called by the handlers.
 */
export type Access = 'public' | 'signed-in' | 'session' | readonly Role[];

export interface RouteRule {
  access: Access;
  csrf: boolean;
  credentials?: 'read' | 'ignored';
  provisional?: 'allowed';
  /** What the route is, for docs/security.md and the matrix test's names. */
  summary: string;
}

const STAFF = ['reviewer', 'admin'] as const;
const ADMIN = ['admin'] as const;

export const ROUTE_ACCESS = {
  'GET /api/v1/health': { access: 'public', csrf: false, credentials: 'ignored', summary: 'is the server able to store readings' },
  'GET /api/v1/config': { access: 'public', csrf: false, credentials: 'ignored', summary: 'settings of this deployment' },

  'POST /api/v1/session': { access: 'public', csrf: false, credentials: 'ignored', summary: 'sign in (e-mail, password)' },
  'GET /api/v1/session': { access: 'session', csrf: false, provisional: 'allowed', summary: 'who is signed in, with the CSRF token' },
  'DELETE /api/v1/session': { access: 'session', csrf: true, provisional: 'allowed', summary: 'sign out' },
  'POST /api/v1/session/password': {
    access: 'session',
    csrf: true,
    provisional: 'allowed',
    summary: 'change one’s own password (the current one confirms it)',
  },

  'POST /api/v1/readings': { access: 'signed-in', csrf: true, summary: 'upload readings, attributed to the sender' },
  'GET /api/v1/readings': { access: 'signed-in', csrf: false, summary: 'readings in the reader’s scope' },

  'POST /api/v1/reports': { access: 'public', csrf: false, credentials: 'ignored', summary: 'a resident reports a dead spot' },
  'GET /api/v1/reports': { access: 'public', csrf: false, credentials: 'read', summary: 'reports; exact only for their reviewers' },
  'PATCH /api/v1/reports/:id': { access: STAFF, csrf: true, summary: 'hide or show a report (reviewer of its département, admin)' },

  'GET /api/v1/tokens': { access: 'signed-in', csrf: false, summary: 'own API tokens (admin: anyone’s)' },
  'POST /api/v1/tokens': { access: 'signed-in', csrf: true, summary: 'create an API token (admin: for anyone)' },
  'DELETE /api/v1/tokens/:id': { access: 'signed-in', csrf: true, summary: 'revoke an API token (owner or admin)' },

  'GET /api/v1/users': { access: ADMIN, csrf: false, summary: 'list accounts' },
  'POST /api/v1/users': { access: ADMIN, csrf: true, summary: 'create an account' },
  'PATCH /api/v1/users/:id': { access: ADMIN, csrf: true, summary: 'change an account' },
  'DELETE /api/v1/users/:id/sessions': { access: ADMIN, csrf: true, summary: 'revoke every session of an account' },

  'GET /api/v1/communes': { access: 'public', csrf: false, credentials: 'ignored', summary: 'search the commune list' },
  'GET /api/v1/communes/:code/outline': {
    access: 'public',
    csrf: false,
    credentials: 'ignored',
    summary: 'a commune’s outline (GeoJSON), when the deployment has the contours',
  },
  'GET /api/v1/audit': { access: ADMIN, csrf: false, summary: 'who did what to whom' },

  'GET /api/v1/cells': { access: 'signed-in', csrf: false, summary: 'the coverage grid in a box, judged (agent: their communes’ départements)' },
  'GET /api/v1/cells/:cellId/readings': { access: 'signed-in', csrf: false, summary: 'the readings of one cell in the reader’s scope' },

  'GET /api/v1/zones': { access: STAFF, csrf: false, summary: 'candidate zones of the reviewer’s département (admin: all)' },
  'POST /api/v1/zones': { access: STAFF, csrf: true, summary: 'create a candidate zone in the reviewer’s département' },
  'GET /api/v1/zones/suggestions': { access: STAFF, csrf: false, summary: 'zones suggested from connected blanche/grise cells' },
  'GET /api/v1/zones/:id': { access: STAFF, csrf: false, summary: 'one zone with its history' },
  'PATCH /api/v1/zones/:id': { access: STAFF, csrf: true, summary: 'change a zone’s name, cells, need, notes or follow-up after the arrêté' },
  'POST /api/v1/zones/:id/status': { access: STAFF, csrf: true, summary: 'move a zone along the workflow, with a reason' },
  'POST /api/v1/zones/:id/remeasure': {
    access: STAFF,
    csrf: true,
    summary: '« Mesurer à nouveau »: a survey campaign over an arrêtée zone (as POST /api/v1/campaigns)',
  },
  'GET /api/v1/zones/:id/dossier.geojson': { access: STAFF, csrf: false, summary: 'dossier: outline and cells with per-operator statistics' },
  'GET /api/v1/zones/:id/dossier.json': { access: STAFF, csrf: false, summary: 'dossier: what the printable page shows' },
  'GET /api/v1/zones/:id/readings.csv': { access: STAFF, csrf: false, summary: 'dossier: the zone’s readings, senders left out' },
  'GET /api/v1/zones.csv': { access: STAFF, csrf: false, summary: 'the département’s zones as CSV' },
  'GET /api/v1/departements/:code/summary': { access: STAFF, csrf: false, summary: 'the équipe projet’s table of the reviewer’s département (admin: any)' },
  'GET /api/v1/departements/:code/summary.csv': { access: STAFF, csrf: false, summary: 'the équipe projet’s table as CSV' },
  'GET /api/v1/zones.geojson': { access: STAFF, csrf: false, summary: 'the département’s zones as GeoJSON' },

  'GET /api/v1/probe': { access: 'signed-in', csrf: false, summary: 'connectivity probe: N random bytes to download (0: a round trip)' },
  'POST /api/v1/probe': { access: 'signed-in', csrf: true, summary: 'connectivity probe: bytes uploaded, counted and dropped' },
  'POST /api/v1/qos/upload': { access: 'signed-in', csrf: true, summary: 'QoS data test: 1 MB uploaded, answered with its SHA-256' },
  'GET /api/v1/qos/download': { access: 'signed-in', csrf: false, summary: 'QoS data test: random bytes up to the deployment’s download budget' },
  'GET /api/v1/qos/page': { access: 'signed-in', csrf: false, summary: 'QoS data test: the test page’s HTML document' },
  'GET /api/v1/qos/page/:asset': { access: 'signed-in', csrf: false, summary: 'QoS data test: one resource of the test page' },

  'GET /api/v1/campaigns': { access: 'signed-in', csrf: false, summary: 'survey campaigns in the caller’s scope' },
  'POST /api/v1/campaigns': { access: 'signed-in', csrf: true, summary: 'create a campaign in a commune the caller may organise' },
  'GET /api/v1/campaigns/:id': { access: 'signed-in', csrf: false, summary: 'one campaign with its agents' },
  'PATCH /api/v1/campaigns/:id': { access: 'signed-in', csrf: true, summary: 'change a campaign’s name, period, operators, test number or agents' },
  'DELETE /api/v1/campaigns/:id': { access: 'signed-in', csrf: true, summary: 'delete a campaign no reading carries yet' },
  'GET /api/v1/campaigns/:id/progress': { access: 'signed-in', csrf: false, summary: 'what the campaign’s readings cover so far (counts only)' },
  'GET /api/v1/campaigns/:id/sampling-plan': {
    access: 'signed-in',
    csrf: false,
    summary: 'the campaign’s undecided cells × operators and how many more readings would decide each',
  },
  'GET /api/v1/campaigns/:id/sampling-plan.csv': { access: 'signed-in', csrf: false, summary: 'the sampling plan as CSV' },
  'GET /api/v1/exports/arcep-qos.csv': {
    access: 'signed-in',
    csrf: false,
    summary: 'readings of a campaign, zone or département in Arcep’s QoS layout (scoped as the readings)',
  },
  'GET /api/v1/exports/arcep-qos.schema.json': { access: 'signed-in', csrf: false, summary: 'the Table Schema of arcep-qos.csv' },
  'GET /api/v1/campaign-agents': { access: 'signed-in', csrf: false, summary: 'agents who record for a commune, to assign to a campaign' },

  'GET /api/v1/open-data/grid.csv': { access: 'public', csrf: false, credentials: 'ignored', summary: 'open data: the aggregated grid (CSV)' },
  'GET /api/v1/open-data/grid.geojson': { access: 'public', csrf: false, credentials: 'ignored', summary: 'open data: the aggregated grid (GeoJSON)' },
  'GET /api/v1/open-data/grid.schema.json': { access: 'public', csrf: false, credentials: 'ignored', summary: 'open data: Table Schema of grid.csv' },
  'GET /api/v1/open-data/datapackage.json': {
    access: 'public',
    csrf: false,
    credentials: 'ignored',
    summary: 'open data: Data Package (licence, date, resources)',
  },
} as const satisfies Record<string, RouteRule>;

export type RouteKey = keyof typeof ROUTE_ACCESS;

/** The rule for `METHOD url` (url as declared, with its :params); HEAD follows GET. */
export function ruleFor(method: string, url: string): RouteRule | undefined {
  const key = `${method === 'HEAD' ? 'GET' : method} ${url}`;
  return (ROUTE_ACCESS as Record<string, RouteRule>)[key];
}

export function isApiUrl(url: string): boolean {
  return url === '/api' || url.startsWith('/api/') || url.startsWith('/api?');
}
