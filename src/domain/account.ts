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
  /**
   * True while the password is one an admin set (new account, reset): the session may only
   * change it (POST /api/v1/session/password), every other call answers 403 with
   * PASSWORD_CHANGE_ERROR_CODE. The server always sends it; sessions stored by an older app lack it.
   */
  mustChangePassword?: boolean;
}

export const CSRF_HEADER = 'x-csrf-token';
/** The `code` of a 403 whose only fault is the CSRF token: the page fetches the current one and retries. */
export const CSRF_ERROR_CODE = 'csrf-token';
/** The `code` of a 403 to a session that must first replace its provisional password. */
export const PASSWORD_CHANGE_ERROR_CODE = 'password-change-required';

/** The shortest password the server takes (src/server/auth/passwords.ts); the forms say it first. */
export const MIN_PASSWORD_LENGTH = 10;
