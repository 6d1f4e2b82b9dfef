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
/**
 * The longest the page stays blank waiting for IndexedDB's answer before the app's frame is
 * drawn without it (a slow disk, a database held by an upgrade in another tab); IndexedDB
 * answers a repeat visit in ~20–50 ms at CPU ÷4.
 */
const FRAME_AT_LATEST_MS = 300;

// The first screen waits for who is signed in and for the campaign picked, nothing else: those
// two are read from IndexedDB in one transaction asked for by start-first.ts, and the app is
// first drawn with both (one render, one style, layout and paint: the first screen with its
// campaign banner). Drawing the app's empty frame first, as the start did before, cost a
// render, a layout and a paint that IndexedDB's and the first fix's answers then waited
// behind, and a second render of the whole frame: the survey ~30 ms later at CPU ÷4 (issue 19,
// docs/performance.md). The sync scheduler starts right after (its reads queue behind them,
// and it must be listening from the start: with it deferred, a network gone and back in the
// first second was missed, test/faults' flapping case). What no first screen waits for and
// nothing can miss comes once the browser is idle after that, a piece at a time: the field
// settings and the service worker's registration, instead of running between the screen's
// paint and the agent's first tap (issue 19).
let drawn = false;
const drawApp = () => {
  if (drawn) return;
  drawn = true;
  render(<App />, document.getElementById('app')!);
};
const drawWithoutWaiting = setTimeout(drawApp, FRAME_AT_LATEST_MS);
void readFirstScreen(firstScreenRead)
  .then((show) => {
    show();
    clearTimeout(drawWithoutWaiting);
    drawApp();
  })
  .then(() => startSyncScheduler())
  .finally(async () => {
    // One piece per idle moment: a tap arriving meanwhile waits for one piece at most.
    await whenIdle(AFTER_FIRST_SCREEN_MS);
    // Known before the first reading, so that its probe uses this deployment's budget.
    void fieldSettings();
    await whenIdle(AFTER_FIRST_SCREEN_MS);
    void registerServiceWorker();
  });
