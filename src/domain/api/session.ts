import * as v from 'valibot';
import { ROLES, type SessionInfo } from '../account.ts';

/** POST /api/v1/session: sign in. */
export const SignInSchema = v.object({ email: v.string(), password: v.string() });
/** POST /api/v1/session/password: change one's own password. */
export const PasswordChangeSchema = v.strictObject({ currentPassword: v.string(), newPassword: v.string() });

export const CommuneRefSchema = v.object({ code: v.string(), name: v.string(), departement: v.string() });

/** GET/POST /api/v1/session, POST /api/v1/session/password: who is signed in, and the CSRF token to send back. */
export const SessionAnswerSchema = v.object({
  user: v.object({
    id: v.string(),
    email: v.string(),
    name: v.string(),
    role: v.picklist(ROLES),
    communes: v.array(CommuneRefSchema),
    departement: v.optional(v.string()),
  }),
  csrfToken: v.string(),
  expiresAt: v.string(),
  mustChangePassword: v.optional(v.boolean()),
});
export type SessionAnswer = v.InferOutput<typeof SessionAnswerSchema>;

// account.ts's SessionInfo is what the page stores; it must stay the answer's shape, both ways.
true satisfies SessionAnswer extends SessionInfo ? (SessionInfo extends SessionAnswer ? true : false) : false;
