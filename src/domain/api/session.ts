import * as v from 'valibot';
import { ROLES, type SessionInfo } from '../account.ts';

export const SIGN_IN_SHAPE = 'Envoyez {"email": "…", "password": "…"}';
const SIGN_IN_TYPES = `${SIGN_IN_SHAPE} : deux textes`;
/**
 * POST /api/v1/session: sign in. Other fields are ignored (as sign-in always did). Only the
 * types are judged here: wrong credentials get the same 401 whatever was wrong.
 */
export const SignInSchema = v.object({ email: v.string(SIGN_IN_TYPES), password: v.string(SIGN_IN_TYPES) }, SIGN_IN_TYPES);
export type SignInRequest = v.InferInput<typeof SignInSchema>;

export const PASSWORD_CHANGE_SHAPE = 'Envoyez {"currentPassword": "…", "newPassword": "…"} : deux textes';
/**
 * POST /api/v1/session/password: change one's own password. The new one's rules (length,
 * different from the current one) are the server's (src/server/accounts.ts), shared with `npm run admin`.
 */
export const PasswordChangeSchema = v.strictObject(
  {
    currentPassword: v.pipe(v.string(PASSWORD_CHANGE_SHAPE), v.nonEmpty(PASSWORD_CHANGE_SHAPE)),
    newPassword: v.string(PASSWORD_CHANGE_SHAPE),
  },
  PASSWORD_CHANGE_SHAPE,
);
export type PasswordChangeRequest = v.InferInput<typeof PasswordChangeSchema>;

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
