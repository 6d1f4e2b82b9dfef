import { earliestHold } from '../store/outbox.ts';
import type { FlushResult } from './protocol.ts';

/** Why a sync event that sent what it could still ends failed: readings wait for their probe. */
export const HELD_FOR_PROBE_MESSAGE = 'Relevés retenus le temps de leur mesure : le navigateur réessaiera';

/**
 * A Background Sync event's send: `flush`, then a rejection whenever a later try could send
 * what still waits, since the browser fires the event again only after one that failed
 * (Chromium: 5 minutes later, then 15, three tries in all), and forgets the tag after one
 * that succeeded. A later try may help:
 * - after a network or server failure;
 * - when readings are held for their probe: with network the event fires at the save itself,
 *   during the hold, and an app closed before the probe ended would leave them on the phone
 *   until it is opened again.
 * Waiting for a sign-in is no failure: no try helps before it, and the sign-in sends.
 */
export async function flushForBackgroundSync(
  flush: () => Promise<FlushResult>,
  heldUntil: () => Promise<number | undefined> = () => earliestHold(),
): Promise<FlushResult> {
  const result = await flush();
  if (result.error !== undefined && !result.authRequired) throw new Error(result.error);
  if (result.reports?.error !== undefined) throw new Error(result.reports.error);
  if (!result.authRequired && (await heldUntil()) !== undefined) throw new Error(HELD_FOR_PROBE_MESSAGE);
  return result;
}
