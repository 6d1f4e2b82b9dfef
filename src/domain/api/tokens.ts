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

/** The fields POST /api/v1/tokens takes. */
export const NEW_TOKEN_FIELDS = ['name', 'password', 'days', 'userId'] as const;
