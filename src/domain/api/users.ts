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

/** Messages about a field of the wrong type; src/server/accounts.ts says the same of values that come from the shell. */
export const ACCOUNT_FIELD_MESSAGES = {
  email: 'L’adresse e-mail doit être un texte',
  name: 'Le nom est obligatoire',
  password: 'Le mot de passe doit être un texte',
  role: `Rôle inconnu : attendu ${ROLES.join(', ')}`,
  disabled: '« disabled » doit valoir true ou false',
} as const;

const email = v.string(ACCOUNT_FIELD_MESSAGES.email);
const name = v.string(ACCOUNT_FIELD_MESSAGES.name);
const password = v.string(ACCOUNT_FIELD_MESSAGES.password);
const role = v.picklist(ROLES, ACCOUNT_FIELD_MESSAGES.role);
/**
 * INSEE codes (agents), a département code (reviewers): their rules depend on the role and the
 * commune list, so the server judges them whole (src/server/accounts.ts), naming each unknown code.
 */
const communes = v.optional(v.unknown());
const departement = v.optional(v.unknown());

/**
 * POST /api/v1/users: a new account, its password provisional. Types here; the values (e-mail
 * form, name length, password strength, the role's communes or département) are judged by
 * src/server/accounts.ts, shared with the shell command.
 */
export const NewUserSchema = v.strictObject({ email, name, password, role, communes, departement });
export type NewUserRequest = v.InferInput<typeof NewUserSchema>;

/** PATCH /api/v1/users/:id: the fields to change. */
export const UserPatchSchema = v.strictObject({
  name: v.optional(name),
  password: v.optional(password),
  role: v.optional(role),
  communes,
  departement,
  disabled: v.optional(v.boolean(ACCOUNT_FIELD_MESSAGES.disabled)),
});
export type UserPatchRequest = v.InferInput<typeof UserPatchSchema>;
