import { nextTryDelay, worthRetrying } from '../../sync/backoff.ts';
import { FLUSH_LOCK, runExclusive } from '../../sync/lock.ts';
import type { FlushResult } from '../../sync/protocol.ts';
import { checkSession } from '../../sync/session.ts';
import { isUsable } from '../../store/session.ts';
import { anyReadingWaiting, earliestHold } from '../../store/outbox.ts';
import { anyReportWaiting } from '../../store/reports.ts';
import { getSyncStatus } from '../../store/sync-status.ts';
import { refreshSessionState, watchSession } from '../shell/session-state.ts';
import { outboxState, refreshOutbox, watchOutbox } from './outbox-state.ts';
import { abandonUploadsInFlight, noteNetworkGone, registerBackgroundSync, requestSync } from './request-sync.ts';

/**
 * When the page asks for the outboxes (readings, residents' reports) to be sent: at start,
 * when the browser says the network is back, on « Envoyer maintenant » and after each save,
 * after a sign-in, and after a failure on a timer that backs off (from the start again once
 * the network is back; no timer while offline: the network's return sends). Where the browser
 * has Background Sync, it is registered after each save and whenever the page is offline with
 * anything waiting (registerSyncIfWaiting); browsers without it (Firefox, Safari) rely on the
 * page's triggers alone. What the backoff counts:
 * src/sync/README.md, « When the page tries again ». Waiting for a sign-in is not a failure that time cures: no timer then, the sign-in
 * itself resumes sending.
 */
let retryTimer: ReturnType<typeof setTimeout> | undefined;
/**
 * The failures in a row counted when the browser last said the network was back, the try
 * then under way included. The backoff starts over from there: the first try after `online`
 * often fails (a Wi-Fi still getting its address, a radio still attaching), and waiting the
 * minutes that hours offline had built up would keep the agent's readings on the phone long
 * after the network returned. Only tries begun after `online` count against it.
 */
let failuresBeforeOnline = 0;

export async function sendNow(): Promise<FlushResult> {
  clearTimeout(retryTimer);
  outboxState.set({ sending: true });
  try {
    const result = await requestSync();
    await scheduleRetry(result);
    return result;
  } finally {
    outboxState.set({ sending: false });
    // The readings the send changed came with their ids (flush-progress): status and reports only.
    await refreshOutbox([]);
  }
}

/**
 * A save's send: now with network; offline (the browser's navigator.onLine false, which is
 * certain) nothing, since the `online` event and Background Sync send once the network is
 * back, and a flush now would only read the outbox to fail.
 */
export function sendWhenOnline(): void {
  if (navigator.onLine) void sendNow();
}

async function scheduleRetry(result: FlushResult): Promise<void> {
  clearTimeout(retryTimer);
  // Offline for certain: no timer, the `online` event sends (a timer would only wake the
  // service worker to fail, again and again until the network returns).
  if (!navigator.onLine) return;
  const { consecutiveFailures } = await getSyncStatus();
  // A success since `online` reset the count: the next failures back off from the start again.
  if (consecutiveFailures < failuresBeforeOnline) failuresBeforeOnline = 0;
  if (worthRetrying(result)) {
    const serverAsked = result.retryAfterMs ?? result.reports?.retryAfterMs;
    retryTimer = setTimeout(() => void sendNow(), nextTryDelay(Math.max(1, consecutiveFailures - failuresBeforeOnline), serverAsked));
    return;
  }
  // Readings held for a probe that this page did not start (it ended with an earlier page):
  // their hold expires on its own, and they must then leave without waiting for a save.
  if (result.pending === 0 || result.authRequired) return;
  const releasedAt = await earliestHold();
  if (releasedAt !== undefined) retryTimer = setTimeout(() => void sendNow(), releasedAt - Date.now() + HOLD_MARGIN_MS);
}

/** After a hold expires, so that the flush finds the reading free to go. */
const HOLD_MARGIN_MS = 250;

export function startSyncScheduler(): () => void {
  // A send finished elsewhere (another tab, Background Sync) also decides the next try.
  const stopWatching = watchOutbox((result) => void scheduleRetry(result));
  // Signed in here or in another tab: whatever waited for it goes now.
  const stopSession = watchSession((session) => {
    if (isUsable(session)) void sendNow();
  });
  const onOnline = () => {
    // An upload begun before the network went may never be answered: it ends now, not at its timeout.
    abandonUploadsInFlight();
    // Read once the try under way (begun before the network came back, and likely to fail
    // with it) has ended and counted; the send asked for at once runs right after it.
    void runExclusive(FLUSH_LOCK, getSyncStatus).then(({ consecutiveFailures }) => {
      failuresBeforeOnline = consecutiveFailures;
    });
    void sendNow();
  };
  const onOffline = () => {
    noteNetworkGone();
    void registerSyncIfWaiting();
  };
  window.addEventListener('online', onOnline);
  window.addEventListener('offline', onOffline);
  // Opened with no network: whatever another page's send left under way went with it too.
  if (!navigator.onLine) noteNetworkGone();
  void start();
  return () => {
    stopWatching();
    stopSession();
    window.removeEventListener('online', onOnline);
    window.removeEventListener('offline', onOffline);
    clearTimeout(retryTimer);
    failuresBeforeOnline = 0;
  };
}

/**
 * Reads who is signed in from IndexedDB (offline, that is all there is), then, with network,
 * sends and asks the server: a fresh CSRF token, or the news that the session has expired.
 * Offline (navigator.onLine false, which is certain) a send would only wake the service
 * worker to read the outbox, fail and count a failure, all between the first screen and
 * the agent's first tap (issue 19): the `online` listener above and Background Sync send
 * once the network is back, as after a save (sendWhenOnline).
 */
async function start(): Promise<void> {
  const session = await refreshSessionState();
  if (navigator.onLine) void sendNow();
  else void registerSyncIfWaiting();
  if (session && navigator.onLine) await checkSession();
}

/**
 * Offline with something waiting: Background Sync is to send it once the network is back,
 * even if the app is closed before. A save registers it too, but the browser forgets a
 * registration after its last try (Chromium: the third failure), and what waits may come from
 * an earlier day. Offline the registration costs nothing: the browser holds it until the
 * network returns.
 */
async function registerSyncIfWaiting(): Promise<void> {
  const [readings, reports] = await Promise.all([anyReadingWaiting(), anyReportWaiting()]);
  if (readings || reports) await registerBackgroundSync();
}
