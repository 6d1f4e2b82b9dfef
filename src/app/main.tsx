import { render } from 'preact';
import { App } from './App.tsx';
import { loadCurrentCampaign } from './campaigns/current-campaign.ts';
import { fieldSettings } from './shell/field-settings.ts';
import { registerServiceWorker } from './shell/service-worker.ts';
import { refreshSessionState } from './shell/session-state.ts';
import { startSyncScheduler } from './sync/sync-scheduler.ts';
import { holdPositionEarly } from './survey/position-watch.ts';
import { parseRoute } from './shell/routes.ts';
import './styles.css';

// Opened on the survey screen: its first fix is asked for now, alongside IndexedDB, rather
// than after the screen's first paint (the button waits for a position; issue 19).
if (parseRoute(location.hash).name === 'releve') void holdPositionEarly();
// The first screen waits for who is signed in and for the campaign picked, nothing else: those
// two go to IndexedDB first, before the first render (IndexedDB opens in the browser while the
// page draws), and the sync scheduler's reads (the outbox's counts, the pruning, a first send)
// queue behind the first screen instead of ahead of it (issue 19).
void refreshSessionState()
  .catch(() => undefined)
  .then(() => startSyncScheduler());
void loadCurrentCampaign();
render(<App />, document.getElementById('app')!);
// Known before the first reading, so that its probe uses this deployment's budget.
void fieldSettings();
void registerServiceWorker();
