// First: IndexedDB's open and the survey's first fix start while the rest is evaluated (issue 19).
import './shell/start-first.ts';
import { render } from 'preact';
import { App } from './App.tsx';
import { loadCurrentCampaign } from './campaigns/current-campaign.ts';
import { fieldSettings } from './shell/field-settings.ts';
import { registerServiceWorker } from './shell/service-worker.ts';
import { refreshSessionState } from './shell/session-state.ts';
import { startSyncScheduler } from './sync/sync-scheduler.ts';
import './styles.css';

// Who is signed in and the campaign picked are read from IndexedDB first, before the first
// render (the survey screen, drawn at once for who was signed in last time, saves nothing
// before both are read), and the sync scheduler's reads (the outbox's counts, the pruning, a
// first send) queue behind them instead of ahead (issue 19).
void refreshSessionState()
  .catch(() => undefined)
  .then(() => startSyncScheduler());
void loadCurrentCampaign();
render(<App />, document.getElementById('app')!);
// Known before the first reading, so that its probe uses this deployment's budget.
void fieldSettings();
void registerServiceWorker();
