// First: IndexedDB's open and the survey's first fix start while the rest is evaluated (issue 19).
import './shell/start-first.ts';
import { render } from 'preact';
import { App } from './App.tsx';
import { readCurrentCampaign } from './campaigns/current-campaign.ts';
import { fieldSettings } from './shell/field-settings.ts';
import { registerServiceWorker } from './shell/service-worker.ts';
import { readSessionState } from './shell/session-state.ts';
import { startSyncScheduler } from './sync/sync-scheduler.ts';
import './styles.css';

// The first screen waits for who is signed in and for the campaign picked, nothing else: those
// two go to IndexedDB first, before the first render, and are shown in one go (one render of
// the first screen for both, the campaign's banner in it from the start); the sync
// scheduler's reads (the outbox's counts, the pruning, a first send) queue behind them
// instead of ahead (issue 19).
void Promise.allSettled([readSessionState(), readCurrentCampaign()])
  .then((reads) => {
    for (const read of reads) if (read.status === 'fulfilled') read.value();
  })
  .then(() => startSyncScheduler());
render(<App />, document.getElementById('app')!);
// Known before the first reading, so that its probe uses this deployment's budget.
void fieldSettings();
void registerServiceWorker();
