import * as v from 'valibot';

/** A personal API token as listed: never the secret. */
export const TokenAnswerSchema = v.object({
  id: v.string(),
  name: v.string(),
  createdAt: v.string(),
  /** To the minute. */
  lastUsedAt: v.nullable(v.string()),
  /** null: until revoked. */
  expiresAt: v.nullable(v.string()),
});
export type TokenAnswer = v.InferOutput<typeof TokenAnswerSchema>;

/** GET /api/v1/tokens */
export const TokensAnswerSchema = v.object({ tokens: v.array(TokenAnswerSchema) });
export type TokensAnswer = v.InferOutput<typeof TokensAnswerSchema>;

/** POST /api/v1/tokens: the token, shown this once. */
export const CreatedTokenAnswerSchema = v.object({ ...TokenAnswerSchema.entries, token: v.string() });
export type CreatedTokenAnswer = v.InferOutput<typeof CreatedTokenAnswerSchema>;

export const MAX_TOKEN_DAYS = 3650;
export const TOKEN_FIELD_MESSAGES = {
  name: 'Donnez un nom au jeton (ex. « import Tower Collector »)',
  passwordMissing: 'Confirmez avec votre mot de passe actuel : champ « password »',
  days: `« days » : attendu un nombre entier de jours, de 1 à ${MAX_TOKEN_DAYS} (sans « days », le jeton vaut jusqu’à sa révocation)`,
  userId: '« userId » doit être un texte',
} as const;

/**
 * POST /api/v1/tokens: a personal API token, confirmed by the caller's own password. The
 * name's length and the days' range are judged by src/server/accounts.ts, shared with the shell.
 */
export const NewTokenSchema = v.strictObject({
  name: v.string(TOKEN_FIELD_MESSAGES.name),
  password: v.pipe(v.string(TOKEN_FIELD_MESSAGES.passwordMissing), v.nonEmpty(TOKEN_FIELD_MESSAGES.passwordMissing)),
  /** Whole days, 1 to MAX_TOKEN_DAYS; absent or null: until revoked. */
  days: v.nullish(v.number(TOKEN_FIELD_MESSAGES.days)),
  /** Whose token (an admin's for another account); absent or null: the caller's. */
  userId: v.nullish(v.string(TOKEN_FIELD_MESSAGES.userId)),
});
export type NewTokenRequest = v.InferInput<typeof NewTokenSchema>;
