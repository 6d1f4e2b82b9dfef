import { RemeasureAnswerSchema, ZoneAnswerSchema, type RemeasureAnswer, type ZoneAnswer } from '../../domain/api/index.ts';
import type { ZoneFollowUpPatch } from '../../domain/zone-follow-up.ts';
import { api } from '../shell/api.ts';

/** The follow-up after the arrêté (PATCH followUp) and « Mesurer à nouveau » (issue 18). */

const zonePath = (id: string) => `/api/v1/zones/${encodeURIComponent(id)}`;

export function editFollowUp(id: string, followUp: ZoneFollowUpPatch): Promise<ZoneAnswer> {
  return api(zonePath(id), ZoneAnswerSchema, { method: 'PATCH', body: { followUp } });
}

export function remeasureZone(id: string, period: { startsOn: string; endsOn: string }): Promise<RemeasureAnswer> {
  return api(`${zonePath(id)}/remeasure`, RemeasureAnswerSchema, { method: 'POST', body: period });
}
