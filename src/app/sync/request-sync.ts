// The one function, not the package's index: the rest of workbox-window loads after the first
// screen (shell/service-worker.ts).
import { messageSW } from 'workbox-window/messageSW.js';
import { SYNC_TAG, type FlushResult, type PageToWorkerMessage } from '../../sync/protocol.ts';

/** Past this the page stops waiting for the worker's answer; IndexedDB still tells the truth. */
const WORKER_ANSWER_TIMEOUT_MS = 120_000;

/**
 * Asks for the outbox to be sent now. The service worker does it when it controls the page
 * (so a send survives the tab closing); otherwise the page sends itself. Either way the
 * flush is single-flight across every tab (src/sync/lock.ts).
 */
export async function requestSync(): Promise<FlushResult> {
  const controller = navigator.serviceWorker?.controller;
  // Without a worker (a first visit), the page sends itself; the sending code is not needed
  // to draw the first screen, so it comes in its own chunk.
  if (!controller) return import('../../sync/flush.ts').then(({ flushOutbox }) => flushOutbox());
  const answer = messageSW(controller, { type: 'SYNC_NOW' }) as Promise<FlushResult>;
  const timeout = new Promise<FlushResult>((resolve) =>
    setTimeout(() => resolve({ sent: 0, refused: 0, pending: 0, error: 'Le service d’envoi ne répond pas' }), WORKER_ANSWER_TIMEOUT_MS),
  );
  return Promise.race([answer, timeout]);
}

/**
 * The page heard `offline`: whoever sends (the service worker, or this page without one)
 * notes that its uploads under way may now wait on a connection gone with the network.
 * Without a worker the sending code is loaded only if a send of this page loaded it already.
 */
export function noteNetworkGone(): void {
  const controller = navigator.serviceWorker?.controller;
  if (controller) controller.postMessage({ type: 'NETWORK_GONE' } satisfies PageToWorkerMessage);
  else void import('../../sync/upload.ts').then((upload) => upload.noteNetworkGone());
}

/**
 * The page heard `online`: whoever sends abandons its uploads that were under way when the
 * network went (noteNetworkGone), so that the send asked next starts at once; one begun
 * since the network came back goes on, whichever tab says so late.
 */
export function abandonUploadsInFlight(): void {
  const controller = navigator.serviceWorker?.controller;
  if (controller) controller.postMessage({ type: 'NETWORK_BACK' } satisfies PageToWorkerMessage);
  else void import('../../sync/upload.ts').then((upload) => upload.abandonUploadsInFlight());
}

/**
 * Where the browser has Background Sync, lets it send the outbox when the network returns,
 * even after every tab is closed. Elsewhere the page's own triggers do it.
 */
export async function registerBackgroundSync(): Promise<void> {
  if (!navigator.serviceWorker?.controller) return;
  const registration = (await navigator.serviceWorker.ready) as ServiceWorkerRegistration & {
    sync?: { register(tag: string): Promise<void> };
  };
  await registration.sync?.register(SYNC_TAG).catch(() => undefined);
}
