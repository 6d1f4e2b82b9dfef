import * as v from 'valibot';

/** GET /api/v1/health when the store answers (503 `{ status: 'unavailable', error }` otherwise). */
export const HealthAnswerSchema = v.object({ status: v.literal('ok') });

/** POST /api/v1/probe: how many bytes the server received. */
export const ProbeUploadAnswerSchema = v.object({ receivedBytes: v.number() });

/** GET /api/v1/audit: the newest entries first. */
export const AuditAnswerSchema = v.object({
  entries: v.array(v.looseObject({ at: v.string(), action: v.string(), targetType: v.string() })),
});
