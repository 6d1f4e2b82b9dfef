/**
 * Who uses Couverture and what the server tells the page about the person signed in.
 * Access rules themselves live server-side (src/server/access); this is the shared vocabulary.
 */

export const ROLES = ['agent', 'reviewer', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export const ROLE_LABELS: Record<Role, string> = {
  agent: 'Agent communal',
  reviewer: 'Instructeur (département / préfecture)',
  admin: 'Administrateur',
};

export interface CommuneRef {
  /** INSEE code, e.g. "34172" (Montpellier). */
  code: string;
  name: string;
  departement: string;
}

/** The body of GET/POST /api/v1/session. */
export interface SessionInfo {
  user: {
    id: string;
    email: string;
    name: string;
    role: Role;
    /** For agents: the communes they record for. */
    communes: CommuneRef[];
    /** For reviewers: their département code, e.g. "34" or "2A". */
    departement?: string;
  };
  /** Sent back in the X-CSRF-Token header on every state-changing request made with the cookie. */
  csrfToken: string;
  expiresAt: string;
}

export const CSRF_HEADER = 'x-csrf-token';
/** The `code` of a 403 whose only fault is the CSRF token: the page fetches the current one and retries. */
export const CSRF_ERROR_CODE = 'csrf-token';
