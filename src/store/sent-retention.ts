import { withDb } from './db.ts';

/** How long a reading the server acknowledged stays on the device, unless the agent says otherwise. */
export const DEFAULT_SENT_RETENTION_DAYS = 30;
/** The choices the storage panel offers; 0 keeps sent readings for good. */
export const SENT_RETENTION_CHOICES = [7, 30, 90, 365, 0] as const;

const KEY = 'sentRetentionDays';

/**
 * Days a sent reading stays on this device before it is deleted (0: never), a setting of the
 * device kept in `meta`. Unreadable or odd, it is the default: pruning only ever removes what
 * the server holds, so a wrong value costs a re-export at worst, never a reading.
 */
export async function readSentRetentionDays(): Promise<number> {
  const stored = await withDb((db) => db.get('meta', KEY)).catch(() => undefined);
  return typeof stored === 'number' && Number.isInteger(stored) && stored >= 0 ? stored : DEFAULT_SENT_RETENTION_DAYS;
}

export async function writeSentRetentionDays(days: number): Promise<void> {
  if (!Number.isInteger(days) || days < 0) throw new Error(`Durée de conservation invalide : ${days}`);
  await withDb((db) => db.put('meta', days, KEY));
}

/** The instant before which sent readings go, or undefined when they are kept for good. */
export function sentBefore(days: number, now: number): number | undefined {
  return days === 0 ? undefined : now - days * 24 * 3600 * 1000;
}
