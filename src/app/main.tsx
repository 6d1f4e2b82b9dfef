import { render } from 'preact';
import { App } from './App.tsx';
import { loadCurrentCampaign } from './campaigns/current-campaign.ts';
import { fieldSettings } from './shell/field-settings.ts';
import { registerServiceWorker } from './shell/service-worker.ts';
import { refreshSessionState } from './shell/session-state.ts';
import { startSyncScheduler } from './sync/sync-scheduler.ts';
import './styles.css';

render(<App />, document.getElementById('app')!);
// The first screen waits for who is signed in and for the campaign picked, nothing else: those
// two go to IndexedDB first, and the sync scheduler's reads (the outbox's counts, the pruning,
// a first send) queue behind the first screen instead of ahead of it (issue 19).
void refreshSessionState()
  .catch(() => undefined)
  .then(() => startSyncScheduler());
void loadCurrentCampaign();
// Known before the first reading, so that its probe uses this deployment's budget.
void fieldSettings();
void registerServiceWorker();
