import * as v from 'valibot';
import { CommuneRefSchema } from './session.ts';

/** GET /api/v1/communes?q=&departement=&limit= */
export const CommunesAnswerSchema = v.object({ communes: v.array(CommuneRefSchema) });
export type CommunesAnswer = v.InferOutput<typeof CommunesAnswerSchema>;
