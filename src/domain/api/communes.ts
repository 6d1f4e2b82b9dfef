import * as v from 'valibot';
import { AreaGeometrySchema, featureSchema } from './common.ts';
import { CommuneRefSchema } from './session.ts';

/** GET /api/v1/communes?q=&departement=&limit= */
export const CommunesAnswerSchema = v.object({ communes: v.array(CommuneRefSchema) });
export type CommunesAnswer = v.InferOutput<typeof CommunesAnswerSchema>;

/**
 * GET /api/v1/communes/:code/outline (public): the commune's outline, a GeoJSON Feature (its
 * properties as the outlines' file or the database gives them).
 */
export const CommuneOutlineAnswerSchema = featureSchema(AreaGeometrySchema, v.record(v.string(), v.unknown()));
export type CommuneOutlineAnswer = v.InferOutput<typeof CommuneOutlineAnswerSchema>;
