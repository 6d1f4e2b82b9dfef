import * as v from 'valibot';
import { ROLES } from '../account.ts';

/** An account as the administration screens see it: never its password hash. */
export const UserAnswerSchema = v.object({
  id: v.string(),
  email: v.string(),
  name: v.string(),
  role: v.picklist(ROLES),
  /** INSEE codes; agents only (empty for the other roles). */
  communes: v.array(v.string()),
  /** Reviewers only. */
  departement: v.nullable(v.string()),
  disabled: v.boolean(),
  mustChangePassword: v.boolean(),
  createdAt: v.string(),
  updatedAt: v.string(),
});
export type UserAnswer = v.InferOutput<typeof UserAnswerSchema>;

/** GET /api/v1/users */
export const UsersAnswerSchema = v.object({ users: v.array(UserAnswerSchema) });
export type UsersAnswer = v.InferOutput<typeof UsersAnswerSchema>;

/** DELETE /api/v1/users/:id/sessions: what ended. */
export const RevokedAnswerSchema = v.object({ sessions: v.number(), tokens: v.number() });
export type RevokedAnswer = v.InferOutput<typeof RevokedAnswerSchema>;

/** The fields POST /api/v1/users takes (their values are judged by src/server/accounts.ts, shared with the shell command). */
export const NEW_USER_FIELDS = ['email', 'name', 'password', 'role', 'communes', 'departement'] as const;
/** The fields PATCH /api/v1/users/:id takes. */
export const USER_PATCH_FIELDS = ['name', 'password', 'role', 'communes', 'departement', 'disabled'] as const;
