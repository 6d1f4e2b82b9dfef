import type { Workbox } from 'workbox-window';
import { createStore } from './tiny-store.ts';

export interface AppShellState {
  /** A new version is installed and waiting for « Mettre à jour ». */
  updateWaiting: boolean;
  /** The app shell was cached for the first time: the app now opens without network. */
  offlineReady: boolean;
}

export const shellState = createStore<AppShellState>({ updateWaiting: false, offlineReady: false });

let workbox: Workbox | undefined;

/**
 * Registers the service worker once the page has loaded (Workbox would wait for the load
 * event anyway). workbox-window comes in a chunk of its own, fetched then too: on a first
 * visit over a slow network the first screen shares the bandwidth with none of it.
 */
export async function registerServiceWorker(): Promise<void> {
  if (!('serviceWorker' in navigator) || !import.meta.env.PROD) return;
  if (document.readyState !== 'complete') await new Promise((resolve) => window.addEventListener('load', resolve, { once: true }));
  const { Workbox } = await import('workbox-window');
  workbox = new Workbox('/sw.js');
  workbox.addEventListener('installed', (event) => {
    if (!event.isUpdate) shellState.set({ offlineReady: true });
  });
  workbox.addEventListener('waiting', () => shellState.set({ updateWaiting: true }));
  void workbox.register();
}

/** Activates the waiting version, then reloads once it controls the page. */
export function applyUpdate(): void {
  if (!workbox) return;
  workbox.addEventListener('controlling', () => window.location.reload());
  workbox.messageSkipWaiting();
}
