import * as v from 'valibot';

/**
 * Shapes every resource's answers share. Answer schemas are `v.object`: a client parsing an
 * answer keeps what it knows and drops what a newer server adds, so that an old page still
 * works with a new server; the server's own replies are checked against them in the tests
 * (test/server/fixtures.ts).
 */

/** Every refusal: `{ error }`, in French, said so a person can act on it; `code` when a client must act on it itself. */
export const ErrorAnswerSchema = v.object({ error: v.string(), code: v.optional(v.string()) });
export type ErrorAnswer = v.InferOutput<typeof ErrorAnswerSchema>;

/** Why one item of a batch was refused: the field at fault (`id`, `lat`, `source`…) and what to fix. */
export const FieldErrorSchema = v.object({ field: v.string(), message: v.string() });
export type FieldErrorAnswer = v.InferOutput<typeof FieldErrorSchema>;

/** One item of a batch the server refused; the others are judged alone. */
export const RejectedItemSchema = v.object({
  /** The id the item carried, when it had a string one: the phone finds its item by it. */
  id: v.nullable(v.string()),
  /** Position in the request's array, for items whose id is missing or repeated. */
  index: v.number(),
  /** Servers before campaigns left it out: then `invalid`. */
  code: v.optional(v.picklist(['invalid', 'conflict'])),
  errors: v.array(FieldErrorSchema),
});
export type RejectedItem = v.InferOutput<typeof RejectedItemSchema>;

/** The answer to a batch upload (readings, residents' reports): each item judged alone. */
export const UploadAnswerSchema = v.object({
  accepted: v.array(v.string()),
  duplicates: v.array(v.string()),
  rejected: v.array(RejectedItemSchema),
});
export type UploadAnswer = v.InferOutput<typeof UploadAnswerSchema>;

export const PointGeometrySchema = v.object({ type: v.literal('Point'), coordinates: v.tuple([v.number(), v.number()]) });

/** A ring or line of [lon, lat] positions (the server never sends an altitude). */
export const PositionsSchema = v.array(v.tuple([v.number(), v.number()]));
export const PolygonGeometrySchema = v.object({ type: v.literal('Polygon'), coordinates: v.array(PositionsSchema) });
export const MultiPolygonGeometrySchema = v.object({ type: v.literal('MultiPolygon'), coordinates: v.array(v.array(PositionsSchema)) });
export const AreaGeometrySchema = v.variant('type', [PolygonGeometrySchema, MultiPolygonGeometrySchema]);

/** A GeoJSON Feature (RFC 7946) of the given geometry and properties. */
export function featureSchema<G extends v.GenericSchema, P extends v.GenericSchema>(geometry: G, properties: P) {
  return v.object({ type: v.literal('Feature'), id: v.optional(v.union([v.string(), v.number()])), geometry, properties });
}

/** A GeoJSON FeatureCollection; `nextCursor` (a foreign member, RFC 7946 §6.1) when more pages follow. */
export function featureCollectionSchema<F extends v.GenericSchema>(feature: F) {
  return v.object({ type: v.literal('FeatureCollection'), features: v.array(feature), nextCursor: v.optional(v.string()) });
}

/** An answer without a body (204 No Content): `api()` answers undefined, and a body would be unexpected. */
export const NoContentSchema = v.undefined();

/** An object with a value for every one of `keys` (a `v.record` of a picklist lets keys be absent). */
export function everyKeySchema<K extends string, S extends v.GenericSchema>(keys: readonly K[], value: S) {
  return v.object(Object.fromEntries(keys.map((key) => [key, value])) as Record<K, S>);
}

export const BboxSchema = v.object({ minLon: v.number(), minLat: v.number(), maxLon: v.number(), maxLat: v.number() });
