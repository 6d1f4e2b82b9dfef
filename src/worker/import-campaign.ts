import { attachedOrDetached } from '../domain/campaign-scope.ts';
import type { ImportOptions } from '../domain/import/import-summary.ts';
import type { Reading } from '../domain/reading.ts';

/**
 * The attach step of an import: the agent's campaign goes only to the readings of the log
 * taken during its period and in its commune (src/domain/campaign-scope.ts); the others are
 * imported all the same, without it. Readings of a device file keep the campaign they carry.
 */
export function splitByCampaign(
  readings: readonly Reading[],
  { campaignScope }: Pick<ImportOptions, 'campaignScope'>,
): { attached: Reading[]; detached: Reading[] } {
  if (!campaignScope) return { attached: [...readings], detached: [] };
  const attached: Reading[] = [];
  const detached: Reading[] = [];
  for (const reading of readings) {
    const outcome = attachedOrDetached(reading, campaignScope);
    (outcome.detached ? detached : attached).push(outcome.reading);
  }
  return { attached, detached };
}
