import { DEFAULT_FIELD_SETTINGS, type ProbeSettings } from '../../domain/field-settings.ts';
import type { Reading } from '../../domain/reading.ts';
import { announce } from '../../sync/channel.ts';
import { fieldSettings } from '../shell/field-settings.ts';
import { askPersistentStorageOnce } from '../shell/persist-storage.ts';
import { sessionState } from '../shell/session-state.ts';
import { refreshOutbox } from '../sync/outbox-state.ts';
import { registerBackgroundSync } from '../sync/request-sync.ts';
import { sendWhenOnline } from '../sync/sync-scheduler.ts';
import { browserProbeDeps, runProbe } from './probe.ts';
import { createSharedProbe } from './shared-probe.ts';
import { keepCampaignIfWithin } from '../campaigns/campaign-scope-source.ts';
import { storeWithEvidence, type SaveOptions, type SavedReading } from './store-with-evidence.ts';

export type { SaveOptions, SavedReading } from './store-with-evidence.ts';

/** A saved reading, and whether it was recorded outside its campaign (saved without it: campaign-scope-source.ts). */
export type SavedFieldReading = SavedReading & { detachedFromCampaign: boolean };

/** The settings come from /api/v1/config, cached; a slow server must not stall the probe. */
const SETTINGS_WAIT_MS = 3_000;

let knownSettings: ProbeSettings | undefined;
let probeSettings: ProbeSettings | undefined;

const sharedProbe = createSharedProbe(
  () =>
    runProbe(
      probeSettings!,
      browserProbeDeps(() => sessionState.get().session?.info.csrfToken),
    ),
  () => Date.now(),
);

async function settingsSoon(): Promise<ProbeSettings> {
  const answer = await Promise.race([fieldSettings(), new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), SETTINGS_WAIT_MS))]);
  if (answer) knownSettings = answer.probe;
  return knownSettings ?? DEFAULT_FIELD_SETTINGS.probe;
}

/** Other pages re-read only this reading, as does this one: the cost stays flat however long the outbox. */
function changed(id: string): void {
  announce({ type: 'outbox-changed', ids: [id] });
  void refreshOutbox([id]);
}

/**
 * Stores a validated reading on the device, then lets the rest happen: other tabs told, the
 * list refreshed, persistence asked once, the network measured and the result attached
 * (src/app/evidence/store-with-evidence.ts), then a send. Resolves once the reading is
 * durable in IndexedDB; nothing after that can lose it. `evidence` follows. A reading outside
 * its campaign's period or commune is saved without the campaign (`detachedFromCampaign`).
 */
export async function saveReading(recorded: Reading, recordedBy: string | undefined, options: SaveOptions = {}): Promise<SavedFieldReading> {
  const { reading, detached } = await keepCampaignIfWithin(recorded, recordedBy);
  const saved = await storeReading(reading, recordedBy, options);
  return { ...saved, detachedFromCampaign: detached };
}

function storeReading(reading: Reading, recordedBy: string | undefined, options: SaveOptions): Promise<SavedReading> {
  let holdExpiry: ReturnType<typeof setTimeout> | undefined;
  return storeWithEvidence(reading, recordedBy, options, {
    now: () => Date.now(),
    online: () => navigator.onLine,
    knownSettings: () => knownSettings,
    settings: settingsSoon,
    measure: (settings) => {
      probeSettings = settings;
      return sharedProbe.measure();
    },
    onStored(heldUntil) {
      // The reading is durable. The rest waits for the next task: the screen says « enregistré » first.
      setTimeout(() => {
        changed(reading.id);
        void askPersistentStorageOnce();
        void registerBackgroundSync();
        if (heldUntil === undefined) sendWhenOnline();
        // Should the probe outlive its hold (a frozen tab), the reading leaves anyway.
        else holdExpiry = setTimeout(sendWhenOnline, heldUntil - Date.now() + 250);
      });
    },
    onEvidence() {
      clearTimeout(holdExpiry);
      changed(reading.id);
      sendWhenOnline();
    },
  });
}
