// First: IndexedDB's open and the survey's first fix start while the rest is evaluated (issue 19).
import { firstScreenRead } from './shell/start-first.ts';
import { render } from 'preact';
import { App } from './App.tsx';
import { fieldSettings } from './shell/field-settings.ts';
import { readFirstScreen } from './shell/first-screen-read.ts';
import { registerServiceWorker } from './shell/service-worker.ts';
import { whenIdle } from './shell/when-idle.ts';
import { startSyncScheduler } from './sync/sync-scheduler.ts';
import './styles.css';

/** The longest each piece of the start's other work waits for the browser to be idle after the first screen. */
const AFTER_FIRST_SCREEN_MS = 1000;

// The first screen waits for who is signed in and for the campaign picked, nothing else: those
// two are read from IndexedDB in one transaction asked for by start-first.ts, and are shown
// in one go (one render of the first screen for both, the campaign's banner in it from the start); the sync scheduler
// starts right after (its reads queue behind them, and it must be listening from the start:
// with it deferred, a network gone and back in the first second was missed, test/faults'
// flapping case). What no first screen waits for and nothing can miss comes once the browser
// is idle after that, a piece at a time: the field settings and the service worker's
// registration, instead of running between the screen's paint and the agent's first tap
// (issue 19).
void readFirstScreen(firstScreenRead)
  .then((show) => show())
  .then(() => startSyncScheduler())
  .finally(async () => {
    // One piece per idle moment: a tap arriving meanwhile waits for one piece at most.
    await whenIdle(AFTER_FIRST_SCREEN_MS);
    // Known before the first reading, so that its probe uses this deployment's budget.
    void fieldSettings();
    await whenIdle(AFTER_FIRST_SCREEN_MS);
    void registerServiceWorker();
  });
render(<App />, document.getElementById('app')!);
