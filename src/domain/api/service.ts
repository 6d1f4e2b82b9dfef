import * as v from 'valibot';

/** GET /api/v1/health when the store answers (503 `{ status: 'unavailable', error }` otherwise). */
export const HealthAnswerSchema = v.object({ status: v.literal('ok') });

/** POST /api/v1/probe: how many bytes the server received. */
export const ProbeUploadAnswerSchema = v.object({ receivedBytes: v.number() });

/** POST /api/v1/qos/upload: what the server received, and its SHA-256 (hex), for the phone to compare with what it sent. */
export const QosUploadAnswerSchema = v.object({ receivedBytes: v.number(), sha256: v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/)) });
export type QosUploadAnswer = v.InferOutput<typeof QosUploadAnswerSchema>;

/** GET /api/v1/audit: the newest entries first. */
export const AuditAnswerSchema = v.object({
  entries: v.array(v.looseObject({ at: v.string(), action: v.string(), targetType: v.string() })),
});
